import type { Coordinates, Leg, TravelTimes } from '../../ports/travel-times.ts';
import type { TravelLookup } from './agenda.ts';

/** The bits of a coordinate, for hashing a place by its value. */
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** Spreads every bit of a 32-bit hash over the low ones, which pick the slot. */
function spread(hash: number): number {
  let mixed = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
  return mixed ^ (mixed >>> 16);
}

function hashOf(latitude: number, longitude: number): number {
  // 0 and -0 are one coordinate, and every not-a-number is the same one (as in their text).
  bits[0] = latitude === 0 ? 0 : Number.isNaN(latitude) ? Number.NaN : latitude;
  let hash = Math.imul((words[0] as number) ^ 0x811c9dc5, 0x9e3779b1) ^ (words[1] as number);
  bits[0] = longitude === 0 ? 0 : Number.isNaN(longitude) ? Number.NaN : longitude;
  hash = Math.imul(spread(hash) ^ (words[0] as number), 0x9e3779b1) ^ (words[1] as number);
  return spread(hash);
}

const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

/** The smallest power of two at least 1.5 times `count`: a table kept at most two thirds full. */
const tableSizeFor = (count: number) => 2 ** Math.max(4, Math.ceil(Math.log2(1.5 * Math.max(count, 1))));

/** No coordinates: a leg to or from it is never asked for. */
export const unknownPlace = -1;

/**
 * The travel times a search needs, asked of the travel port in one call and then looked up
 * synchronously by the slot finder. Legs are announced first; asking for a leg that was not
 * announced is a programming error, not a reason to guess.
 *
 * Places are numbered by their coordinates (the same place read twice is one place), legs by
 * the order they are announced in. A search over thousands of visits announces about a hundred
 * thousand legs and then looks them up again and again, so everything lives in typed arrays:
 * the legs' ends and minutes in announcement order, and open-addressing tables from a place's
 * coordinates to its number and from a leg's two place numbers to the leg's. No text key, and no
 * object per leg beyond the ones the port is asked with.
 */
export class TravelMatrix {
  // Places: coordinates by number, the first object seen for each, and the table to find them.
  private latitudes: Float64Array<ArrayBuffer>;
  private longitudes: Float64Array<ArrayBuffer>;
  private readonly places: Coordinates[] = [];
  /** Slot: place number + 1; 0 is an empty slot. */
  private placeTable: Int32Array<ArrayBuffer>;
  /** The last two places numbered: a search asks about its service location again and again. */
  private recent: Coordinates | undefined;
  private recentNumber = unknownPlace;
  private before: Coordinates | undefined;
  private beforeNumber = unknownPlace;

  // Legs: ends and minutes by leg number, and the table to find a leg by its ends.
  private legEnds: Int32Array<ArrayBuffer>;
  private legMinutes: Float64Array<ArrayBuffer>;
  private legKnown: Uint8Array<ArrayBuffer>;
  private legs = 0;
  /** Slot: (origin number + 1, destination number, leg number); 0 first is an empty slot. */
  private legTable: Int32Array<ArrayBuffer>;
  /** Legs from this number on have not been asked of the port yet. */
  private firstUnasked = 0;

  /** About how many places and legs there will be, so that everything is made large enough at once. */
  constructor(expected: { places: number; legs: number } = { places: 256, legs: 1024 }) {
    const places = Math.max(expected.places, 16);
    this.latitudes = new Float64Array(places);
    this.longitudes = new Float64Array(places);
    this.placeTable = new Int32Array(tableSizeFor(places));
    const legs = Math.max(expected.legs, 16);
    this.legEnds = new Int32Array(2 * legs);
    this.legMinutes = new Float64Array(legs);
    this.legKnown = new Uint8Array(legs);
    this.legTable = new Int32Array(3 * tableSizeFor(legs));
  }

  /** The number of a place, `unknownPlace` without one. */
  placeOf(point: Coordinates | undefined): number {
    if (!point) return unknownPlace;
    if (point === this.recent) return this.recentNumber;
    const number = point === this.before ? this.beforeNumber : this.numberOf(point);
    this.before = this.recent;
    this.beforeNumber = this.recentNumber;
    this.recent = point;
    this.recentNumber = number;
    return number;
  }

  private numberOf(point: Coordinates): number {
    const { latitude, longitude } = point;
    const table = this.placeTable;
    const mask = table.length - 1;
    let slot = hashOf(latitude, longitude) & mask;
    for (;;) {
      const stored = table[slot] as number;
      if (stored === 0) break;
      const number = stored - 1;
      if (
        same(this.latitudes[number] as number, latitude) &&
        same(this.longitudes[number] as number, longitude)
      ) {
        return number;
      }
      slot = (slot + 1) & mask;
    }
    const number = this.places.length;
    if (number === this.latitudes.length) {
      this.latitudes = grown(this.latitudes);
      this.longitudes = grown(this.longitudes);
    }
    this.latitudes[number] = latitude;
    this.longitudes[number] = longitude;
    this.places.push(point);
    table[slot] = number + 1;
    if (3 * this.places.length > 2 * table.length) this.rehashPlaces();
    return number;
  }

