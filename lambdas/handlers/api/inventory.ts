import {
  clock,
  idempotencyStore,
  inventoryDependencies,
  tenantWriteLimiter,
} from '../../adapters/dependencies.ts';
import { getInventorySettings, updateInventorySettings } from '../../domain/inventory/inventory-settings.ts';
import {
  addWarehouse,
  adjustStock,
  lowStockAlerts,
  setReorderRule,
  stockAt,
  stockLocations,
  stockMovements,
  stockOf,
  transferStock,
} from '../../domain/inventory/manage-stock.ts';
import { lineTotal, outstandingOf, type PurchaseOrder } from '../../domain/inventory/purchase-order.ts';
import {
  cancelPurchaseOrder,
  getPurchaseOrder,
  listPurchaseOrders,
  receivePurchaseOrder,
  sendPurchaseOrder,
  updatePurchaseOrderLines,
} from '../../domain/inventory/purchase-orders.ts';
import {
  isAtOrBelowReorderPoint,
  type LowStockAlert,
  type StockLevel,
  type StockMovement,
} from '../../domain/inventory/stock.ts';
import type { StockLocation } from '../../domain/inventory/stock-locations.ts';
import type { StockLevelWithPart } from '../../ports/inventory-store.ts';
import type { Page } from '../../ports/work-order-store.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { inventoryRoutes } from './inventory-routes.ts';

/** The API's view of a stock level: no tenant; whether it is negative or low, said outright. */
const toLevelView = (level: StockLevelWithPart) => ({
  partId: level.partId,
  ...(level.part ? level.part : {}),
  locationId: level.locationId,
  onHand: level.onHand,
  negative: level.onHand < 0,
  ...(level.reorderPoint !== undefined ? { reorderPoint: level.reorderPoint } : {}),
  ...(level.reorderQuantity !== undefined ? { reorderQuantity: level.reorderQuantity } : {}),
  belowReorderPoint: isAtOrBelowReorderPoint(level),
  ...(level.lowStockAlertId !== undefined ? { lowStockAlertId: level.lowStockAlertId } : {}),
  updatedAt: level.updatedAt,
});

/** A level read after a movement; a review that could not read it shows the movement's location empty-handed. */
const levelAfter = (level: StockLevel | undefined, movement: StockMovement) =>
  toLevelView(
    level ?? {
      tenantId: movement.tenantId,
      partId: movement.partId,
      locationId: movement.locationId,
      onHand: 0,
      createdAt: movement.at,
      updatedAt: movement.at,
    },
  );

const toLocationView = ({ locationId, ...location }: StockLocation) => ({ id: locationId, ...location });

const toMovementView = ({ tenantId: _tenant, movementId, ...movement }: StockMovement) => ({
  id: movementId,
  ...movement,
});

const toAlertView = ({ tenantId: _tenant, alertId, ...alert }: LowStockAlert) => ({ id: alertId, ...alert });

const toOrderView = ({ tenantId: _tenant, purchaseOrderId, lines, ...order }: PurchaseOrder) => ({
  id: purchaseOrderId,
  ...order,
  lines: lines.map((line) => ({ ...line, total: lineTotal(line), outstandingQuantity: outstandingOf(line) })),
});

const pageView = <T, V>(page: Page<T>, view: (item: T) => V) => ({
  items: page.items.map(view),
  ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
});

const pageRequest = ({ limit, cursor }: { limit: number; cursor?: string | undefined }) => ({
  limit,
  ...(cursor ? { cursor } : {}),
});

