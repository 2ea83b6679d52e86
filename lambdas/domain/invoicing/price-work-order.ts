import type { AgreementCoverage } from '../../ports/agreement-coverage.ts';
import type { PricingSources } from '../../ports/pricing-sources.ts';
import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import type { Tenant } from '../customers/customer.ts';
import { defaultTechnicianLevel } from '../scheduling/technicians.ts';
import type { WorkOrder } from '../work-orders/work-order.ts';
import type { AgreementTerms, InvoiceDiscount } from './invoice.ts';
import { type PricedInvoice, type PricingRules, priceInvoice } from './pricing.ts';

export interface WorkOrderPricingDependencies {
  workOrders: Pick<WorkOrderStore, 'laborEntries' | 'partsUsed'>;
  pricing: PricingSources;
  agreements: AgreementCoverage;
}

export interface PricedWorkOrder extends PricedInvoice {
  agreement?: AgreementTerms;
  rules: PricingRules;
}

/**
 * Prices a completed work order from what is recorded on it and the tenant's rules now.
 * 1. Reads its labor entries and part usages (its item collection), the tenant's rules, its
 *    service type, its location's tax rate and the customer's agreement coverage, at once.
 * 2. Reads the level of each technician who worked (BatchGet) and, when parts are marked up,
 *    each part's category (BatchGet).
 * 3. Prices it (`priceInvoice`): the visit started at arrival (else its booked start), an
 *    emergency by its priority, the office's discount kept as it was.
 */
export async function priceWorkOrder(
  dependencies: WorkOrderPricingDependencies,
  workOrder: WorkOrder,
  tenant: Pick<Tenant, 'timeZone'>,
  options: { discount?: InvoiceDiscount; now: Date },
): Promise<PricedWorkOrder> {
  const { tenantId, workOrderId } = workOrder;
  const { pricing } = dependencies;
  const [labor, parts, rules, serviceType, locationTaxRate, coverage] = await Promise.all([
    dependencies.workOrders.laborEntries(tenantId, workOrderId),
    dependencies.workOrders.partsUsed(tenantId, workOrderId),
    pricing.rules(tenantId),
    workOrder.serviceTypeId ? pricing.serviceType(tenantId, workOrder.serviceTypeId) : undefined,
    workOrder.locationId ? pricing.locationTaxRate(tenantId, workOrder.locationId) : undefined,
    dependencies.agreements.coverageFor({
      tenantId,
      customerId: workOrder.customerId,
      ...(workOrder.locationId ? { locationId: workOrder.locationId } : {}),
      ...(workOrder.serviceTypeId ? { serviceTypeId: workOrder.serviceTypeId } : {}),
      workOrderId,
      // The visit's own time, so asking again (a retry, a recalculation) asks the same question.
      at: workOrder.completedAt ?? options.now.toISOString(),
    }),
  ]);
  const [levels, categories] = await Promise.all([
    pricing.technicianLevels(tenantId, [...new Set(labor.map((entry) => entry.technicianId))]),
    rules.partsPricing === 'markup'
      ? pricing.partCategories(tenantId, [...new Set(parts.map((usage) => usage.partId))])
      : undefined,
  ]);
  const agreement: AgreementTerms | undefined = coverage
    ? {
        agreementId: coverage.agreementId,
        memberDiscountBasisPoints: coverage.memberDiscountBasisPoints,
        coversVisit: coverage.coversVisit,
      }
    : undefined;
  const visitStartedAt = workOrder.arrivedAt ?? workOrder.scheduledStart;
  const priced = priceInvoice({
    serviceName: serviceType?.name ?? workOrder.description.slice(0, 60),
    laborRatePerHour: serviceType?.laborRatePerHour ?? 0,
    tripCharge: serviceType?.tripCharge ?? 0,
    flatFees: serviceType?.flatFees ?? [],
    labor: labor.map((entry) => ({
      minutes: entry.minutes,
      level: levels.get(entry.technicianId) ?? defaultTechnicianLevel,
    })),
    parts,
    ...(categories ? { partCategories: categories } : {}),
    priority: workOrder.priority,
    ...(visitStartedAt ? { visitStartedAt } : {}),
    timeZone: tenant.timeZone,
    rules,
    ...(locationTaxRate !== undefined ? { locationTaxRatePerMillion: locationTaxRate } : {}),
    ...(agreement ? { agreement } : {}),
    ...(options.discount ? { discount: options.discount } : {}),
  });
  return { ...priced, ...(agreement ? { agreement } : {}), rules };
}
