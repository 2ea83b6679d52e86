import type { Clock } from '../../ports/clock.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { InventoryStore, PurchaseOrderStore } from '../../ports/inventory-store.ts';
import type { PartCatalog } from '../../ports/part-catalog.ts';
import { inventoryLowStock } from '../../schemas/events/inventory-low-stock.ts';
import { ServiceUnavailableError } from '../../shared/errors.ts';
import type { Part } from '../parts/part.ts';
import {
  lineFor,
  maxPurchaseOrderLines,
  newDraft,
  reorderActorId,
  supplierKeyOf,
  withLines,
} from './purchase-order.ts';
import { type LowStockAlert, lowStockDecision, type StockLevel } from './stock.ts';
import { mainWarehouseId } from './stock-locations.ts';

/** What watching stock levels and reordering runs on. */
export interface ReorderDependencies {
  inventory: InventoryStore;
  purchaseOrders: PurchaseOrderStore;
  parts: Pick<PartCatalog, 'get'>;
  events: EventPublisher;
  clock: Clock;
  ids: IdGenerator;
  reportFailure: (message: string, error: unknown) => void;
}

/** How many times a write refused by a concurrent one is tried again. */
const maxAttempts = 8;

/**
 * Looks at a part's stock at a location after it moved, and acts on the reorder point:
 * 1. After a decrement, at or below the point with no alert open for this stretch: raises the
 *    alert (a conditional write, so of concurrent decrements exactly one raises it), puts the
 *    part on a purchase order (`reorderPart`), notes the order on the alert and publishes
 *    `Inventory.LowStock`. An increment that leaves it below raises nothing.
 * 2. Back above the point with an alert open: closes it, so the next crossing raises a new one.
 * The stock change is saved already: a failure here is reported, never thrown, and the next
 * movement of the stock looks again. Answers the level as read.
 */
export async function reviewStock(
  dependencies: ReorderDependencies,
  key: { tenantId: string; partId: string; locationId: string },
  after: 'decrement' | 'increment',
): Promise<StockLevel | undefined> {
  let level: StockLevel | undefined;
  try {
    level = await dependencies.inventory.level(key.tenantId, key.partId, key.locationId);
    if (!level) return undefined;
    const decision = lowStockDecision(level);
    if (decision === 'close') {
      await dependencies.inventory.closeLowStockAlert(level, dependencies.clock.now().toISOString());
    } else if (decision === 'raise' && after === 'decrement') {
      await raiseLowStock(dependencies, level);
    }
  } catch (error) {
    dependencies.reportFailure(`The stock of ${key.partId} at ${key.locationId} was not reviewed`, error);
  }
  return level;
}

async function raiseLowStock(dependencies: ReorderDependencies, level: StockLevel): Promise<void> {
  const part = await dependencies.parts.get(level.tenantId, level.partId);
  if (!part || level.reorderPoint === undefined || level.reorderQuantity === undefined) return;
  const alert: LowStockAlert = {
    tenantId: level.tenantId,
    alertId: dependencies.ids.next('alr'),
    partId: part.partId,
    sku: part.sku,
    name: part.name,
    locationId: level.locationId,
    onHand: level.onHand,
    reorderPoint: level.reorderPoint,
    reorderQuantity: level.reorderQuantity,
    ...(part.supplier ? { supplier: part.supplier } : {}),
    status: 'open',
    raisedAt: dependencies.clock.now().toISOString(),
  };
  if (!(await dependencies.inventory.openLowStockAlert(level, alert))) return;
  const purchaseOrderId = await reorderPart(dependencies, part, level.reorderQuantity);
  await dependencies.inventory.recordAlertOrder(alert, purchaseOrderId);
  const { tenantId: _tenant, status: _status, ...detail } = alert;
  try {
    await dependencies.events.publish([
      inventoryLowStock.create(level.tenantId, alert.raisedAt, { ...detail, purchaseOrderId }),
    ]);
  } catch (error) {
    dependencies.reportFailure(`The ${inventoryLowStock.type} event was not published`, error);
  }
}

/**
 * Puts a part on a purchase order, once: if an open order holds it already, that order; else a
 * line of `quantity` at the part's cost on its supplier's open draft, or a new draft for the
 * supplier when there is none (or it is full). The part's on-order item and the supplier's
 * draft item are written with not-exists conditions in the same transaction as the order, so
 * concurrent crossings add one line and raise one draft. Answers the order's id.
 */
export async function reorderPart(
  dependencies: Pick<ReorderDependencies, 'inventory' | 'purchaseOrders' | 'clock' | 'ids'>,
  part: Part,
  quantity: number,
): Promise<string> {
  const { purchaseOrders } = dependencies;
  const supplierKey = supplierKeyOf(part.supplier);
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const holding = await purchaseOrders.orderHolding(part.tenantId, part.partId);
    if (holding) return holding;
    const at = dependencies.clock.now().toISOString();
    const line = lineFor(part, quantity);
    const draftId = await purchaseOrders.draftOf(part.tenantId, supplierKey);
    const draft = draftId ? await purchaseOrders.get(part.tenantId, draftId) : undefined;
    if (draft && draft.status === 'draft' && draft.lines.length < maxPurchaseOrderLines) {
      const after = withLines(draft, [...draft.lines, line], at);
      if (await purchaseOrders.update({ before: draft, after, holdParts: [part.partId] })) {
        return draft.purchaseOrderId;
      }
      continue;
    }
    const terms = await dependencies.inventory.tenantTerms(part.tenantId);
    const order = newDraft({
      tenantId: part.tenantId,
      purchaseOrderId: dependencies.ids.next('po'),
      ...(part.supplier ? { supplier: part.supplier } : {}),
      lines: [line],
      deliverTo: mainWarehouseId,
      currency: terms?.currency ?? 'USD',
      raisedBy: reorderActorId,
      at,
    });
    if (await purchaseOrders.createDraft(order, draftId)) return order.purchaseOrderId;
  }
  throw new ServiceUnavailableError(
    `${part.sku} could not be put on a purchase order for concurrent changes`,
  );
}
