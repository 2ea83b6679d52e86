import type { PageRequest } from '../../domain/customers/customer-directory.ts';
import { type InventorySettings, inventorySettingsOf } from '../../domain/inventory/inventory-settings.ts';
import type { PurchaseOrder, PurchaseOrderStatus } from '../../domain/inventory/purchase-order.ts';
import { supplierKeyOf } from '../../domain/inventory/purchase-order.ts';
import type {
  LowStockAlert,
  ReorderRule,
  StockChange,
  StockLevel,
  StockMovement,
} from '../../domain/inventory/stock.ts';
import type { Warehouse } from '../../domain/inventory/stock-locations.ts';
import type {
  InventoryStore,
  PurchaseOrderChange,
  PurchaseOrderStore,
  StockLevelWithPart,
} from '../../ports/inventory-store.ts';
import type { Page } from '../../ports/work-order-store.ts';
import { isConditionalCheckFailure, writtenIfCondition } from './conditional-check.ts';
import { type Condition, type Operations, sameAs } from './conditions.ts';
import type { Entities } from './entities.ts';
import { pagedQuery } from './paging.ts';

/** The entities as a transaction's callback gets them. */
type TransactionEntities = Parameters<Parameters<Entities['service']['transaction']['write']>[0]>[0];

const onHandAtLeast =
  (quantity: number): Condition =>
  ({ onHand }, { gte }) =>
    (gte as Operations[string])(onHand, quantity);

/** The item is held by this purchase order, or already gone. */
const heldByOrFree =
  (purchaseOrderId: string): Condition =>
  ({ purchaseOrderId: attribute }, { eq, notExists }) =>
    `${(notExists as Operations[string])(attribute)} OR ${(eq as Operations[string])(attribute, purchaseOrderId)}`;

/**
 * The writes of one stock change inside a transaction: the level's atomic add (creating the
 * level at the first movement of the part there), conditional on what is on hand when the
 * tenant refuses negative stock, and the movement record. Shared with the part usage's
 * transaction, so a part used on a job leaves the stock in the same write as its usage item.
 */
export function stockChangeWrites(entity: TransactionEntities, change: StockChange, at: string) {
  const { tenantId, partId, locationId, quantity } = change.movement;
  const upsert = entity.stockLevel
    .upsert({ tenantId, partId, locationId, updatedAt: at })
    .add({ onHand: quantity })
    .ifNotExists({ createdAt: at });
  const level =
    change.whileOnHandAtLeast === undefined
      ? upsert
      : upsert.where(onHandAtLeast(change.whileOnHandAtLeast) as never);
  return [level.commit(), entity.stockMovement.create(change.movement).commit()];
}

const toLevel = (item: object): StockLevel => item as StockLevel;

/**
 * Stock, movements, warehouses and low-stock alerts in the single table. A stock level is an
 * item in its part's item collection (the part's stock everywhere: one Query) and on the
 * location's index (a location's stock: one Query); its movements are a partition of their own
 * per part and location, in time order.
 */
export class DynamoInventoryStore implements InventoryStore {
  constructor(private readonly entities: Entities) {}

  async tenantTerms(
    tenantId: string,
  ): Promise<{ settings: InventorySettings; currency: string } | undefined> {
    const { data } = await this.entities.tenant.get({ tenantId }).go({ consistent: true });
    if (!data) return undefined;
    return { settings: inventorySettingsOf(data.inventory), currency: data.currency };
  }

  async saveSettings(tenantId: string, settings: InventorySettings, at: string): Promise<void> {
    await this.entities.tenant.patch({ tenantId }).set({ inventory: settings, updatedAt: at }).go();
  }

  async warehouse(tenantId: string, locationId: string): Promise<Warehouse | undefined> {
    const { data } = await this.entities.stockLocation.get({ tenantId, locationId }).go({ consistent: true });
    return data ?? undefined;
  }

  async warehouses(tenantId: string): Promise<Warehouse[]> {
    const { data } = await this.entities.stockLocation.query.byTenant({ tenantId }).go({ pages: 'all' });
    return data;
  }

  async createWarehouse(warehouse: Warehouse): Promise<boolean> {
    return writtenIfCondition(() => this.entities.stockLocation.create(warehouse).go());
  }

  async level(tenantId: string, partId: string, locationId: string): Promise<StockLevel | undefined> {
    const { data } = await this.entities.stockLevel
      .get({ tenantId, partId, locationId })
      .go({ consistent: true });
    return data ? toLevel(data) : undefined;
  }

  async levelsAt(tenantId: string, locationId: string, page: PageRequest): Promise<Page<StockLevelWithPart>> {
    const levels = await pagedQuery(page, (options) =>
      this.entities.stockLevel.query.byLocation({ tenantId, locationId }).go(options),
    );
    return { ...levels, items: await this.withParts(tenantId, levels.items.map(toLevel)) };
  }

