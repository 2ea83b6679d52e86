import type { Page } from '../../ports/work-order-store.ts';
import {
  ConflictError,
  type FieldProblem,
  NotFoundError,
  ServiceUnavailableError,
  ValidationError,
} from '../../shared/errors.ts';
import type { PageRequest } from '../customers/customer-directory.ts';
import { type Part, quantityProblems } from '../parts/part.ts';
import type { Actor } from '../shared/actor.ts';
import { findStockLocation, type InventoryDependencies, movementOf } from './manage-stock.ts';
import {
  lineFor,
  maxPurchaseOrderLines,
  outstandingOf,
  type PurchaseOrder,
  type PurchaseOrderLine,
  type PurchaseOrderStatus,
  type ReceiptLine,
  receive,
  transition,
  withLines,
} from './purchase-order.ts';
import { reviewStock } from './reorder.ts';
import { exactQuantity, type StockChange, stockChange } from './stock.ts';

/** How many times a write refused by a concurrent one is tried again before answering 503. */
const maxAttempts = 5;

export async function getPurchaseOrder(
  dependencies: Pick<InventoryDependencies, 'purchaseOrders'>,
  actor: Actor,
  purchaseOrderId: string,
): Promise<PurchaseOrder> {
  const order = await dependencies.purchaseOrders.get(actor.tenantId, purchaseOrderId);
  if (!order) throw new NotFoundError('Purchase order', purchaseOrderId);
  return order;
}

/** The tenant's purchase orders newest first, optionally of one status. */
export function listPurchaseOrders(
  dependencies: Pick<InventoryDependencies, 'purchaseOrders'>,
  actor: Actor,
  filter: { status?: PurchaseOrderStatus },
  page: PageRequest,
): Promise<Page<PurchaseOrder>> {
  return dependencies.purchaseOrders.list(actor.tenantId, filter, page);
}

const staleVersion = (order: PurchaseOrder) =>
  new ConflictError(`Purchase order ${order.purchaseOrderId} is at version ${order.version}`, {
    currentVersion: order.version,
  });

/**
 * Reads the order and applies `plan` to it until the write holds: a refusal (a concurrent
 * reorder added a line, a concurrent receipt) is read again and planned again, unless the caller
 * named the version it read, which then no longer holds (409).
 */
async function changeOrder<T>(
  dependencies: Pick<InventoryDependencies, 'purchaseOrders'>,
  actor: Actor,
  purchaseOrderId: string,
  expectedVersion: number | undefined,
  plan: (
    order: PurchaseOrder,
  ) => Promise<{ change: Parameters<InventoryDependencies['purchaseOrders']['update']>[0]; result: T }>,
): Promise<T> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const order = await getPurchaseOrder(dependencies, actor, purchaseOrderId);
    if (expectedVersion !== undefined && expectedVersion !== order.version) throw staleVersion(order);
    const { change, result } = await plan(order);
    if (await dependencies.purchaseOrders.update(change)) return result;
    if (expectedVersion !== undefined) {
      throw new ConflictError(`Purchase order ${purchaseOrderId} was changed meanwhile; read it again`);
    }
  }
  throw new ServiceUnavailableError('The purchase order kept changing; retry');
}

export interface LineInput {
  partId: string;
  quantity: number;
  /** Minor units per unit; the line's cost so far, or the part's cost for a new line. */
  unitCost?: number;
}

/**
 * Replaces the lines of a draft (409 once sent).
 * 1. Each part of the catalogue once (400 `body.lines.N.partId`), each quantity in the part's unit
 *    (400 `body.lines.N.quantity`), at most `maxPurchaseOrderLines` lines.
 * 2. A part new to the order must not be on another open order (409 naming the line and that
 *    order); the order holds it from now on, and lets go of the parts taken off, in the same
 *    transaction as the change.
 */
