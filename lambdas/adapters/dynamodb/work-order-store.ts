import type { Customer, ServiceLocation, Tenant } from '../../domain/customers/customer.ts';
import type { LaborEntry, PartUsage, WorkOrderNote } from '../../domain/execution/field-records.ts';
import type { Invoice } from '../../domain/invoicing/invoice.ts';
import { LocalCalendar } from '../../domain/scheduling/local-time.ts';
import type { WorkingHours } from '../../domain/scheduling/technicians.ts';
import { bookingChange, maxVisitHours, TechnicianBookedError } from '../../domain/scheduling/time-slices.ts';
import type { AuditEvent, WorkOrder } from '../../domain/work-orders/work-order.ts';
import type {
  DirectoryStore,
  NewWorkOrderRecord,
  Page,
  PartUsageRecord,
  ServiceTypeDetails,
  TechnicianDetails,
  WaitOutcome,
  WorkOrderChange,
  WorkOrderFilter,
  WorkOrderStore,
} from '../../ports/work-order-store.ts';
import { ConflictError, ValidationError } from '../../shared/errors.ts';
import { isConditionalCheckFailure } from './conditional-check.ts';
import { all, type Condition, sameAs, statusIn } from './conditions.ts';
import type { Entities } from './entities.ts';
import { stockChangeWrites } from './inventory-store.ts';
import { pagedQuery } from './paging.ts';
import {
  indexKeys,
  type KeysPage,
  optionalKeyAttributes,
  toWorkOrder,
  unsetKey,
  workOrderPage,
  workOrdersOfKeys,
} from './work-order-index-reads.ts';

/** A work order as stored: the index key attributes it lacks marked unset, so it is in every index. */
function toItem(workOrder: WorkOrder): WorkOrder {
  const item = { ...workOrder };
  for (const name of optionalKeyAttributes) item[name] ??= unsetKey;
  return item;
}

/** A completed work order's entry on the completion index. */
const completionOf = (workOrder: WorkOrder, completedAt: string) => ({
  tenantId: workOrder.tenantId,
  workOrderId: workOrder.workOrderId,
  completedAt,
  customerId: workOrder.customerId,
  ...(workOrder.serviceTypeId ? { serviceTypeId: workOrder.serviceTypeId } : {}),
  ...(workOrder.technicianId ? { technicianId: workOrder.technicianId } : {}),
});

/** Work orders and everything recorded on them, in one item collection of the single table. */
export class DynamoWorkOrderStore implements WorkOrderStore {
  constructor(private readonly entities: Entities) {}

