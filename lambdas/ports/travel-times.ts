/** A point on the map in degrees (WGS 84). */
export interface Coordinates {
  latitude: number;
  longitude: number;
}

export interface Leg {
  from: Coordinates;
  to: Coordinates;
}

/**
 * Driving time between points, in whole minutes. Asked for many legs at once so that a routing
 * service (a distance matrix) answers a whole slot search in one call.
 */
export interface TravelTimes {
  minutes(legs: Leg[]): Promise<number[]>;
}
