import { z } from 'zod';
import { defineEvent } from './event-definition.ts';

/**
 * `Inventory.LowStock` v1: a part's stock at a location fell to or below its reorder point. Raised
 * once for each stretch below the point, after the part was put on a purchase order, which it names.
 */
export const inventoryLowStock = defineEvent(
  'Inventory.LowStock',
  1,
  z.object({
    alertId: z.string(),
    partId: z.string(),
    sku: z.string(),
    name: z.string(),
    locationId: z.string(),
    onHand: z.number(),
    reorderPoint: z.number(),
    reorderQuantity: z.number(),
    supplier: z.string().optional(),
    purchaseOrderId: z.string(),
    raisedAt: z.string(),
  }),
);
