import type { IdGenerator } from '../../ports/id-generator.ts';
import type { StockLevelWithPart } from '../../ports/inventory-store.ts';
import type { Page } from '../../ports/work-order-store.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
  ValidationError,
} from '../../shared/errors.ts';
import type { PageRequest } from '../customers/customer-directory.ts';
import { type Part, quantityProblems } from '../parts/part.ts';
import type { TechnicianStore } from '../scheduling/technicians.ts';
import type { Actor } from '../shared/actor.ts';
import { type ReorderDependencies, reviewStock } from './reorder.ts';
import {
  adjustmentProblems,
  checkAvailable,
  exactQuantity,
  type LowStockAlert,
  type MovementKind,
  type NegativeStockRule,
  type ReorderRule,
  reorderRuleProblems,
  type StockLevel,
  type StockMovement,
  stockChange,
} from './stock.ts';
import {
  mainWarehouseId,
  mainWarehouseName,
  parseStockLocationId,
  type StockLocation,
  truckOf,
  warehouseOf,
  warehouseProblems,
} from './stock-locations.ts';

/** What keeping stock runs on: the stores, the reorder machinery and the technicians (their trucks). */
export interface InventoryDependencies extends ReorderDependencies {
  technicians: Pick<TechnicianStore, 'get' | 'list'>;
}

/** How many times a write refused by a concurrent one is tried again before answering 503. */
const maxAttempts = 5;

/** The location an id names in the tenant: the main warehouse, an added one, or a technician's truck. */
export async function findStockLocation(
  dependencies: {
    inventory: Pick<InventoryDependencies['inventory'], 'warehouse'>;
    technicians: Pick<TechnicianStore, 'get'>;
  },
  tenantId: string,
  locationId: string,
): Promise<StockLocation | undefined> {
  const parsed = parseStockLocationId(locationId);
  if (!parsed) return undefined;
  if (parsed.kind === 'truck') {
    const technician = await dependencies.technicians.get(tenantId, parsed.technicianId);
    return technician
      ? {
          locationId,
          kind: 'truck',
          name: `${technician.name}’s truck`,
          technicianId: technician.technicianId,
        }
      : undefined;
  }
  if (locationId === mainWarehouseId) return { locationId, kind: 'warehouse', name: mainWarehouseName };
  const warehouse = await dependencies.inventory.warehouse(tenantId, locationId);
  return warehouse ? { locationId, kind: 'warehouse', name: warehouse.name } : undefined;
}

async function locationNamedIn(
  dependencies: Pick<InventoryDependencies, 'inventory' | 'technicians'>,
  tenantId: string,
  locationId: string,
  field: string,
): Promise<StockLocation> {
  const location = await findStockLocation(dependencies, tenantId, locationId);
  if (!location) throw new ValidationError([{ field, message: `no stock location ${locationId}` }]);
  return location;
}

async function partNamedIn(
  parts: ReorderDependencies['parts'],
  tenantId: string,
  partId: string,
  field: string,
): Promise<Part> {
  const part = await parts.get(tenantId, partId);
  if (!part) throw new ValidationError([{ field, message: `no part ${partId} in the catalogue` }]);
  return part;
}

/** Technicians read the stock of their own truck; the office reads every location's. */
function checkMayRead(actor: Actor, locationId: string): void {
  if (actor.role !== 'technician') return;
  if (!actor.technicianId || locationId !== truckOf(actor.technicianId)) {
    throw new ForbiddenError('A technician reads the stock of their own truck only');
  }
}

async function ruleOf(
  dependencies: Pick<InventoryDependencies, 'inventory'>,
  tenantId: string,
): Promise<NegativeStockRule> {
  const terms = await dependencies.inventory.tenantTerms(tenantId);
  if (!terms) throw new ForbiddenError('This tenant is not provisioned');
  return terms.settings.negativeStock;
}

/** A movement record of the actor's, with a new id. */
export function movementOf(
  ids: IdGenerator,
  actor: Actor,
  at: string,
  fields: Omit<StockMovement, 'tenantId' | 'movementId' | 'actorId' | 'actorRole' | 'at'>,
): StockMovement {
  return {
    tenantId: actor.tenantId,
    movementId: ids.next('mov'),
    ...fields,
    quantity: exactQuantity(fields.quantity),
    actorId: actor.id,
    actorRole: actor.role,
    at,
  };
}

/** The tenant's stock locations: its warehouses (the main one first), then each technician's truck. */
export async function stockLocations(
  dependencies: Pick<InventoryDependencies, 'inventory' | 'technicians'>,
  actor: Actor,
): Promise<StockLocation[]> {
  const warehouses = await dependencies.inventory.warehouses(actor.tenantId);
  const trucks: StockLocation[] = [];
  let cursor: string | undefined;
  do {
    const page = await dependencies.technicians.list(
      actor.tenantId,
      {},
      { limit: 100, ...(cursor ? { cursor } : {}) },
    );
    for (const technician of page.items) {
      if (!technician.active) continue;
      trucks.push({
        locationId: truckOf(technician.technicianId),
        kind: 'truck',
        name: `${technician.name}’s truck`,
        technicianId: technician.technicianId,
      });
    }
    cursor = page.nextCursor;
  } while (cursor);
  return [
    { locationId: mainWarehouseId, kind: 'warehouse', name: mainWarehouseName },
    ...warehouses.map(({ locationId, name }) => ({ locationId, kind: 'warehouse' as const, name })),
    ...trucks,
  ];
}

