import { z } from 'zod';
import {
  agreementStatuses,
  billingFrequencies,
  maxLeadDays,
  plannedVisitStatuses,
} from '../domain/agreements/agreement.ts';
import { calendarDay, isoDateTime, prefixedId } from './common.ts';
import { invoiceId } from './invoices.ts';
import { customerId, locationId, serviceTypeId } from './work-orders.ts';

// The shapes only: whether the customer, locations and service types exist and belong together,
// and whether the term works, are the domain's, which names the failing field the same way.

export const agreementId = prefixedId('agr');
export const agreementIdParams = z.object({ id: agreementId }).strict();

const minorUnits = (description: string) =>
  z
    .number()
    .int()
    .min(0)
    .max(100_000_000)
    .meta({ description: `${description}, minor units of the tenant's currency` });

const name = z.string().trim().min(1).max(200).meta({ example: 'Comfort Club: HVAC tune-ups' });
const locationIds = z
  .array(locationId)
  .max(20)
  .meta({ description: "The customer's locations it covers; none: every location of the customer" });
const serviceTypeIds = z
  .array(serviceTypeId)
  .min(1)
  .max(50)
  .meta({ description: 'The service types whose visits it covers (member discount, included visits)' });
const memberDiscountBasisPoints = z
  .number()
  .int()
  .min(0)
  .max(10_000)
  .meta({ description: 'Taken off covered work, in basis points (1000 = 10 %)', example: 1000 });
const includedVisitsPerTerm = z
  .number()
  .int()
  .min(0)
  .max(366)
  .meta({ description: 'Visits of a covered service type charged no labor and no trip charge', example: 2 });
const notes = z.string().trim().max(2000);

const localTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time, HH:mm')
  .meta({ example: '09:00' });

// The rule's shape only: whether it is RFC 5545, at most daily and fits the term is the domain's
// (`ruleProblems`), which names `body.visits.rrule` the same way.
const visitPlan = z
  .object({
    rrule: z.string().trim().min(1).max(500).meta({
      description:
        "An RFC 5545 RRULE over the tenant's local days, anchored at the term's first day (no DTSTART; UNTIL a date); at most daily",
      example: 'FREQ=MONTHLY;INTERVAL=3',
    }),
    leadDays: z
      .number()
      .int()
      .min(0)
      .max(maxLeadDays)
      .meta({ description: 'How many days before each visit its work order is created', example: 14 }),
    serviceTypeId,
    locationId: locationId.meta({ description: "The customer's location the visits are at" }),
    description: z.string().trim().min(1).max(4000).meta({ example: 'Seasonal HVAC tune-up' }),
    preferredTime: z
      .object({ start: localTime, end: localTime })
      .strict()
      .refine((range) => range.start < range.end, { message: 'start before end', path: ['end'] })
      .optional()
      .meta({ description: 'Local arrival times the suggested slot favours' }),
  })
  .strict()
  .meta({ id: 'VisitPlan' });

export const createAgreementBody = z
  .object({
    customerId,
    name,
    locationIds: locationIds.optional(),
    serviceTypeIds,
    billing: z
      .object({
        frequency: z.enum(billingFrequencies),
        amount: minorUnits('Charged each billing period'),
      })
      .strict()
      .meta({ id: 'AgreementBilling', example: { frequency: 'quarterly', amount: 8_900 } }),
    memberDiscountBasisPoints: memberDiscountBasisPoints.default(0),
    includedVisitsPerTerm: includedVisitsPerTerm.default(0),
    termStart: calendarDay.meta({
      description: "The term's first local day; the first period is billed then",
    }),
    termEnd: calendarDay
      .optional()
      .meta({ description: "The term's last local day; a year from the start unless given" }),
    visits: visitPlan.optional().meta({
      description:
        'Maintenance visits: a work order created leadDays before each day of the rule, with a suggested slot',
    }),
    notes: notes.optional(),
  })
  .strict()
  .meta({ id: 'NewAgreement' });

