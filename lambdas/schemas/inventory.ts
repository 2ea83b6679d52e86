import { z } from 'zod';
import { purchaseOrderStatuses } from '../domain/inventory/purchase-order.ts';
import { movementKinds, negativeStockRules } from '../domain/inventory/stock.ts';
import { isoDateTime, prefixedId } from './common.ts';
import { technicianId } from './work-orders.ts';

// The shapes only: quantities in each part's unit, reorder rules and receipts are checked by the
// domain, which names the failing field the same way.

export const stockLocationId = z
  .string()
  .regex(
    /^(warehouse:[a-z0-9][a-z0-9-]{0,31}|truck:tec_[0-9A-HJKMNP-TV-Z]{26})$/,
    'must be warehouse:<code> or truck:<technicianId>',
  )
  .meta({
    description:
      '`warehouse:main` (every tenant’s), `warehouse:<code>` (one added), or `truck:<technicianId>`',
    example: 'truck:tec_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3',
  });

export const purchaseOrderId = prefixedId('po');
/** As in the parts schemas, which take the location schema from here. */
const partId = prefixedId('prt');

const limit = z.coerce.number().int().min(1).max(100).default(25);
const cursor = z.string().min(1).max(2048).optional();
const quantity = (description: string) => z.number().meta({ description, example: 2 });

export const stockLocationView = z
  .object({
    id: stockLocationId,
    kind: z.enum(['warehouse', 'truck']),
    name: z.string(),
    technicianId: technicianId.optional(),
  })
  .meta({ id: 'StockLocation' });

export const stockLocationsView = z
  .object({ items: z.array(stockLocationView) })
  .meta({ id: 'StockLocations', description: 'The warehouses (the main one first), then the trucks' });

export const createWarehouseBody = z
  .object({
    code: z.string().min(1).max(32).meta({
      description: 'Lower-case letters, digits and -: the warehouse is `warehouse:<code>`',
      example: 'north',
    }),
    name: z.string().trim().min(1).max(200).meta({ example: 'North depot' }),
  })
  .strict()
  .meta({ id: 'NewWarehouse' });

export const stockQuery = z
  .object({
    locationId: stockLocationId.optional().meta({ description: 'A location’s stock, part by part' }),
    partId: partId.optional().meta({ description: 'A part’s stock at every location' }),
    limit,
    cursor,
  })
  .strict()
  .superRefine((query, context) => {
    if ((query.locationId === undefined) === (query.partId === undefined)) {
      context.addIssue({ code: 'custom', path: ['locationId'], message: 'give either locationId or partId' });
    }
  });

export const stockLevelView = z
  .object({
    partId,
    sku: z.string().optional(),
    name: z.string().optional(),
    unit: z.string().optional(),
    locationId: stockLocationId,
    onHand: z.number().meta({ description: 'In the part’s unit; below zero only under the `flag` rule' }),
    negative: z.boolean().meta({ description: 'More was taken than the location held: count or restock it' }),
    reorderPoint: z.number().optional(),
    reorderQuantity: z.number().optional(),
    belowReorderPoint: z.boolean().meta({ description: 'At or below the reorder point' }),
    lowStockAlertId: z.string().optional().meta({ description: 'The alert open while it is low' }),
    updatedAt: isoDateTime,
  })
  .meta({ id: 'StockLevel' });

export const stockPage = z
  .object({
    location: stockLocationView.optional(),
    items: z.array(stockLevelView),
    nextCursor: z.string().optional(),
  })
  .meta({ id: 'StockPage' });

export const reorderRuleBody = z
  .object({
    partId,
    locationId: stockLocationId,
    reorderPoint: z.number().nullable().meta({
      description:
        'In the part’s unit, 0 or more: a use leaving this much or less reorders; null removes the rule',
      example: 2,
    }),
    reorderQuantity: quantity('How much is ordered at the reorder point, in the part’s unit').optional(),
  })
  .strict()
  .meta({ id: 'ReorderRule' });

export const transferBody = z
  .object({
    partId,
    from: stockLocationId,
    to: stockLocationId,
    quantity: quantity('Above 0, in the part’s unit'),
    reason: z.string().trim().min(1).max(1000).optional(),
  })
  .strict()
  .meta({ id: 'StockTransfer' });

export const adjustmentBody = z
  .object({
    partId,
    locationId: stockLocationId,
    quantity: quantity('Signed, not 0, in the part’s unit: what arrives (+) or leaves (−)'),
    reason: z.string().trim().min(1).max(1000).meta({ example: 'Cycle count' }),
    type: z.enum(['receipt', 'adjustment']).optional().meta({
      description: '`receipt`: goods delivered (adds only); `adjustment` (default): a count, damage or loss',
    }),
  })
  .strict()
  .meta({ id: 'StockAdjustment' });