  async levelsOf(tenantId: string, partId: string, page: PageRequest): Promise<Page<StockLevelWithPart>> {
    const levels = await pagedQuery(page, (options) =>
      this.entities.stockLevel.query.byPart({ tenantId, partId }).go(options),
    );
    return { ...levels, items: await this.withParts(tenantId, levels.items.map(toLevel)) };
  }

  /** The catalogue's names of the levels' parts, read in one BatchGetItem (a page holds at most 100). */
  private async withParts(tenantId: string, levels: StockLevel[]): Promise<StockLevelWithPart[]> {
    const partIds = [...new Set(levels.map((level) => level.partId))];
    if (partIds.length === 0) return [];
    const { data, unprocessed } = await this.entities.part
      .get(partIds.map((partId) => ({ tenantId, partId })))
      .go({ unprocessed: 'item' });
    if (unprocessed.length > 0) throw new Error(`${unprocessed.length} parts were not read; retry`);
    const parts = new Map(data.map((part) => [part.partId, part]));
    return levels.map((level) => {
      const part = parts.get(level.partId);
      return part ? { ...level, part: { sku: part.sku, name: part.name, unit: part.unit } } : level;
    });
  }

  async setReorderRule(
    key: Pick<StockLevel, 'tenantId' | 'partId' | 'locationId'>,
    rule: ReorderRule | undefined,
    at: string,
  ): Promise<StockLevel> {
    const { tenantId, partId, locationId } = key;
    if (rule) {
      const { data } = await this.entities.stockLevel
        .upsert({ tenantId, partId, locationId, ...rule, updatedAt: at })
        .add({ onHand: 0 })
        .ifNotExists({ createdAt: at })
        .go({ response: 'all_new' });
      return toLevel(data);
    }
    try {
      const { data } = await this.entities.stockLevel
        .patch({ tenantId, partId, locationId })
        .set({ updatedAt: at })
        .remove(['reorderPoint', 'reorderQuantity'])
        .go({ response: 'all_new' });
      return toLevel(data);
    } catch (error) {
      // No stock record: nothing to remove.
      if (!isConditionalCheckFailure(error)) throw error;
      return { tenantId, partId, locationId, onHand: 0, createdAt: at, updatedAt: at };
    }
  }

  async move(changes: StockChange[], at: string): Promise<boolean> {
    const result = await this.entities.service.transaction
      .write((entity) => changes.flatMap((change) => stockChangeWrites(entity, change, at)))
      .go();
    return !result.canceled;
  }

  async movements(
    tenantId: string,
    partId: string,
    locationId: string,
    page: PageRequest,
  ): Promise<Page<StockMovement>> {
    return pagedQuery(page, (options) =>
      this.entities.stockMovement.query
        .byStock({ tenantId, partId, locationId })
        .go({ ...options, order: 'desc' }),
    ) as Promise<Page<StockMovement>>;
  }

  async openLowStockAlert(level: StockLevel, alert: LowStockAlert): Promise<boolean> {
    const { tenantId, partId, locationId } = level;
    const point = level.reorderPoint;
    if (point === undefined) return false;
    const stillLow: Condition = (attributes, operations) => {
      const { notExists, eq, lte } = operations as Record<string, (...args: unknown[]) => string>;
      return [
        notExists?.(attributes.lowStockAlertId),
        eq?.(attributes.reorderPoint, point),
        lte?.(attributes.onHand, point),
      ].join(' AND ');
    };
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.stockLevel
          .patch({ tenantId, partId, locationId })
          .set({ lowStockAlertId: alert.alertId })
          .where(stillLow as never)
          .commit(),
        entity.lowStockAlert.create(alert).commit(),
      ])
      .go();
    return !result.canceled;
  }

  async closeLowStockAlert(level: StockLevel, at: string): Promise<boolean> {
    const { tenantId, partId, locationId, lowStockAlertId: alertId } = level;
    if (alertId === undefined) return false;
    const point = level.reorderPoint;
    const backAbove: Condition = (attributes, operations) => {
      const { notExists, eq, gt } = operations as Record<string, (...args: unknown[]) => string>;
      const pointHolds =
        point === undefined
          ? notExists?.(attributes.reorderPoint)
          : `${eq?.(attributes.reorderPoint, point)} AND ${gt?.(attributes.onHand, point)}`;
      return `${eq?.(attributes.lowStockAlertId, alertId)} AND ${pointHolds}`;
    };
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.stockLevel
          .patch({ tenantId, partId, locationId })
          .remove(['lowStockAlertId'])
          .set({ updatedAt: at })
          .where(backAbove as never)
          .commit(),
        entity.lowStockAlert.patch({ tenantId, alertId }).set({ status: 'closed', closedAt: at }).commit(),
      ])
      .go();
    return !result.canceled;
  }

  async recordAlertOrder(alert: LowStockAlert, purchaseOrderId: string): Promise<void> {
    await this.entities.lowStockAlert
      .patch({ tenantId: alert.tenantId, alertId: alert.alertId })
      .set({ purchaseOrderId })
      .go();
  }

  async alerts(tenantId: string, page: PageRequest): Promise<Page<LowStockAlert>> {
    return pagedQuery(page, (options) =>
      this.entities.lowStockAlert.query.byTenant({ tenantId }).go({ ...options, order: 'desc' }),
    ) as Promise<Page<LowStockAlert>>;
  }
}