export const updateAgreementBody = z
  .object({
    name: name.optional(),
    locationIds: locationIds.optional(),
    serviceTypeIds: serviceTypeIds.optional(),
    billing: z
      .object({ amount: minorUnits('Charged each billing period from the next one billed') })
      .strict()
      .optional(),
    memberDiscountBasisPoints: memberDiscountBasisPoints.optional(),
    includedVisitsPerTerm: includedVisitsPerTerm
      .optional()
      .meta({ description: 'The visits remaining move by as much as this changes' }),
    termEnd: calendarDay.optional(),
    status: z.enum(agreementStatuses).optional().meta({
      description:
        'paused: periods pass unbilled, visits pass without a work order, nothing is covered; ended: final',
    }),
    visits: visitPlan
      .nullable()
      .optional()
      .meta({ description: 'A new visit plan, covering the days from today; null ends the plan' }),
    notes: notes.optional().meta({ description: 'An empty note removes it' }),
  })
  .strict()
  .meta({ id: 'AgreementChanges' });

export const listAgreementsQuery = z
  .object({
    customerId: customerId.optional(),
    status: z.enum(agreementStatuses).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .strict();

export const agreementView = z
  .object({
    id: agreementId,
    customerId,
    name: z.string(),
    locationIds: z.array(z.string()),
    serviceTypeIds: z.array(z.string()),
    billing: z.object({ frequency: z.enum(billingFrequencies), amount: z.number().int() }),
    currency: z.string(),
    memberDiscountBasisPoints: z.number().int(),
    includedVisitsPerTerm: z.number().int(),
    visitsRemaining: z.number().int(),
    termStart: z.string(),
    termEnd: z.string(),
    status: z.enum(agreementStatuses),
    nextBillingOn: z
      .string()
      .nullable()
      .meta({ description: 'The local day the next period is billed; null when none is left' }),
    visits: z
      .object({
        rrule: z.string(),
        leadDays: z.number().int(),
        serviceTypeId: z.string(),
        locationId: z.string(),
        description: z.string(),
        preferredTime: z.object({ start: z.string(), end: z.string() }).optional(),
        since: z.string().meta({ description: 'The first local day the plan covers' }),
      })
      .optional()
      .meta({ description: 'The visit plan, if any' }),
    nextVisitOn: z.string().nullable().optional().meta({
      description: 'With a plan: the visit day whose work order is arranged next; null when none is left',
    }),
    notes: z.string().optional(),
    version: z.number().int(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Agreement' });

export const agreementInvoiceView = z
  .object({
    id: invoiceId,
    agreementId,
    status: z.string(),
    currency: z.string(),
    description: z.string().meta({ description: 'What the period is: the plan and its days' }),
    total: z.number().int(),
    amountPaid: z.number().int(),
    balance: z.number().int(),
    dueDate: z.string(),
    sentAt: isoDateTime.optional(),
    overdueSince: isoDateTime.optional(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'AgreementInvoice' });

export const agreementInvoicesView = z
  .object({ items: z.array(agreementInvoiceView) })
  .meta({ id: 'AgreementInvoices' });

export const skipVisitBody = z
  .object({
    day: calendarDay.meta({ description: 'The visit day to skip, a local day of the plan' }),
    reason: z.string().trim().min(1).max(1000).optional(),
  })
  .strict()
  .meta({ id: 'SkipVisit' });

export const visitDayView = z
  .object({
    day: z.string(),
    status: z.enum(['planned', ...plannedVisitStatuses]).meta({
      description:
        'planned: still to come; created: its work order exists; skipped by the office; paused: passed while the agreement was paused',
    }),
    workOrderId: z.string().optional(),
    reason: z.string().optional(),
  })
  .meta({ id: 'VisitDay' });

export const agreementVisitsView = z
  .object({
    agreementId,
    nextVisitOn: z.string().nullable(),
    items: z.array(visitDayView),
  })
  .meta({ id: 'AgreementVisits' });
