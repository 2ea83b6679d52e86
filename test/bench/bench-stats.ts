/** Figures the benchmarks print: percentiles of samples, rounded for reading. */

export const round = (value: number, decimals = 1): number =>
  Number.isFinite(value) ? Number(value.toFixed(decimals)) : value;

/** The nearest-rank percentile of values sorted ascending. */
export function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[index]!;
}

export const median = (values: readonly number[]): number =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

export interface Distribution {
  count: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

export function distribution(values: readonly number[], decimals = 1): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 0.5), decimals),
    p99: round(percentile(sorted, 0.99), decimals),
    mean: round(sorted.length ? sum / sorted.length : Number.NaN, decimals),
    max: round(sorted.at(-1) ?? Number.NaN, decimals),
  };
}

/** The median and the 99th percentile only, for tables of many rows. */
export function p50p99(values: readonly number[], decimals = 1): { p50: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 0.5), decimals), p99: round(percentile(sorted, 0.99), decimals) };
}

/** A whole number from the environment, or the default; refuses anything else so a typo is not a silent default. */
export function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

/** Total time at least one of the intervals was open: overlapping calls are counted once. */
export function unionMs(intervals: readonly { start: number; end: number }[]): number {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  let total = 0;
  let openStart = Number.NaN;
  let openEnd = Number.NaN;
  for (const { start, end } of sorted) {
    if (Number.isNaN(openEnd) || start > openEnd) {
      if (!Number.isNaN(openEnd)) total += openEnd - openStart;
      openStart = start;
      openEnd = end;
    } else if (end > openEnd) {
      openEnd = end;
    }
  }
  if (!Number.isNaN(openEnd)) total += openEnd - openStart;
  return total;
}
