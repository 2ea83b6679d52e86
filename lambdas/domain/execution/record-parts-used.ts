import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { PartCatalog } from '../../ports/part-catalog.ts';
import type { PartUsageRecord, WorkOrderStore } from '../../ports/work-order-store.ts';
import { ConflictError, ServiceUnavailableError, ValidationError } from '../../shared/errors.ts';
import { quantityProblems, toThousandths } from '../parts/part.ts';
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
}

/**
 * Parts are recorded, and corrected, while the technician is on the job, as labor is: from
 * dispatch until completion. The invoice is generated at completion from what is recorded then.
 */
export const partsAllowedIn: WorkOrderStatus[] = [...laborAllowedIn];

/** A part taken from the catalogue, or a correction taking back quantity of an earlier usage. */
export type PartUsedInput =
  | { partId: string; quantity: number; unitPrice?: number }
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
 * 4. Writes the usage, its audit event and the work order's parts counters in one transaction,
 *    conditional on the status (and on a correction, on what the corrected usage had given back).
 */
export async function recordPartUsed(
  dependencies: PartsUsedDependencies,
  actor: Actor,
  workOrderId: string,
  input: PartUsedInput,
): Promise<PartUsage> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const workOrder = await getWorkOrder(dependencies.workOrders, actor, workOrderId);
    if (!partsAllowedIn.includes(workOrder.status)) throw notNow(workOrder);
    const record =
      'correctionOf' in input
        ? await correction(dependencies, actor, workOrder, input)
        : await use(dependencies, actor, workOrder, input);
    if (await dependencies.workOrders.addPartUsage(record, partsAllowedIn)) return record.usage;
  }
  throw new ServiceUnavailableError('The part could not be recorded for concurrent changes; retry');
}

async function use(
  dependencies: PartsUsedDependencies,
  actor: Actor,
  workOrder: WorkOrder,
  input: { partId: string; quantity: number; unitPrice?: number },
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
  return { usage, event, counters: tallyOf(usage, quantity) };
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
  return {
    usage,
    event,
    counters,
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
