import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { PartCatalog } from '../../ports/part-catalog.ts';
import type { PartUsageRecord, WorkOrderStore } from '../../ports/work-order-store.ts';
import {
  ConflictError,
  ForbiddenError,
  ServiceUnavailableError,
  ValidationError,
} from '../../shared/errors.ts';
import { findStockLocation, movementOf } from '../inventory/manage-stock.ts';
import { type ReorderDependencies, reviewStock } from '../inventory/reorder.ts';
import { checkAvailable, type NegativeStockRule, type StockLevel, stockChange } from '../inventory/stock.ts';
import { defaultSourceOf, mainWarehouseId } from '../inventory/stock-locations.ts';
import { type Part, quantityProblems, toThousandths } from '../parts/part.ts';
import type { TechnicianStore } from '../scheduling/technicians.ts';
import type { Actor } from '../shared/actor.ts';
import { isOffice, laborAllowedIn } from '../work-orders/lifecycle.ts';
import { getWorkOrder } from '../work-orders/queries.ts';
import type { WorkOrder, WorkOrderStatus } from '../work-orders/work-order.ts';
import { detailsOf, fieldEvent } from './field-event.ts';
import type { PartUsage } from './field-records.ts';
import {
  type NetPartUsage,
  netPartsUsed,
  type PartsTally,
  subtractTallies,
  tallyOf,
  tallyParts,
} from './parts-tally.ts';

export interface PartsUsedDependencies {
  workOrders: WorkOrderStore;
  parts: Pick<PartCatalog, 'get'>;
  clock: Clock;
  ids: IdGenerator;
  /**
   * Where stock is kept per location: a use takes the part from a location, a correction puts it
   * back where it came from. Without it, parts are recorded and no stock moves.
   */
  stock?: UsageStockDependencies;
}

/** Stock, the reorder machinery, and the technicians whose trucks parts come from. */
export type UsageStockDependencies = ReorderDependencies & {
  technicians: Pick<TechnicianStore, 'get'>;
};

/**
 * Parts are recorded, and corrected, while the technician is on the job, as labor is: from
 * dispatch until completion. The invoice is generated at completion from what is recorded then.
 */
export const partsAllowedIn: WorkOrderStatus[] = [...laborAllowedIn];

/** A part taken from the catalogue, or a correction taking back quantity of an earlier usage. */
export type PartUsedInput =
  | { partId: string; quantity: number; unitPrice?: number; fromLocation?: string }
  | { correctionOf: string; quantity: number; reason: string };

/** How many times a write refused by a concurrent one is tried again before answering 503. */
const maxAttempts = 5;

const notNow = (workOrder: WorkOrder) =>
  new ConflictError(`Parts cannot be recorded on a ${workOrder.status} work order`, {
    currentStatus: workOrder.status,
    allowedIn: partsAllowedIn,
  });

/** Thousandths back to a quantity, without the float drift of repeated sums. */
const fromThousandths = (thousandths: number) => thousandths / 1000;

type UseInput = Extract<PartUsedInput, { partId: string }>;

/**
 * Records a part used on the job, or corrects an earlier usage.
 * 1. Reads the work order: another tenant's, or one not assigned to the technician, is 404;
 *    outside dispatch to completion, 409.
 * 2. A use takes the part from the catalogue (400 naming `body.partId` if unknown or inactive),
 *    checks the quantity in the part's unit (400 `body.quantity`) and captures SKU, name, unit,
 *    unit cost, unit price (the office may set its own) and taxable flag as they are now.
 * 3. A correction names an earlier usage (400 `body.correctionOf` if there is none) and takes
 *    back at most what is left of it: it is a usage of its own with a negative quantity, so the
 *    record is never rewritten.
 * 4. Where stock is kept, a use takes the part from `fromLocation`, else the truck of the
 *    technician whose usage it is, else the main warehouse (400 `body.fromLocation` for an unknown
 *    location, 403 for a technician taking from another's truck); under the tenant's `refuse` rule,
 *    409 naming the part, the location and what is on hand when it holds too little. A correction
 *    puts the quantity back where the usage took it from.
 * 5. Writes the usage, its audit event, the work order's parts counters and the stock change
 *    with its movement in one transaction, conditional on the status (on a correction, on what
 *    the corrected usage had given back; under `refuse`, on what is on hand). A refusal is read
 *    again, so of two uses of the last unit one is written and the other refused (409).
 * 6. Reviews the stock moved: a use that leaves it at or below its reorder point raises the
 *    low-stock alert and puts the part on a purchase order.
 */
export async function recordPartUsed(
  dependencies: PartsUsedDependencies,
  actor: Actor,
  workOrderId: string,
  input: PartUsedInput,
): Promise<PartUsage> {
  return (await recordPartUsage(dependencies, actor, workOrderId, input)).usage;
}

