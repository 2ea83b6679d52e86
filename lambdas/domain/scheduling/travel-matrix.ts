import type { Coordinates, Leg, TravelTimes } from '../../ports/travel-times.ts';
import type { TravelLookup } from './agenda.ts';

const keyOf = (point: Coordinates) => `${point.latitude},${point.longitude}`;
const legKey = (from: Coordinates, to: Coordinates) => `${keyOf(from)}>${keyOf(to)}`;

/**
 * The travel times a search needs, asked of the travel port in one call and then looked up
 * synchronously by the slot finder. Legs are announced first; asking for a leg that was not
 * announced is a programming error, not a reason to guess.
 */
export class TravelMatrix {
  private readonly wanted = new Map<string, Leg>();
  private readonly known = new Map<string, number>();

  /** Announces a leg (both directions are asked for separately: roads may differ). */
  add(from: Coordinates | undefined, to: Coordinates | undefined): void {
    if (!from || !to) return;
    const key = legKey(from, to);
    if (keyOf(from) !== keyOf(to) && !this.known.has(key)) this.wanted.set(key, { from, to });
  }

  /** Both directions between a point and each of the others. */
  addAround(point: Coordinates | undefined, others: Iterable<Coordinates | undefined>): void {
    for (const other of others) {
      this.add(point, other);
      this.add(other, point);
    }
  }

  /** Asks the port for every announced leg not yet known. */
  async resolve(travel: TravelTimes): Promise<void> {
    const legs = [...this.wanted.entries()];
    this.wanted.clear();
    if (legs.length === 0) return;
    const minutes = await travel.minutes(legs.map(([, leg]) => leg));
    legs.forEach(([key], index) => {
      this.known.set(key, minutes[index] ?? 0);
    });
  }

  readonly lookup: TravelLookup = (from, to) => {
    if (keyOf(from) === keyOf(to)) return 0;
    const minutes = this.known.get(legKey(from, to));
    if (minutes === undefined)
      throw new Error(`Travel time from ${keyOf(from)} to ${keyOf(to)} was not asked for`);
    return minutes;
  };
}
