import type { CatalogStore } from '../../domain/catalog/catalog-store.ts';
import type { ServiceType } from '../../domain/catalog/service-type.ts';
import type { WorkOrderHistorySource } from '../../domain/work-orders/relevant-history.ts';
import type { PastWorkOrder } from '../../domain/work-orders/service-type-suggester.ts';
import type { WorkOrder } from '../../domain/work-orders/work-order.ts';
import { ConflictError } from '../../shared/errors.ts';
import { isConditionalCheckFailure } from './conditional-check.ts';
import type { Entities } from './entities.ts';
import { indexKeys, type KeysPage, workOrderPage } from './work-order-index-reads.ts';

/** The statuses of finished work: their descriptions teach the suggester. */
const finishedStatuses = ['completed', 'invoiced', 'paid'] as const;

// Stored items hold the domain's fields (the model declares them); ElectroDB's inferred types
// differ only in optionality details and sets, narrowed here once.
function toServiceType(item: Record<string, unknown>): ServiceType {
  const stored = item as unknown as ServiceType & { requiredSkills?: string[] };
  return {
    ...stored,
    keywords: [...(stored.keywords ?? [])],
    requiredSkills: [...(stored.requiredSkills ?? [])].sort(),
    flatFees: [...(stored.flatFees ?? [])],
    checklist: [...(stored.checklist ?? [])],
  };
}

/** DynamoDB refuses an empty set: no skills is no attribute. */
function toItem(serviceType: ServiceType) {
  const { requiredSkills, ...rest } = serviceType;
  return requiredSkills.length > 0 ? { ...rest, requiredSkills } : rest;
}

/**
 * The service catalogue (service type items, listed by the tenant's index) and the reads of
 * past work orders that suggestions and history use. Queries only.
 *
 * Suggestion history is read from the status index (one Query per finished status, newest
 * first, bounded), not from a corpus kept aside: it needs no write on the work order path,
 * cannot drift from the work orders, and its cost is paid once per tenant per suggester TTL.
 */
export class DynamoCatalogStore implements CatalogStore, WorkOrderHistorySource {
  constructor(private readonly entities: Entities) {}

  async listServiceTypes(tenantId: string): Promise<ServiceType[]> {
    const { data } = await this.entities.serviceType.query.byTenant({ tenantId }).go({ pages: 'all' });
    return data.map((item) => toServiceType(item as Record<string, unknown>));
  }

  async getServiceType(tenantId: string, serviceTypeId: string): Promise<ServiceType | undefined> {
    const { data } = await this.entities.serviceType
      .get({ tenantId, serviceTypeId })
      .go({ consistent: true });
    return data ? toServiceType(data as Record<string, unknown>) : undefined;
  }

  async createServiceType(serviceType: ServiceType): Promise<void> {
    try {
      await this.entities.serviceType.create(toItem(serviceType)).go();
    } catch (error) {
      if (isConditionalCheckFailure(error))
        throw new ConflictError(`Service type ${serviceType.serviceTypeId} exists`);
      throw error;
    }
  }

  async replaceServiceType(serviceType: ServiceType, expectedUpdatedAt: string): Promise<boolean> {
    try {
      await this.entities.serviceType
        .put(toItem(serviceType))
        .where(({ updatedAt }, { eq }) => eq(updatedAt, expectedUpdatedAt))
        .go();
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  async pastJobs(tenantId: string, limit: number): Promise<PastWorkOrder[]> {
    const perStatus = await Promise.all(
      finishedStatuses.map((status) =>
        this.newestOf(
          (options) =>
            this.entities.workOrder.query
              .byStatus({ tenantId, status })
              .go({ ...options, ...indexKeys, order: 'desc' }),
          limit,
          // The status index holds keys only: the service type is checked on the items read.
          (workOrder) => workOrder.status === status && workOrder.serviceTypeId !== undefined,
        ),
      ),
    );
    return perStatus
      .flat()
      .sort((first, second) => second.createdAt.localeCompare(first.createdAt))
      .slice(0, limit)
      .flatMap((workOrder) =>
        workOrder.serviceTypeId
          ? [{ serviceTypeId: workOrder.serviceTypeId, description: workOrder.description }]
          : [],
      );
  }

  async workOrdersAtLocation(tenantId: string, locationId: string, limit: number): Promise<WorkOrder[]> {
    return this.newestOf(
      (options) =>
        this.entities.workOrder.query
          .byLocation({ tenantId, locationId })
          .go({ ...options, ...indexKeys, order: 'desc' }),
      limit,
      (workOrder) => workOrder.locationId === locationId,
    );
  }

  async workOrdersOfCustomer(tenantId: string, customerId: string, limit: number): Promise<WorkOrder[]> {
    return this.newestOf(
      (options) =>
        this.entities.workOrder.query
          .byCustomer({ tenantId, customerId })
          .go({ ...options, ...indexKeys, order: 'desc' }),
      limit,
      (workOrder) => workOrder.customerId === customerId,
    );
  }

  /** The first page of up to `limit` work orders of a keys-only index read newest first, that `keep` accepts. */
  private async newestOf(
    queryKeys: (options: { limit: number; cursor: string | null }) => Promise<KeysPage>,
    limit: number,
    keep: (workOrder: WorkOrder) => boolean,
  ): Promise<WorkOrder[]> {
    const { data } = await workOrderPage(this.entities, { limit, cursor: null }, queryKeys, keep);
    return data;
  }
}
