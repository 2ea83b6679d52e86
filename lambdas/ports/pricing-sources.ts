import type { FlatFee } from '../domain/catalog/service-type.ts';
import type { PricingRules } from '../domain/invoicing/pricing.ts';
import type { TechnicianLevel } from '../domain/scheduling/technicians.ts';

/** What a service type charges. */
export interface PricedServiceType {
  serviceTypeId: string;
  name: string;
  /** Minor units per hour. */
  laborRatePerHour?: number;
  tripCharge?: number;
  flatFees: FlatFee[];
}

/** What pricing a work order reads besides the work itself: the tenant's rules and the catalogue. */
export interface PricingSources {
  /** The tenant's pricing rules, the defaults filling in what it has not set. */
  rules(tenantId: string): Promise<PricingRules>;
  serviceType(tenantId: string, serviceTypeId: string): Promise<PricedServiceType | undefined>;
  /** The level of each technician found (BatchGet); a technician without one on record is left out. */
  technicianLevels(
    tenantId: string,
    technicianIds: readonly string[],
  ): Promise<ReadonlyMap<string, TechnicianLevel>>;
  /** The category of each part found (BatchGet); a part without one is left out. */
  partCategories(tenantId: string, partIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** The service location's own tax rate, parts per million, if it has one. */
  locationTaxRate(tenantId: string, locationId: string): Promise<number | undefined>;
}
