import type { DirectoryStore, WorkOrderStore } from '../../ports/work-order-store.ts';
import { ForbiddenError } from '../../shared/errors.ts';
import type { LaborEntry, PartUsage } from '../execution/field-records.ts';
import { tallyParts } from '../execution/parts-tally.ts';
import type { TechnicianStore } from '../scheduling/technicians.ts';
import type { Actor } from '../shared/actor.ts';
import { isOffice } from '../work-orders/lifecycle.ts';
import { getWorkOrder } from '../work-orders/queries.ts';
import type { WorkOrder, WorkOrderStatus } from '../work-orders/work-order.ts';
import { laborAmount, priceWork } from './invoice.ts';

/** One technician's time on the job and what it cost. */
export interface TechnicianLaborCost {
  technicianId: string;
  minutes: number;
  /** Minor units per hour; absent when the technician has none on record. */
  costRatePerHour?: number;
  cost: number;
}

/** What a job brings in and what it costs, in minor units, from what is recorded on it. */
export interface JobCostingFigures {
  labor: {
    minutes: number;
    /** The service type's labor rate, what the customer pays per hour. */
    ratePerHour: number;
    price: number;
    cost: number;
    byTechnician: TechnicianLaborCost[];
  };
  parts: { count: number; cost: number; price: number };
  tripCharge: number;
  /** What the work brings in before tax: the invoice's subtotal, or before one, the work priced at list rates. */
  revenue: number;
  /**
   * `invoice`: the subtotal of the work order's invoice (with the tenant's pricing rules,
   * agreement and discounts); `estimate`: no invoice yet, so labor at the service type's rate,
   * the parts at their captured prices and the trip charge.
   */
  revenueBasis: 'invoice' | 'estimate';
  cost: number;
  margin: number;
  /** The margin as a share of revenue, in percent to one decimal; null without revenue. */
  marginPercent: number | null;
  /** Technicians whose labor is counted at no cost because no cost rate is on record. */
  missingCostRates: string[];
}

export interface JobCostingInput {
  laborEntries: readonly LaborEntry[];
  /** Each technician's cost per hour, minor units; a technician absent or undefined has none on record. */
  costRates: ReadonlyMap<string, number | undefined>;
  laborRatePerHour: number;
  tripCharge: number;
  serviceName: string;
  parts: readonly PartUsage[];
  /** The subtotal of the work order's current (not void) invoice, once there is one. */
  invoicedRevenue?: number;
}

/**
 * Costs a job.
 * - Labor cost: each technician's minutes × their cost rate / 60, rounded half up once per
 *   technician; a technician without a rate counts 0 and is named in `missingCostRates`.
 * - Revenue: the invoice's subtotal once the work is invoiced (what the customer is charged,
 *   with the tenant's rules, agreements and discounts); before that, an estimate at list
 *   prices (`priceWork`): all labor minutes at the service type's rate, the parts net of
 *   corrections at their captured prices, the trip charge.
 * - Parts cost: the parts net of corrections at their captured unit costs.
 * - Margin: revenue − cost, and its share of revenue.
 */
export function costJob(input: JobCostingInput): JobCostingFigures {
  const minutesByTechnician = new Map<string, number>();
  for (const entry of input.laborEntries) {
    minutesByTechnician.set(
      entry.technicianId,
      (minutesByTechnician.get(entry.technicianId) ?? 0) + entry.minutes,
    );
  }
  const byTechnician = [...minutesByTechnician].map(([technicianId, minutes]): TechnicianLaborCost => {
    const costRatePerHour = input.costRates.get(technicianId);
    return {
      technicianId,
      minutes,
      ...(costRatePerHour !== undefined ? { costRatePerHour } : {}),
      cost: costRatePerHour !== undefined ? laborAmount(minutes, costRatePerHour) : 0,
    };
  });
  const laborMinutes = byTechnician.reduce((sum, technician) => sum + technician.minutes, 0);
  const laborCost = byTechnician.reduce((sum, technician) => sum + technician.cost, 0);
  const parts = tallyParts(input.parts);
  const revenue =
    input.invoicedRevenue ??
    priceWork({
      laborMinutes,
      laborRatePerHour: input.laborRatePerHour,
      tripCharge: input.tripCharge,
      serviceName: input.serviceName,
      parts: input.parts,
    }).subtotal;
  const cost = laborCost + parts.partsCost;
  const margin = revenue - cost;
  return {
    labor: {
      minutes: laborMinutes,
      ratePerHour: input.laborRatePerHour,
      price: laborMinutes > 0 ? laborAmount(laborMinutes, input.laborRatePerHour) : 0,
      cost: laborCost,
      byTechnician,
    },
    parts: { count: parts.partCount, cost: parts.partsCost, price: parts.partsPrice },
    tripCharge: input.tripCharge,
    revenue,
    revenueBasis: input.invoicedRevenue !== undefined ? 'invoice' : 'estimate',
    cost,
    margin,
    marginPercent: revenue === 0 ? null : Math.round((margin * 1000) / revenue) / 10,
    missingCostRates: byTechnician
      .filter((technician) => technician.costRatePerHour === undefined)
      .map((technician) => technician.technicianId),
  };
}