/** Adds a warehouse `warehouse:<code>` (400 naming the field, 409 if the code is taken). */
export async function addWarehouse(
  dependencies: Pick<InventoryDependencies, 'inventory' | 'clock'>,
  actor: Actor,
  input: { code: string; name: string },
): Promise<StockLocation> {
  const problems = warehouseProblems(input);
  if (problems.length > 0) throw new ValidationError(problems);
  const at = dependencies.clock.now().toISOString();
  const locationId = warehouseOf(input.code);
  const name = input.name.trim();
  const created = await dependencies.inventory.createWarehouse({
    tenantId: actor.tenantId,
    locationId,
    name,
    createdAt: at,
    updatedAt: at,
  });
  if (!created) throw new ConflictError(`${locationId} exists already`, { field: 'body.code', locationId });
  return { locationId, kind: 'warehouse', name };
}

/** A location's stock, part by part; a technician reads their own truck's (403 otherwise). */
export async function stockAt(
  dependencies: Pick<InventoryDependencies, 'inventory' | 'technicians'>,
  actor: Actor,
  locationId: string,
  page: PageRequest,
): Promise<{ location: StockLocation; levels: Page<StockLevelWithPart> }> {
  checkMayRead(actor, locationId);
  const location = await findStockLocation(dependencies, actor.tenantId, locationId);
  if (!location) throw new NotFoundError('Stock location', locationId);
  return { location, levels: await dependencies.inventory.levelsAt(actor.tenantId, locationId, page) };
}

/**
 * A part's stock at every location that has a record of it (404 for a part not the tenant's);
 * the office's to read (a technician reads their truck by location).
 */
export async function stockOf(
  dependencies: Pick<InventoryDependencies, 'inventory' | 'parts'>,
  actor: Actor,
  partId: string,
  page: PageRequest,
): Promise<{ part: Part; levels: Page<StockLevelWithPart> }> {
  if (actor.role === 'technician') {
    throw new ForbiddenError('A technician reads the stock of their own truck only');
  }
  const part = await dependencies.parts.get(actor.tenantId, partId);
  if (!part) throw new NotFoundError('Part', partId);
  return { part, levels: await dependencies.inventory.levelsOf(actor.tenantId, partId, page) };
}

export interface ReorderRuleInput {
  partId: string;
  locationId: string;
  /** Null removes the rule. */
  reorderPoint: number | null;
  reorderQuantity?: number;
}

/**
 * Sets the reorder point and quantity of a part at a location (in the part's unit), or removes
 * them. The part is reordered when a decrement leaves its stock there at or below the point.
 */
export async function setReorderRule(
  dependencies: Pick<InventoryDependencies, 'inventory' | 'technicians' | 'parts' | 'clock'>,
  actor: Actor,
  input: ReorderRuleInput,
): Promise<StockLevel> {
  const part = await partNamedIn(dependencies.parts, actor.tenantId, input.partId, 'body.partId');
  await locationNamedIn(dependencies, actor.tenantId, input.locationId, 'body.locationId');
  let rule: ReorderRule | undefined;
  if (input.reorderPoint !== null) {
    if (input.reorderQuantity === undefined) {
      throw new ValidationError([
        { field: 'body.reorderQuantity', message: 'say how much to order at the reorder point' },
      ]);
    }
    rule = { reorderPoint: input.reorderPoint, reorderQuantity: input.reorderQuantity };
    const problems = reorderRuleProblems(rule, part.unit);
    if (problems.length > 0) throw new ValidationError(problems);
    rule = {
      reorderPoint: exactQuantity(rule.reorderPoint),
      reorderQuantity: exactQuantity(rule.reorderQuantity),
    };
  }
  return dependencies.inventory.setReorderRule(
    { tenantId: actor.tenantId, partId: part.partId, locationId: input.locationId },
    rule,
    dependencies.clock.now().toISOString(),
  );
}

export interface TransferInput {
  partId: string;
  from: string;
  to: string;
  quantity: number;
  reason?: string;
}

export interface StockTransfer {
  from: StockLevel | undefined;
  to: StockLevel | undefined;
  movements: StockMovement[];
}

/**
 * Moves stock of a part from one location to another.
 * 1. Checks the part, the quantity in its unit and both locations (400 naming the field).
 * 2. Under the `refuse` rule, refuses with 409 when `from` holds less than the quantity.
 * 3. Takes it out of `from` and puts it into `to`, each with its movement, in one transaction
 *    (the decrement conditional on what is on hand under `refuse`, so two transfers cannot both
 *    take the last units); a refusal is read again.
 * 4. Reviews both levels (a reorder point crossed at `from` raises its alert and reorder).
 */
