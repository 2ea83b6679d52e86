import type {
  LaborEntry,
  PartUsage,
  WorkOrderNote,
} from '../../../lambdas/domain/execution/field-records.ts';
import type { Invoice, Payment } from '../../../lambdas/domain/invoicing/invoice.ts';
import { maxVisitHours } from '../../../lambdas/domain/scheduling/time-slices.ts';
import type {
  AuditEvent,
  WorkOrder,
  WorkOrderStatus,
} from '../../../lambdas/domain/work-orders/work-order.ts';
import type {
  NewWorkOrderRecord,
  Page,
  PartUsageRecord,
  WaitOutcome,
  WorkOrderChange,
  WorkOrderFilter,
  WorkOrderStore,
} from '../../../lambdas/ports/work-order-store.ts';
import { ValidationError } from '../../../lambdas/shared/errors.ts';
import { InMemoryDirectory } from './in-memory-directory.ts';
import { InMemoryJobDurations } from './in-memory-job-durations.ts';

type ConcurrentWrite = () => void | Promise<void>;

/**
 * Work orders and everything recorded on them, in memory, with the guarantees of the table:
 * - `create` and `apply` write all their items or none;
 * - `apply` replaces the work order only while its version, task token, note count, labor
 *   minutes and parts counters are still those of `before` (the token and the counters change without a version
 *   bump); it writes the invoice only at the version read (or if none exists yet) and the
 *   payment only if it is new;
 * - notes, labor, parts and waits are taken only while the status is one of the statuses given;
 *   a part correction only while the corrected usage's `correctedQuantity` is still the one read;
 * - audit events, notes and labor entries read back in id order, as their sort keys order them.
 */
export class InMemoryWorkOrderStore implements WorkOrderStore {
  private readonly workOrders = new Map<string, WorkOrder>();
  private readonly events: AuditEvent[] = [];
  private readonly noteItems: WorkOrderNote[] = [];
  private readonly laborItems: LaborEntry[] = [];
  readonly partUsageItems: PartUsage[] = [];
  private readonly invoices = new Map<string, Invoice>();
  private readonly payments = new Map<string, Payment>();
  private readonly beforeApplyWrites: ConcurrentWrite[] = [];
  applyAttempts = 0;
  /** The job durations written with completions. */
  readonly jobDurations = new InMemoryJobDurations();

  constructor(readonly directory: InMemoryDirectory = new InMemoryDirectory()) {}

  /** Seeds a work order as if an earlier request had written it. */
  put(workOrder: WorkOrder): this {
    this.workOrders.set(keyOf(workOrder.tenantId, workOrder.workOrderId), structuredClone(workOrder));
    return this;
  }

  /** Seeds an invoice as if an earlier step had written it. */
  putInvoice(invoice: Invoice): this {
    this.invoices.set(invoiceKeyOf(invoice), structuredClone(invoice));
    return this;
  }

  /** Seeds a note without counting it: the seeded work order carries its own `noteCount`. */
  putNote(note: WorkOrderNote): this {
    this.noteItems.push(structuredClone(note));
    return this;
  }

  /** Seeds a labor entry without adding it up: the seeded work order carries its own `laborMinutes`. */
  putLaborEntry(entry: LaborEntry): this {
    this.laborItems.push(structuredClone(entry));
    return this;
  }

  /** Seeds a part usage without adding it up: the seeded work order carries its own parts counters. */
  putPartUsage(usage: PartUsage): this {
    this.partUsageItems.push(structuredClone(usage));
    return this;
  }

  /** Runs `write` just before the next `apply` checks its conditions: someone else's concurrent write. */
  beforeNextApply(write: ConcurrentWrite): this {
    this.beforeApplyWrites.push(write);
    return this;
  }

  all(): WorkOrder[] {
    return [...this.workOrders.values()].map((workOrder) => structuredClone(workOrder));
  }

  /** The audit trail in the order it was written. */
  eventsOf(tenantId: string, workOrderId: string): AuditEvent[] {
    return this.events
      .filter((event) => event.tenantId === tenantId && event.workOrderId === workOrderId)
      .map((event) => structuredClone(event));
  }

  paymentsOf(tenantId: string, workOrderId: string): Payment[] {
    return [...this.payments.values()]
      .filter((payment) => payment.tenantId === tenantId && payment.workOrderId === workOrderId)
      .map((payment) => structuredClone(payment));
  }

  invoicesOf(tenantId: string, workOrderId: string): Invoice[] {
    return [...this.invoices.values()]
      .filter((invoice) => invoice.tenantId === tenantId && invoice.workOrderId === workOrderId)
      .map((invoice) => structuredClone(invoice));
  }

