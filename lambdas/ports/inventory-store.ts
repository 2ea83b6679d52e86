import type { PageRequest } from '../domain/customers/customer-directory.ts';
import type { InventorySettings } from '../domain/inventory/inventory-settings.ts';
import type { PurchaseOrder, PurchaseOrderStatus } from '../domain/inventory/purchase-order.ts';
import type {
  LowStockAlert,
  ReorderRule,
  StockChange,
  StockLevel,
  StockMovement,
} from '../domain/inventory/stock.ts';
import type { Warehouse } from '../domain/inventory/stock-locations.ts';
import type { Page } from './work-order-store.ts';

/** A stock level with the part it counts, as the catalogue names it now (absent for a part gone from it). */
export interface StockLevelWithPart extends StockLevel {
  part?: { sku: string; name: string; unit: string };
}

/** Stock per part and location, its movements, the warehouses and the low-stock alerts. */
export interface InventoryStore {
  /** The tenant's inventory settings and currency; undefined when there is no such tenant. */
  tenantTerms(tenantId: string): Promise<{ settings: InventorySettings; currency: string } | undefined>;
  saveSettings(tenantId: string, settings: InventorySettings, at: string): Promise<void>;

  warehouse(tenantId: string, locationId: string): Promise<Warehouse | undefined>;
  /** The warehouses the office added, in id order. */
  warehouses(tenantId: string): Promise<Warehouse[]>;
  /** Writes the warehouse unless one has its id; false if one had. */
  createWarehouse(warehouse: Warehouse): Promise<boolean>;

  /** One part's stock at one location, read consistently. */
  level(tenantId: string, partId: string, locationId: string): Promise<StockLevel | undefined>;
  /** A location's stock, part by part (one Query). */
  levelsAt(tenantId: string, locationId: string, page: PageRequest): Promise<Page<StockLevelWithPart>>;
  /** A part's stock at every location that holds a record of it (one Query). */
  levelsOf(tenantId: string, partId: string, page: PageRequest): Promise<Page<StockLevelWithPart>>;
  /** Sets (or with undefined removes) the reorder rule of a part at a location, creating its stock record. */
  setReorderRule(
    level: Pick<StockLevel, 'tenantId' | 'partId' | 'locationId'>,
    rule: ReorderRule | undefined,
    at: string,
  ): Promise<StockLevel>;
  /**
   * Moves stock at one or more locations with their movement records, all or nothing. False when
   * a decrement's `whileOnHandAtLeast` did not hold (nothing written).
   */
  move(changes: StockChange[], at: string): Promise<boolean>;
  /** The movements of a part at a location, newest first. */
  movements(
    tenantId: string,
    partId: string,
    locationId: string,
    page: PageRequest,
  ): Promise<Page<StockMovement>>;

  /**
   * Raises the alert, marking the level with it, only while the level has no alert open, is at
   * or below the reorder point read and still has that point; false if refused (nothing written).
   */
  openLowStockAlert(level: StockLevel, alert: LowStockAlert): Promise<boolean>;
  /** Closes the level's open alert, only while the stock is above the point read (or the point is gone). */
  closeLowStockAlert(level: StockLevel, at: string): Promise<boolean>;
  /** Notes on the alert the purchase order the part went on. */
  recordAlertOrder(alert: LowStockAlert, purchaseOrderId: string): Promise<void>;
  /** The tenant's alerts, newest first. */
  alerts(tenantId: string, page: PageRequest): Promise<Page<LowStockAlert>>;
}

/** A change of a purchase order and what moves with it, all or nothing. */
export interface PurchaseOrderChange {
  before: PurchaseOrder;
  after: PurchaseOrder;
  /** Parts this order now holds on order (each written only if no open order holds it). */
  holdParts?: string[];
  /** Parts this order no longer holds on order (received in full, taken off, cancelled). */
  releaseParts?: string[];
  /** The order stops being its supplier's open draft (sent, cancelled). */
  releaseDraft?: boolean;
  /** Stock received with it. */
  stock?: StockChange[];
}

/** Purchase orders, the parts on order and each supplier's open draft. */
export interface PurchaseOrderStore {
  get(tenantId: string, purchaseOrderId: string): Promise<PurchaseOrder | undefined>;
  /** Newest first; of one status, or all (one Query either way). */
  list(
    tenantId: string,
    filter: { status?: PurchaseOrderStatus },
    page: PageRequest,
  ): Promise<Page<PurchaseOrder>>;
  /** The open order holding the part, if any. */
  orderHolding(tenantId: string, partId: string): Promise<string | undefined>;
  /** The supplier's open draft (by `supplierKeyOf`), if any. */
  draftOf(tenantId: string, supplierKey: string): Promise<string | undefined>;
  /**
   * Writes a new draft as its supplier's open draft, holding its lines' parts on order: only if
   * the supplier has no open draft (or still `replacing`, a full one) and no open order holds
   * those parts; false if refused (nothing written).
   */
  createDraft(order: PurchaseOrder, replacing?: string): Promise<boolean>;
  /** Applies the change on the version read; false if refused (nothing written). */
  update(change: PurchaseOrderChange): Promise<boolean>;
}
