import type { Clock } from '../../ports/clock.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { InvoiceStore } from '../../ports/invoice-store.ts';
import type { DirectoryStore, Page, WorkOrderStore } from '../../ports/work-order-store.ts';
import type { Workflow } from '../../ports/workflow.ts';
import { workOrderInvoiceVoided } from '../../schemas/events/work-order-invoice-voided.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
} from '../../shared/errors.ts';
import type { Tenant } from '../customers/customer.ts';
import { addLocalDays, LocalCalendar } from '../scheduling/local-time.ts';
import type { Actor } from '../shared/actor.ts';
import { isOffice } from '../work-orders/lifecycle.ts';
import { auditEvent, type WorkOrder, type WorkOrderStatus } from '../work-orders/work-order.ts';
import { invoiceVoidedError } from '../work-orders/workflow-errors.ts';
import { type Invoice, type InvoiceDiscount, type InvoiceStatus, isOverdue } from './invoice.ts';
import { priceWorkOrder, type WorkOrderPricingDependencies } from './price-work-order.ts';
import { basisPointsPerWhole, discountableAmount, type PricedLine, settleInvoice } from './pricing.ts';

export interface InvoiceDependencies extends WorkOrderPricingDependencies {
  invoices: InvoiceStore;
  workOrders: Pick<WorkOrderStore, 'get' | 'apply' | 'laborEntries' | 'partsUsed'>;
  directory: Pick<DirectoryStore, 'getTenant'>;
  workflow: Workflow;
  events: EventPublisher;
  clock: Clock;
  ids: IdGenerator;
  /** Told of side effects that failed after the change was saved. */
  reportFailure: (message: string, error: unknown) => void;
}

/** An invoice as the office reads it: with what is still owed and whether it is overdue today. */
export interface InvoiceReading {
  invoice: Invoice;
  balance: number;
  /** Unpaid past its due date, by the tenant's local day: computed on every read, never stored. */
  isOverdue: boolean;
}

/** Who voids, why, and what the work order goes back to. */
export interface VoidOutcome {
  voided: InvoiceReading;
  replacement: InvoiceReading;
}

/** The statuses an invoice may be voided from: nothing has been paid on it. */
const voidableStatuses: readonly InvoiceStatus[] = ['draft', 'approved', 'sent'];
/** Work orders whose invoice may be voided: awaiting approval or payment. */
const billingStatuses: readonly WorkOrderStatus[] = ['completed', 'invoiced'];
const maxAttempts = 5;

function requireOffice(actor: Actor) {
  if (!isOffice(actor)) throw new ForbiddenError('Invoices are for the office');
}

async function tenantOf(dependencies: Pick<InvoiceDependencies, 'directory'>, actor: Actor): Promise<Tenant> {
  const tenant = await dependencies.directory.getTenant(actor.tenantId);
  if (!tenant) throw new ForbiddenError('This tenant is not provisioned');
  return tenant;
}

const today = (clock: Clock, tenant: Pick<Tenant, 'timeZone'>) =>
  new LocalCalendar(tenant.timeZone).dayOf(clock.now());

/** The invoice with its balance and standing on the tenant's local day. */
export const readingOf = (invoice: Invoice, localToday: string): InvoiceReading => ({
  invoice,
  balance: invoice.total - invoice.amountPaid,
  isOverdue: isOverdue(invoice, localToday),
});

async function findInvoice(
  dependencies: Pick<InvoiceDependencies, 'invoices'>,
  actor: Actor,
  invoiceId: string,
) {
  const invoice = await dependencies.invoices.find(actor.tenantId, invoiceId);
  if (!invoice) throw new NotFoundError('Invoice', invoiceId);
  return invoice;
}

function checkVersion(invoice: Invoice, expectedVersion: number | undefined) {
  if (expectedVersion !== undefined && expectedVersion !== invoice.version) {
    throw new ConflictError(`Invoice ${invoice.invoiceId} is at version ${invoice.version}`, {
      version: invoice.version,
    });
  }
}

function requireDraft(invoice: Invoice, change: string) {
  if (invoice.status !== 'draft') {
    throw new ConflictError(`Only a draft invoice can be ${change}; this one is ${invoice.status}`, {
      currentStatus: invoice.status,
    });
  }
}

async function workOrderOf(dependencies: Pick<InvoiceDependencies, 'workOrders'>, invoice: Invoice) {
  const workOrder = await dependencies.workOrders.get(invoice.tenantId, invoice.workOrderId);
  if (!workOrder) throw new NotFoundError('Work order', invoice.workOrderId);
  return workOrder;
}

