import type { Customer, ServiceLocation, Tenant } from '../../domain/customers/customer.ts';
import type { AuditEvent, WorkOrder } from '../../domain/work-orders/work-order.ts';
import type {
  DirectoryStore,
  NewWorkOrderRecord,
  WaitOutcome,
  WorkOrderStore,
} from '../../ports/work-order-store.ts';
import { ConflictError } from '../../shared/errors.ts';
import { isConditionalCheckFailure } from './conditional-check.ts';
import type { Entities } from './entities.ts';

// The stored item has exactly the domain's fields (the models declare them); ElectroDB's
// inferred type differs only in optionality details, so it is narrowed here once.
const toWorkOrder = (item: object): WorkOrder => item as WorkOrder;

/** Work orders and their audit events in one item collection of the single table. */
export class DynamoWorkOrderStore implements WorkOrderStore {
  constructor(private readonly entities: Entities) {}

  async create({ workOrder, event, customer, location }: NewWorkOrderRecord): Promise<void> {
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.workOrder.create(workOrder).commit(),
        entity.workOrderEvent.create(event).commit(),
        ...(customer ? [entity.customer.create(customer).commit()] : []),
        ...(location ? [entity.location.create(location).commit()] : []),
      ])
      .go();
    if (result.canceled) throw new ConflictError('The work order could not be written; nothing was saved');
  }

  async get(tenantId: string, workOrderId: string): Promise<WorkOrder | undefined> {
    const { data } = await this.entities.workOrder.get({ tenantId, workOrderId }).go({ consistent: true });
    return data ? toWorkOrder(data) : undefined;
  }

  async recordWait(input: {
    tenantId: string;
    workOrderId: string;
    state: string;
    taskToken: string;
    at: string;
    whileStatusIn: WorkOrder['status'][];
  }): Promise<WaitOutcome> {
    const { tenantId, workOrderId } = input;
    try {
      const { data } = await this.entities.workOrder
        .patch({ tenantId, workOrderId })
        .set({ workflowState: input.state, workflowStateSince: input.at, taskToken: input.taskToken })
        .where(({ status }, { eq }) => input.whileStatusIn.map((awaited) => eq(status, awaited)).join(' OR '))
        .go({ response: 'all_new' });
      return { stored: true, workOrder: toWorkOrder(data) };
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      return { stored: false, workOrder: await this.get(tenantId, workOrderId) };
    }
  }

  async update({
    before,
    after,
    event,
  }: {
    before: WorkOrder;
    after: WorkOrder;
    event: AuditEvent;
  }): Promise<boolean> {
    const { tenantId, workOrderId, createdAt: _createdAt, createdBy: _createdBy, ...changes } = after;
    const removed = (Object.keys(before) as (keyof WorkOrder)[]).filter(
      (field) => before[field] !== undefined && after[field] === undefined,
    );
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.workOrder
          .patch({ tenantId, workOrderId })
          .set(changes)
          .remove(removed as never[])
          .where(({ version }, { eq }) => eq(version, before.version))
          .commit(),
        entity.workOrderEvent.create(event).commit(),
      ])
      .go();
    return !result.canceled;
  }
}

/** Tenants, customers, locations and service types: the records a work order refers to. */
export class DynamoDirectoryStore implements DirectoryStore {
  constructor(private readonly entities: Entities) {}

  async getTenant(tenantId: string): Promise<Tenant | undefined> {
    const { data } = await this.entities.tenant.get({ tenantId }).go();
    return data ?? undefined;
  }

  async getCustomer(tenantId: string, customerId: string): Promise<Customer | undefined> {
    const { data } = await this.entities.customer.get({ tenantId, customerId }).go();
    return (data as Customer | null) ?? undefined;
  }

  async getLocation(tenantId: string, locationId: string): Promise<ServiceLocation | undefined> {
    const { data } = await this.entities.location.get({ tenantId, locationId }).go();
    return (data as ServiceLocation | null) ?? undefined;
  }

  async getServiceType(tenantId: string, serviceTypeId: string) {
    const { data } = await this.entities.serviceType.get({ tenantId, serviceTypeId }).go();
    return data ? { serviceTypeId: data.serviceTypeId, name: data.name } : undefined;
  }
}
