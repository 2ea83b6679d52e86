import { z } from 'zod';
import { invoiceStatuses } from '../adapters/dynamodb/models.ts';
import { calendarDay, isoDateTime, prefixedId } from './common.ts';
import { customerId, workOrderId } from './work-orders.ts';

// The shapes only: ranges and the rules between fields are the domain's, which names the
// failing field the same way (`body.partsMarkup.byCategory.1.category`).

export const invoiceId = prefixedId('inv');
export const invoiceIdPath = z.object({ id: invoiceId }).strict();

const minorUnits = z.number().int().meta({ description: "Minor units of the tenant's currency" });
const basisPoints = (description: string) =>
  z.number().meta({ description: `${description}, in basis points (10000 = 100 %)` });

const localTime = z.string().meta({ description: 'A local time, HH:mm', example: '08:00' });
const businessDay = z.array(z.object({ start: localTime, end: localTime }).strict()).max(12);
const businessHours = z
  .object({
    0: businessDay.optional(),
    1: businessDay.optional(),
    2: businessDay.optional(),
    3: businessDay.optional(),
    4: businessDay.optional(),
    5: businessDay.optional(),
    6: businessDay.optional(),
  })
  .strict()
  .meta({
    id: 'BusinessHours',
    description:
      'Local intervals (the tenant’s time zone) by weekday, 0 Sunday to 6 Saturday. Labor of a visit started outside them is after hours; none set: no visit is',
    example: { 1: [{ start: '08:00', end: '17:00' }] },
  });

const levelMultipliers = z
  .object({
    apprentice: basisPoints('An hour of an apprentice').optional(),
    technician: basisPoints('An hour of a technician').optional(),
    senior: basisPoints('An hour of a senior technician').optional(),
    master: basisPoints('An hour of a master technician').optional(),
  })
  .strict()
  .meta({
    id: 'LevelMultipliers',
    description:
      'The share of the service type’s labor rate charged per technician level; unset levels 10000',
    example: { apprentice: 8000, technician: 10000, senior: 12500, master: 15000 },
  });

const markupRule = z
  .object({ category: z.string().trim().max(100), basisPoints: basisPoints('Markup on the captured cost') })
  .strict()
  .meta({ id: 'MarkupRule' });

const partsMarkup = z
  .object({
    defaultBasisPoints: basisPoints('Markup for categories without a rule').optional(),
    byCategory: z.array(markupRule).max(100).optional(),
  })
  .strict()
  .meta({ id: 'PartsMarkup' });

const pricingFields = {
  levelMultipliersBasisPoints: levelMultipliers,
  businessHours,
  afterHoursMultiplierBasisPoints: basisPoints(
    'Applied to the labor of a visit started outside business hours',
  ),
  emergencyMultiplierBasisPoints: basisPoints(
    'Applied to the labor of an emergency; the higher of this and the after-hours multiplier applies, never both',
  ),
  partsPricing: z.enum(['captured', 'markup']).meta({
    description: '`captured`: the price recorded when used; `markup`: the captured cost plus the markup',
  }),
  partsMarkup,
  taxRatePerMillion: z
    .number()
    .meta({ description: 'Sales tax in parts per million (88750 = 8.875 %); a location may carry its own' }),
  laborTaxable: z.boolean(),
  tripChargeTaxable: z.boolean(),
  paymentTermsDays: z.number().meta({ description: 'Days from the invoice to its due date' }),
};

export const pricingRulesBody = z
  .object(pricingFields)
  .partial()
  .strict()
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'give at least one rule to change',
  })
  .meta({
    id: 'PricingRulesChanges',
    description: 'Given rules replace; level multipliers and markup merge',
  });

export const pricingRulesView = z
  .object({
    ...pricingFields,
    levelMultipliersBasisPoints: z.object({
      apprentice: z.number().int(),
      technician: z.number().int(),
      senior: z.number().int(),
      master: z.number().int(),
    }),
    partsMarkup: z.object({ defaultBasisPoints: z.number().int(), byCategory: z.array(markupRule) }),
  })
  .meta({ id: 'PricingRules' });

