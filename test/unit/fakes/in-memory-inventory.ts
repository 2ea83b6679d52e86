import type { PageRequest } from '../../../lambdas/domain/customers/customer-directory.ts';
import {
  type InventorySettings,
  inventorySettingsOf,
} from '../../../lambdas/domain/inventory/inventory-settings.ts';
import {
  type PurchaseOrder,
  type PurchaseOrderStatus,
  supplierKeyOf,
} from '../../../lambdas/domain/inventory/purchase-order.ts';
import type {
  LowStockAlert,
  ReorderRule,
  StockChange,
  StockLevel,
  StockMovement,
} from '../../../lambdas/domain/inventory/stock.ts';
import { plus } from '../../../lambdas/domain/inventory/stock.ts';
import type { Warehouse } from '../../../lambdas/domain/inventory/stock-locations.ts';
import type {
  InventoryStore,
  PurchaseOrderChange,
  PurchaseOrderStore,
  StockLevelWithPart,
} from '../../../lambdas/ports/inventory-store.ts';
import type { Page } from '../../../lambdas/ports/work-order-store.ts';

const levelKey = (tenantId: string, partId: string, locationId: string) =>
  `${tenantId}#${partId}#${locationId}`;

type ConcurrentWrite = () => void | Promise<void>;

/**
 * Stock in memory, with the table's guarantees: a set of changes applies all or nothing, a
 * decrement under the `refuse` rule only while enough is on hand, and an alert opens only while
 * the level is still low with none open. Another tenant's records are simply not there.
 */
export class InMemoryInventory implements InventoryStore {
  readonly levels = new Map<string, StockLevel>();
  readonly movementRecords: StockMovement[] = [];
  readonly alertRecords: LowStockAlert[] = [];
  private readonly warehouseRecords = new Map<string, Warehouse>();
  private readonly tenants = new Map<string, { settings: Partial<InventorySettings>; currency: string }>();
  private readonly beforeMoves: ConcurrentWrite[] = [];

  /** A tenant as provisioned, with its settings. */
  withTenant(tenantId: string, settings: Partial<InventorySettings> = {}, currency = 'USD'): this {
    this.tenants.set(tenantId, { settings, currency });
    return this;
  }

  /** Seeds a level as earlier movements left it. */
  withLevel(level: Partial<StockLevel> & Pick<StockLevel, 'tenantId' | 'partId' | 'locationId'>): this {
    this.levels.set(levelKey(level.tenantId, level.partId, level.locationId), {
      onHand: 0,
      createdAt: '2025-03-01T00:00:00.000Z',
      updatedAt: '2025-03-01T00:00:00.000Z',
      ...level,
    });
    return this;
  }

  /** Runs `write` just before the next `move` checks its conditions, as a concurrent request would. */
  beforeNextMove(write: ConcurrentWrite): this {
    this.beforeMoves.push(write);
    return this;
  }

  onHand(tenantId: string, partId: string, locationId: string): number | undefined {
    return this.levels.get(levelKey(tenantId, partId, locationId))?.onHand;
  }

  async tenantTerms(tenantId: string) {
    const tenant = this.tenants.get(tenantId);
    return tenant ? { settings: inventorySettingsOf(tenant.settings), currency: tenant.currency } : undefined;
  }

  async saveSettings(tenantId: string, settings: InventorySettings): Promise<void> {
    const tenant = this.tenants.get(tenantId);
    if (tenant) tenant.settings = { ...settings };
  }

  async warehouse(tenantId: string, locationId: string): Promise<Warehouse | undefined> {
    return structuredClone(this.warehouseRecords.get(`${tenantId}#${locationId}`));
  }

  async warehouses(tenantId: string): Promise<Warehouse[]> {
    return [...this.warehouseRecords.values()]
      .filter((warehouse) => warehouse.tenantId === tenantId)
      .sort((a, b) => a.locationId.localeCompare(b.locationId));
  }

  async createWarehouse(warehouse: Warehouse): Promise<boolean> {
    const key = `${warehouse.tenantId}#${warehouse.locationId}`;
    if (this.warehouseRecords.has(key)) return false;
    this.warehouseRecords.set(key, structuredClone(warehouse));
    return true;
  }

  async level(tenantId: string, partId: string, locationId: string): Promise<StockLevel | undefined> {
    return structuredClone(this.levels.get(levelKey(tenantId, partId, locationId)));
  }

