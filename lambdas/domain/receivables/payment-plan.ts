import { addMonths, format } from 'date-fns';
import type { FieldProblem } from '../../shared/errors.ts';
import { addLocalDays } from '../scheduling/local-time.ts';

export interface Instalment {
  /** 1, 2, … in due order. */
  number: number;
  /** The tenant's local day it is due, `YYYY-MM-DD`. */
  dueDate: string;
  /** Minor units of the invoice's currency. */
  amount: number;
}

export interface PaymentPlan {
  tenantId: string;
  workOrderId: string;
  invoiceId: string;
  currency: string;
  /** The balance the plan covers: the sum of its instalments. */
  amount: number;
  /** What the invoice had received before the plan; the plan's instalments take what comes after. */
  amountPaidBefore: number;
  instalments: Instalment[];
  createdBy: string;
  createdAt: string;
}

export type InstalmentStatus = 'due' | 'paid' | 'overdue';

export interface InstalmentState extends Instalment {
  amountPaid: number;
  status: InstalmentStatus;
  /** When the payment that completed it was recorded. */
  paidAt?: string;
}

export const planIntervals = ['week', 'two_weeks', 'month'] as const;
export type PlanInterval = (typeof planIntervals)[number];

/** How the office asks for a plan: a number of equal instalments, or the instalments themselves. */
export type PlanRequest =
  | { count: number; firstDueDate?: string; every?: PlanInterval }
  | { instalments: { dueDate: string; amount?: number }[] };

export const maxInstalments = 36;

/** `total` in `count` whole minor units as equal as can be: the last one absorbs the rounding. */
export function splitEvenly(total: number, count: number): number[] {
  const each = Math.floor(total / count);
  return Array.from({ length: count }, (_, index) =>
    index === count - 1 ? total - each * (count - 1) : each,
  );
}

const dueDateAfter = (first: string, index: number, every: PlanInterval): string => {
  if (every === 'week') return addLocalDays(first, 7 * index);
  if (every === 'two_weeks') return addLocalDays(first, 14 * index);
  // Counted from the first date each time, so Jan 31 → Feb 28 → Mar 31 (not Mar 28).
  return format(addMonths(new Date(`${first}T12:00:00Z`), index), 'yyyy-MM-dd');
};

/**
 * The instalments of a plan for `balance`, or the problems with the request (field paths under
 * `body`): every amount at least one minor unit, the amounts adding up to the balance exactly,
 * due dates in increasing order and none before `today`.
 */
export function instalmentsFor(
  request: PlanRequest,
  balance: number,
  defaultFirstDueDate: string,
  today: string,
): { instalments: Instalment[] } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  let dueDates: string[];
  let amounts: number[];
  if ('count' in request) {
    const first = request.firstDueDate ?? (defaultFirstDueDate < today ? today : defaultFirstDueDate);
    dueDates = Array.from({ length: request.count }, (_, index) =>
      dueDateAfter(first, index, request.every ?? 'month'),
    );
    amounts = splitEvenly(balance, request.count);
    if (amounts.some((amount) => amount < 1)) {
      problems.push({
        field: 'body.count',
        message: `at most ${balance} instalments for a balance of ${balance}`,
      });
    }
    if (first < today) problems.push({ field: 'body.firstDueDate', message: `not before today, ${today}` });
  } else {
    const given = request.instalments.filter((instalment) => instalment.amount !== undefined).length;
    dueDates = request.instalments.map((instalment) => instalment.dueDate);
    if (given === 0) {
      amounts = splitEvenly(balance, request.instalments.length);
    } else {
      amounts = request.instalments.map((instalment) => instalment.amount ?? 0);
      request.instalments.forEach((instalment, index) => {
        if (instalment.amount === undefined) {
          problems.push({ field: `body.instalments.${index}.amount`, message: 'give every amount or none' });
        } else if (instalment.amount < 1) {
          problems.push({ field: `body.instalments.${index}.amount`, message: 'at least 1' });
        }
      });
      const sum = amounts.reduce((total, amount) => total + amount, 0);
      if (given === request.instalments.length && sum !== balance) {
        problems.push({
          field: 'body.instalments',
          message: `the amounts add up to ${sum}; they must add up to the balance, ${balance}`,
        });
      }
    }
    dueDates.forEach((dueDate, index) => {
      const previous = dueDates[index - 1];
      if (previous !== undefined && dueDate <= previous) {
        problems.push({ field: `body.instalments.${index}.dueDate`, message: `after ${previous}` });
      }
    });
    if ((dueDates[0] ?? today) < today) {
      problems.push({ field: 'body.instalments.0.dueDate', message: `not before today, ${today}` });
    }
    if (given === 0 && amounts.some((amount) => amount < 1)) {
      problems.push({ field: 'body.instalments', message: `at most ${balance} instalments` });
    }
  }
  if (problems.length > 0) return { problems };
  return {
    instalments: dueDates.map((dueDate, index) => ({
      number: index + 1,
      dueDate,
      amount: amounts[index] ?? 0,
    })),
  };
}

export interface RecordedPayment {
  amount: number;
  at: string;
  paymentId: string;
}

/**
 * Where each instalment stands: the invoice's payments since the plan are applied to the
 * instalments oldest first (the earliest due is paid first). An instalment fully covered is
 * `paid` (at the time of the payment that completed it); one that is not is `overdue` once its
 * due day is before `today`, else `due`.
 * - `amountPaid` is what the invoice has received in all; `payments` its payments (any order),
 *   which give the times.
 */
export function instalmentStates(
  plan: Pick<PaymentPlan, 'instalments' | 'amountPaidBefore'>,
  amountPaid: number,
  payments: readonly RecordedPayment[],
  today: string,
): InstalmentState[] {
  let available = Math.max(0, amountPaid - plan.amountPaidBefore);
  const inOrder = [...payments].sort(
    (a, b) => a.at.localeCompare(b.at) || a.paymentId.localeCompare(b.paymentId),
  );
  // Running totals of the payments after the ones made before the plan.
  let running = -plan.amountPaidBefore;
  const reached = inOrder.map((payment) => {
    running += payment.amount;
    return { total: running, at: payment.at };
  });
  let covered = 0;
  return plan.instalments.map((instalment) => {
    const paid = Math.min(instalment.amount, available);
    available -= paid;
    covered += instalment.amount;
    if (paid === instalment.amount) {
      const paidAt = reached.find((point) => point.total >= covered)?.at;
      return { ...instalment, amountPaid: paid, status: 'paid', ...(paidAt ? { paidAt } : {}) };
    }
    return { ...instalment, amountPaid: paid, status: instalment.dueDate < today ? 'overdue' : 'due' };
  });
}

/** What is owed on instalments past their due day. */
export const overdueOnPlan = (states: readonly InstalmentState[]): number =>
  states
    .filter((state) => state.status === 'overdue')
    .reduce((sum, state) => sum + state.amount - state.amountPaid, 0);

/** The first instalment not yet paid. */
export const nextUnpaid = (states: readonly InstalmentState[]): InstalmentState | undefined =>
  states.find((state) => state.status !== 'paid');
