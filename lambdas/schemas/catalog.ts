import { z } from 'zod';
import { trades } from '../domain/catalog/service-type.ts';
import { isoDateTime, prefixedId } from './common.ts';
import { customerId, locationId, serviceTypeId, workOrderId } from './work-orders.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const minorUnits = z
  .number()
  .int()
  .min(0)
  .max(100_000_000)
  .meta({ description: "Minor units of the tenant's currency" });

const flatFee = z
  .object({
    name: text(200),
    amount: minorUnits,
    taxable: z
      .boolean()
      .optional()
      .meta({ description: 'Whether sales tax applies to the fee; absent: not taxed' }),
  })
  .strict()
  .meta({ id: 'FlatFee' });

const serviceTypeFields = {
  name: text(200),
  trade: z.enum(trades),
  keywords: z.array(text(100)).max(100),
  requiredSkills: z.array(text(50)).max(30),
  estimatedMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
  laborRatePerHour: minorUnits,
  tripCharge: minorUnits,
  flatFees: z.array(flatFee).max(50),
  checklist: z.array(text(500)).max(100).meta({ description: 'Steps for the technician, in order' }),
};

export const createServiceTypeBody = z
  .object({
    ...serviceTypeFields,
    keywords: serviceTypeFields.keywords.default([]),
    requiredSkills: serviceTypeFields.requiredSkills.default([]),
    laborRatePerHour: minorUnits.optional(),
    tripCharge: minorUnits.optional(),
    flatFees: serviceTypeFields.flatFees.default([]),
    checklist: serviceTypeFields.checklist.default([]),
  })
  .strict()
  .meta({ id: 'NewServiceType' });

export const updateServiceTypeBody = z
  .object({
    name: serviceTypeFields.name.optional(),
    trade: serviceTypeFields.trade.optional(),
    keywords: serviceTypeFields.keywords.optional(),
    requiredSkills: serviceTypeFields.requiredSkills.optional(),
    estimatedMinutes: serviceTypeFields.estimatedMinutes.optional(),
    laborRatePerHour: minorUnits.nullable().optional().meta({ description: 'null removes the rate' }),
    tripCharge: minorUnits.nullable().optional().meta({ description: 'null removes the charge' }),
    flatFees: serviceTypeFields.flatFees.optional(),
    checklist: serviceTypeFields.checklist.optional(),
  })
  .strict()
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'give at least one field to change',
  })
  .meta({ id: 'ServiceTypeChanges' });

export const durationEstimateView = z
  .object({
    minutes: z.number().int(),
    basis: z.enum(['service type', 'past jobs']),
    sampleCount: z.number().int().min(0).meta({ description: 'The recent jobs of the type looked at' }),
  })
  .meta({
    id: 'DurationEstimate',
    description:
      'The duration a new job of the type is booked for: with at least 5 recent jobs (of the last 50), their median rounded up to a quarter hour, between 15 minutes and 12 hours; otherwise estimatedMinutes',
  });

export const serviceTypeIdParams = z.object({ id: serviceTypeId }).strict();

export const serviceTypeView = z
  .object({
    id: serviceTypeId,
    name: z.string(),
    trade: z.enum(trades),
    keywords: z.array(z.string()),
    requiredSkills: z.array(z.string()),
    estimatedMinutes: z.number().int(),
    prices: z.object({
      laborRatePerHour: minorUnits.optional(),
      tripCharge: minorUnits.optional(),
      flatFees: z.array(flatFee),
    }),
    checklist: z.array(z.string()),
    durationEstimate: durationEstimateView
      .optional()
      .meta({ description: 'Given when one service type is read' }),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'ServiceType' });

export const serviceTypeList = z.object({ items: z.array(serviceTypeView) }).meta({ id: 'ServiceTypeList' });

export const suggestServiceTypesBody = z
  .object({
    description: text(4000),
    limit: z.number().int().min(1).max(20).default(3),
  })
  .strict()
  .meta({ id: 'SuggestServiceTypes' });

export const serviceTypeSuggestion = z
  .object({
    serviceTypeId,
    name: z.string(),
    score: z.number().meta({ description: 'Comparable between the items of one answer only' }),
    confidence: z.number().min(0).max(1),
    matchedTerms: z.array(
      z.object({
        term: z.string(),
        text: z.string().meta({ description: 'The words of the description it was read from' }),
        sources: z.array(z.enum(['catalogue', 'history'])),
        points: z.number(),
        corrected: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'ServiceTypeSuggestion' });

export const serviceTypeSuggestions = z
  .object({ items: z.array(serviceTypeSuggestion) })
  .meta({ id: 'ServiceTypeSuggestions' });

export const historyPreviewBody = z
  .object({
    customerId,
    locationId: locationId.optional(),
    equipmentId: prefixedId('eqp').optional(),
    description: text(4000),
    limit: z.number().int().min(1).max(50).default(10),
  })
  .strict()
  .meta({ id: 'HistoryPreviewRequest' });

export const historyEntry = z
  .object({
    workOrderId,
    status: z.string(),
    date: isoDateTime,
    description: z.string(),
    summary: z.string().optional(),
    technician: z.object({ technicianId: z.string(), name: z.string().optional() }).optional(),
    serviceTypeId: serviceTypeId.optional(),
    relation: z.enum(['same_equipment', 'same_location', 'same_customer']),
    similarity: z.number().min(0).max(1),
    matchedTerms: z.array(z.string()),
    relevance: z.number(),
  })
  .meta({ id: 'HistoryEntry' });

export const historyPreview = z.object({ items: z.array(historyEntry) }).meta({ id: 'HistoryPreview' });
