import type {
  AuditEvent,
  WorkOrder,
  WorkOrderStatus,
} from '../../../lambdas/domain/work-orders/work-order.ts';
import type {
  NewWorkOrderRecord,
  WaitOutcome,
  WorkOrderStore,
} from '../../../lambdas/ports/work-order-store.ts';
import { InMemoryDirectory } from './in-memory-directory.ts';

/**
 * Work orders and their audit trail in memory, with the store's guarantees: `create` writes the
 * work order, its event and any new customer or location together; `update` applies only when
 * the stored version is still the one the change was computed from.
 */
export class InMemoryWorkOrderStore implements WorkOrderStore {
  private readonly workOrders = new Map<string, WorkOrder>();
  private readonly events: AuditEvent[] = [];
  private readonly beforeUpdateHooks: (() => void)[] = [];
  updateAttempts = 0;

  constructor(readonly directory: InMemoryDirectory = new InMemoryDirectory()) {}

  /** Seeds a work order as if an earlier request had written it. */
  put(workOrder: WorkOrder): this {
    this.workOrders.set(keyOf(workOrder.tenantId, workOrder.workOrderId), structuredClone(workOrder));
    return this;
  }

  /** Runs `change` just before the next update checks its version: someone else's concurrent write. */
  beforeNextUpdate(change: () => void): this {
    this.beforeUpdateHooks.push(change);
    return this;
  }

  all(): WorkOrder[] {
    return [...this.workOrders.values()].map((workOrder) => structuredClone(workOrder));
  }

  eventsOf(tenantId: string, workOrderId: string): AuditEvent[] {
    return this.events
      .filter((event) => event.tenantId === tenantId && event.workOrderId === workOrderId)
      .map((event) => structuredClone(event));
  }

  async create(record: NewWorkOrderRecord): Promise<void> {
    const key = keyOf(record.workOrder.tenantId, record.workOrder.workOrderId);
    if (this.workOrders.has(key))
      throw new Error(`Work order ${record.workOrder.workOrderId} already exists`);
    this.workOrders.set(key, structuredClone(record.workOrder));
    this.events.push(structuredClone(record.event));
    if (record.customer) this.directory.addCustomer(record.customer);
    if (record.location) this.directory.addLocation(record.location);
  }

  async get(tenantId: string, workOrderId: string): Promise<WorkOrder | undefined> {
    const workOrder = this.workOrders.get(keyOf(tenantId, workOrderId));
    return workOrder ? structuredClone(workOrder) : undefined;
  }

  async recordWait(input: {
    tenantId: string;
    workOrderId: string;
    state: string;
    taskToken: string;
    at: string;
    whileStatusIn: WorkOrderStatus[];
  }): Promise<WaitOutcome> {
    const key = keyOf(input.tenantId, input.workOrderId);
    const workOrder = this.workOrders.get(key);
    if (!workOrder || !input.whileStatusIn.includes(workOrder.status)) {
      return { stored: false, workOrder: workOrder ? structuredClone(workOrder) : undefined };
    }
    const waiting: WorkOrder = {
      ...workOrder,
      workflowState: input.state,
      workflowStateSince: input.at,
      taskToken: input.taskToken,
    };
    this.workOrders.set(key, waiting);
    return { stored: true, workOrder: structuredClone(waiting) };
  }

  async update(input: { before: WorkOrder; after: WorkOrder; event: AuditEvent }): Promise<boolean> {
    this.updateAttempts += 1;
    this.beforeUpdateHooks.shift()?.();
    const key = keyOf(input.after.tenantId, input.after.workOrderId);
    const stored = this.workOrders.get(key);
    if (!stored || stored.version !== input.before.version) return false;
    this.workOrders.set(key, structuredClone(input.after));
    this.events.push(structuredClone(input.event));
    return true;
  }
}

const keyOf = (tenantId: string, workOrderId: string) => `${tenantId}#${workOrderId}`;
