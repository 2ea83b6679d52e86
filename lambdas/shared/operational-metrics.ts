/**
 * The counts the functions publish (Powertools metrics in the functions' namespace, with the
 * `service` dimension) that the operators' alarms watch. The code that counts and the alarms
 * (lib/constructs/observability.ts) read the names from here, so the two cannot drift.
 */
export const operationalMetrics = {
  /** A work order newly flagged `needs_attention`: automation failed and the office must act. */
  needsAttention: 'NeedsAttention',
  /** A customer message that failed every delivery attempt on a channel. */
  customerMessagesFailed: 'CustomerMessagesFailed',
  /** Any other side effect that failed after its change was saved (an event, a workflow callback). */
  sideEffectFailures: 'WorkOrderSideEffectFailures',
} as const;

/** What a reported failure was about, when it has a count of its own. */
export type FailureKind = 'customer-message';
