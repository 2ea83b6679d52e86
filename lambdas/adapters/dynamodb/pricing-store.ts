import type { FlatFee } from '../../domain/catalog/service-type.ts';
import type { PricingRules } from '../../domain/invoicing/pricing.ts';
import {
  type PricingSettingsStore,
  pricingRulesOf,
  type StoredPricingRules,
} from '../../domain/invoicing/pricing-settings.ts';
import type { TechnicianLevel } from '../../domain/scheduling/technicians.ts';
import type { PricedServiceType, PricingSources } from '../../ports/pricing-sources.ts';
import type { Entities } from './entities.ts';

/** BatchGetItem takes 100 keys a call; ElectroDB retries what DynamoDB leaves unprocessed. */
async function batchGet<K, T>(
  keys: readonly K[],
  read: (batch: K[]) => Promise<{ data: T[]; unprocessed: unknown[] }>,
): Promise<T[]> {
  const found: T[] = [];
  for (let index = 0; index < keys.length; index += 100) {
    const { data, unprocessed } = await read(keys.slice(index, index + 100));
    if (unprocessed.length > 0) throw new Error(`${unprocessed.length} items were not read; retry`);
    found.push(...data);
  }
  return found;
}

/**
 * What invoices are priced from besides the work: the pricing rules on the tenant's item, the
 * service type's prices, the technicians' levels, the parts' categories and the location's tax
 * rate. Reads by key only (GetItem, BatchGetItem).
 */
export class DynamoPricingStore implements PricingSources, PricingSettingsStore {
  constructor(private readonly entities: Entities) {}

  async storedPricing(tenantId: string): Promise<{ pricing: StoredPricingRules } | undefined> {
    const { data } = await this.entities.tenant.get({ tenantId }).go({ consistent: true });
    if (!data) return undefined;
    return { pricing: (data.pricing ?? {}) as StoredPricingRules };
  }

  async savePricingRules(tenantId: string, rules: PricingRules, at: string): Promise<void> {
    await this.entities.tenant.patch({ tenantId }).set({ pricing: rules, updatedAt: at }).go();
  }

  async rules(tenantId: string): Promise<PricingRules> {
    return pricingRulesOf((await this.storedPricing(tenantId))?.pricing);
  }

  async serviceType(tenantId: string, serviceTypeId: string): Promise<PricedServiceType | undefined> {
    const { data } = await this.entities.serviceType.get({ tenantId, serviceTypeId }).go();
    if (!data) return undefined;
    return {
      serviceTypeId: data.serviceTypeId,
      name: data.name,
      ...(data.laborRatePerHour !== undefined ? { laborRatePerHour: data.laborRatePerHour } : {}),
      ...(data.tripCharge !== undefined ? { tripCharge: data.tripCharge } : {}),
      flatFees: [...((data.flatFees ?? []) as FlatFee[])],
    };
  }

  async technicianLevels(
    tenantId: string,
    technicianIds: readonly string[],
  ): Promise<ReadonlyMap<string, TechnicianLevel>> {
    const keys = [...new Set(technicianIds)].map((technicianId) => ({ tenantId, technicianId }));
    const found = await batchGet(keys, (batch) =>
      this.entities.technician.get(batch).go({ unprocessed: 'item', attributes: ['technicianId', 'level'] }),
    );
    return new Map(
      found.flatMap((item) =>
        item.level ? [[item.technicianId, item.level as TechnicianLevel] as const] : [],
      ),
    );
  }

  async partCategories(tenantId: string, partIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const keys = [...new Set(partIds)].map((partId) => ({ tenantId, partId }));
    const found = await batchGet(keys, (batch) =>
      this.entities.part.get(batch).go({ unprocessed: 'item', attributes: ['partId', 'category'] }),
    );
    return new Map(found.flatMap((item) => (item.category ? [[item.partId, item.category] as const] : [])));
  }

  async locationTaxRate(tenantId: string, locationId: string): Promise<number | undefined> {
    const { data } = await this.entities.location
      .get({ tenantId, locationId })
      .go({ attributes: ['taxRatePerMillion'] });
    return data?.taxRatePerMillion ?? undefined;
  }
}
