import type { JobDurationStore } from '../../ports/job-duration-store.ts';

/** Where an estimated duration comes from. */
export type DurationBasis = 'service type' | 'past jobs';

export interface DurationEstimate {
  minutes: number;
  basis: DurationBasis;
  /** How many past jobs were looked at (also when they were too few to count). */
  sampleCount: number;
}

/** Fewer past jobs than this say too little: the catalogue's duration stands. */
export const minimumSamples = 5;
/** The most recent jobs of a service type the estimate looks at. */
export const recentJobsConsidered = 50;

const quarterHour = 15;
const shortest = 15;
const longest = 12 * 60;

/**
 * The expected duration of a job of a service type, in minutes.
 * - With at least five past jobs of the type, the median of their durations (the mean of the
 *   middle two for an even count), rounded up to a whole quarter hour (61 → 75, 60 stays 60)
 *   and kept between 15 minutes and 12 hours: the median follows what the tenant's jobs really
 *   take, and one visit left open overnight does not move it.
 * - Otherwise the catalogue's minutes, as they are.
 * Durations that are not a positive number of minutes are not counted.
 */
export function estimateDuration(catalogueMinutes: number, samples: number[]): DurationEstimate {
  const durations = samples
    .filter((minutes) => Number.isFinite(minutes) && minutes > 0)
    .sort((a, b) => a - b);
  const sampleCount = durations.length;
  if (sampleCount < minimumSamples) return { minutes: catalogueMinutes, basis: 'service type', sampleCount };
  const middle = Math.floor(sampleCount / 2);
  const median =
    sampleCount % 2 === 1
      ? (durations[middle] ?? 0)
      : ((durations[middle - 1] ?? 0) + (durations[middle] ?? 0)) / 2;
  const rounded = Math.ceil(median / quarterHour) * quarterHour;
  return { minutes: Math.min(longest, Math.max(shortest, rounded)), basis: 'past jobs', sampleCount };
}

/**
 * The current estimate for a service type of a tenant: its most recent jobs (one Query) weighed
 * against the catalogue's minutes by `estimateDuration`.
 */
export async function durationEstimateFor(
  durations: JobDurationStore,
  tenantId: string,
  serviceTypeId: string,
  catalogueMinutes: number,
): Promise<DurationEstimate> {
  const recent = await durations.recent(tenantId, serviceTypeId, recentJobsConsidered);
  return estimateDuration(
    catalogueMinutes,
    recent.map((job) => job.minutes),
  );
}