export async function updatePurchaseOrderLines(
  dependencies: Pick<InventoryDependencies, 'purchaseOrders' | 'parts' | 'clock'>,
  actor: Actor,
  purchaseOrderId: string,
  lines: LineInput[],
  expectedVersion?: number,
): Promise<PurchaseOrder> {
  const problems: FieldProblem[] = [];
  if (lines.length > maxPurchaseOrderLines) {
    problems.push({ field: 'body.lines', message: `at most ${maxPurchaseOrderLines} lines` });
  }
  const parts = await Promise.all(lines.map((line) => dependencies.parts.get(actor.tenantId, line.partId)));
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    const field = `body.lines.${index}`;
    const part = parts[index];
    if (!part) {
      problems.push({ field: `${field}.partId`, message: `no part ${line.partId} in the catalogue` });
    } else if (seen.has(line.partId)) {
      problems.push({ field: `${field}.partId`, message: 'each part once' });
    } else {
      problems.push(...quantityProblems(line.quantity, part.unit, `${field}.quantity`));
    }
    seen.add(line.partId);
    if (line.unitCost !== undefined && !(Number.isSafeInteger(line.unitCost) && line.unitCost >= 0)) {
      problems.push({
        field: `${field}.unitCost`,
        message: 'must be a whole number of minor units, 0 or more',
      });
    }
  });
  if (problems.length > 0) throw new ValidationError(problems);
  return changeOrder(dependencies, actor, purchaseOrderId, expectedVersion, async (order) => {
    const next: PurchaseOrderLine[] = lines.map((input, index) => {
      const earlier = order.lines.find((line) => line.partId === input.partId);
      const line = lineFor(parts[index] as Part, input.quantity);
      return { ...line, unitCost: input.unitCost ?? earlier?.unitCost ?? line.unitCost };
    });
    const after = withLines(order, next, dependencies.clock.now().toISOString());
    const before = new Set(order.lines.map((line) => line.partId));
    const added = next.filter((line) => !before.has(line.partId)).map((line) => line.partId);
    const removed = order.lines.filter((line) => !seen.has(line.partId)).map((line) => line.partId);
    for (const partId of added) {
      const holder = await dependencies.purchaseOrders.orderHolding(actor.tenantId, partId);
      if (holder && holder !== purchaseOrderId) {
        throw new ConflictError(`Part ${partId} is on open purchase order ${holder} already`, {
          field: `body.lines.${lines.findIndex((line) => line.partId === partId)}.partId`,
          purchaseOrderId: holder,
        });
      }
    }
    return { change: { before: order, after, holdParts: added, releaseParts: removed }, result: after };
  });
}

/** Sends a draft to its supplier: it stops being the supplier's open draft (409 unless a draft with lines). */
export function sendPurchaseOrder(
  dependencies: Pick<InventoryDependencies, 'purchaseOrders' | 'clock'>,
  actor: Actor,
  purchaseOrderId: string,
  expectedVersion?: number,
): Promise<PurchaseOrder> {
  return changeOrder(dependencies, actor, purchaseOrderId, expectedVersion, async (order) => {
    const after = transition(order, 'sent', dependencies.clock.now().toISOString());
    return { change: { before: order, after, releaseDraft: true }, result: after };
  });
}

/** Cancels a draft or sent order: its parts are no longer on order (409 once received or cancelled). */
export function cancelPurchaseOrder(
  dependencies: Pick<InventoryDependencies, 'purchaseOrders' | 'clock'>,
  actor: Actor,
  purchaseOrderId: string,
  reason: string | undefined,
  expectedVersion?: number,
): Promise<PurchaseOrder> {
  return changeOrder(dependencies, actor, purchaseOrderId, expectedVersion, async (order) => {
    const after = transition(order, 'cancelled', dependencies.clock.now().toISOString(), reason);
    const held = order.lines.filter((line) => outstandingOf(line) > 0).map((line) => line.partId);
    return {
      change: { before: order, after, releaseParts: held, releaseDraft: order.status === 'draft' },
      result: after,
    };
  });
}

export interface ReceiveInput {
  /** Where the goods go; the order's `deliverTo` (the main warehouse) by default. */
  locationId?: string;
  /** What arrived; without it, everything outstanding. */
  lines?: ReceiptLine[];
}

/**
 * Receives a delivery on a sent order.
 * 1. Checks the location (400 `body.locationId`) and the lines against what is outstanding
 *    (400 naming the line; 409 when the order is not sent or nothing is outstanding).
 * 2. Writes the order's new state, the stock received at the location with a `receipt` movement
 *    per line, and lets go of the parts received in full, in one transaction on the order's
 *    version: a receipt sent twice restocks once (the second finds it received, 409, or a
 *    concurrent one refused and read again).
 * 3. Reviews the stock received (an open low-stock alert back above its point closes).
 */
export async function receivePurchaseOrder(
  dependencies: InventoryDependencies,
  actor: Actor,
  purchaseOrderId: string,
  input: ReceiveInput,
  expectedVersion?: number,
): Promise<PurchaseOrder> {
  const order = await changeOrder(dependencies, actor, purchaseOrderId, expectedVersion, async (read) => {
    const locationId = input.locationId ?? read.deliverTo;
    if (!(await findStockLocation(dependencies, actor.tenantId, locationId))) {
      throw new ValidationError([{ field: 'body.locationId', message: `no stock location ${locationId}` }]);
    }
    const at = dependencies.clock.now().toISOString();
    const { after, received } = receive(read, input.lines, at);
    const stock: StockChange[] = received.map(({ line, quantity }) =>
      stockChange(
        movementOf(dependencies.ids, actor, at, {
          partId: line.partId,
          locationId,
          kind: 'receipt',
          quantity: exactQuantity(quantity),
          purchaseOrderId,
          reason: `Received on purchase order ${purchaseOrderId}`,
        }),
        'flag',
      ),
    );
    const complete = received.filter(({ line }) => outstandingOf(line) <= 0).map(({ line }) => line.partId);
    return { change: { before: read, after, releaseParts: complete, stock }, result: { after, stock } };
  });
  for (const { movement } of order.stock) {
    await reviewStock(dependencies, movement, 'increment');
  }
  return order.after;
}