  async create({ workOrder, event, customer, location }: NewWorkOrderRecord): Promise<void> {
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.workOrder.create(toItem(workOrder)).commit(),
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
    whileScheduleConfirmed?: boolean;
  }): Promise<WaitOutcome> {
    const { tenantId, workOrderId } = input;
    let condition = statusIn(input.whileStatusIn);
    if (input.whileScheduleConfirmed) {
      // The condition pins the booking read here; a booking changed since makes the write fail.
      const current = await this.get(tenantId, workOrderId);
      if (!current || current.scheduledStart !== current.confirmedStart)
        return { stored: false, workOrder: current };
      condition = all(
        condition,
        sameAs('scheduledStart', current.scheduledStart ?? unsetKey),
        sameAs('confirmedStart', current.confirmedStart),
      );
    }
    try {
      const { data } = await this.entities.workOrder
        .patch({ tenantId, workOrderId })
        .set({
          workflowState: input.state,
          workflowStateSince: input.at,
          taskToken: input.taskToken,
          waitingWhile: input.whileStatusIn,
        })
        .where(condition as never)
        .go({ response: 'all_new' });
      return { stored: true, workOrder: toWorkOrder(data) };
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      return { stored: false, workOrder: await this.get(tenantId, workOrderId) };
    }
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
    // Besides the version, the token and the counters are changed without a version bump
    // (by the waiting state and by notes, labor and parts): the new item may only replace the one read.
    const unchanged = all(
      sameAs('version', before.version),
      sameAs('taskToken', before.taskToken),
      sameAs('noteCount', before.noteCount),
      sameAs('laborMinutes', before.laborMinutes),
      sameAs('runningTimers', before.runningTimers),
      sameAs('partCount', before.partCount),
      sameAs('partsCost', before.partsCost),
      sameAs('partsPrice', before.partsPrice),
    );
    // The technician's time moves with the work order in the same transaction: a quarter hour
    // already held by another work order cancels the whole change (no double booking).
    const { claim, release } = bookingChange(before, after);
    const slice = (start: string, technicianId: string) => ({
      tenantId: after.tenantId,
      technicianId,
      sliceStart: start,
    });
    const heldByThis: Condition = ({ workOrderId }, { eq, notExists }) =>
      `${(notExists as (a: unknown) => string)(workOrderId)} OR ${(eq as (a: unknown, v: unknown) => string)(workOrderId, after.workOrderId)}`;
    const result = await this.entities.service.transaction
      .write((entity) => [
        ...claim.map((wanted) =>
          entity.technicianTimeSlice
            .create({ ...slice(wanted.start, wanted.technicianId), workOrderId: after.workOrderId })
            .commit(),
        ),
        entity.workOrder
          .put(toItem(after))
          .where(unchanged as never)
          .commit(),
        entity.workOrderEvent.create(event).commit(),
        ...(invoice
          ? [
              invoice.before
                ? entity.invoice
                    .put(invoice.after)
                    .where(sameAs('version', invoice.before.version) as never)
                    .commit()
                : entity.invoice.create(invoice.after).commit(),
            ]
          : []),
        ...(replacementInvoice ? [entity.invoice.create(replacementInvoice).commit()] : []),
        ...(payment ? [entity.payment.create(payment).commit()] : []),
        // A put, not a create: the same completion written again leaves one sample.
        ...(jobDuration ? [entity.jobDuration.put(jobDuration).commit()] : []),
        // The completion's entry on the tenant's completion index (job-costing reports), put the same way.
        ...(after.completedAt && after.completedAt !== before.completedAt
          ? [entity.workOrderCompletion.put(completionOf(after, after.completedAt)).commit()]
          : []),
        ...release.map((held) =>
          entity.technicianTimeSlice
            .delete(slice(held.start, held.technicianId))
            .where(heldByThis as never)
            .commit(),
        ),
      ])
      .go();
    const outcomes = result.data as unknown as { code?: string }[];
    const slotTaken = outcomes.slice(0, claim.length).find((item) => item.code === 'ConditionalCheckFailed');
    if (result.canceled && slotTaken) throw new TechnicianBookedError(claim[0]?.technicianId ?? '');
    return !result.canceled;
  }

  async addNote(
    note: WorkOrderNote,
    event: AuditEvent,
    whileStatusIn: WorkOrder['status'][],
  ): Promise<boolean> {
    const key = { tenantId: note.tenantId, workOrderId: note.workOrderId };
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.workOrderNote.create(note).commit(),
        entity.workOrder
          .patch(key)
          .add({ noteCount: 1 })
          .where(statusIn(whileStatusIn) as never)
          .commit(),
        entity.workOrderEvent.create(event).commit(),
      ])
      .go();
    return !result.canceled;
  }

  async addLabor(
    entry: LaborEntry,
    event: AuditEvent,
    whileStatusIn: WorkOrder['status'][],
  ): Promise<boolean> {
    const key = { tenantId: entry.tenantId, workOrderId: entry.workOrderId };
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.laborEntry.create(entry).commit(),
        entity.workOrder
          .patch(key)
          .add({ laborMinutes: entry.minutes })
          .where(statusIn(whileStatusIn) as never)
          .commit(),
        entity.workOrderEvent.create(event).commit(),
      ])
      .go();
    return !result.canceled;
  }

  async addPartUsage(
    { usage, event, counters, corrected, stock }: PartUsageRecord,
    whileStatusIn: WorkOrder['status'][],
  ): Promise<boolean> {
    const key = { tenantId: usage.tenantId, workOrderId: usage.workOrderId };
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.partUsage.create(usage).commit(),
        entity.workOrder
          .patch(key)
          .add({
            partCount: counters.partCount,
            partsCost: counters.partsCost,
            partsPrice: counters.partsPrice,
          })
          .where(statusIn(whileStatusIn) as never)
          .commit(),
        entity.workOrderEvent.create(event).commit(),
        // Two corrections at once cannot both take back the same quantity: each moves the
        // corrected usage's tally only from the value it read.
        ...(corrected
          ? [
              entity.partUsage
                .patch({ ...key, usageId: corrected.usageId })
                .set({ correctedQuantity: corrected.correctedQuantityAfter })
                .where(sameAs('correctedQuantity', corrected.correctedQuantityBefore) as never)
                .commit(),
            ]
          : []),
        // The part leaves its location's stock (or goes back to it) with the usage, all or nothing.
        ...(stock ? stockChangeWrites(entity, stock, usage.at) : []),
      ])
      .go();
    return !result.canceled;
  }

  async recordWorkflowState(tenantId: string, workOrderId: string, state: string, at: string): Promise<void> {
    await this.entities.workOrder
      .patch({ tenantId, workOrderId })
      .set({ workflowState: state, workflowStateSince: at })
      .remove(['taskToken', 'waitingWhile'])
      .go();
  }

  async appendEvent(event: AuditEvent): Promise<void> {
    await this.entities.workOrderEvent.create(event).go();
  }

  async timeline(
    tenantId: string,
    workOrderId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<AuditEvent>> {
    const result = await pagedQuery(page, (options) =>
      this.entities.workOrderEvent.query.byWorkOrder({ tenantId, workOrderId }).go(options),
    );
    return result as Page<AuditEvent>;
  }

  async notes(tenantId: string, workOrderId: string): Promise<WorkOrderNote[]> {
    const { data } = await this.entities.workOrderNote.query
      .byWorkOrder({ tenantId, workOrderId })
      .go({ pages: 'all' });
    return data;
  }

  async laborEntries(tenantId: string, workOrderId: string): Promise<LaborEntry[]> {
    const { data } = await this.entities.laborEntry.query
      .byWorkOrder({ tenantId, workOrderId })
      .go({ pages: 'all' });
    return data;
  }

  async partsUsed(tenantId: string, workOrderId: string): Promise<PartUsage[]> {
    const { data } = await this.entities.partUsage.query
      .byWorkOrder({ tenantId, workOrderId })
      .go({ pages: 'all' });
    return data as PartUsage[];
  }

  async getInvoice(tenantId: string, workOrderId: string, invoiceId: string): Promise<Invoice | undefined> {
    const { data } = await this.entities.invoice
      .get({ tenantId, workOrderId, invoiceId })
      .go({ consistent: true });
    return (data as Invoice | null) ?? undefined;
  }

  async createInvoice(invoice: Invoice, event: AuditEvent): Promise<boolean> {
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.invoice.create(invoice).commit(),
        entity.workOrderEvent.create(event).commit(),
      ])
      .go();
    return !result.canceled;
  }

  async updateInvoice(invoice: Invoice, expectedVersion: number): Promise<boolean> {
    try {
      await this.entities.invoice
        .put(invoice)
        .where(sameAs('version', expectedVersion) as never)
        .go();
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  /**
   * One page through the index that fits the most selective filter (technician, customer,
   * location, day, status): a Query for keys, then the items from the table, the other filters
   * applied to them (`workOrderPage`). Newest first, except for a technician's work orders and a
   * day, which read in time order. A technician's days are a key range on the start instant (the
   * tenant's local days), so listing one day reads that day whatever history the technician has.
   */
  async list(filter: WorkOrderFilter, page: { limit: number; cursor?: string }): Promise<Page<WorkOrder>> {
    const { tenantId } = filter;
    const query = this.entities.workOrder.query;
    type Options = { limit: number; cursor: string | null };
    let run: (options: Options) => Promise<KeysPage>;
    if (filter.technicianId) {
      const technicianId = filter.technicianId;
      const starts = await this.startsWithinDays(tenantId, filter.from, filter.to);
      // DynamoDB refuses a BETWEEN whose bounds are reversed; such a range holds nothing anyway.
      if (starts && starts.lower >= starts.upper) return { items: [] };
      const ofTechnician = () => query.byTechnician({ tenantId, technicianId });
      run = (options) =>
        (starts
          ? ofTechnician().between({ scheduledStart: starts.lower }, { scheduledStart: starts.upper })
          : ofTechnician()
        ).go({ ...options, ...indexKeys, order: 'asc' });
    } else if (filter.customerId) {
      const customerId = filter.customerId;
      run = (options) =>
        query.byCustomer({ tenantId, customerId }).go({ ...options, ...indexKeys, order: 'desc' });
    } else if (filter.locationId) {
      const locationId = filter.locationId;
      run = (options) =>
        query.byLocation({ tenantId, locationId }).go({ ...options, ...indexKeys, order: 'desc' });
    } else if (filter.from && filter.from === filter.to) {
      const scheduledDate = filter.from;
      run = (options) =>
        query.byDay({ tenantId, scheduledDate }).go({ ...options, ...indexKeys, order: 'asc' });
    } else if (filter.status) {
      const status = filter.status;
      run = (options) => query.byStatus({ tenantId, status }).go({ ...options, ...indexKeys, order: 'desc' });
    } else {
      throw new ValidationError([
        {
          field: 'query',
          message: 'give one of status, customerId, locationId, technicianId, or a single day (from = to)',
        },
      ]);
    }
    return pagedQuery(page, (options) =>
      workOrderPage(this.entities, options, run, (workOrder) => matchesFilter(workOrder, filter)),
    );
  }

  /**
   * The technician index's key range for local days `from` to `to` (inclusive, either open),
   * none without days: from the first instant of `from` in the tenant's time zone to the first
   * instant after `to`. The upper key names only the start, so a work order starting exactly
   * then sorts above it. Unscheduled work orders (start `-`) sort below every instant and stay out.
   */
  private async startsWithinDays(
    tenantId: string,
    from: string | undefined,
    to: string | undefined,
  ): Promise<{ lower: string; upper: string } | undefined> {
    if (from === undefined && to === undefined) return undefined;
    const { data: tenant } = await this.entities.tenant.get({ tenantId }).go();
    const calendar = new LocalCalendar(tenant?.timeZone ?? 'UTC');
    const iso = (instant: number) => new Date(instant).toISOString();
    return {
      lower: from === undefined ? earliestInstant : iso(calendar.dayBounds(from).start),
      upper: to === undefined ? latestInstant : iso(calendar.dayBounds(to).end),
    };
  }

  /**
   * One Query on the technician index with a key-condition range on the start (not a filter):
   * a visit lasts at most `maxVisitHours`, so starting the range that much before `from` also
   * reads the visits still running at `from`. Unscheduled work orders (start `-`) sort below
   * every instant and stay out. The upper key names only the start, so a visit starting exactly
   * at `to` sorts above it: the range is half-open. The items come from the table in one
   * BatchGetItem; cancelled ones are left out there (the index holds keys only).
   */
  async visitsOf(tenantId: string, technicianId: string, from: string, to: string): Promise<WorkOrder[]> {
    const lower = new Date(Date.parse(from) - maxVisitHours * 3_600_000).toISOString();
    const upper = new Date(to).toISOString();
    // DynamoDB refuses a BETWEEN whose bounds are reversed; such a range holds nothing anyway.
    if (lower >= upper) return [];
    const { data } = await this.entities.workOrder.query
      .byTechnician({ tenantId, technicianId })
      .between({ scheduledStart: lower }, { scheduledStart: upper })
      .go({ ...indexKeys, order: 'asc', pages: maxVisitPages });
    const visits = await workOrdersOfKeys(this.entities, data);
    return visits.filter(
      (visit) =>
        visit.status !== 'cancelled' &&
        visit.technicianId === technicianId &&
        visit.scheduledStart !== undefined &&
        visit.scheduledStart >= lower &&
        visit.scheduledStart < upper,
    );
  }
}

/** Bounds of the technician index's start keys below and above every instant a visit can have. */
const earliestInstant = '0000-01-01T00:00:00.000Z';
const latestInstant = '9999-12-31T23:59:59.999Z';

/**
 * Whether a work order read from the table matches the whole list filter: the filters its index
 * could not apply, and the index's own keys again (it may have moved in the index since).
 */
function matchesFilter(workOrder: WorkOrder, filter: WorkOrderFilter): boolean {
  const { status, customerId, locationId, technicianId, from, to } = filter;
  if (status !== undefined && workOrder.status !== status) return false;
  if (customerId !== undefined && workOrder.customerId !== customerId) return false;
  if (locationId !== undefined && workOrder.locationId !== locationId) return false;
  if (technicianId !== undefined && workOrder.technicianId !== technicianId) return false;
  if (from === undefined && to === undefined) return true;
  const day = workOrder.scheduledDate;
  return day !== undefined && (from === undefined || day >= from) && (to === undefined || day <= to);
}

/**
 * Index pages read for one technician's visits in a range: each is up to 1 MB of keys, far
 * more than the visits a technician can hold in a day and a half (their quarter hours are unique).
 */
const maxVisitPages = 10;

/** Tenants, customers, locations, service types and technicians: the records a work order refers to. */
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

  async getLocations(tenantId: string, locationIds: string[]): Promise<ServiceLocation[]> {
    const distinct = [...new Set(locationIds)];
    const found: ServiceLocation[] = [];
    // BatchGetItem takes 100 keys a call; ElectroDB retries what DynamoDB leaves unprocessed.
    for (let index = 0; index < distinct.length; index += 100) {
      const keys = distinct.slice(index, index + 100).map((locationId) => ({ tenantId, locationId }));
      const { data, unprocessed } = await this.entities.location.get(keys).go({ unprocessed: 'item' });
      if (unprocessed.length > 0) throw new Error(`${unprocessed.length} locations were not read; retry`);
      found.push(...(data as ServiceLocation[]));
    }
    return found;
  }

  async getServiceType(tenantId: string, serviceTypeId: string): Promise<ServiceTypeDetails | undefined> {
    const { data } = await this.entities.serviceType.get({ tenantId, serviceTypeId }).go();
    if (!data) return undefined;
    return {
      serviceTypeId: data.serviceTypeId,
      name: data.name,
      estimatedMinutes: data.estimatedMinutes,
      requiredSkills: [...(data.requiredSkills ?? [])],
      ...(data.laborRatePerHour !== undefined ? { laborRatePerHour: data.laborRatePerHour } : {}),
      ...(data.tripCharge !== undefined ? { tripCharge: data.tripCharge } : {}),
    };
  }

  async getTechnician(tenantId: string, technicianId: string): Promise<TechnicianDetails | undefined> {
    const { data } = await this.entities.technician.get({ tenantId, technicianId }).go();
    if (!data) return undefined;
    return {
      technicianId: data.technicianId,
      name: data.name,
      skills: [...(data.skills ?? [])],
      ...(data.phone ? { phone: data.phone } : {}),
      ...(data.email ? { email: data.email } : {}),
      workingHours: (data.workingHours ?? {}) as WorkingHours,
      timeOff: [...(data.timeOff ?? [])],
      ...(data.homeBase ? { homeBase: data.homeBase } : {}),
      active: data.active ?? true,
    };
  }
}
