import type { Customer, ServiceLocation, Tenant } from '../../../lambdas/domain/customers/customer.ts';
import type { DirectoryStore } from '../../../lambdas/ports/work-order-store.ts';

type ServiceType = { serviceTypeId: string; name: string };

/** Tenants, customers, locations and service types kept in maps keyed by tenant, as the table keys them. */
export class InMemoryDirectory implements DirectoryStore {
  private readonly tenants = new Map<string, Tenant>();
  private readonly customers = new Map<string, Customer>();
  private readonly locations = new Map<string, ServiceLocation>();
  private readonly serviceTypes = new Map<string, ServiceType>();

  addTenant(tenant: Tenant): this {
    this.tenants.set(tenant.tenantId, structuredClone(tenant));
    return this;
  }

  addCustomer(customer: Customer): this {
    this.customers.set(`${customer.tenantId}#${customer.customerId}`, structuredClone(customer));
    return this;
  }

  addLocation(location: ServiceLocation): this {
    this.locations.set(`${location.tenantId}#${location.locationId}`, structuredClone(location));
    return this;
  }

  addServiceType(tenantId: string, serviceType: ServiceType): this {
    this.serviceTypes.set(`${tenantId}#${serviceType.serviceTypeId}`, structuredClone(serviceType));
    return this;
  }

  allCustomers(): Customer[] {
    return [...this.customers.values()].map((customer) => structuredClone(customer));
  }

  allLocations(): ServiceLocation[] {
    return [...this.locations.values()].map((location) => structuredClone(location));
  }

  async getTenant(tenantId: string): Promise<Tenant | undefined> {
    return copy(this.tenants.get(tenantId));
  }

  async getCustomer(tenantId: string, customerId: string): Promise<Customer | undefined> {
    return copy(this.customers.get(`${tenantId}#${customerId}`));
  }

  async getLocation(tenantId: string, locationId: string): Promise<ServiceLocation | undefined> {
    return copy(this.locations.get(`${tenantId}#${locationId}`));
  }

  async getServiceType(tenantId: string, serviceTypeId: string): Promise<ServiceType | undefined> {
    return copy(this.serviceTypes.get(`${tenantId}#${serviceTypeId}`));
  }
}

const copy = <T>(value: T | undefined): T | undefined =>
  value === undefined ? undefined : structuredClone(value);