  async create(record: NewWorkOrderRecord): Promise<void> {
    const key = keyOf(record.workOrder.tenantId, record.workOrder.workOrderId);
    if (this.workOrders.has(key) || this.hasEvent(record.event)) {
      throw new Error(`Work order ${record.workOrder.workOrderId} already exists`);
    }
    this.workOrders.set(key, structuredClone(record.workOrder));
    this.events.push(structuredClone(record.event));
    if (record.customer) this.directory.addCustomer(record.customer);
    if (record.location) this.directory.addLocation(record.location);
  }

  async get(tenantId: string, workOrderId: string): Promise<WorkOrder | undefined> {
    return copy(this.workOrders.get(keyOf(tenantId, workOrderId)));
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
      return { stored: false, workOrder: copy(workOrder) };
    }
    const waiting: WorkOrder = {
      ...workOrder,
      workflowState: input.state,
      workflowStateSince: input.at,
      taskToken: input.taskToken,
      waitingWhile: [...input.whileStatusIn],
    };
    this.workOrders.set(key, structuredClone(waiting));
    return { stored: true, workOrder: structuredClone(waiting) };
  }

  async apply({
    before,
    after,
    event,
    invoice,
    replacementInvoice,
    payment,
    jobDuration,
  }: WorkOrderChange): Promise<boolean> {
    this.applyAttempts += 1;
    await this.beforeApplyWrites.shift()?.();
    const key = keyOf(before.tenantId, before.workOrderId);
    const stored = this.workOrders.get(key);
    const unchanged =
      stored !== undefined &&
      stored.version === before.version &&
      stored.taskToken === before.taskToken &&
      stored.noteCount === before.noteCount &&
      stored.laborMinutes === before.laborMinutes &&
      stored.runningTimers === before.runningTimers &&
      stored.partCount === before.partCount &&
      stored.partsCost === before.partsCost &&
      stored.partsPrice === before.partsPrice;
    const storedInvoice = invoice ? this.invoices.get(invoiceKeyOf(invoice.after)) : undefined;
    const invoiceWritable =
      !invoice ||
      (invoice.before ? storedInvoice?.version === invoice.before.version : storedInvoice === undefined);
    const paymentWritable = !payment || !this.payments.has(paymentKeyOf(payment));
    const replacementWritable = !replacementInvoice || !this.invoices.has(invoiceKeyOf(replacementInvoice));
    if (!unchanged || !invoiceWritable || !replacementWritable || !paymentWritable || this.hasEvent(event))
      return false;

    this.workOrders.set(keyOf(after.tenantId, after.workOrderId), structuredClone(after));
    this.events.push(structuredClone(event));
    if (invoice) this.invoices.set(invoiceKeyOf(invoice.after), structuredClone(invoice.after));
    if (replacementInvoice)
      this.invoices.set(invoiceKeyOf(replacementInvoice), structuredClone(replacementInvoice));
    if (payment) this.payments.set(paymentKeyOf(payment), structuredClone(payment));
    if (jobDuration) this.jobDurations.put(jobDuration);
    return true;
  }

  async addNote(note: WorkOrderNote, event: AuditEvent, whileStatusIn: WorkOrderStatus[]): Promise<boolean> {
    const workOrder = this.workOrders.get(keyOf(note.tenantId, note.workOrderId));
    const duplicate = this.noteItems.some((item) => sameWorkOrder(item, note) && item.noteId === note.noteId);
    if (!workOrder || !whileStatusIn.includes(workOrder.status) || duplicate || this.hasEvent(event)) {
      return false;
    }
    workOrder.noteCount = (workOrder.noteCount ?? 0) + 1;
    this.noteItems.push(structuredClone(note));
    this.events.push(structuredClone(event));
    return true;
  }

  /** What a timer's start (+1) or stop (-1) does to the work order's count of running timers. */
  countRunningTimer(tenantId: string, workOrderId: string, change: 1 | -1): void {
    const workOrder = this.workOrders.get(keyOf(tenantId, workOrderId));
    if (workOrder) workOrder.runningTimers = (workOrder.runningTimers ?? 0) + change;
  }

  async addLabor(entry: LaborEntry, event: AuditEvent, whileStatusIn: WorkOrderStatus[]): Promise<boolean> {
    const workOrder = this.workOrders.get(keyOf(entry.tenantId, entry.workOrderId));
    const duplicate = this.laborItems.some(
      (item) => sameWorkOrder(item, entry) && item.laborId === entry.laborId,
    );
    if (!workOrder || !whileStatusIn.includes(workOrder.status) || duplicate || this.hasEvent(event)) {
      return false;
    }
    workOrder.laborMinutes = (workOrder.laborMinutes ?? 0) + entry.minutes;
    this.laborItems.push(structuredClone(entry));
    this.events.push(structuredClone(event));
    return true;
  }

  async addPartUsage(
    { usage, event, counters, corrected }: PartUsageRecord,
    whileStatusIn: WorkOrderStatus[],
  ): Promise<boolean> {
    const workOrder = this.workOrders.get(keyOf(usage.tenantId, usage.workOrderId));
    const usageOf = (usageId: string) =>
      this.partUsageItems.find((item) => sameWorkOrder(item, usage) && item.usageId === usageId);
    const target = corrected ? usageOf(corrected.usageId) : undefined;
    const correctionHolds =
      !corrected || (target !== undefined && target.correctedQuantity === corrected.correctedQuantityBefore);
    if (
      !workOrder ||
      !whileStatusIn.includes(workOrder.status) ||
      usageOf(usage.usageId) ||
      !correctionHolds ||
      this.hasEvent(event)
    ) {
      return false;
    }
    workOrder.partCount = (workOrder.partCount ?? 0) + counters.partCount;
    workOrder.partsCost = (workOrder.partsCost ?? 0) + counters.partsCost;
    workOrder.partsPrice = (workOrder.partsPrice ?? 0) + counters.partsPrice;
    if (target && corrected) target.correctedQuantity = corrected.correctedQuantityAfter;
    this.partUsageItems.push(structuredClone(usage));
    this.events.push(structuredClone(event));
    return true;
  }

  async recordWorkflowState(tenantId: string, workOrderId: string, state: string, at: string): Promise<void> {
    const workOrder = this.workOrders.get(keyOf(tenantId, workOrderId));
    // A patch of an item that does not exist fails its implicit existence condition.
    if (!workOrder) throw new Error(`Work order ${workOrderId} does not exist`);
    const { taskToken: _token, waitingWhile: _waits, ...rest } = workOrder;
    this.workOrders.set(keyOf(tenantId, workOrderId), {
      ...rest,
      workflowState: state,
      workflowStateSince: at,
    });
  }

  async appendEvent(event: AuditEvent): Promise<void> {
    if (this.hasEvent(event)) throw new Error(`Event ${event.eventId} already exists`);
    this.events.push(structuredClone(event));
  }

  async timeline(
    tenantId: string,
    workOrderId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<AuditEvent>> {
    const trail = byId(
      this.events.filter((event) => event.tenantId === tenantId && event.workOrderId === workOrderId),
      (event) => event.eventId,
    );
    return pageOf(trail, page);
  }

  async notes(tenantId: string, workOrderId: string): Promise<WorkOrderNote[]> {
    return byId(
      this.noteItems.filter((note) => note.tenantId === tenantId && note.workOrderId === workOrderId),
      (note) => note.noteId,
    ).map((note) => structuredClone(note));
  }

  async laborEntries(tenantId: string, workOrderId: string): Promise<LaborEntry[]> {
    return byId(
      this.laborItems.filter((entry) => entry.tenantId === tenantId && entry.workOrderId === workOrderId),
      (entry) => entry.laborId,
    ).map((entry) => structuredClone(entry));
  }

  async partsUsed(tenantId: string, workOrderId: string): Promise<PartUsage[]> {
    return byId(
      this.partUsageItems.filter((usage) => usage.tenantId === tenantId && usage.workOrderId === workOrderId),
      (usage) => usage.usageId,
    ).map((usage) => structuredClone(usage));
  }

  async getInvoice(tenantId: string, workOrderId: string, invoiceId: string): Promise<Invoice | undefined> {
    return copy(this.invoices.get(invoiceKeyOf({ tenantId, workOrderId, invoiceId })));
  }

  async createInvoice(invoice: Invoice, event: AuditEvent): Promise<boolean> {
    if (this.invoices.has(invoiceKeyOf(invoice)) || this.hasEvent(event)) return false;
    this.invoices.set(invoiceKeyOf(invoice), structuredClone(invoice));
    this.events.push(structuredClone(event));
    return true;
  }

  async updateInvoice(invoice: Invoice, expectedVersion: number): Promise<boolean> {
    const stored = this.invoices.get(invoiceKeyOf(invoice));
    if (stored?.version !== expectedVersion) return false;
    this.invoices.set(invoiceKeyOf(invoice), structuredClone(invoice));
    return true;
  }

  /**
   * The work orders of the tenant matching every filter given. As the table's indexes do, it
   * needs one selective filter (technician, customer, location, status or a single day); a
   * technician's schedule and a day read in time order, the others newest first. A work order
   * not yet scheduled is on no day.
   */
  async list(filter: WorkOrderFilter, page: { limit: number; cursor?: string }): Promise<Page<WorkOrder>> {
    const singleDay = filter.from !== undefined && filter.from === filter.to;
    if (!filter.technicianId && !filter.customerId && !filter.locationId && !filter.status && !singleDay) {
      throw new ValidationError([
        {
          field: 'query',
          message: 'give one of status, customerId, locationId, technicianId, or a single day (from = to)',
        },
      ]);
    }
    const dayFiltered = filter.from !== undefined || filter.to !== undefined;
    const matches = [...this.workOrders.values()].filter(
      (workOrder) =>
        workOrder.tenantId === filter.tenantId &&
        (filter.status === undefined || workOrder.status === filter.status) &&
        (filter.customerId === undefined || workOrder.customerId === filter.customerId) &&
        (filter.locationId === undefined || workOrder.locationId === filter.locationId) &&
        (filter.technicianId === undefined || workOrder.technicianId === filter.technicianId) &&
        (!dayFiltered ||
          (workOrder.scheduledDate !== undefined &&
            (filter.from === undefined || workOrder.scheduledDate >= filter.from) &&
            (filter.to === undefined || workOrder.scheduledDate <= filter.to))),
    );
    // The index read is the most selective one: technician, then customer, location, day, status.
    const inTimeOrder =
      filter.technicianId !== undefined || (singleDay && !filter.customerId && !filter.locationId);
    const ordered = inTimeOrder
      ? byId(matches, (workOrder) => `${workOrder.scheduledStart ?? ''}#${workOrder.workOrderId}`)
      : byId(matches, (workOrder) => `${workOrder.createdAt}#${workOrder.workOrderId}`).reverse();
    return pageOf(ordered, page);
  }

  /** As the technician index reads them: starts in [`from` − `maxVisitHours`, `to`), in time order, not cancelled. */
  async visitsOf(tenantId: string, technicianId: string, from: string, to: string): Promise<WorkOrder[]> {
    const lower = Date.parse(from) - maxVisitHours * 3_600_000;
    const upper = Date.parse(to);
    const visits = [...this.workOrders.values()].filter((workOrder) => {
      if (workOrder.tenantId !== tenantId || workOrder.technicianId !== technicianId) return false;
      if (workOrder.status === 'cancelled' || workOrder.scheduledStart === undefined) return false;
      const start = Date.parse(workOrder.scheduledStart);
      return start >= lower && start < upper;
    });
    return byId(visits, (workOrder) => `${workOrder.scheduledStart ?? ''}#${workOrder.workOrderId}`).map(
      (workOrder) => structuredClone(workOrder),
    );
  }

  private hasEvent(event: AuditEvent): boolean {
    return this.events.some((item) => sameWorkOrder(item, event) && item.eventId === event.eventId);
  }
}

