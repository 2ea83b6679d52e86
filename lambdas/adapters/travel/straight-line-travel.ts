import type { Coordinates, Leg, TravelTimes } from '../../ports/travel-times.ts';

const earthRadiusKm = 6371.0088;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** The great-circle (haversine) distance between two points, in kilometres. */
export function haversineKm(a: Coordinates, b: Coordinates): number {
  const dLat = radians(b.latitude - a.latitude);
  const dLng = radians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLng / 2) ** 2;
  return 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Roads are longer than the straight line: about 1.3 times in towns and suburbs. */
export const roadFactor = 1.3;

/**
 * Travel time without a routing service: the haversine distance times the road factor, driven
 * at the tenant's average speed, rounded up to the minute. Good enough to keep a day's jobs in
 * a sensible order; a routing service can take its place behind the same port.
 */
export class StraightLineTravel implements TravelTimes {
  constructor(private readonly averageSpeedKmh: number) {}

  minutesBetween(from: Coordinates, to: Coordinates): number {
    return Math.ceil(((haversineKm(from, to) * roadFactor) / this.averageSpeedKmh) * 60);
  }

  async minutes(legs: Leg[]): Promise<number[]> {
    return legs.map(({ from, to }) => this.minutesBetween(from, to));
  }
}
