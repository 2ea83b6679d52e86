import type { CompletedWork, CompletedWorkOrder } from '../../ports/completed-work.ts';
import type { DirectoryStore, ServiceTypeDetails, WorkOrderStore } from '../../ports/work-order-store.ts';
import { ForbiddenError, ValidationError } from '../../shared/errors.ts';
import { costJob, invoicedRevenueOf, type JobCostingFigures } from '../invoicing/job-costing.ts';
import { addLocalDays, LocalCalendar } from '../scheduling/local-time.ts';
import type { TechnicianStore } from '../scheduling/technicians.ts';
import type { Actor } from '../shared/actor.ts';
import { isOffice } from '../work-orders/lifecycle.ts';

export interface JobCostingReportDependencies {
  completed: CompletedWork;
  workOrders: Pick<WorkOrderStore, 'laborEntries' | 'partsUsed' | 'get' | 'getInvoice'>;
  directory: Pick<DirectoryStore, 'getTenant' | 'getServiceType'>;
  technicians: Pick<TechnicianStore, 'get'>;
}

export interface JobCostingLine extends JobCostingFigures {
  workOrderId: string;
  completedAt: string;
  customerId: string;
  serviceTypeId?: string;
  technicianId?: string;
}

export interface JobCostingTotals {
  workOrders: number;
  laborMinutes: number;
  laborCost: number;
  partsCost: number;
  revenue: number;
  cost: number;
  margin: number;
  marginPercent: number | null;
}

export interface JobCostingReport {
  /** Local days of the tenant, both included. */
  from: string;
  to: string;
  currency: string;
  workOrders: JobCostingLine[];
  totals: JobCostingTotals;
}

/** The longest period one report covers. */
export const maxReportDays = 366;
/** How many work orders' records are read at once. */
const concurrency = 16;

const percentOf = (margin: number, revenue: number): number | null =>
  revenue === 0 ? null : Math.round((margin * 1000) / revenue) / 10;

/**
 * Revenue, cost and margin of the work completed in a period, per work order and in total (the
 * office).
 * 1. Takes the period as the tenant's local days `from` to `to`, both included (at most a year;
 *    400 naming the field otherwise), and reads the work orders completed in it (one Query on the
 *    completion index, in completion order).
 * 2. Reads each one's labor and parts (16 work orders at a time), its service type and its
 *    technicians' cost rates (each read once per report), and costs it as the job costing of a
 *    single work order does (`costJob`): revenue as the invoice prices the work, cost at the
 *    technicians' rates and the parts' captured costs.
 * 3. Adds them up; the margin percentages are of the revenue, to one decimal.
 */
export async function jobCostingReport(
  deps: JobCostingReportDependencies,
  actor: Actor,
  period: { from: string; to: string },
): Promise<JobCostingReport> {
  if (!isOffice(actor)) throw new ForbiddenError('Reports are for the office');
  if (period.to < period.from) {
    throw new ValidationError([{ field: 'query.to', message: `on or after ${period.from}` }]);
  }
  if (period.to > addLocalDays(period.from, maxReportDays - 1)) {
    throw new ValidationError([
      { field: 'query.to', message: `at most ${maxReportDays} days from ${period.from}` },
    ]);
  }
  const { tenantId } = actor;
  const tenant = await deps.directory.getTenant(tenantId);
  if (!tenant) throw new ForbiddenError('This tenant is not provisioned');
  const calendar = new LocalCalendar(tenant.timeZone);
  const completed = await deps.completed.completedBetween(
    tenantId,
    new Date(calendar.dayBounds(period.from).start).toISOString(),
    new Date(calendar.dayBounds(period.to).end).toISOString(),
  );

  const serviceTypes = new Map<string, Promise<ServiceTypeDetails | undefined>>();
  const costRates = new Map<string, Promise<number | undefined>>();
  const serviceTypeOf = (id: string) => {
    if (!serviceTypes.has(id)) serviceTypes.set(id, deps.directory.getServiceType(tenantId, id));
    return serviceTypes.get(id) as Promise<ServiceTypeDetails | undefined>;
  };
  const costRateOf = (id: string) => {
    if (!costRates.has(id))
      costRates.set(
        id,
        deps.technicians.get(tenantId, id).then((found) => found?.costRatePerHour),
      );
    return costRates.get(id) as Promise<number | undefined>;
  };

  const costOne = async (completion: CompletedWorkOrder): Promise<JobCostingLine> => {
    const [laborEntries, parts, serviceType, workOrder] = await Promise.all([
      deps.workOrders.laborEntries(tenantId, completion.workOrderId),
      deps.workOrders.partsUsed(tenantId, completion.workOrderId),
      completion.serviceTypeId ? serviceTypeOf(completion.serviceTypeId) : undefined,
      deps.workOrders.get(tenantId, completion.workOrderId),
    ]);
    const invoicedRevenue = workOrder ? await invoicedRevenueOf(deps.workOrders, workOrder) : undefined;
    const technicianIds = [...new Set(laborEntries.map((entry) => entry.technicianId))];
    const rates = await Promise.all(technicianIds.map(async (id) => [id, await costRateOf(id)] as const));
    const figures = costJob({
      laborEntries,
      costRates: new Map(rates),
      laborRatePerHour: serviceType?.laborRatePerHour ?? 0,
      tripCharge: serviceType?.tripCharge ?? 0,
      serviceName: serviceType?.name ?? 'service',
      parts,
      ...(invoicedRevenue !== undefined ? { invoicedRevenue } : {}),
    });
    const { tenantId: _tenant, ...identity } = completion;
    return { ...identity, ...figures };
  };

  const lines: JobCostingLine[] = [];
  for (let start = 0; start < completed.length; start += concurrency) {
    lines.push(...(await Promise.all(completed.slice(start, start + concurrency).map(costOne))));
  }
  const sum = (pick: (line: JobCostingLine) => number) =>
    lines.reduce((total, line) => total + pick(line), 0);
  const revenue = sum((line) => line.revenue);
  const cost = sum((line) => line.cost);
  return {
    from: period.from,
    to: period.to,
    currency: tenant.currency,
    workOrders: lines,
    totals: {
      workOrders: lines.length,
      laborMinutes: sum((line) => line.labor.minutes),
      laborCost: sum((line) => line.labor.cost),
      partsCost: sum((line) => line.parts.cost),
      revenue,
      cost,
      margin: revenue - cost,
      marginPercent: percentOf(revenue - cost, revenue),
    },
  };
}
