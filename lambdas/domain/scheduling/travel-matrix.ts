import type { Coordinates, Leg, TravelTimes } from '../../ports/travel-times.ts';
import type { TravelLookup } from './agenda.ts';

/**
 * The travel times a search needs, asked of the travel port in one call and then looked up
 * synchronously by the slot finder. Legs are announced first; asking for a leg that was not
 * announced is a programming error, not a reason to guess.
 *
 * Points are numbered once (by the object, then by its coordinates), and legs are kept in a
 * row per origin by the destination's number: a search over thousands of visits announces
 * about a hundred thousand legs, and building a text key for each would cost more than the
 * search itself.
 */
export class TravelMatrix {
  private readonly byObject = new Map<Coordinates, number>();
  private readonly byCoordinates = new Map<string, number>();
  /** Minutes by origin, then destination; `undefined` while announced but not yet asked for. */
  private readonly rows: Map<number, number | undefined>[] = [];
  private wanted: Leg[] = [];
  private wantedAt: [number, number][] = [];

  private numberOf(point: Coordinates): number {
    let number = this.byObject.get(point);
    if (number === undefined) {
      const key = `${point.latitude},${point.longitude}`;
      number = this.byCoordinates.get(key);
      if (number === undefined) {
        number = this.byCoordinates.size;
        this.byCoordinates.set(key, number);
        this.rows.push(new Map());
      }
      this.byObject.set(point, number);
    }
    return number;
  }

  /** Announces a leg (both directions are asked for separately: roads may differ). */
  add(from: Coordinates | undefined, to: Coordinates | undefined): void {
    if (!from || !to) return;
    const origin = this.numberOf(from);
    const destination = this.numberOf(to);
    if (origin === destination) return;
    const row = this.rows[origin];
    if (!row || row.has(destination)) return;
    row.set(destination, undefined);
    this.wanted.push({ from, to });
    this.wantedAt.push([origin, destination]);
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
    const legs = this.wanted;
    const places = this.wantedAt;
    this.wanted = [];
    this.wantedAt = [];
    if (legs.length === 0) return;
    const minutes = await travel.minutes(legs);
    places.forEach(([origin, destination], index) => {
      this.rows[origin]?.set(destination, minutes[index] ?? 0);
    });
  }

  readonly lookup: TravelLookup = (from, to) => {
    const origin = this.numberOf(from);
    const destination = this.numberOf(to);
    if (origin === destination) return 0;
    const minutes = this.rows[origin]?.get(destination);
    if (minutes === undefined) {
      throw new Error(
        `Travel time from ${from.latitude},${from.longitude} to ${to.latitude},${to.longitude} was not asked for`,
      );
    }
    return minutes;
  };
}