/**
 * Purchase orders in the single table, each an item of its own with its lines. A part on an
 * open order is held by a `partOnOrder` item and a supplier's open draft by a `supplierDraft`
 * item, both written in the order's transactions with conditions, so concurrent reorders never
 * put a part on two orders or raise two drafts for one supplier.
 */
export class DynamoPurchaseOrderStore implements PurchaseOrderStore {
  constructor(private readonly entities: Entities) {}

  async get(tenantId: string, purchaseOrderId: string): Promise<PurchaseOrder | undefined> {
    const { data } = await this.entities.purchaseOrder
      .get({ tenantId, purchaseOrderId })
      .go({ consistent: true });
    return (data as PurchaseOrder | null) ?? undefined;
  }

  async list(
    tenantId: string,
    filter: { status?: PurchaseOrderStatus },
    page: PageRequest,
  ): Promise<Page<PurchaseOrder>> {
    const { status } = filter;
    const { query } = this.entities.purchaseOrder;
    return pagedQuery(page, (options) =>
      status !== undefined
        ? query.byStatus({ tenantId, status }).go({ ...options, order: 'desc' })
        : query.byTenant({ tenantId }).go({ ...options, order: 'desc' }),
    ) as Promise<Page<PurchaseOrder>>;
  }

  async orderHolding(tenantId: string, partId: string): Promise<string | undefined> {
    const { data } = await this.entities.partOnOrder.get({ tenantId, partId }).go({ consistent: true });
    return data?.purchaseOrderId;
  }

  async draftOf(tenantId: string, supplierKey: string): Promise<string | undefined> {
    const { data } = await this.entities.supplierDraft
      .get({ tenantId, supplierKey })
      .go({ consistent: true });
    return data?.purchaseOrderId;
  }

  async createDraft(order: PurchaseOrder, replacing?: string): Promise<boolean> {
    const { tenantId, purchaseOrderId, createdAt } = order;
    const pointer = { tenantId, supplierKey: supplierKeyOf(order.supplier), purchaseOrderId, createdAt };
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.purchaseOrder.create(order).commit(),
        replacing === undefined
          ? entity.supplierDraft.create(pointer).commit()
          : entity.supplierDraft
              .put(pointer)
              .where(sameAs('purchaseOrderId', replacing) as never)
              .commit(),
        ...order.lines.map((line) =>
          entity.partOnOrder.create({ tenantId, partId: line.partId, purchaseOrderId, createdAt }).commit(),
        ),
      ])
      .go();
    return !result.canceled;
  }

  async update(change: PurchaseOrderChange): Promise<boolean> {
    const { before, after } = change;
    const { tenantId, purchaseOrderId } = after;
    const supplierKey = supplierKeyOf(before.supplier);
    // The supplier's draft item goes only if it is still this order's: a full draft may have been replaced.
    const ownsDraft =
      change.releaseDraft === true && (await this.draftOf(tenantId, supplierKey)) === purchaseOrderId;
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.purchaseOrder
          .put(after)
          .where(sameAs('version', before.version) as never)
          .commit(),
        ...(change.holdParts ?? []).map((partId) =>
          entity.partOnOrder
            .create({ tenantId, partId, purchaseOrderId, createdAt: after.updatedAt })
            .commit(),
        ),
        ...(change.releaseParts ?? []).map((partId) =>
          entity.partOnOrder
            .delete({ tenantId, partId })
            .where(heldByOrFree(purchaseOrderId) as never)
            .commit(),
        ),
        ...(ownsDraft
          ? [
              entity.supplierDraft
                .delete({ tenantId, supplierKey })
                .where(sameAs('purchaseOrderId', purchaseOrderId) as never)
                .commit(),
            ]
          : []),
        ...(change.stock ?? []).flatMap((stock) => stockChangeWrites(entity, stock, after.updatedAt)),
      ])
      .go();
    return !result.canceled;
  }
}