export interface JobCostingDependencies {
  workOrders: WorkOrderStore;
  directory: Pick<DirectoryStore, 'getTenant' | 'getServiceType'>;
  technicians: Pick<TechnicianStore, 'get'>;
}

export interface JobCosting extends JobCostingFigures {
  workOrderId: string;
  status: WorkOrderStatus;
  currency: string;
}

/**
 * The live costing of a work order, for the office.
 * 1. Reads the work order (404 if not the tenant's), its labor entries and part usages (one
 *    item collection), its service type and the tenant's currency.
 * 2. Reads the cost rate of each technician who recorded time (one GetItem each).
 * 3. Costs the job from those records (`costJob`); nothing is stored.
 */
export async function jobCosting(
  dependencies: JobCostingDependencies,
  actor: Actor,
  workOrderId: string,
): Promise<JobCosting> {
  if (!isOffice(actor)) throw new ForbiddenError('Job costing is for the office');
  const { workOrders, directory, technicians } = dependencies;
  const workOrder = await getWorkOrder(workOrders, actor, workOrderId);
  const { tenantId } = workOrder;
  const [laborEntries, parts, serviceType, tenant, invoicedRevenue] = await Promise.all([
    workOrders.laborEntries(tenantId, workOrderId),
    workOrders.partsUsed(tenantId, workOrderId),
    workOrder.serviceTypeId ? directory.getServiceType(tenantId, workOrder.serviceTypeId) : undefined,
    directory.getTenant(tenantId),
    invoicedRevenueOf(workOrders, workOrder),
  ]);
  if (!tenant) throw new ForbiddenError('This tenant is not provisioned');
  const technicianIds = [...new Set(laborEntries.map((entry) => entry.technicianId))];
  const rates = await Promise.all(
    technicianIds.map(async (technicianId) => {
      const technician = await technicians.get(tenantId, technicianId);
      return [technicianId, technician?.costRatePerHour] as const;
    }),
  );
  const figures = costJob({
    laborEntries,
    costRates: new Map(rates),
    laborRatePerHour: serviceType?.laborRatePerHour ?? 0,
    tripCharge: serviceType?.tripCharge ?? 0,
    serviceName: serviceType?.name ?? workOrder.description.slice(0, 60),
    parts,
    ...(invoicedRevenue !== undefined ? { invoicedRevenue } : {}),
  });
  return {
    workOrderId,
    status: workOrder.status,
    currency: tenant.currency,
    ...figures,
  };
}

/** The subtotal of the work order's invoice, unless it has none yet or it was voided. */
export async function invoicedRevenueOf(
  workOrders: Pick<WorkOrderStore, 'getInvoice'>,
  workOrder: Pick<WorkOrder, 'tenantId' | 'workOrderId' | 'invoiceId'>,
): Promise<number | undefined> {
  if (!workOrder.invoiceId) return undefined;
  const invoice = await workOrders.getInvoice(workOrder.tenantId, workOrder.workOrderId, workOrder.invoiceId);
  return invoice && invoice.status !== 'void' ? invoice.subtotal : undefined;
}
