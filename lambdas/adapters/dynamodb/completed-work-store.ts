import type { CompletedWork, CompletedWorkOrder } from '../../ports/completed-work.ts';
import type { Entities } from './entities.ts';

/** The `workOrderCompletion` items a completion writes, read in completion order from the tenant's index. */
export class DynamoCompletedWork implements CompletedWork {
  constructor(private readonly entities: Entities) {}

  async completedBetween(tenantId: string, from: string, to: string): Promise<CompletedWorkOrder[]> {
    const { data } = await this.entities.workOrderCompletion.query
      .byCompletion({ tenantId })
      .between({ completedAt: from }, { completedAt: to })
      .go({ pages: 'all' });
    // `between` includes its upper bound; the period ends just before `to`.
    return (data as CompletedWorkOrder[]).filter((completion) => completion.completedAt < to);
  }
}