const keyOf = (tenantId: string, workOrderId: string) => `${tenantId}#${workOrderId}`;

const invoiceKeyOf = (invoice: Pick<Invoice, 'tenantId' | 'workOrderId' | 'invoiceId'>) =>
  `${invoice.tenantId}#${invoice.workOrderId}#${invoice.invoiceId}`;

const paymentKeyOf = (payment: Payment) => `${payment.tenantId}#${payment.workOrderId}#${payment.paymentId}`;

const sameWorkOrder = (
  one: { tenantId: string; workOrderId: string },
  other: { tenantId: string; workOrderId: string },
) => one.tenantId === other.tenantId && one.workOrderId === other.workOrderId;

const copy = <T>(value: T | undefined): T | undefined =>
  value === undefined ? undefined : structuredClone(value);

/** Sorted by key as the table sorts strings: by code unit, not by locale. */
const byId = <T>(items: T[], sortKey: (item: T) => string): T[] =>
  [...items].sort((one, other) => {
    const [a, b] = [sortKey(one), sortKey(other)];
    return a < b ? -1 : a > b ? 1 : 0;
  });

/** Pages through `items`; the cursor is opaque to callers and refused if it is not one of ours. */
function pageOf<T>(items: T[], page: { limit: number; cursor?: string }): Page<T> {
  const offset = page.cursor === undefined ? 0 : offsetOf(page.cursor);
  const slice = items.slice(offset, offset + page.limit).map((item) => structuredClone(item));
  const next = offset + page.limit;
  return { items: slice, ...(next < items.length ? { nextCursor: cursorOf(next) } : {}) };
}

const cursorOf = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString('base64url');

function offsetOf(cursor: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { offset: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset > 0) return offset;
  } catch {
    // Not JSON: refused below like any other foreign cursor.
  }
  throw new ValidationError([{ field: 'query.cursor', message: 'not a cursor of this list' }]);
}
