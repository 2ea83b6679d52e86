import type { Clock } from '../../ports/clock.ts';
import type { Payments } from '../../ports/payments.ts';
import type { InvoiceKey, ReceivablesStore, ReminderRecord } from '../../ports/receivables-store.ts';
import type { Scheduler } from '../../ports/scheduler.ts';
import type { DirectoryStore } from '../../ports/work-order-store.ts';
import type { InvoiceOverduePayload } from '../../schemas/schedule-payloads.ts';
import { issueInvoiceLink, type LinkDependencies } from '../customer-pages/links.ts';
import type { Customer, Tenant } from '../customers/customer.ts';
import { formatMoney } from '../execution/work-summary.ts';
import { type Invoice, unpaidStatuses } from '../invoicing/invoice.ts';
import { channelsFor } from '../notifications/contact-channels.ts';
import { type CustomerMessengerDependencies, messageCustomer } from '../notifications/customer-messenger.ts';
import { addLocalDays, LocalCalendar } from '../scheduling/local-time.ts';
import { scheduleTimeFor } from '../shared/schedule-time.ts';
import { instalmentStates, nextUnpaid, overdueOnPlan } from './payment-plan.ts';

/**
 * When an unpaid invoice is looked at again: the day after its due date, then every week, at
 * 09:00 in the tenant's zone; the customer is reminded at most three times.
 */
export const reminderPolicy = {
  checkTime: '09:00',
  daysAfterDue: 1,
  daysBetweenChecks: 7,
  maxReminders: 3,
} as const;

/** The one-time schedule of an invoice's overdue check: `invoice-overdue-inv_…` first, then `…-2`, `…-3`. */
export const overdueCheckName = (invoiceId: string, check: number): string =>
  check === 1 ? `invoice-overdue-${invoiceId}` : `invoice-overdue-${invoiceId}-${check}`;

const checkPayload = (key: InvoiceKey, check: number): InvoiceOverduePayload => ({
  kind: 'invoice-overdue',
  tenantId: key.tenantId,
  workOrderId: key.workOrderId,
  invoiceId: key.invoiceId,
  check,
});

async function scheduleCheck(
  deps: { scheduler: Scheduler; clock: Clock },
  key: InvoiceKey,
  check: number,
  day: string,
  timeZone: string,
): Promise<string> {
  const at = scheduleTimeFor(day, reminderPolicy.checkTime, timeZone, deps.clock.now());
  await deps.scheduler.put({
    name: overdueCheckName(key.invoiceId, check),
    at,
    timeZone,
    payload: checkPayload(key, check),
  });
  return at;
}

/**
 * Arranges the first overdue check of an invoice that has just been sent: the day after its
 * due date at 09:00 local (a minute from now if that has passed). Setting it again moves it.
 */
export async function scheduleOverdueReminder(
  deps: { scheduler: Scheduler; clock: Clock },
  invoice: Pick<Invoice, 'tenantId' | 'workOrderId' | 'invoiceId' | 'dueDate'>,
  tenant: Pick<Tenant, 'timeZone'>,
): Promise<void> {
  await scheduleCheck(
    deps,
    invoice,
    1,
    addLocalDays(invoice.dueDate, reminderPolicy.daysAfterDue),
    tenant.timeZone,
  );
}

export interface OverdueCheckDependencies extends CustomerMessengerDependencies {
  receivables: ReceivablesStore;
  directory: Pick<DirectoryStore, 'getTenant' | 'getCustomer'>;
  /** The customer's invoice page (a signed link) the reminder sends them to, to pay. */
  customerLinks?: LinkDependencies;
  /** Without the pages, a checkout made for the reminder. */
  payments?: Pick<Payments, 'createCheckout'>;
}

export type OverdueCheckOutcome =
  | { outcome: 'reminded'; reminder: number; overdueAmount: number; messageId?: string; nextCheckAt?: string }
  | { outcome: 'not overdue'; nextCheckAt: string }
  | { outcome: 'settled' | 'already checked' | 'unknown invoice' };

const maxAttempts = 3;