/** What the audit trail keeps of an invoice's change: its money, discount and notes, before and after. */
const invoiceSnapshot = (invoice: Invoice) => ({
  invoiceId: invoice.invoiceId,
  status: invoice.status,
  subtotal: invoice.subtotal,
  tax: invoice.tax,
  total: invoice.total,
  ...(invoice.discount ? { discount: invoice.discount } : {}),
  ...(invoice.notes ? { notes: invoice.notes } : {}),
});

function invoiceEvent(
  dependencies: Pick<InvoiceDependencies, 'ids'>,
  actor: Actor,
  action: string,
  workOrder: WorkOrder,
  at: string,
  change: { before: Invoice; after: Invoice },
) {
  const event = auditEvent({
    eventId: dependencies.ids.next('evt'),
    action,
    actor,
    at,
    before: workOrder,
    after: workOrder,
  });
  event.changes.invoice = { before: invoiceSnapshot(change.before), after: invoiceSnapshot(change.after) };
  return event;
}

/** The charges of an invoice as priced: every line but its discounts. */
const chargesOf = (invoice: Invoice): PricedLine[] =>
  invoice.lines
    .filter((line) => line.kind !== 'discount')
    .map((line) => ({ ...line, kind: line.kind ?? 'labor', taxable: line.taxable ?? false }));

function discountProblems(discount: InvoiceDiscount, charges: PricedLine[], invoice: Invoice) {
  if (discount.type === 'percent') {
    if (
      !(
        Number.isSafeInteger(discount.basisPoints) &&
        discount.basisPoints > 0 &&
        discount.basisPoints <= basisPointsPerWhole
      )
    ) {
      throw new ValidationError([
        {
          field: 'body.discount.basisPoints',
          message: 'must be a whole number of basis points from 1 to 10000',
        },
      ]);
    }
    return;
  }
  const most = discountableAmount(charges, invoice.agreement);
  if (discount.amount > most) {
    throw new UnprocessableError(`The discount exceeds what the invoice charges, ${most}`, {
      errors: [{ field: 'body.discount.amount', message: `at most ${most}, what the invoice charges` }],
    });
  }
}

/** One invoice of the tenant (404 for another tenant's), for the office. */
export async function getInvoice(
  dependencies: Pick<InvoiceDependencies, 'invoices' | 'directory' | 'clock'>,
  actor: Actor,
  invoiceId: string,
): Promise<InvoiceReading> {
  requireOffice(actor);
  const [invoice, tenant] = await Promise.all([
    findInvoice(dependencies, actor, invoiceId),
    tenantOf(dependencies, actor),
  ]);
  return readingOf(invoice, today(dependencies.clock, tenant));
}

/** The tenant's invoices of a status, soonest due first, due before a local day if given: one Query. */
export async function listInvoices(
  dependencies: Pick<InvoiceDependencies, 'invoices' | 'directory' | 'clock'>,
  actor: Actor,
  filter: { status: InvoiceStatus; dueBefore?: string },
  page: { limit: number; cursor?: string },
): Promise<Page<InvoiceReading>> {
  requireOffice(actor);
  const [found, tenant] = await Promise.all([
    dependencies.invoices.list(actor.tenantId, filter, page),
    tenantOf(dependencies, actor),
  ]);
  const localToday = today(dependencies.clock, tenant);
  return { ...found, items: found.items.map((invoice) => readingOf(invoice, localToday)) };
}

export interface DraftChanges {
  /** `null` removes the discount. */
  discount?: InvoiceDiscount | null;
  /** `null` removes the notes. */
  notes?: string | null;
}

/**
 * Changes a draft: its discount and its notes. Lines are never typed in: the totals are
 * settled again over the draft's charges (`settleInvoice`), the member discount and tax as
 * before.
 * 1. Reads the invoice (404), checks the version read (409) and that it is a draft (409).
 * 2. Refuses a percentage outside 1–10 000 basis points (400) or an amount above what the
 *    invoice charges (422), naming the field.
 * 3. Writes it on the version read, with its audit event on the work order's timeline.
 */