export async function transferStock(
  dependencies: InventoryDependencies,
  actor: Actor,
  input: TransferInput,
): Promise<StockTransfer> {
  const part = await partNamedIn(dependencies.parts, actor.tenantId, input.partId, 'body.partId');
  const problems = quantityProblems(input.quantity, part.unit, 'body.quantity');
  if (input.from === input.to) problems.push({ field: 'body.to', message: 'must differ from body.from' });
  if (problems.length > 0) throw new ValidationError(problems);
  await locationNamedIn(dependencies, actor.tenantId, input.from, 'body.from');
  await locationNamedIn(dependencies, actor.tenantId, input.to, 'body.to');
  const rule = await ruleOf(dependencies, actor.tenantId);
  const quantity = exactQuantity(input.quantity);
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const level = await dependencies.inventory.level(actor.tenantId, part.partId, input.from);
    checkAvailable(rule, part, input.from, level, quantity);
    const at = dependencies.clock.now().toISOString();
    const reason = input.reason ? { reason: input.reason } : {};
    const out = movementOf(dependencies.ids, actor, at, {
      partId: part.partId,
      locationId: input.from,
      kind: 'transfer_out',
      quantity: -quantity,
      otherLocationId: input.to,
      ...reason,
    });
    const into = movementOf(dependencies.ids, actor, at, {
      partId: part.partId,
      locationId: input.to,
      kind: 'transfer_in',
      quantity,
      otherLocationId: input.from,
      ...reason,
    });
    if (await dependencies.inventory.move([stockChange(out, rule), stockChange(into, rule)], at)) {
      const key = { tenantId: actor.tenantId, partId: part.partId };
      return {
        from: await reviewStock(dependencies, { ...key, locationId: input.from }, 'decrement'),
        to: await reviewStock(dependencies, { ...key, locationId: input.to }, 'increment'),
        movements: [out, into],
      };
    }
  }
  throw new ServiceUnavailableError('The transfer could not be written for concurrent changes; retry');
}

export interface AdjustmentInput {
  partId: string;
  locationId: string;
  /** Signed: what arrives (positive) or leaves (negative). */
  quantity: number;
  reason: string;
  /** `receipt`: goods delivered (adds only); `adjustment`: a count, damage or loss. */
  type?: 'receipt' | 'adjustment';
}

/**
 * Receives goods at a location or adjusts its stock, with the reason on the movement record.
 * A decrement under the `refuse` rule that would go below zero answers 409; a decrement that
 * crosses the reorder point raises its alert and reorder as a use does.
 */
export async function adjustStock(
  dependencies: InventoryDependencies,
  actor: Actor,
  input: AdjustmentInput,
): Promise<{ level: StockLevel | undefined; movement: StockMovement }> {
  const part = await partNamedIn(dependencies.parts, actor.tenantId, input.partId, 'body.partId');
  const kind: MovementKind = input.type ?? 'adjustment';
  const problems = adjustmentProblems(input.quantity, part.unit, 'body.quantity');
  if (problems.length === 0 && kind === 'receipt' && input.quantity < 0) {
    problems.push({ field: 'body.quantity', message: 'a receipt adds stock: above 0' });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  await locationNamedIn(dependencies, actor.tenantId, input.locationId, 'body.locationId');
  const rule = await ruleOf(dependencies, actor.tenantId);
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    if (input.quantity < 0) {
      const level = await dependencies.inventory.level(actor.tenantId, part.partId, input.locationId);
      checkAvailable(rule, part, input.locationId, level, -input.quantity);
    }
    const at = dependencies.clock.now().toISOString();
    const movement = movementOf(dependencies.ids, actor, at, {
      partId: part.partId,
      locationId: input.locationId,
      kind,
      quantity: input.quantity,
      reason: input.reason,
    });
    if (await dependencies.inventory.move([stockChange(movement, rule)], at)) {
      const level = await reviewStock(
        dependencies,
        { tenantId: actor.tenantId, partId: part.partId, locationId: input.locationId },
        input.quantity < 0 ? 'decrement' : 'increment',
      );
      return { level, movement };
    }
  }
  throw new ServiceUnavailableError('The adjustment could not be written for concurrent changes; retry');
}

/** The movements of a part at a location, newest first; a technician reads their own truck's. */
export async function stockMovements(
  dependencies: Pick<InventoryDependencies, 'inventory' | 'technicians' | 'parts'>,
  actor: Actor,
  partId: string,
  locationId: string,
  page: PageRequest,
): Promise<Page<StockMovement>> {
  checkMayRead(actor, locationId);
  const [part, location] = await Promise.all([
    dependencies.parts.get(actor.tenantId, partId),
    findStockLocation(dependencies, actor.tenantId, locationId),
  ]);
  if (!part) throw new NotFoundError('Part', partId);
  if (!location) throw new NotFoundError('Stock location', locationId);
  return dependencies.inventory.movements(actor.tenantId, partId, locationId, page);
}

/** The tenant's low-stock alerts, newest first. */
export function lowStockAlerts(
  dependencies: Pick<InventoryDependencies, 'inventory'>,
  actor: Actor,
  page: PageRequest,
): Promise<Page<LowStockAlert>> {
  return dependencies.inventory.alerts(actor.tenantId, page);
}