  async levelsAt(tenantId: string, locationId: string, page: PageRequest): Promise<Page<StockLevelWithPart>> {
    const items = [...this.levels.values()]
      .filter((level) => level.tenantId === tenantId && level.locationId === locationId)
      .sort((a, b) => a.partId.localeCompare(b.partId));
    return { items: structuredClone(items.slice(0, page.limit)) };
  }

  async levelsOf(tenantId: string, partId: string, page: PageRequest): Promise<Page<StockLevelWithPart>> {
    const items = [...this.levels.values()]
      .filter((level) => level.tenantId === tenantId && level.partId === partId)
      .sort((a, b) => a.locationId.localeCompare(b.locationId));
    return { items: structuredClone(items.slice(0, page.limit)) };
  }

  async setReorderRule(
    key: Pick<StockLevel, 'tenantId' | 'partId' | 'locationId'>,
    rule: ReorderRule | undefined,
    at: string,
  ): Promise<StockLevel> {
    const id = levelKey(key.tenantId, key.partId, key.locationId);
    const current = this.levels.get(id);
    const {
      reorderPoint: _point,
      reorderQuantity: _quantity,
      ...rest
    } = current ?? {
      ...key,
      onHand: 0,
      createdAt: at,
      updatedAt: at,
    };
    const next: StockLevel = { ...rest, ...(rule ?? {}), updatedAt: at };
    if (current || rule) this.levels.set(id, next);
    return structuredClone(next);
  }

  /** Applies the changes all or nothing (used by the purchase orders' receipts too). */
  applyChanges(changes: StockChange[], at: string): boolean {
    for (const { movement, whileOnHandAtLeast } of changes) {
      const level = this.levels.get(levelKey(movement.tenantId, movement.partId, movement.locationId));
      if (whileOnHandAtLeast !== undefined && !(level && level.onHand >= whileOnHandAtLeast)) return false;
    }
    for (const { movement } of changes) {
      const id = levelKey(movement.tenantId, movement.partId, movement.locationId);
      const level = this.levels.get(id);
      this.levels.set(id, {
        ...(level ?? {
          tenantId: movement.tenantId,
          partId: movement.partId,
          locationId: movement.locationId,
          onHand: 0,
          createdAt: at,
        }),
        onHand: plus(level?.onHand ?? 0, movement.quantity),
        updatedAt: at,
      });
      this.movementRecords.push(structuredClone(movement));
    }
    return true;
  }

  /** Takes back a change applied by `applyChanges`, movement and all. */
  undoChange({ movement }: StockChange): void {
    const level = this.levels.get(levelKey(movement.tenantId, movement.partId, movement.locationId));
    if (level) level.onHand = plus(level.onHand, -movement.quantity);
    const index = this.movementRecords.findIndex((record) => record.movementId === movement.movementId);
    if (index >= 0) this.movementRecords.splice(index, 1);
  }

  async move(changes: StockChange[], at: string): Promise<boolean> {
    const concurrent = this.beforeMoves.shift();
    if (concurrent) await concurrent();
    return this.applyChanges(changes, at);
  }

  async movements(
    tenantId: string,
    partId: string,
    locationId: string,
    page: PageRequest,
  ): Promise<Page<StockMovement>> {
    const items = this.movementRecords
      .filter((movement) => movement.tenantId === tenantId && movement.partId === partId)
      .filter((movement) => movement.locationId === locationId)
      .reverse();
    return { items: structuredClone(items.slice(0, page.limit)) };
  }

  async openLowStockAlert(read: StockLevel, alert: LowStockAlert): Promise<boolean> {
    const level = this.levels.get(levelKey(read.tenantId, read.partId, read.locationId));
    if (
      !level ||
      level.lowStockAlertId !== undefined ||
      read.reorderPoint === undefined ||
      level.reorderPoint !== read.reorderPoint ||
      level.onHand > read.reorderPoint
    ) {
      return false;
    }
    level.lowStockAlertId = alert.alertId;
    this.alertRecords.push(structuredClone(alert));
    return true;
  }

  async closeLowStockAlert(read: StockLevel, at: string): Promise<boolean> {
    const level = this.levels.get(levelKey(read.tenantId, read.partId, read.locationId));
    const alert = this.alertRecords.find((candidate) => candidate.alertId === read.lowStockAlertId);
    if (!level || !alert || level.lowStockAlertId !== read.lowStockAlertId) return false;
    if (level.reorderPoint !== read.reorderPoint) return false;
    if (read.reorderPoint !== undefined && level.onHand <= read.reorderPoint) return false;
    delete level.lowStockAlertId;
    alert.status = 'closed';
    alert.closedAt = at;
    return true;
  }