/** `recordPartUsed`, also answering the stock of the location the part left (or went back to), as read after. */
export async function recordPartUsage(
  dependencies: PartsUsedDependencies,
  actor: Actor,
  workOrderId: string,
  input: PartUsedInput,
): Promise<{ usage: PartUsage; stock?: StockLevel }> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const workOrder = await getWorkOrder(dependencies.workOrders, actor, workOrderId);
    if (!partsAllowedIn.includes(workOrder.status)) throw notNow(workOrder);
    const record =
      'correctionOf' in input
        ? await correction(dependencies, actor, workOrder, input)
        : await use(dependencies, actor, workOrder, input);
    if (await dependencies.workOrders.addPartUsage(record, partsAllowedIn)) {
      const stock =
        dependencies.stock && record.stock
          ? await reviewStock(
              dependencies.stock,
              record.stock.movement,
              record.stock.movement.quantity < 0 ? 'decrement' : 'increment',
            )
          : undefined;
      return { usage: record.usage, ...(stock ? { stock } : {}) };
    }
  }
  throw new ServiceUnavailableError('The part could not be recorded for concurrent changes; retry');
}

async function use(
  dependencies: PartsUsedDependencies,
  actor: Actor,
  workOrder: WorkOrder,
  input: UseInput,
): Promise<PartUsageRecord> {
  if (input.unitPrice !== undefined && !isOffice(actor)) {
    throw new ValidationError([
      { field: 'body.unitPrice', message: 'only the office sets the price of a part' },
    ]);
  }
  if (input.unitPrice !== undefined && !(Number.isSafeInteger(input.unitPrice) && input.unitPrice >= 0)) {
    throw new ValidationError([
      { field: 'body.unitPrice', message: 'must be a whole number of minor units, 0 or more' },
    ]);
  }
  const part = await dependencies.parts.get(workOrder.tenantId, input.partId);
  if (!part) {
    throw new ValidationError([
      { field: 'body.partId', message: `no part ${input.partId} in the catalogue` },
    ]);
  }
  if (!part.active) {
    throw new ValidationError([{ field: 'body.partId', message: `part ${part.sku} is inactive` }]);
  }
  const problems = quantityProblems(input.quantity, part.unit, 'body.quantity');
  if (problems.length > 0) throw new ValidationError(problems);
  const quantity = fromThousandths(toThousandths(input.quantity));
  const { technicianId } = technicianOf(actor, workOrder);
  const source = dependencies.stock
    ? await stockSource(dependencies.stock, actor, part, quantity, input.fromLocation, technicianId)
    : undefined;
  const usage: PartUsage = {
    tenantId: workOrder.tenantId,
    workOrderId: workOrder.workOrderId,
    usageId: dependencies.ids.next('use'),
    partId: part.partId,
    sku: part.sku,
    name: part.name,
    quantity,
    unit: part.unit,
    unitCost: part.unitCost,
    unitPrice: input.unitPrice ?? part.unitPrice,
    taxable: part.taxable,
    ...(source ? { stockLocationId: source.locationId } : {}),
    ...technicianOf(actor, workOrder),
    recordedBy: actor.id,
    at: dependencies.clock.now().toISOString(),
  };
  const { tenantId: _tenant, workOrderId: _workOrder, recordedBy: _by, at: _at, ...details } = usage;
  const event = fieldEvent(
    dependencies.ids,
    actor,
    usage,
    'part_used',
    usage.at,
    detailsOf({ ...details, ...(input.unitPrice !== undefined ? { catalogUnitPrice: part.unitPrice } : {}) }),
  );
  const stock = source
    ? stockChange(
        movementOf(dependencies.ids, actor, usage.at, {
          partId: part.partId,
          locationId: source.locationId,
          kind: 'use',
          quantity: -quantity,
          workOrderId: workOrder.workOrderId,
          usageId: usage.usageId,
        }),
        source.rule,
      )
    : undefined;
  return { usage, event, counters: tallyOf(usage, quantity), ...(stock ? { stock } : {}) };
}

/**
 * The location a use takes the part from, checked: named by the request, else the default
 * (the technician's truck, or the main warehouse when the job has no technician or theirs is
 * gone); under the `refuse` rule, one holding at least the quantity.
 */
async function stockSource(
  stock: UsageStockDependencies,
  actor: Actor,
  part: Part,
  quantity: number,
  fromLocation: string | undefined,
  technicianId: string | undefined,
): Promise<{ locationId: string; rule: NegativeStockRule }> {
  let location = await findStockLocation(
    stock,
    actor.tenantId,
    fromLocation ?? defaultSourceOf(technicianId),
  );
  if (!location && fromLocation === undefined) {
    location = await findStockLocation(stock, actor.tenantId, mainWarehouseId);
  }
  if (!location) {
    throw new ValidationError([
      { field: 'body.fromLocation', message: `no stock location ${fromLocation ?? mainWarehouseId}` },
    ]);
  }
  if (
    actor.role === 'technician' &&
    location.kind === 'truck' &&
    location.technicianId !== actor.technicianId
  ) {
    throw new ForbiddenError('A technician takes parts from their own truck or a warehouse');
  }
  const terms = await stock.inventory.tenantTerms(actor.tenantId);
  const rule = terms?.settings.negativeStock ?? 'flag';
  const level = await stock.inventory.level(actor.tenantId, part.partId, location.locationId);
  checkAvailable(rule, part, location.locationId, level, quantity);
  return { locationId: location.locationId, rule };
}

