import type { PlannedVisit } from '../domain/agreements/agreement-visits.ts';

/** What became of each visit day of an agreement's plan, in the agreement's item collection. */
export interface PlannedVisitStore {
  /** The visit days recorded for the agreement, in day order (one Query). */
  visitsOf(tenantId: string, agreementId: string): Promise<PlannedVisit[]>;
  /**
   * Records what becomes of a visit day, once: writes `visit` unless the day has a record
   * already, and answers the record that stands (the new one, or the one found). Concurrent
   * claims of one day leave one record, and every claimant is told which.
   */
  claim(visit: PlannedVisit): Promise<PlannedVisit>;
}