  async recordAlertOrder(alert: LowStockAlert, purchaseOrderId: string): Promise<void> {
    const stored = this.alertRecords.find((candidate) => candidate.alertId === alert.alertId);
    if (stored) stored.purchaseOrderId = purchaseOrderId;
  }

  async alerts(tenantId: string, page: PageRequest): Promise<Page<LowStockAlert>> {
    const items = this.alertRecords.filter((alert) => alert.tenantId === tenantId).reverse();
    return { items: structuredClone(items.slice(0, page.limit)) };
  }
}

/**
 * Purchase orders in memory, with the table's guarantees: a part held by at most one open order,
 * one open draft per supplier, changes only at the version read, receipts restocking the
 * inventory in the same step.
 */
export class InMemoryPurchaseOrders implements PurchaseOrderStore {
  readonly orders = new Map<string, PurchaseOrder>();
  readonly onOrder = new Map<string, string>();
  readonly drafts = new Map<string, string>();
  private readonly beforeWrites: ConcurrentWrite[] = [];

  constructor(private readonly inventory: InMemoryInventory) {}

  /** Runs `write` just before the next create or update checks its conditions. */
  beforeNextWrite(write: ConcurrentWrite): this {
    this.beforeWrites.push(write);
    return this;
  }

  all(): PurchaseOrder[] {
    return [...this.orders.values()].map((order) => structuredClone(order));
  }

  async get(tenantId: string, purchaseOrderId: string): Promise<PurchaseOrder | undefined> {
    return structuredClone(this.orders.get(`${tenantId}#${purchaseOrderId}`));
  }

  async list(
    tenantId: string,
    filter: { status?: PurchaseOrderStatus },
    page: PageRequest,
  ): Promise<Page<PurchaseOrder>> {
    const items = [...this.orders.values()]
      .filter((order) => order.tenantId === tenantId)
      .filter((order) => filter.status === undefined || order.status === filter.status)
      .sort((a, b) => b.purchaseOrderId.localeCompare(a.purchaseOrderId));
    return { items: structuredClone(items.slice(0, page.limit)) };
  }

  async orderHolding(tenantId: string, partId: string): Promise<string | undefined> {
    return this.onOrder.get(`${tenantId}#${partId}`);
  }

  async draftOf(tenantId: string, supplierKey: string): Promise<string | undefined> {
    return this.drafts.get(`${tenantId}#${supplierKey}`);
  }

  async createDraft(order: PurchaseOrder, replacing?: string): Promise<boolean> {
    const concurrent = this.beforeWrites.shift();
    if (concurrent) await concurrent();
    const draftKey = `${order.tenantId}#${supplierKeyOf(order.supplier)}`;
    const heldParts = order.lines.map((line) => `${order.tenantId}#${line.partId}`);
    if (this.drafts.get(draftKey) !== replacing) return false;
    if (heldParts.some((key) => this.onOrder.has(key))) return false;
    if (this.orders.has(`${order.tenantId}#${order.purchaseOrderId}`)) return false;
    this.orders.set(`${order.tenantId}#${order.purchaseOrderId}`, structuredClone(order));
    this.drafts.set(draftKey, order.purchaseOrderId);
    for (const key of heldParts) this.onOrder.set(key, order.purchaseOrderId);
    return true;
  }

  async update(change: PurchaseOrderChange): Promise<boolean> {
    const concurrent = this.beforeWrites.shift();
    if (concurrent) await concurrent();
    const { before, after } = change;
    const key = `${after.tenantId}#${after.purchaseOrderId}`;
    if (this.orders.get(key)?.version !== before.version) return false;
    const partKey = (partId: string) => `${after.tenantId}#${partId}`;
    if ((change.holdParts ?? []).some((partId) => this.onOrder.has(partKey(partId)))) return false;
    if (
      (change.releaseParts ?? []).some((partId) => {
        const holder = this.onOrder.get(partKey(partId));
        return holder !== undefined && holder !== after.purchaseOrderId;
      })
    ) {
      return false;
    }
    if (change.stock && !this.inventory.applyChanges(change.stock, after.updatedAt)) return false;
    this.orders.set(key, structuredClone(after));
    for (const partId of change.holdParts ?? []) this.onOrder.set(partKey(partId), after.purchaseOrderId);
    for (const partId of change.releaseParts ?? []) this.onOrder.delete(partKey(partId));
    const draftKey = `${after.tenantId}#${supplierKeyOf(before.supplier)}`;
    if (change.releaseDraft && this.drafts.get(draftKey) === after.purchaseOrderId)
      this.drafts.delete(draftKey);
    return true;
  }
}
