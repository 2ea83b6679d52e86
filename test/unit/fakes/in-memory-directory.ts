import type { Customer, ServiceLocation, Tenant } from '../../../lambdas/domain/customers/customer.ts';
import type {
  DirectoryStore,
  ServiceTypeDetails,
  TechnicianDetails,
} from '../../../lambdas/ports/work-order-store.ts';

/**
 * Tenants, customers, locations, service types and technicians kept in maps keyed by tenant, as
 * the table keys them: another tenant's id is simply not there.
 */
export class InMemoryDirectory implements DirectoryStore {
  private readonly tenants = new Map<string, Tenant>();
  private readonly customers = new Map<string, Customer>();
  private readonly locations = new Map<string, ServiceLocation>();
  private readonly serviceTypes = new Map<string, ServiceTypeDetails>();
  private readonly technicians = new Map<string, TechnicianDetails>();

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

  addServiceType(tenantId: string, serviceType: ServiceTypeDetails): this {
    this.serviceTypes.set(`${tenantId}#${serviceType.serviceTypeId}`, structuredClone(serviceType));
    return this;
  }

  addTechnician(tenantId: string, technician: TechnicianDetails): this {
    this.technicians.set(`${tenantId}#${technician.technicianId}`, structuredClone(technician));
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

  async getServiceType(tenantId: string, serviceTypeId: string): Promise<ServiceTypeDetails | undefined> {
    return copy(this.serviceTypes.get(`${tenantId}#${serviceTypeId}`));
  }

  async getTechnician(tenantId: string, technicianId: string): Promise<TechnicianDetails | undefined> {
    return copy(this.technicians.get(`${tenantId}#${technicianId}`));
  }
}

const copy = <T>(value: T | undefined): T | undefined =>
  value === undefined ? undefined : structuredClone(value);
