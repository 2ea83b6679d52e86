import type { Customer, ServiceLocation, Tenant } from '../domain/customers/customer.ts';
import type { AuditEvent, WorkOrder, WorkOrderStatus } from '../domain/work-orders/work-order.ts';

export interface NewWorkOrderRecord {
  workOrder: WorkOrder;
  event: AuditEvent;
  /** Written in the same transaction when the work order brings a new customer or location. */
  customer?: Customer;
  location?: ServiceLocation;
}

export type WaitOutcome =
  /** The work order is still in the awaited stage: its token is stored. */
  | { stored: true; workOrder: WorkOrder }
  /** The work order has moved on (or is gone): the caller answers the waiting state itself. */
  | { stored: false; workOrder: WorkOrder | undefined };

export interface WorkOrderStore {
  /** Writes the work order, its first audit event and any new customer or location, all or nothing. */
  create(record: NewWorkOrderRecord): Promise<void>;
  get(tenantId: string, workOrderId: string): Promise<WorkOrder | undefined>;
  /** Stores the waiting state and its token only while the status is one of `whileStatusIn`. */
  recordWait(input: {
    tenantId: string;
    workOrderId: string;
    state: string;
    taskToken: string;
    at: string;
    whileStatusIn: WorkOrderStatus[];
  }): Promise<WaitOutcome>;
  /**
   * Applies a change computed from `expectedVersion` with its audit event, as one conditional
   * transaction; false if the work order changed meanwhile.
   */
  update(input: { before: WorkOrder; after: WorkOrder; event: AuditEvent }): Promise<boolean>;
}

export interface DirectoryStore {
  getTenant(tenantId: string): Promise<Tenant | undefined>;
  getCustomer(tenantId: string, customerId: string): Promise<Customer | undefined>;
  getLocation(tenantId: string, locationId: string): Promise<ServiceLocation | undefined>;
  getServiceType(
    tenantId: string,
    serviceTypeId: string,
  ): Promise<{ serviceTypeId: string; name: string } | undefined>;
}
