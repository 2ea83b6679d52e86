import { z } from 'zod';
import { partUnits } from '../domain/parts/part.ts';
import { isoDateTime, prefixedId } from './common.ts';
import { stockLocationId } from './inventory.ts';
import { technicianId, workOrderId } from './work-orders.ts';

// The shapes only: the rules (SKU form, whole minor units, quantities in the part's unit) are the
// domain's, which names the failing field the same way.

export const partId = prefixedId('prt');
export const partUsageId = prefixedId('use');

const minorUnits = (description: string) => z.number().meta({ description: `${description}, minor units` });

const partFields = {
  sku: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .meta({ description: 'Unique in the tenant, any case (stored upper-cased)', example: 'CAP-45-5-440' }),
  name: z.string().trim().min(1).max(200).meta({ example: 'Dual run capacitor 45/5 µF 440 V' }),
  category: z.string().trim().max(100).optional().meta({ example: 'Capacitors' }),
  supplier: z.string().trim().max(200).optional().meta({
    description: 'Who it is bought from: reorders are grouped by supplier',
    example: 'Coastal HVAC Supply',
  }),
  unit: z.enum(partUnits).meta({
    description:
      'Counted units (each, pair, set, box, roll) take whole quantities; measured ones up to 3 decimals',
  }),
  unitCost: minorUnits('What one unit costs the business'),
  unitPrice: minorUnits('What the customer pays for one unit'),
  taxable: z
    .boolean()
    .optional()
    .meta({ description: 'Whether sales tax applies; true unless said otherwise' }),
  active: z.boolean().optional().meta({ description: 'Inactive parts cannot be used on new jobs' }),
};

export const createPartBody = z.object(partFields).strict().meta({ id: 'NewPart' });

export const updatePartBody = z
  .object({
    ...partFields,
    sku: partFields.sku.optional(),
    name: partFields.name.optional(),
    category: partFields.category.meta({ description: 'An empty category removes it' }),
    supplier: partFields.supplier.meta({ description: 'An empty supplier removes it' }),
    unit: partFields.unit.optional(),
    unitCost: partFields.unitCost.optional(),
    unitPrice: partFields.unitPrice.optional(),
  })
  .strict()
  .meta({ id: 'PartChanges' });

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const listPartsQuery = z
  .object({
    sku: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .optional()
      .meta({ description: 'The one part with this SKU, any case' }),
    category: z.string().trim().min(1).max(100).optional(),
    active: flag.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .strict();

export const partIdParams = z.object({ id: partId }).strict();

export const partView = z
  .object({
    id: partId,
    sku: z.string(),
    name: z.string(),
    category: z.string().optional(),
    supplier: z.string().optional(),
    unit: z.enum(partUnits),
    unitCost: z.number().int(),
    unitPrice: z.number().int(),
    taxable: z.boolean(),
    active: z.boolean(),
    version: z.number().int(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Part' });

export const partUsageBody = z
  .object({
    partId: partId.optional().meta({ description: 'The catalogue part used' }),
    quantity: z.number().meta({
      description:
        'Above 0, in the part’s unit: whole for counted units, up to 3 decimals for measured ones; on a correction, the quantity taken back',
      example: 2,
    }),
    unitPrice: z
      .number()
      .optional()
      .meta({ description: 'The office only: a price per unit other than the catalogue’s, minor units' }),
    correctionOf: partUsageId
      .optional()
      .meta({ description: 'Instead of partId: the earlier usage this one takes quantity back from' }),
    reason: z.string().trim().min(1).max(1000).optional().meta({ description: 'Why, on a correction' }),
    fromLocation: stockLocationId.optional().meta({
      description:
        'Where the part is taken from; the technician’s truck by default, or the main warehouse for a job without one',
    }),
  })
  .strict()
  .superRefine((body, context) => {
    if ((body.partId === undefined) === (body.correctionOf === undefined)) {
      context.addIssue({ code: 'custom', path: ['partId'], message: 'give either partId or correctionOf' });
    }
    if (body.correctionOf !== undefined && body.reason === undefined) {
      context.addIssue({ code: 'custom', path: ['reason'], message: 'say why the usage is corrected' });
    }
    if (body.correctionOf !== undefined && body.fromLocation !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['fromLocation'],
        message: 'a correction puts the part back where its usage took it from',
      });
    }
    if (body.correctionOf !== undefined && body.unitPrice !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['unitPrice'],
        message: 'a correction takes the price of the usage it corrects',
      });
    }
  })
  .meta({ id: 'NewPartUsage' });

export const partUsageView = z
  .object({
    id: partUsageId,
    partId,
    sku: z.string(),
    name: z.string(),
    quantity: z.number().meta({ description: 'Negative on a correction' }),
    unit: z.string().optional(),
    unitCost: z.number().int(),
    unitPrice: z.number().int(),
    taxable: z.boolean(),
    correctionOf: partUsageId.optional(),
    reason: z.string().optional(),
    stockLocationId: stockLocationId
      .optional()
      .meta({ description: 'The stock location the part came from (or, on a correction, went back to)' }),
    stock: z
      .object({ locationId: stockLocationId, onHand: z.number(), negative: z.boolean() })
      .optional()
      .meta({ description: 'On the answer to a use or correction: the location’s stock of the part now' }),
    remainingQuantity: z
      .number()
      .optional()
      .meta({ description: 'On a usage: its quantity less what corrections took back' }),
    technicianId: technicianId.optional(),
    recordedBy: z.string(),
    at: isoDateTime,
  })
  .meta({ id: 'PartUsage' });

const partsTotals = z
  .object({
    partCount: z.number().int().meta({ description: 'Usages in use, net of corrections' }),
    partsCost: z.number().int(),
    partsPrice: z.number().int(),
  })
  .meta({ id: 'PartsTotals', description: 'Minor units, each usage net of its corrections' });

export const partsUsedView = z
  .object({ items: z.array(partUsageView), totals: partsTotals })
  .meta({ id: 'PartsUsed', description: 'Usages and corrections in the order recorded, and their totals' });

export const jobCostingView = z
  .object({
    workOrderId,
    status: z.string(),
    currency: z.string().meta({ example: 'USD' }),
    labor: z.object({
      minutes: z.number().int(),
      ratePerHour: z.number().int().meta({ description: 'The service type’s labor rate' }),
      price: z.number().int(),
      cost: z.number().int(),
      byTechnician: z.array(
        z.object({
          technicianId,
          minutes: z.number().int(),
          costRatePerHour: z.number().int().optional(),
          cost: z.number().int(),
        }),
      ),
    }),
    parts: z.object({ count: z.number().int(), cost: z.number().int(), price: z.number().int() }),
    tripCharge: z.number().int(),
    revenue: z
      .number()
      .int()
      .meta({ description: 'Labor, parts and trip charge as the invoice prices them' }),
    cost: z
      .number()
      .int()
      .meta({ description: 'Labor at the technicians’ cost rates, parts at their costs' }),
    revenueBasis: z
      .enum(['invoice', 'estimate'])
      .meta({ description: 'The invoice’s subtotal, or before one, the work at list prices' }),
    margin: z.number().int(),
    marginPercent: z.number().nullable().meta({ description: 'Margin over revenue, to one decimal' }),
    missingCostRates: z
      .array(technicianId)
      .meta({ description: 'Technicians whose time is counted at no cost: no cost rate on record' }),
  })
  .meta({
    id: 'JobCosting',
    description: 'Minor units of the tenant’s currency, computed from the records now',
  });
