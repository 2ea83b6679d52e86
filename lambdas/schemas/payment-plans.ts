import { z } from 'zod';
import { maxInstalments, planIntervals } from '../domain/receivables/payment-plan.ts';
import { calendarDay, isoDateTime } from './common.ts';
import { invoiceId } from './invoices.ts';

// The shapes only: that the amounts add up to the balance and the dates increase is the domain's,
// which names the failing field the same way (`body.instalments.2.dueDate`).

const amount = z
  .number()
  .int()
  .min(1)
  .max(100_000_000)
  .meta({ description: 'Minor units of the invoice currency' });

export const paymentPlanBody = z
  .object({
    count: z
      .number()
      .int()
      .min(2)
      .max(maxInstalments)
      .optional()
      .meta({ description: 'So many equal instalments; the last absorbs the rounding' }),
    firstDueDate: calendarDay.optional().meta({
      description:
        "With count: the first instalment's local day (the invoice's due date, or today if past, unless given)",
    }),
    every: z
      .enum(planIntervals)
      .optional()
      .meta({ description: 'With count: how far apart (month unless given)' }),
    instalments: z
      .array(z.object({ dueDate: calendarDay, amount: amount.optional() }).strict())
      .min(1)
      .max(maxInstalments)
      .optional()
      .meta({
        description:
          'Or the instalments, in due order: all amounts (adding up to the balance) or none (equal split)',
      }),
  })
  .strict()
  .superRefine((body, context) => {
    if ((body.count === undefined) === (body.instalments === undefined)) {
      context.addIssue({ code: 'custom', path: ['count'], message: 'give either count or instalments' });
    }
    if (body.instalments !== undefined) {
      for (const field of ['firstDueDate', 'every'] as const) {
        if (body[field] !== undefined) {
          context.addIssue({ code: 'custom', path: [field], message: 'only with count' });
        }
      }
    }
  })
  .meta({
    id: 'NewPaymentPlan',
    example: { count: 3, every: 'month' },
  });

export const paymentPlanView = z
  .object({
    invoiceId,
    currency: z.string(),
    amount: z.number().int().meta({ description: 'The balance the plan covers: the sum of the instalments' }),
    balance: z.number().int().meta({ description: 'What the invoice still has open' }),
    instalments: z.array(
      z.object({
        number: z.number().int(),
        dueDate: z.string(),
        amount: z.number().int(),
        amountPaid: z
          .number()
          .int()
          .meta({ description: 'Of the payments since the plan, applied oldest first' }),
        status: z.enum(['due', 'paid', 'overdue']),
        paidAt: isoDateTime.optional(),
      }),
    ),
    nextDue: z
      .object({ number: z.number().int(), dueDate: z.string(), amount: z.number().int() })
      .optional()
      .meta({ description: 'The first instalment not yet paid, and what is left of it' }),
    createdBy: z.string(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'PaymentPlan' });