export async function updateDraftInvoice(
  dependencies: Pick<InvoiceDependencies, 'invoices' | 'workOrders' | 'directory' | 'clock' | 'ids'>,
  actor: Actor,
  invoiceId: string,
  changes: DraftChanges,
  expectedVersion?: number,
): Promise<InvoiceReading> {
  requireOffice(actor);
  const before = await findInvoice(dependencies, actor, invoiceId);
  checkVersion(before, expectedVersion);
  requireDraft(before, 'changed');
  const charges = chargesOf(before);
  if (changes.discount) discountProblems(changes.discount, charges, before);
  const discount = changes.discount === undefined ? before.discount : (changes.discount ?? undefined);
  const notes = changes.notes === undefined ? before.notes : (changes.notes ?? undefined);
  const settled = settleInvoice(charges, {
    ...(before.agreement ? { agreement: before.agreement } : {}),
    ...(discount ? { discount } : {}),
    taxRatePerMillion: before.taxRatePerMillion ?? 0,
  });
  const at = dependencies.clock.now().toISOString();
  const { discount: _discount, notes: _notes, ...rest } = before;
  const after: Invoice = {
    ...rest,
    ...settled,
    ...(discount ? { discount } : {}),
    ...(notes ? { notes } : {}),
    version: before.version + 1,
    updatedAt: at,
  };
  const [workOrder, tenant] = await Promise.all([
    workOrderOf(dependencies, before),
    tenantOf(dependencies, actor),
  ]);
  const event = invoiceEvent(dependencies, actor, 'invoice_updated', workOrder, at, { before, after });
  if (!(await dependencies.invoices.update(after, before.version, event))) {
    throw new ConflictError(`Invoice ${invoiceId} was changed meanwhile; read it again`);
  }
  return readingOf(after, today(dependencies.clock, tenant));
}

/**
 * Prices a draft again from the work recorded and the rules as they are now (a rate, a level,
 * a part or the agreement changed since it was generated); its discount and notes stay.
 * 1. Reads the invoice (404), checks the version (409) and that it is a draft (409).
 * 2. Reads its work order and prices it (`priceWorkOrder`); an amount discount is kept at most
 *    what the invoice now charges.
 * 3. Writes it on the version read, with its audit event.
 */
export async function recalculateInvoice(
  dependencies: InvoiceDependencies,
  actor: Actor,
  invoiceId: string,
  expectedVersion?: number,
): Promise<InvoiceReading> {
  requireOffice(actor);
  const before = await findInvoice(dependencies, actor, invoiceId);
  checkVersion(before, expectedVersion);
  requireDraft(before, 'recalculated');
  const [workOrder, tenant] = await Promise.all([
    workOrderOf(dependencies, before),
    tenantOf(dependencies, actor),
  ]);
  const now = dependencies.clock.now();
  const priced = await priceWorkOrder(dependencies, workOrder, tenant, {
    ...(before.discount ? { discount: before.discount } : {}),
    now,
  });
  const { agreement: _agreement, ...rest } = before;
  const after: Invoice = {
    ...rest,
    lines: priced.lines,
    subtotal: priced.subtotal,
    taxableSubtotal: priced.taxableSubtotal,
    taxRatePerMillion: priced.taxRatePerMillion,
    tax: priced.tax,
    total: priced.total,
    ...(priced.agreement ? { agreement: priced.agreement } : {}),
    pricedAt: now.toISOString(),
    version: before.version + 1,
    updatedAt: now.toISOString(),
  };
  const event = invoiceEvent(dependencies, actor, 'invoice_recalculated', workOrder, now.toISOString(), {
    before,
    after,
  });
  if (!(await dependencies.invoices.update(after, before.version, event))) {
    throw new ConflictError(`Invoice ${invoiceId} was changed meanwhile; read it again`);
  }
  return readingOf(after, today(dependencies.clock, tenant));
}

/**
 * Voids an unpaid invoice (draft, approved or sent, nothing paid) and puts a fresh draft in its
 * place, so the work order is never left without an invoice to approve:
 * 1. Reads the invoice (404), checks the version (409), that it may be voided (409: paid,
 *    partly paid or void already) and that it is the work order's current invoice (409).
 * 2. Prices a replacement draft from the work and the rules as they are now (its own id).
 * 3. One transaction on what was read: the invoice becomes `void` (who, when, why, replaced by),
 *    the replacement is written, and the work order goes back to `completed` naming it, with the
 *    audit event. A concurrent change (a payment, an approval) makes it read again.
 * 4. If the workflow was waiting for payment, it is told `WorkOrder.InvoiceVoided`, which takes
 *    it back to awaiting approval; one waiting for approval keeps waiting, now for the replacement.
 * 5. Publishes `WorkOrder.InvoiceVoided`.
 */
