import { z } from 'zod';
import { calendarDay } from './common.ts';

export const jobCostingReportQuery = z
  .object({
    from: calendarDay.meta({ description: "The period's first local day" }),
    to: calendarDay.meta({ description: "The period's last local day (at most a year after from)" }),
  })
  .strict();

const money = z.number().int();

const figures = {
  revenue: money.meta({ description: 'The work priced as its invoice prices it, before tax' }),
  cost: money.meta({
    description: "Technicians' time at their cost rates plus the parts at their captured costs",
  }),
  margin: money,
  marginPercent: z
    .number()
    .nullable()
    .meta({ description: 'Of revenue, to one decimal; null without revenue' }),
};

export const jobCostingReportView = z
  .object({
    from: z.string(),
    to: z.string(),
    currency: z.string(),
    workOrders: z.array(
      z.object({
        workOrderId: z.string(),
        completedAt: z.string(),
        customerId: z.string(),
        serviceTypeId: z.string().optional(),
        technicianId: z.string().optional(),
        labor: z.object({
          minutes: z.number().int(),
          ratePerHour: money,
          price: money,
          cost: money,
          byTechnician: z.array(
            z.object({
              technicianId: z.string(),
              minutes: z.number().int(),
              costRatePerHour: money.optional(),
              cost: money,
            }),
          ),
        }),
        parts: z.object({ count: z.number().int(), cost: money, price: money }),
        tripCharge: money,
        ...figures,
        revenueBasis: z.enum(['invoice', 'estimate']),
        missingCostRates: z.array(z.string()),
      }),
    ),
    totals: z.object({
      workOrders: z.number().int(),
      laborMinutes: z.number().int(),
      laborCost: money,
      partsCost: money,
      ...figures,
    }),
  })
  .meta({ id: 'JobCostingReport' });
