import type { JobDuration } from '../domain/catalog/job-duration.ts';

/**
 * The durations of past jobs by service type. They are written with the completion of each
 * work order (`WorkOrderChange.jobDuration`), so this port only reads.
 */
export interface JobDurationStore {
  /** The service type's most recently completed jobs, newest first, at most `limit` (one Query). */
  recent(tenantId: string, serviceTypeId: string, limit: number): Promise<JobDuration[]>;
}
