import type { PricingRules } from '../../../lambdas/domain/invoicing/pricing.ts';
import {
  type PricingSettingsStore,
  pricingRulesOf,
  type StoredPricingRules,
} from '../../../lambdas/domain/invoicing/pricing-settings.ts';
import type { TechnicianLevel } from '../../../lambdas/domain/scheduling/technicians.ts';
import type { PricedServiceType, PricingSources } from '../../../lambdas/ports/pricing-sources.ts';
import type { InMemoryDirectory } from './in-memory-directory.ts';

/**
 * Pricing rules by tenant and the catalogue's prices, levels and categories. Service types and
 * locations not seeded here are read from the directory (their fees none, their tax rate their own).
 */
export class InMemoryPricingSources implements PricingSources, PricingSettingsStore {
  private readonly stored = new Map<string, StoredPricingRules>();
  private readonly serviceTypes = new Map<string, PricedServiceType>();
  private readonly levels = new Map<string, TechnicianLevel>();
  private readonly categories = new Map<string, string>();
  readonly saved: { tenantId: string; rules: PricingRules; at: string }[] = [];

  constructor(private readonly directory: InMemoryDirectory) {}

  /** The tenant's rules as its item would hold them. */
  setRules(tenantId: string, rules: StoredPricingRules): this {
    this.stored.set(tenantId, structuredClone(rules));
    return this;
  }

  addServiceType(tenantId: string, serviceType: PricedServiceType): this {
    this.serviceTypes.set(`${tenantId}#${serviceType.serviceTypeId}`, structuredClone(serviceType));
    return this;
  }

  setLevel(tenantId: string, technicianId: string, level: TechnicianLevel): this {
    this.levels.set(`${tenantId}#${technicianId}`, level);
    return this;
  }

  setCategory(tenantId: string, partId: string, category: string): this {
    this.categories.set(`${tenantId}#${partId}`, category);
    return this;
  }

  async storedPricing(tenantId: string): Promise<{ pricing: StoredPricingRules } | undefined> {
    if (!(await this.directory.getTenant(tenantId))) return undefined;
    return { pricing: structuredClone(this.stored.get(tenantId) ?? {}) };
  }

  async savePricingRules(tenantId: string, rules: PricingRules, at: string): Promise<void> {
    this.stored.set(tenantId, structuredClone(rules));
    this.saved.push({ tenantId, rules: structuredClone(rules), at });
  }

  async rules(tenantId: string): Promise<PricingRules> {
    return pricingRulesOf(this.stored.get(tenantId));
  }

  async serviceType(tenantId: string, serviceTypeId: string): Promise<PricedServiceType | undefined> {
    const seeded = this.serviceTypes.get(`${tenantId}#${serviceTypeId}`);
    if (seeded) return structuredClone(seeded);
    const details = await this.directory.getServiceType(tenantId, serviceTypeId);
    if (!details) return undefined;
    return {
      serviceTypeId,
      name: details.name,
      ...(details.laborRatePerHour !== undefined ? { laborRatePerHour: details.laborRatePerHour } : {}),
      ...(details.tripCharge !== undefined ? { tripCharge: details.tripCharge } : {}),
      flatFees: [],
    };
  }

  async technicianLevels(
    tenantId: string,
    technicianIds: readonly string[],
  ): Promise<ReadonlyMap<string, TechnicianLevel>> {
    return new Map(
      technicianIds.flatMap((id) => {
        const level = this.levels.get(`${tenantId}#${id}`);
        return level ? [[id, level] as const] : [];
      }),
    );
  }

  async partCategories(tenantId: string, partIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    return new Map(
      partIds.flatMap((id) => {
        const category = this.categories.get(`${tenantId}#${id}`);
        return category ? [[id, category] as const] : [];
      }),
    );
  }

  async locationTaxRate(tenantId: string, locationId: string): Promise<number | undefined> {
    return (await this.directory.getLocation(tenantId, locationId))?.taxRatePerMillion;
  }
}