/**
 * Runs one overdue check of an invoice (schedule kind `invoice-overdue`).
 * 1. Does nothing for an invoice that is paid, void or gone, or for a check already run (a
 *    schedule delivered twice runs once).
 * 2. Works out what is overdue on the tenant's local day: with a payment plan, the instalments
 *    past their due day and not covered by the payments (oldest first); without, the balance
 *    once the due date has passed.
 * 3. Overdue: reminds the customer (SMS, else email) and arranges the next check in a week,
 *    unless this was the last reminder. Not overdue (a plan kept to): the next check is the day
 *    after the next instalment falls due.
 * 4. Records the check, and the invoice's `overdueSince` the first time, as one transaction on
 *    what was read; if a payment moved the invoice meanwhile, looks again (a retry never sends a
 *    second reminder for the same check).
 * The next check is arranged before this one is recorded, so a failure in between leaves the
 * chain going; arranging it again is harmless (same name).
 */
export async function checkOverdueInvoice(
  deps: OverdueCheckDependencies,
  payload: InvoiceOverduePayload,
): Promise<OverdueCheckOutcome> {
  const key: InvoiceKey = {
    tenantId: payload.tenantId,
    workOrderId: payload.workOrderId,
    invoiceId: payload.invoiceId,
  };
  const tenant = await deps.directory.getTenant(key.tenantId);
  let reminded: { messageId?: string } | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const [invoice, record] = await Promise.all([
      deps.receivables.invoice(key),
      deps.receivables.reminderOf(key),
    ]);
    if (!invoice || !tenant) return { outcome: 'unknown invoice' };
    if ((record?.checks ?? 0) >= payload.check) return { outcome: 'already checked' };
    const balance = invoice.total - invoice.amountPaid;
    if (!unpaidStatuses.includes(invoice.status) || balance <= 0) return { outcome: 'settled' };

    const now = deps.clock.now();
    const today = new LocalCalendar(tenant.timeZone).dayOf(now);
    const standing = await whatIsOverdue(deps.receivables, key, invoice, today);
    const sentBefore = record?.sent ?? 0;
    const at = now.toISOString();

    if (standing.overdueAmount === 0) {
      const nextDay =
        standing.nextDueDate && standing.nextDueDate >= today ? standing.nextDueDate : undefined;
      const nextCheckAt = await scheduleCheck(
        deps,
        key,
        payload.check + 1,
        nextDay
          ? addLocalDays(nextDay, reminderPolicy.daysAfterDue)
          : addLocalDays(today, reminderPolicy.daysBetweenChecks),
        tenant.timeZone,
      );
      const after = {
        ...key,
        checks: payload.check,
        sent: sentBefore,
        lastCheckedAt: at,
        ...lastSent(record),
      };
      if (await deps.receivables.recordCheck({ before: record, after }))
        return { outcome: 'not overdue', nextCheckAt };
      continue;
    }

    const reminder = sentBefore + 1;
    if (!reminded) {
      const customer = await deps.directory.getCustomer(key.tenantId, invoice.customerId);
      reminded = await remind(deps, invoice, customer, tenant, standing, reminder);
    }
    const nextCheckAt =
      reminder < reminderPolicy.maxReminders
        ? await scheduleCheck(
            deps,
            key,
            payload.check + 1,
            addLocalDays(today, reminderPolicy.daysBetweenChecks),
            tenant.timeZone,
          )
        : undefined;
    const after: ReminderRecord = {
      ...key,
      checks: payload.check,
      sent: reminder,
      lastCheckedAt: at,
      lastSentAt: at,
    };
    const recorded = await deps.receivables.recordCheck({
      before: record,
      after,
      ...(invoice.overdueSince ? {} : { overdue: { invoice, overdueSince: at } }),
    });
    if (recorded) {
      return {
        outcome: 'reminded',
        reminder,
        overdueAmount: standing.overdueAmount,
        ...(reminded.messageId ? { messageId: reminded.messageId } : {}),
        ...(nextCheckAt ? { nextCheckAt } : {}),
      };
    }
  }
  throw new Error(`The overdue check ${payload.check} of ${key.invoiceId} kept meeting changes; retry`);
}

