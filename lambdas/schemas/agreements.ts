import { z } from 'zod';
import { agreementStatuses, billingFrequencies } from '../domain/agreements/agreement.ts';
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
    status: z
      .enum(agreementStatuses)
      .optional()
      .meta({ description: 'paused: periods pass unbilled and nothing is covered; ended: final' }),
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
