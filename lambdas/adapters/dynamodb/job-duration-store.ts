import type { JobDuration } from '../../domain/catalog/job-duration.ts';
import type { JobDurationStore } from '../../ports/job-duration-store.ts';
import type { Entities } from './entities.ts';

/**
 * The durations of completed jobs, in their service type's partition ordered by completion
 * time; written by the work-order store in the completion's transaction.
 */
export class DynamoJobDurationStore implements JobDurationStore {
  constructor(private readonly entities: Entities) {}

  async recent(tenantId: string, serviceTypeId: string, limit: number): Promise<JobDuration[]> {
    // `limit` is the Query's Limit: one request, newest first.
    const { data } = await this.entities.jobDuration.query
      .byServiceType({ tenantId, serviceTypeId })
      .go({ order: 'desc', limit });
    return data.map((item) => ({
      tenantId: item.tenantId,
      serviceTypeId: item.serviceTypeId,
      workOrderId: item.workOrderId,
      completedAt: item.completedAt,
      minutes: item.minutes,
      ...(item.technicianId ? { technicianId: item.technicianId } : {}),
    }));
  }
}