const discountReason = z.string().trim().min(1).max(200).optional();

export const invoiceDiscountSchema = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('percent'),
        basisPoints: z.number().int().meta({ description: '1 to 10000 (100 %)', example: 1000 }),
        reason: discountReason,
      })
      .strict(),
    z
      .object({
        type: z.literal('amount'),
        amount: z
          .number()
          .int()
          .positive()
          .meta({ description: 'Minor units; at most what the invoice charges' }),
        reason: discountReason,
      })
      .strict(),
  ])
  .meta({ id: 'InvoiceDiscount' });

const computed = (name: string) =>
  z
    .unknown()
    .optional()
    .refine(
      (value) => value === undefined,
      `${name} is computed from the work and the pricing rules, never typed in`,
    )
    .meta({ description: 'Never accepted: computed from the work and the pricing rules' });

export const updateInvoiceBody = z
  .object({
    discount: invoiceDiscountSchema.nullable().optional().meta({ description: 'null removes the discount' }),
    notes: z.string().trim().max(2000).nullable().optional().meta({ description: 'null removes the notes' }),
    lines: computed('lines'),
    subtotal: computed('subtotal'),
    tax: computed('tax'),
    total: computed('total'),
  })
  .strict()
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'give a discount or notes to change',
  })
  .meta({ id: 'InvoiceChanges', description: 'Changes to a draft; lines and totals are never typed in' });

export const voidInvoiceBody = z
  .object({ reason: z.string().trim().min(1).max(500).meta({ example: 'Billed the wrong customer' }) })
  .strict()
  .meta({ id: 'VoidInvoice' });

export const listInvoicesQuery = z
  .object({
    status: z.enum(invoiceStatuses),
    dueBefore: calendarDay.optional().meta({ description: 'Only invoices due before this local day' }),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .strict();

const invoiceLineView = z
  .object({
    kind: z.enum(['labor', 'part', 'fee', 'trip', 'discount']).optional(),
    description: z.string(),
    quantity: z.number(),
    unit: z.string(),
    unitPrice: minorUnits,
    amount: minorUnits.meta({ description: 'quantity × unitPrice, rounded half away from zero' }),
    taxable: z.boolean(),
    note: z.string().optional(),
  })
  .meta({ id: 'InvoiceLine' });

export const invoiceView = z
  .object({
    id: invoiceId,
    workOrderId,
    customerId,
    status: z.enum(invoiceStatuses),
    currency: z.string(),
    lines: z.array(invoiceLineView),
    subtotal: minorUnits.meta({ description: 'The sum of the lines, discounts included' }),
    taxableSubtotal: minorUnits.meta({ description: 'The sum of the taxable lines' }),
    taxRatePerMillion: z.number().int(),
    tax: minorUnits.meta({ description: 'taxableSubtotal × the rate, rounded half away from zero once' }),
    total: minorUnits.meta({ description: 'subtotal + tax' }),
    amountPaid: minorUnits,
    balance: minorUnits,
    dueDate: z.string().meta({ description: 'A local day, YYYY-MM-DD' }),
    isOverdue: z.boolean().meta({ description: 'Unpaid past its due date, on the tenant’s local day' }),
    overdueSince: isoDateTime.optional(),
    discount: invoiceDiscountSchema.optional(),
    notes: z.string().optional(),
    agreement: z
      .object({
        agreementId: z.string(),
        memberDiscountBasisPoints: z.number().int(),
        coversVisit: z.boolean(),
      })
      .optional(),
    pricedAt: isoDateTime.optional(),
    approvedBy: z.string().optional(),
    sentAt: isoDateTime.optional(),
    voided: z.object({ at: isoDateTime, by: z.string(), reason: z.string() }).optional(),
    replacedBy: z.string().optional(),
    replaces: z.string().optional(),
    version: z.number().int(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Invoice' });

export const voidOutcomeView = z
  .object({
    voided: invoiceView,
    replacement: invoiceView.meta({ description: 'The fresh draft the work order now awaits approval of' }),
  })
  .meta({ id: 'VoidedInvoice' });
