import { createHash } from 'node:crypto';
import { addMonths, format } from 'date-fns';
import { addLocalDays } from '../scheduling/local-time.ts';
import type { VisitPlan } from './visit-plan.ts';

export const agreementStatuses = ['active', 'paused', 'ended'] as const;
export type AgreementStatus = (typeof agreementStatuses)[number];
export const billingFrequencies = ['monthly', 'quarterly', 'annual'] as const;
export type BillingFrequency = (typeof billingFrequencies)[number];
/** What became of a visit day of a plan: its work order created, skipped by the office, passed while paused. */
export const plannedVisitStatuses = ['created', 'skipped', 'paused'] as const;
export type PlannedVisitStatus = (typeof plannedVisitStatuses)[number];
/** The most lead time a planned visit's work order is created with, in days. */
export const maxLeadDays = 90;

/** A customer's service agreement: a maintenance plan billed per period. */
export interface Agreement {
  tenantId: string;
  agreementId: string;
  customerId: string;
  name: string;
  /** The customer's locations it covers; none: every location of the customer. */
  locationIds?: string[];
  /** The service types whose visits it covers (discount and included visits). */
  serviceTypeIds: string[];
  billing: { frequency: BillingFrequency; amount: number };
  currency: string;
  /** Taken off what the customer's covered work is charged, in basis points (1000 = 10%). */
  memberDiscountBasisPoints: number;
  includedVisitsPerTerm: number;
  visitsRemaining: number;
  /** The tenant's local days, both included. */
  termStart: string;
  termEnd: string;
  status: AgreementStatus;
  /** The billing period billed next (0 is the first) and the day it starts (`-`: none left). */
  nextBillingPeriod: number;
  nextBillingOn: string;
  /** The maintenance visits it brings, each a work order created ahead of its day (`visit-plan.ts`). */
  visits?: VisitPlan;
  /** With a plan: the visit day whose work order is arranged next (`-`: none left). */
  nextVisitOn?: string;
  notes?: string;
  createdBy: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** `nextBillingOn` of an agreement with no billing period left. */
export const noBillingDay = '-';

export const monthsPerPeriod: Record<BillingFrequency, number> = { monthly: 1, quarterly: 3, annual: 12 };

/** What the schedule bills at on a period's first day, in the tenant's zone. */
export const billingTime = '08:00';

const addCalendarMonths = (day: string, months: number): string =>
  format(addMonths(new Date(`${day}T12:00:00Z`), months), 'yyyy-MM-dd');

export interface BillingPeriod {
  period: number;
  /** Local days, both included. */
  start: string;
  end: string;
}

/**
 * Billing period `period` of the term (0 is the first): periods of 1, 3 or 12 months counted
 * from the term's first day (so a term starting on the 31st bills on the last day of shorter
 * months), the last one cut at the term's end. None once a period would start after the term.
 */
export function billingPeriod(
  agreement: Pick<Agreement, 'termStart' | 'termEnd' | 'billing'>,
  period: number,
): BillingPeriod | undefined {
  const months = monthsPerPeriod[agreement.billing.frequency];
  const start = addCalendarMonths(agreement.termStart, period * months);
  if (start > agreement.termEnd) return undefined;
  const nextStart = addCalendarMonths(agreement.termStart, (period + 1) * months);
  // Days compare as strings: the earlier of the period's own end and the term's.
  const [end = agreement.termEnd] = [addLocalDays(nextStart, -1), agreement.termEnd].sort();
  return { period, start, end };
}

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID that is the same every time it is asked: its time is the local `day` (as midnight UTC)
 * and its other 80 bits come from a hash of `seed`. Records that must be written once (a
 * period's invoice, a planned visit's work order) take their id from it.
 */
export function derivedUlid(day: string, seed: string): string {
  let time = Date.parse(`${day}T00:00:00Z`);
  let timePart = '';
  for (let index = 0; index < 10; index += 1) {
    timePart = crockford[time % 32] + timePart;
    time = Math.floor(time / 32);
  }
  const hash = createHash('sha256').update(seed).digest();
  let randomPart = '';
  for (let index = 0; index < 16; index += 1) {
    // 16 characters of 5 bits each, read from the first 10 bytes of the hash.
    const bit = index * 5;
    const byte = bit >> 3;
    const pair = ((hash[byte] ?? 0) << 8) | (hash[byte + 1] ?? 0);
    randomPart += crockford[(pair >> (11 - (bit & 7))) & 31];
  }
  return `${timePart}${randomPart}`;
}

/**
 * The id of an agreement's invoice for one billing period, the same every time it is asked: a
 * ULID whose time is the period's first day and whose other 80 bits come from a hash of the
 * agreement and the period. A billing schedule delivered twice writes one invoice.
 */
export const agreementInvoiceId = (agreementId: string, billing: BillingPeriod): string =>
  `inv_${derivedUlid(billing.start, `${agreementId}#${billing.period}`)}`;

/** The one-time schedule that bills period `period` of an agreement. */
export const billingScheduleName = (agreementId: string, period: number): string =>
  `agreement-billing-${agreementId}-${period}`;

/** The billing day and period an agreement moves to once `period` is billed. */
export function afterBilling(
  agreement: Agreement,
  period: number,
): Pick<Agreement, 'nextBillingPeriod' | 'nextBillingOn'> {
  const next = billingPeriod(agreement, period + 1);
  return { nextBillingPeriod: period + 1, nextBillingOn: next?.start ?? noBillingDay };
}

/** An agreement covers a visit on `day` at the location, of the service type, while active in its term. */
export function covers(
  agreement: Agreement,
  visit: { locationId?: string | undefined; serviceTypeId?: string | undefined },
  day: string,
): boolean {
  if (agreement.status !== 'active' || day < agreement.termStart || day > agreement.termEnd) return false;
  if (!visit.serviceTypeId || !agreement.serviceTypeIds.includes(visit.serviceTypeId)) return false;
  const locations = agreement.locationIds ?? [];
  return locations.length === 0 || (visit.locationId !== undefined && locations.includes(visit.locationId));
}

/**
 * The agreements of a customer that cover a visit, the one to apply first: one with included
 * visits left, then the larger discount, then the older agreement.
 */
export function coveringAgreements(
  agreements: readonly Agreement[],
  visit: { locationId?: string | undefined; serviceTypeId?: string | undefined },
  day: string,
): Agreement[] {
  return agreements
    .filter((agreement) => covers(agreement, visit, day))
    .sort(
      (a, b) =>
        Number(b.visitsRemaining > 0) - Number(a.visitsRemaining > 0) ||
        b.memberDiscountBasisPoints - a.memberDiscountBasisPoints ||
        a.agreementId.localeCompare(b.agreementId),
    );
}