export async function voidInvoice(
  dependencies: InvoiceDependencies,
  actor: Actor,
  invoiceId: string,
  reason: string,
  expectedVersion?: number,
): Promise<VoidOutcome> {
  requireOffice(actor);
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const invoice = await findInvoice(dependencies, actor, invoiceId);
    checkVersion(invoice, expectedVersion);
    if (!voidableStatuses.includes(invoice.status) || invoice.amountPaid > 0) {
      throw new ConflictError(
        `Cannot void an invoice that is ${invoice.status}${invoice.amountPaid > 0 ? ' with payments' : ''}`,
        { currentStatus: invoice.status, amountPaid: invoice.amountPaid },
      );
    }
    const [before, tenant] = await Promise.all([
      workOrderOf(dependencies, invoice),
      tenantOf(dependencies, actor),
    ]);
    if (before.invoiceId !== invoiceId || !billingStatuses.includes(before.status)) {
      throw new ConflictError(`Invoice ${invoiceId} is no longer the one its work order is billed by`, {
        currentStatus: invoice.status,
        workOrderStatus: before.status,
      });
    }
    const now = dependencies.clock.now();
    const at = now.toISOString();
    const replacementId = dependencies.ids.next('inv');
    const priced = await priceWorkOrder(dependencies, before, tenant, { now });
    const replacement: Invoice = {
      tenantId: invoice.tenantId,
      workOrderId: invoice.workOrderId,
      invoiceId: replacementId,
      customerId: invoice.customerId,
      status: 'draft',
      currency: invoice.currency,
      lines: priced.lines,
      subtotal: priced.subtotal,
      taxableSubtotal: priced.taxableSubtotal,
      taxRatePerMillion: priced.taxRatePerMillion,
      tax: priced.tax,
      total: priced.total,
      amountPaid: 0,
      // Due after the tenant's terms from the day it is issued again.
      dueDate: addLocalDays(new LocalCalendar(tenant.timeZone).dayOf(now), priced.rules.paymentTermsDays),
      ...(priced.agreement ? { agreement: priced.agreement } : {}),
      pricedAt: at,
      replaces: invoiceId,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    const voided: Invoice = {
      ...invoice,
      status: 'void',
      voided: { at, by: actor.id, reason },
      replacedBy: replacementId,
      version: invoice.version + 1,
      updatedAt: at,
    };
    const status: WorkOrderStatus = 'completed';
    const leavesWait = before.taskToken !== undefined && !(before.waitingWhile ?? []).includes(status);
    const { taskToken: _token, waitingWhile: _waiting, ...unwaited } = before;
    const after: WorkOrder = {
      ...(leavesWait ? unwaited : before),
      status,
      invoiceId: replacementId,
      version: before.version + 1,
      updatedAt: at,
    };
    const event = auditEvent({
      eventId: dependencies.ids.next('evt'),
      action: 'invoice_voided',
      actor,
      at,
      before,
      after,
    });
    event.changes.invoice = {
      before: invoiceSnapshot(invoice),
      after: { ...invoiceSnapshot(voided), reason, replacedBy: replacementId },
    };
    const applied = await dependencies.workOrders.apply({
      before,
      after,
      event,
      invoice: { before: invoice, after: voided },
      replacementInvoice: replacement,
    });
    if (!applied) continue;

    if (leavesWait && before.taskToken) await backToApproval(dependencies, before.taskToken, invoiceId);
    try {
      await dependencies.events.publish([
        workOrderInvoiceVoided.create(after.tenantId, at, {
          workOrderId: after.workOrderId,
          status: after.status,
          previousStatus: before.status,
          version: after.version,
          actorId: actor.id,
          actorRole: actor.role,
          invoiceId,
          replacementInvoiceId: replacementId,
          reason,
          total: replacement.total,
          currency: replacement.currency,
        }),
      ]);
    } catch (error) {
      dependencies.reportFailure('The invoice-voided event was not published', error);
    }
    const localToday = today(dependencies.clock, tenant);
    return { voided: readingOf(voided, localToday), replacement: readingOf(replacement, localToday) };
  }
  throw new ConflictError('The invoice kept changing; try again', {});
}

/** Takes the execution waiting for payment back to awaiting approval of the replacement. */
async function backToApproval(dependencies: InvoiceDependencies, token: string, invoiceId: string) {
  try {
    await dependencies.workflow.fail(token, invoiceVoidedError, `Invoice ${invoiceId} was voided`);
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    // A token of an execution that already moved on (or ended) has nothing left to redirect.
    if (name === 'TaskDoesNotExist' || name === 'TaskTimedOut' || name === 'InvalidToken') return;
    dependencies.reportFailure(`The workflow was not told invoice ${invoiceId} was voided`, error);
  }
}
