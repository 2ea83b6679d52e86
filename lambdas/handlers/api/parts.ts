import {
  clock,
  directoryStore,
  idempotencyStore,
  ids,
  inventoryDependencies,
  partCatalog,
  technicianStore,
  tenantWriteLimiter,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import type { PartUsage } from '../../domain/execution/field-records.ts';
import {
  type PartUsedInput,
  partsUsedOn,
  recordPartUsage,
} from '../../domain/execution/record-parts-used.ts';
import type { StockLevel } from '../../domain/inventory/stock.ts';
import { jobCosting } from '../../domain/invoicing/job-costing.ts';
import type { Part } from '../../domain/parts/part.ts';
import {
  createPart,
  findParts,
  getPart,
  type PartCatalogDependencies,
  updatePart,
} from '../../domain/parts/parts-catalog.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { partRoutes } from './part-routes.ts';

const catalogDependencies = (): PartCatalogDependencies => ({ parts: partCatalog(), clock, ids });

/** The API's view of a part: no tenant id. */
const toPartView = ({ tenantId: _tenant, partId, ...part }: Part) => ({ id: partId, ...part });

/** The API's view of a usage; an original usage also says how much of it is still in use. */
const toPartUsageView = (
  { tenantId: _tenant, workOrderId: _workOrder, usageId, correctedQuantity: _corrected, ...usage }: PartUsage,
  remainingQuantity?: number,
) => ({
  id: usageId,
  ...usage,
  ...(usage.correctionOf === undefined ? { remainingQuantity: remainingQuantity ?? 0 } : {}),
});

/** The location's stock of the part after a use or correction. */
const toStockNow = ({ locationId, onHand }: StockLevel) => ({ locationId, onHand, negative: onHand < 0 });

export const handler = apiHandler(
  'parts',
  partRoutes,
  {
    createPart: async ({ actor, body }) => {
      const part = await createPart(catalogDependencies(), actor, body);
      return { status: 201, body: toPartView(part), headers: { location: `/v1/parts/${part.partId}` } };
    },
    listParts: async ({ actor, query }) => {
      const { limit, cursor, ...filter } = query;
      const page = await findParts(partCatalog(), actor, filter, { limit, ...(cursor ? { cursor } : {}) });
      return {
        status: 200,
        body: {
          items: page.items.map(toPartView),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
      };
    },
    getPart: async ({ actor, params }) => ({
      status: 200,
      body: toPartView(await getPart(partCatalog(), actor, params.id)),
    }),
    updatePart: async ({ actor, params, query, body }) => ({
      status: 200,
      body: toPartView(await updatePart(catalogDependencies(), actor, params.id, body, query.version)),
    }),
    recordPartUsed: async ({ actor, params, body }) => {
      const { partId, correctionOf, quantity, unitPrice, reason, fromLocation } = body;
      // The schema lets exactly one of partId and correctionOf through, and a reason with a correction.
      const input: PartUsedInput =
        correctionOf !== undefined
          ? { correctionOf, quantity, reason: reason ?? '' }
          : {
              partId: partId ?? '',
              quantity,
              ...(unitPrice !== undefined ? { unitPrice } : {}),
              ...(fromLocation !== undefined ? { fromLocation } : {}),
            };
      const { usage, stock } = await recordPartUsage(
        { workOrders: workOrderStore(), parts: partCatalog(), clock, ids, stock: inventoryDependencies() },
        actor,
        params.id,
        input,
      );
      return {
        status: 201,
        body: {
          ...toPartUsageView(usage, usage.quantity > 0 ? usage.quantity : undefined),
          ...(stock ? { stock: toStockNow(stock) } : {}),
        },
      };
    },
    listPartsUsed: async ({ actor, params }) => {
      const { usages, inUse, totals } = await partsUsedOn(workOrderStore(), actor, params.id);
      const remaining = new Map(inUse.map((net) => [net.usage.usageId, net.quantity]));
      return {
        status: 200,
        body: { items: usages.map((usage) => toPartUsageView(usage, remaining.get(usage.usageId))), totals },
      };
    },
    getJobCosting: async ({ actor, params }) => ({
      status: 200,
      body: await jobCosting(
        { workOrders: workOrderStore(), directory: directoryStore(), technicians: technicianStore() },
        actor,
        params.id,
      ),
    }),
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