export const handler = apiHandler(
  'inventory',
  inventoryRoutes,
  {
    getInventorySettings: async ({ actor }) => ({
      status: 200,
      body: await getInventorySettings(inventoryDependencies().inventory, actor),
    }),
    updateInventorySettings: async ({ actor, body }) => ({
      status: 200,
      body: await updateInventorySettings({ inventory: inventoryDependencies().inventory, clock }, actor, {
        ...(body.negativeStock !== undefined ? { negativeStock: body.negativeStock } : {}),
      }),
    }),
    listStockLocations: async ({ actor }) => ({
      status: 200,
      body: { items: (await stockLocations(inventoryDependencies(), actor)).map(toLocationView) },
    }),
    createWarehouse: async ({ actor, body }) => ({
      status: 201,
      body: toLocationView(await addWarehouse(inventoryDependencies(), actor, body)),
    }),
    listStock: async ({ actor, query }) => {
      const page = pageRequest(query);
      if (query.locationId !== undefined) {
        const { location, levels } = await stockAt(inventoryDependencies(), actor, query.locationId, page);
        return {
          status: 200,
          body: { location: toLocationView(location), ...pageView(levels, toLevelView) },
        };
      }
      const { levels } = await stockOf(inventoryDependencies(), actor, query.partId ?? '', page);
      return { status: 200, body: pageView(levels, toLevelView) };
    },
    setReorderRule: async ({ actor, body }) => ({
      status: 200,
      body: toLevelView(
        await setReorderRule(inventoryDependencies(), actor, {
          partId: body.partId,
          locationId: body.locationId,
          reorderPoint: body.reorderPoint,
          ...(body.reorderQuantity !== undefined ? { reorderQuantity: body.reorderQuantity } : {}),
        }),
      ),
    }),
    transferStock: async ({ actor, body }) => {
      const { reason, ...transfer } = body;
      const { from, to, movements } = await transferStock(inventoryDependencies(), actor, {
        ...transfer,
        ...(reason ? { reason } : {}),
      });
      const [out, into] = movements as [StockMovement, StockMovement];
      return {
        status: 201,
        body: {
          from: levelAfter(from, out),
          to: levelAfter(to, into),
          movements: movements.map(toMovementView),
        },
      };
    },
    adjustStock: async ({ actor, body }) => {
      const { type, ...adjustment } = body;
      const { level, movement } = await adjustStock(inventoryDependencies(), actor, {
        ...adjustment,
        ...(type ? { type } : {}),
      });
      return {
        status: 201,
        body: { level: levelAfter(level, movement), movement: toMovementView(movement) },
      };
    },
    listStockMovements: async ({ actor, query }) => ({
      status: 200,
      body: pageView(
        await stockMovements(
          inventoryDependencies(),
          actor,
          query.partId,
          query.locationId,
          pageRequest(query),
        ),
        toMovementView,
      ),
    }),
    listLowStockAlerts: async ({ actor, query }) => ({
      status: 200,
      body: pageView(await lowStockAlerts(inventoryDependencies(), actor, pageRequest(query)), toAlertView),
    }),
    listPurchaseOrders: async ({ actor, query }) => ({
      status: 200,
      body: pageView(
        await listPurchaseOrders(
          inventoryDependencies(),
          actor,
          query.status ? { status: query.status } : {},
          pageRequest(query),
        ),
        toOrderView,
      ),
    }),
    getPurchaseOrder: async ({ actor, params }) => ({
      status: 200,
      body: toOrderView(await getPurchaseOrder(inventoryDependencies(), actor, params.id)),
    }),
    updatePurchaseOrder: async ({ actor, params, query, body }) => ({
      status: 200,
      body: toOrderView(
        await updatePurchaseOrderLines(
          inventoryDependencies(),
          actor,
          params.id,
          body.lines.map(({ unitCost, ...line }) => ({
            ...line,
            ...(unitCost !== undefined ? { unitCost } : {}),
          })),
          query.version,
        ),
      ),
    }),
    sendPurchaseOrder: async ({ actor, params, query }) => ({
      status: 200,
      body: toOrderView(await sendPurchaseOrder(inventoryDependencies(), actor, params.id, query.version)),
    }),
    receivePurchaseOrder: async ({ actor, params, query, body }) => ({
      status: 200,
      body: toOrderView(
        await receivePurchaseOrder(
          inventoryDependencies(),
          actor,
          params.id,
          {
            ...(body.locationId ? { locationId: body.locationId } : {}),
            ...(body.lines ? { lines: body.lines } : {}),
          },
          query.version,
        ),
      ),
    }),
    cancelPurchaseOrder: async ({ actor, params, query, body }) => ({
      status: 200,
      body: toOrderView(
        await cancelPurchaseOrder(inventoryDependencies(), actor, params.id, body.reason, query.version),
      ),
    }),
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
