import type { JobDuration } from '../../../lambdas/domain/catalog/job-duration.ts';
import type { JobDurationStore } from '../../../lambdas/ports/job-duration-store.ts';

/**
 * Job durations keyed as the table keys them (tenant, service type, completion time, work
 * order): writing the same completion again replaces it; `recent` reads newest first.
 */
export class InMemoryJobDurations implements JobDurationStore {
  private readonly items = new Map<string, JobDuration>();

  /** Writes (or rewrites) a job's duration, as the completion's transaction does. */
  put(job: JobDuration): this {
    this.items.set(keyOf(job), structuredClone(job));
    return this;
  }

  async recent(tenantId: string, serviceTypeId: string, limit: number): Promise<JobDuration[]> {
    return [...this.items.values()]
      .filter((job) => job.tenantId === tenantId && job.serviceTypeId === serviceTypeId)
      .sort((one, other) => {
        const [a, b] = [sortKeyOf(one), sortKeyOf(other)];
        return a < b ? 1 : a > b ? -1 : 0;
      })
      .slice(0, limit)
      .map((job) => structuredClone(job));
  }
}

const sortKeyOf = (job: JobDuration) => `${job.completedAt}#${job.workOrderId}`;
const keyOf = (job: JobDuration) => `${job.tenantId}#${job.serviceTypeId}#${sortKeyOf(job)}`;