const lastSent = (record: ReminderRecord | undefined) =>
  record?.lastSentAt ? { lastSentAt: record.lastSentAt } : {};

interface Standing {
  overdueAmount: number;
  /** On a plan: the instalment that is late (or due next), for the message and the next check. */
  instalment?: { number: number; of: number; amount: number; dueDate: string };
  nextDueDate?: string;
}

async function whatIsOverdue(
  receivables: ReceivablesStore,
  key: InvoiceKey,
  invoice: Invoice,
  today: string,
): Promise<Standing> {
  const plan = await receivables.paymentPlan(key);
  if (!plan) {
    const balance = invoice.total - invoice.amountPaid;
    return invoice.dueDate < today
      ? { overdueAmount: balance }
      : { overdueAmount: 0, nextDueDate: invoice.dueDate };
  }
  const states = instalmentStates(plan, invoice.amountPaid, await receivables.payments(key), today);
  const next = nextUnpaid(states);
  return {
    overdueAmount: overdueOnPlan(states),
    ...(next
      ? {
          instalment: {
            number: next.number,
            of: states.length,
            amount: next.amount - next.amountPaid,
            dueDate: next.dueDate,
          },
          nextDueDate: next.dueDate,
        }
      : {}),
  };
}

async function remind(
  deps: OverdueCheckDependencies,
  invoice: Invoice,
  customer: Customer | undefined,
  tenant: Tenant,
  standing: Standing,
  reminder: number,
): Promise<{ messageId?: string }> {
  if (!customer || channelsFor(customer).length === 0) return {};
  const money = (amount: number) => formatMoney(amount, invoice.currency);
  const { instalment } = standing;
  const link = await payLinkFor(deps, invoice, customer);
  const outcomes = await messageCustomer(deps, {
    tenant,
    customer,
    purpose: 'overdue',
    ...(isWorkOrderId(invoice.workOrderId) ? { workOrderId: invoice.workOrderId } : {}),
    values: {
      invoiceNumber: invoice.invoiceId,
      invoiceTotal: money(standing.overdueAmount),
      dueDate: instalment?.dueDate ?? invoice.dueDate,
      details: instalment
        ? `That is instalment ${instalment.number} of ${instalment.of}; ${money(invoice.total - invoice.amountPaid)} is open in all.`
        : undefined,
      link,
    },
    // One message per reminder, however often the check runs.
    dedupeKey: `overdue-${invoice.invoiceId}-${reminder}`,
  });
  const messageId = outcomes.find((outcome) => outcome.messageId)?.messageId;
  return messageId ? { messageId } : {};
}

const isWorkOrderId = (id: string) => id.startsWith('wo_');

/** The invoice page to pay on (the same link the invoice was sent with), else a checkout; none without either. */
async function payLinkFor(deps: OverdueCheckDependencies, invoice: Invoice, customer: Customer) {
  if (deps.customerLinks) {
    const actor = { tenantId: invoice.tenantId, id: 'receivables', role: 'system' } as const;
    const page = await issueInvoiceLink(deps.customerLinks, actor, invoice.invoiceId, {
      linkSeed: `invoice-${invoice.invoiceId}`,
    });
    return page.url;
  }
  return deps.payments ? (await deps.payments.createCheckout(invoice, customer)).url : undefined;
}

/**
 * Deletes the pending overdue check of an invoice paid in full (a payment recorded with no
 * balance left, schedule kind `invoice-paid`). A check that fires anyway finds it paid and does
 * nothing.
 */
export async function cancelOverdueReminders(
  deps: { receivables: ReceivablesStore; scheduler: Scheduler },
  key: InvoiceKey,
): Promise<{ deleted?: string }> {
  const [invoice, record] = await Promise.all([
    deps.receivables.invoice(key),
    deps.receivables.reminderOf(key),
  ]);
  if (invoice && unpaidStatuses.includes(invoice.status) && invoice.total - invoice.amountPaid > 0) return {};
  const name = overdueCheckName(key.invoiceId, (record?.checks ?? 0) + 1);
  await deps.scheduler.delete(name);
  return { deleted: name };
}
