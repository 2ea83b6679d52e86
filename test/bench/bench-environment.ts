/**
 * Imported first by the benchmarks that load handlers in their own process: Powertools reads
 * these when its logger and metrics are created (at import), so they are set before anything
 * imports them. Only errors are logged, and no metrics are printed, so stdout carries the
 * benchmark's JSON alone.
 */
Object.assign(process.env, {
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  POWERTOOLS_METRICS_DISABLED: 'true',
});
