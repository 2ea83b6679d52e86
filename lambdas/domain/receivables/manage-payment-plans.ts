import type { Clock } from '../../ports/clock.ts';
import type { ReceivablesStore } from '../../ports/receivables-store.ts';
import type { DirectoryStore } from '../../ports/work-order-store.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../../shared/errors.ts';
import { type Invoice, unpaidStatuses } from '../invoicing/invoice.ts';
import { LocalCalendar } from '../scheduling/local-time.ts';
import type { Actor } from '../shared/actor.ts';
import { isOffice } from '../work-orders/lifecycle.ts';
import {
  type InstalmentState,
  instalmentStates,
  instalmentsFor,
  nextUnpaid,
  type PaymentPlan,
  type PlanRequest,
} from './payment-plan.ts';

export interface PaymentPlanDependencies {
  receivables: ReceivablesStore;
  directory: Pick<DirectoryStore, 'getTenant'>;
  clock: Clock;
}

/** A plan as the office reads it: each instalment where it stands today. */
export interface PaymentPlanStanding {
  plan: PaymentPlan;
  invoice: Invoice;
  balance: number;
  instalments: InstalmentState[];
  nextDue?: InstalmentState;
}

async function invoiceOf(deps: PaymentPlanDependencies, actor: Actor, invoiceId: string): Promise<Invoice> {
  if (!isOffice(actor)) throw new ForbiddenError('Payment plans are for the office');
  const invoice = await deps.receivables.findInvoice(actor.tenantId, invoiceId);
  if (!invoice) throw new NotFoundError('Invoice', invoiceId);
  return invoice;
}

async function todayOf(deps: PaymentPlanDependencies, tenantId: string): Promise<string> {
  const tenant = await deps.directory.getTenant(tenantId);
  if (!tenant) throw new ForbiddenError('This tenant is not provisioned');
  return new LocalCalendar(tenant.timeZone).dayOf(deps.clock.now());
}

async function standingOf(
  deps: PaymentPlanDependencies,
  plan: PaymentPlan,
  invoice: Invoice,
  today: string,
): Promise<PaymentPlanStanding> {
  const payments = await deps.receivables.payments(plan);
  const instalments = instalmentStates(plan, invoice.amountPaid, payments, today);
  const nextDue = nextUnpaid(instalments);
  return {
    plan,
    invoice,
    balance: invoice.total - invoice.amountPaid,
    instalments,
    ...(nextDue ? { nextDue } : {}),
  };
}

/**
 * Agrees a payment plan for the balance of an invoice (the office).
 * 1. Finds the invoice (404 if not the tenant's); it must be owed (approved, sent, partly paid)
 *    with a balance left, and have no plan yet (409 otherwise).
 * 2. Splits the balance: `count` equal instalments (the last absorbs the rounding) a week, two
 *    weeks or a month apart from `firstDueDate` (the invoice's due date, or today if that has
 *    passed), or the instalments given, whose amounts (all or none given) must add up to the
 *    balance exactly (422 naming `body.instalments`); due dates increase and none is past.
 * 3. Writes the plan unless one was written meanwhile (409).
 */
export async function createPaymentPlan(
  deps: PaymentPlanDependencies,
  actor: Actor,
  invoiceId: string,
  request: PlanRequest,
): Promise<PaymentPlanStanding> {
  const invoice = await invoiceOf(deps, actor, invoiceId);
  const balance = invoice.total - invoice.amountPaid;
  if (!unpaidStatuses.includes(invoice.status) || balance <= 0) {
    throw new ConflictError(
      `Invoice ${invoiceId} is ${invoice.status} with ${balance} to pay: nothing to plan`,
      {
        currentStatus: invoice.status,
        balance,
      },
    );
  }
  if (await deps.receivables.paymentPlan(invoice)) {
    throw new ConflictError(`Invoice ${invoiceId} already has a payment plan`, { invoiceId });
  }
  const today = await todayOf(deps, actor.tenantId);
  const split = instalmentsFor(request, balance, invoice.dueDate, today);
  if ('problems' in split) {
    throw new UnprocessableError(`The plan does not fit the balance of ${balance}`, {
      errors: split.problems,
    });
  }
  const plan: PaymentPlan = {
    tenantId: invoice.tenantId,
    workOrderId: invoice.workOrderId,
    invoiceId: invoice.invoiceId,
    currency: invoice.currency,
    amount: balance,
    amountPaidBefore: invoice.amountPaid,
    instalments: split.instalments,
    createdBy: actor.id,
    createdAt: deps.clock.now().toISOString(),
  };
  if (!(await deps.receivables.createPaymentPlan(plan))) {
    throw new ConflictError(`Invoice ${invoiceId} already has a payment plan`, { invoiceId });
  }
  return standingOf(deps, plan, invoice, today);
}

/** The invoice's plan with each instalment's status (due, paid, overdue) as the payments stand now. */
export async function getPaymentPlan(
  deps: PaymentPlanDependencies,
  actor: Actor,
  invoiceId: string,
): Promise<PaymentPlanStanding> {
  const invoice = await invoiceOf(deps, actor, invoiceId);
  const plan = await deps.receivables.paymentPlan(invoice);
  if (!plan) throw new NotFoundError('Payment plan of invoice', invoiceId);
  return standingOf(deps, plan, invoice, await todayOf(deps, actor.tenantId));
}