export const movementView = z
  .object({
    id: z.string(),
    partId,
    locationId: stockLocationId,
    kind: z.enum(movementKinds),
    quantity: z.number().meta({ description: 'Signed: negative when stock left the location' }),
    reason: z.string().optional(),
    workOrderId: z.string().optional(),
    usageId: z.string().optional(),
    purchaseOrderId: z.string().optional(),
    otherLocationId: z.string().optional(),
    actorId: z.string(),
    actorRole: z.string(),
    at: isoDateTime,
  })
  .meta({ id: 'StockMovement' });

export const movementsQuery = z.object({ partId, locationId: stockLocationId, limit, cursor }).strict();

export const transferView = z
  .object({ from: stockLevelView, to: stockLevelView, movements: z.array(movementView) })
  .meta({ id: 'StockTransferResult' });

export const adjustmentView = z
  .object({ level: stockLevelView, movement: movementView })
  .meta({ id: 'StockAdjustmentResult' });

export const lowStockAlertView = z
  .object({
    id: z.string(),
    partId,
    sku: z.string(),
    name: z.string(),
    locationId: stockLocationId,
    onHand: z.number(),
    reorderPoint: z.number(),
    reorderQuantity: z.number(),
    supplier: z.string().optional(),
    purchaseOrderId: purchaseOrderId.optional(),
    status: z.enum(['open', 'closed']),
    raisedAt: isoDateTime,
    closedAt: isoDateTime.optional(),
  })
  .meta({ id: 'LowStockAlert' });

export const pageQuery = z.object({ limit, cursor }).strict();

export const inventorySettingsView = z
  .object({
    negativeStock: z.enum(negativeStockRules).meta({
      description:
        '`refuse`: taking more than a location holds answers 409; `flag` (default): it is recorded and the stock shows negative',
    }),
  })
  .meta({ id: 'InventorySettings' });

export const inventorySettingsBody = inventorySettingsView
  .partial()
  .strict()
  .meta({ id: 'InventorySettingsChange' });

export const purchaseOrderIdParams = z.object({ id: purchaseOrderId }).strict();

export const listPurchaseOrdersQuery = z
  .object({ status: z.enum(purchaseOrderStatuses).optional(), limit, cursor })
  .strict();

export const purchaseOrderView = z
  .object({
    id: purchaseOrderId,
    supplier: z.string().optional(),
    status: z.enum(purchaseOrderStatuses),
    lines: z.array(
      z.object({
        partId,
        sku: z.string(),
        name: z.string(),
        unit: z.string().optional(),
        quantity: z.number(),
        unitCost: z.number().int().meta({ description: 'Minor units per unit' }),
        total: z.number().int(),
        receivedQuantity: z.number(),
        outstandingQuantity: z.number(),
      }),
    ),
    deliverTo: stockLocationId,
    currency: z.string(),
    total: z.number().int().meta({ description: 'Minor units' }),
    raisedBy: z.string().meta({ description: '`inventory` when raised at a reorder point' }),
    version: z.number().int(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    sentAt: isoDateTime.optional(),
    receivedAt: isoDateTime.optional(),
    cancelledAt: isoDateTime.optional(),
    cancelReason: z.string().optional(),
  })
  .meta({ id: 'PurchaseOrder' });

export const updatePurchaseOrderBody = z
  .object({
    lines: z
      .array(
        z
          .object({
            partId,
            quantity: quantity('Above 0, in the part’s unit'),
            unitCost: z
              .number()
              .optional()
              .meta({ description: 'Minor units per unit; the line’s so far, or the part’s cost' }),
          })
          .strict(),
      )
      .max(100)
      .meta({ description: 'The draft’s lines, all of them, each part once' }),
  })
  .strict()
  .meta({ id: 'PurchaseOrderLines' });

export const receivePurchaseOrderBody = z
  .object({
    locationId: stockLocationId
      .optional()
      .meta({ description: 'Where the goods go; the order’s deliverTo by default' }),
    lines: z
      .array(z.object({ partId, quantity: quantity('Above 0: what arrived of the line') }).strict())
      .min(1)
      .max(100)
      .optional()
      .meta({ description: 'What arrived; without it, everything outstanding' }),
  })
  .strict()
  .meta({ id: 'PurchaseOrderReceipt' });

export const cancelPurchaseOrderBody = z
  .object({ reason: z.string().trim().min(1).max(1000).optional() })
  .strict()
  .meta({ id: 'PurchaseOrderCancellation' });