async function correction(
  dependencies: PartsUsedDependencies,
  actor: Actor,
  workOrder: WorkOrder,
  input: { correctionOf: string; quantity: number; reason: string },
): Promise<PartUsageRecord> {
  const usages = await dependencies.workOrders.partsUsed(workOrder.tenantId, workOrder.workOrderId);
  const corrected = usages.find((usage) => usage.usageId === input.correctionOf);
  if (!corrected || corrected.correctionOf !== undefined) {
    throw new ValidationError([
      { field: 'body.correctionOf', message: `no part usage ${input.correctionOf} on this work order` },
    ]);
  }
  const problems = quantityProblems(input.quantity, corrected.unit, 'body.quantity');
  if (problems.length > 0) throw new ValidationError(problems);
  const left = toThousandths(netQuantityOf(usages, corrected.usageId));
  const taken = toThousandths(input.quantity);
  if (taken > left) {
    const unit = corrected.unit ? ` ${corrected.unit}` : '';
    throw new ValidationError([
      {
        field: 'body.quantity',
        message: `at most ${fromThousandths(left)}${unit} of usage ${corrected.usageId} can be taken back`,
      },
    ]);
  }
  const usage: PartUsage = {
    tenantId: workOrder.tenantId,
    workOrderId: workOrder.workOrderId,
    usageId: dependencies.ids.next('use'),
    partId: corrected.partId,
    sku: corrected.sku,
    name: corrected.name,
    quantity: -fromThousandths(taken),
    ...(corrected.unit !== undefined ? { unit: corrected.unit } : {}),
    unitCost: corrected.unitCost,
    unitPrice: corrected.unitPrice,
    taxable: corrected.taxable,
    correctionOf: corrected.usageId,
    reason: input.reason,
    ...(corrected.stockLocationId !== undefined ? { stockLocationId: corrected.stockLocationId } : {}),
    ...technicianOf(actor, workOrder),
    recordedBy: actor.id,
    at: dependencies.clock.now().toISOString(),
  };
  const event = fieldEvent(
    dependencies.ids,
    actor,
    usage,
    'part_usage_corrected',
    usage.at,
    detailsOf({
      usageId: usage.usageId,
      correctionOf: corrected.usageId,
      partId: usage.partId,
      sku: usage.sku,
      quantity: usage.quantity,
      reason: input.reason,
    }),
  );
  // The counters move from the usage's tally at what was left to its tally at what is left now,
  // so they always equal the tally of the usages net of their corrections.
  const counters = subtractTallies(
    tallyOf(corrected, fromThousandths(left - taken)),
    tallyOf(corrected, fromThousandths(left)),
  );
  const correctedBefore = corrected.correctedQuantity;
  // What is taken back goes back to the location the usage took it from.
  const stock =
    dependencies.stock && corrected.stockLocationId !== undefined
      ? stockChange(
          movementOf(dependencies.ids, actor, usage.at, {
            partId: corrected.partId,
            locationId: corrected.stockLocationId,
            kind: 'return',
            quantity: fromThousandths(taken),
            workOrderId: workOrder.workOrderId,
            usageId: usage.usageId,
            reason: input.reason,
          }),
          'flag',
        )
      : undefined;
  return {
    usage,
    event,
    counters,
    ...(stock ? { stock } : {}),
    corrected: {
      usageId: corrected.usageId,
      ...(correctedBefore !== undefined ? { correctedQuantityBefore: correctedBefore } : {}),
      correctedQuantityAfter: fromThousandths(toThousandths(correctedBefore ?? 0) + taken),
    },
  };
}

/** Whose usage it is: the acting technician's, or the assigned technician's when the office records it. */
function technicianOf(actor: Actor, workOrder: WorkOrder): { technicianId?: string } {
  const technicianId = actor.role === 'technician' ? actor.technicianId : workOrder.technicianId;
  return technicianId ? { technicianId } : {};
}

function netQuantityOf(usages: readonly PartUsage[], usageId: string): number {
  return netPartsUsed(usages).find((net) => net.usage.usageId === usageId)?.quantity ?? 0;
}

export interface PartsUsedOnJob {
  /** Every usage and correction in the order recorded. */
  usages: PartUsage[];
  /** The usages in use, net of their corrections. */
  inUse: NetPartUsage[];
  totals: PartsTally;
}

/** The parts recorded on a work order the actor may see, with what they add up to. */
export async function partsUsedOn(
  workOrders: WorkOrderStore,
  actor: Actor,
  workOrderId: string,
): Promise<PartsUsedOnJob> {
  const workOrder = await getWorkOrder(workOrders, actor, workOrderId);
  const usages = await workOrders.partsUsed(workOrder.tenantId, workOrder.workOrderId);
  return { usages, inUse: netPartsUsed(usages), totals: tallyParts(usages) };
}
