import type { JobDuration } from '../domain/catalog/job-duration.ts';
import type { Customer, ServiceLocation, Tenant } from '../domain/customers/customer.ts';
import type { LaborEntry, PartUsage, WorkOrderNote } from '../domain/execution/field-records.ts';
import type { PartsTally } from '../domain/execution/parts-tally.ts';
import type { StockChange } from '../domain/inventory/stock.ts';
import type { Invoice, Payment } from '../domain/invoicing/invoice.ts';
import type { TimeOff, WorkingHours } from '../domain/scheduling/technicians.ts';
import type { AuditEvent, WorkOrder, WorkOrderStatus } from '../domain/work-orders/work-order.ts';
import type { Coordinates } from './travel-times.ts';

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

/** A change of a work order: the new version replaces the old one only if nothing changed meanwhile. */
export interface WorkOrderChange {
  before: WorkOrder;
  after: WorkOrder;
  event: AuditEvent;
  /** The invoice written in the same transaction (approval, payment), conditional on its version. */
  invoice?: { before?: Invoice; after: Invoice };
  /** A new draft replacing the voided `invoice`, written in the same transaction only if it does not exist. */
  replacementInvoice?: Invoice;
  payment?: Payment;
  /** The completed job's duration sample, written with the completion (keyed by the work order). */
  jobDuration?: JobDuration;
}

/** A part usage, or a correction of one, with what it moves. */
export interface PartUsageRecord {
  usage: PartUsage;
  event: AuditEvent;
  /** What the work order's parts counters (`partCount`, `partsCost`, `partsPrice`) move by. */
  counters: PartsTally;
  /** On a correction: the corrected usage's `correctedQuantity` as read, and as it becomes. */
  corrected?: { usageId: string; correctedQuantityBefore?: number; correctedQuantityAfter: number };
  /** Where stock is kept: the part leaving (or, on a correction, going back to) its location. */
  stock?: StockChange;
}

export interface WorkOrderFilter {
  tenantId: string;
  status?: WorkOrderStatus;
  customerId?: string;
  locationId?: string;
  technicianId?: string;
  /** Local days `YYYY-MM-DD`, inclusive. */
  from?: string;
  to?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface WorkOrderStore {
  /** Writes the work order, its first audit event and any new customer or location, all or nothing. */
  create(record: NewWorkOrderRecord): Promise<void>;
  get(tenantId: string, workOrderId: string): Promise<WorkOrder | undefined>;
  /**
   * Stores the waiting state, its token and the statuses it waits through, only while the
   * status is one of them.
   */
  recordWait(input: {
    tenantId: string;
    workOrderId: string;
    state: string;
    taskToken: string;
    at: string;
    whileStatusIn: WorkOrderStatus[];
    /** Also only while the booking is the one the customer was told of. */
    whileScheduleConfirmed?: boolean;
  }): Promise<WaitOutcome>;
  /**
   * Applies a change with its audit event (and invoice or payment) as one transaction,
   * conditional on the version and task token read in `before`; false if either changed.
   */
  apply(change: WorkOrderChange): Promise<boolean>;
  /** Adds a note and counts it on the work order, while its status is one of `whileStatusIn`. */
  addNote(note: WorkOrderNote, event: AuditEvent, whileStatusIn: WorkOrderStatus[]): Promise<boolean>;
  /** Adds a labor entry and its minutes to the work order, while its status is one of `whileStatusIn`. */
  addLabor(entry: LaborEntry, event: AuditEvent, whileStatusIn: WorkOrderStatus[]): Promise<boolean>;
  /**
   * Adds a part usage with its audit event and moves the work order's parts counters, while
   * its status is one of `whileStatusIn`; a correction also moves the corrected usage's
   * `correctedQuantity`, only from the value read; with `stock`, the stock moves in the same
   * transaction. False if a condition failed (nothing written).
   */
  addPartUsage(record: PartUsageRecord, whileStatusIn: WorkOrderStatus[]): Promise<boolean>;
  /** Records the state an execution has reached outside a waiting state (its end). */
  recordWorkflowState(tenantId: string, workOrderId: string, state: string, at: string): Promise<void>;
  /** Records an event that changes no field (a message sent, a step done). */
  appendEvent(event: AuditEvent): Promise<void>;
  timeline(
    tenantId: string,
    workOrderId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<AuditEvent>>;
  notes(tenantId: string, workOrderId: string): Promise<WorkOrderNote[]>;
  laborEntries(tenantId: string, workOrderId: string): Promise<LaborEntry[]>;
  /** The parts used on the work order, in the order they were recorded. */
  partsUsed(tenantId: string, workOrderId: string): Promise<PartUsage[]>;
  getInvoice(tenantId: string, workOrderId: string, invoiceId: string): Promise<Invoice | undefined>;
  /** Writes the invoice unless it exists; false if it did. */
  createInvoice(invoice: Invoice, event: AuditEvent): Promise<boolean>;
  /** Writes the invoice if its version is still `expectedVersion`. */
  updateInvoice(invoice: Invoice, expectedVersion: number): Promise<boolean>;
  list(filter: WorkOrderFilter, page: { limit: number; cursor?: string }): Promise<Page<WorkOrder>>;
  /**
   * The technician's visits starting in [`from` − `maxVisitHours`, `to`) (ISO 8601 UTC instants),
   * so those begun before `from` and still running are among them; in time order, cancelled ones
   * left out.
   */
  visitsOf(tenantId: string, technicianId: string, from: string, to: string): Promise<WorkOrder[]>;
}

export interface ServiceTypeDetails {
  serviceTypeId: string;
  name: string;
  estimatedMinutes: number;
  requiredSkills: string[];
  laborRatePerHour?: number;
  tripCharge?: number;
}

export interface TechnicianDetails {
  technicianId: string;
  name: string;
  skills: string[];
  phone?: string;
  email?: string;
  /** What a booking is checked against; absent working hours mean none are worked. */
  workingHours?: WorkingHours;
  timeOff?: TimeOff[];
  homeBase?: Coordinates;
  active?: boolean;
}

export interface DirectoryStore {
  getTenant(tenantId: string): Promise<Tenant | undefined>;
  getCustomer(tenantId: string, customerId: string): Promise<Customer | undefined>;
  getLocation(tenantId: string, locationId: string): Promise<ServiceLocation | undefined>;
  /** The locations found among the ids (BatchGetItem); unknown ids are left out. */
  getLocations(tenantId: string, locationIds: string[]): Promise<ServiceLocation[]>;
  getServiceType(tenantId: string, serviceTypeId: string): Promise<ServiceTypeDetails | undefined>;
  getTechnician(tenantId: string, technicianId: string): Promise<TechnicianDetails | undefined>;
}