  private rehashPlaces(): void {
    const table = new Int32Array(2 * this.placeTable.length);
    const mask = table.length - 1;
    for (let number = 0; number < this.places.length; number++) {
      let slot = hashOf(this.latitudes[number] as number, this.longitudes[number] as number) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = number + 1;
    }
    this.placeTable = table;
  }

  /** Where a leg is in the table, or the empty slot where it would go (index of its first field). */
  private slotOf(origin: number, destination: number): number {
    const table = this.legTable;
    const slots = table.length / 3;
    const first = origin + 1;
    let slot = spread(Math.imul(first, 0x9e3779b1) ^ destination) & (slots - 1);
    for (;;) {
      const at = 3 * slot;
      const stored = table[at] as number;
      if (stored === 0 || (stored === first && table[at + 1] === destination)) return at;
      slot = slot + 1 === slots ? 0 : slot + 1;
    }
  }

  private growLegs(): void {
    const size = 2 * this.legMinutes.length;
    this.legEnds = grownInts(this.legEnds, 2 * size);
    const minutes = new Float64Array(size);
    minutes.set(this.legMinutes);
    this.legMinutes = minutes;
    const known = new Uint8Array(size);
    known.set(this.legKnown);
    this.legKnown = known;
    if (3 * size > 2 * (this.legTable.length / 3)) {
      this.legTable = new Int32Array(3 * tableSizeFor(size));
      for (let leg = 0; leg < this.legs; leg++) {
        const origin = this.legEnds[2 * leg] as number;
        const destination = this.legEnds[2 * leg + 1] as number;
        const at = this.slotOf(origin, destination);
        this.legTable[at] = origin + 1;
        this.legTable[at + 1] = destination;
        this.legTable[at + 2] = leg;
      }
    }
  }

  /** Announces a leg between numbered places (`placeOf`); nothing when either is unknown or both are one. */
  addBetween(origin: number, destination: number): void {
    if (origin === unknownPlace || destination === unknownPlace || origin === destination) return;
    const at = this.slotOf(origin, destination);
    if (this.legTable[at] !== 0) return;
    if (this.legs === this.legMinutes.length) {
      this.growLegs();
      this.addBetween(origin, destination);
      return;
    }
    const leg = this.legs++;
    this.legTable[at] = origin + 1;
    this.legTable[at + 1] = destination;
    this.legTable[at + 2] = leg;
    this.legEnds[2 * leg] = origin;
    this.legEnds[2 * leg + 1] = destination;
  }

  /** Announces a leg (both directions are asked for separately: roads may differ). */
  add(from: Coordinates | undefined, to: Coordinates | undefined): void {
    if (!from || !to) return;
    const origin = this.placeOf(from);
    this.addBetween(origin, this.placeOf(to));
  }

  /** Both directions between a point and each of the others. */
  addAround(point: Coordinates | undefined, others: Iterable<Coordinates | undefined>): void {
    for (const other of others) {
      this.add(point, other);
      this.add(other, point);
    }
  }

  /** Asks the port for every announced leg not yet asked for, in the order they were announced. */
  async resolve(travel: TravelTimes): Promise<void> {
    const first = this.firstUnasked;
    const end = this.legs;
    if (end === first) return;
    this.firstUnasked = end;
    const legs: Leg[] = new Array(end - first);
    for (let leg = first; leg < end; leg++) {
      legs[leg - first] = {
        from: this.places[this.legEnds[2 * leg] as number] as Coordinates,
        to: this.places[this.legEnds[2 * leg + 1] as number] as Coordinates,
      };
    }
    const minutes = await travel.minutes(legs);
    for (let leg = first; leg < end; leg++) {
      this.legMinutes[leg] = minutes[leg - first] ?? 0;
      this.legKnown[leg] = 1;
    }
  }

  readonly lookup: TravelLookup = (from, to) => {
    const origin = this.placeOf(from);
    const destination = this.placeOf(to);
    if (origin === destination) return 0;
    const at = this.slotOf(origin, destination);
    const leg = this.legTable[at] === 0 ? -1 : (this.legTable[at + 2] as number);
    if (leg < 0 || this.legKnown[leg] !== 1) {
      throw new Error(
        `Travel time from ${from.latitude},${from.longitude} to ${to.latitude},${to.longitude} was not asked for`,
      );
    }
    return this.legMinutes[leg] as number;
  };
}

function grown(values: Float64Array) {
  const larger = new Float64Array(2 * values.length);
  larger.set(values);
  return larger;
}

function grownInts(values: Int32Array, size: number) {
  const larger = new Int32Array(size);
  larger.set(values);
  return larger;
}
