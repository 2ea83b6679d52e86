import type {
  ContactKind,
  Customer,
  Equipment,
  ServiceLocation,
  Tenant,
} from '../../../lambdas/domain/customers/customer.ts';
import type { CustomerDirectory, PageRequest } from '../../../lambdas/domain/customers/customer-directory.ts';
import type { Page, ServiceTypeDetails, TechnicianDetails } from '../../../lambdas/ports/work-order-store.ts';

type ConcurrentWrite = () => void | Promise<void>;

/**
 * Tenants, customers, locations, service types and technicians kept in maps keyed by tenant, as
 * the table keys them: another tenant's id is simply not there. Customers hold their phone and
 * email as the table's contact items do: a write whose contact is held is refused whole, and
 * updates apply only at the version read.
 */
export class InMemoryDirectory implements CustomerDirectory {
  private readonly tenants = new Map<string, Tenant>();
  private readonly customers = new Map<string, Customer>();
  private readonly locations = new Map<string, ServiceLocation>();
  private readonly serviceTypes = new Map<string, ServiceTypeDetails>();
  private readonly technicians = new Map<string, TechnicianDetails>();
  private readonly contacts = new Map<string, string>();
  private readonly equipment = new Map<string, Equipment>();
  private readonly beforeCreateCustomerWrites: ConcurrentWrite[] = [];
  createCustomerAttempts = 0;

  addTenant(tenant: Tenant): this {
    this.tenants.set(tenant.tenantId, structuredClone(tenant));
    return this;
  }

  /** Seeds a customer with its contact items, as an earlier request would have written it. */
  addCustomer(customer: Customer): this {
    this.customers.set(`${customer.tenantId}#${customer.customerId}`, structuredClone(customer));
    for (const [kind, value] of contactsOf(customer)) {
      this.contacts.set(contactKey(customer.tenantId, kind, value), customer.customerId);
    }
    return this;
  }

  /** Runs `write` just before the next customer write, as a concurrent request would. */
  beforeNextCreateCustomer(write: ConcurrentWrite): this {
    this.beforeCreateCustomerWrites.push(write);
    return this;
  }

  addEquipment(equipment: Equipment): this {
    this.equipment.set(equipmentKey(equipment.tenantId, equipment.locationId, equipment.equipmentId), {
      ...equipment,
    });
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

  async getLocations(tenantId: string, locationIds: string[]): Promise<ServiceLocation[]> {
    return [...new Set(locationIds)].flatMap((locationId) => {
      const location = this.locations.get(`${tenantId}#${locationId}`);
      return location ? [copy(location) as ServiceLocation] : [];
    });
  }

  async getServiceType(tenantId: string, serviceTypeId: string): Promise<ServiceTypeDetails | undefined> {
    return copy(this.serviceTypes.get(`${tenantId}#${serviceTypeId}`));
  }

  async getTechnician(tenantId: string, technicianId: string): Promise<TechnicianDetails | undefined> {
    return copy(this.technicians.get(`${tenantId}#${technicianId}`));
  }

  async customerByContact(tenantId: string, kind: ContactKind, value: string): Promise<Customer | undefined> {
    const customerId = this.contacts.get(contactKey(tenantId, kind, value));
    return customerId ? this.getCustomer(tenantId, customerId) : undefined;
  }

  async createCustomer(customer: Customer): Promise<boolean> {
    this.createCustomerAttempts++;
    await this.beforeCreateCustomerWrites.shift()?.();
    const held = contactsOf(customer).some(([kind, value]) =>
      this.contacts.has(contactKey(customer.tenantId, kind, value)),
    );
    if (held || this.customers.has(`${customer.tenantId}#${customer.customerId}`)) return false;
    this.addCustomer(customer);
    return true;
  }

  async updateCustomer(before: Customer, after: Customer): Promise<boolean> {
    const key = `${after.tenantId}#${after.customerId}`;
    if (this.customers.get(key)?.version !== before.version) return false;
    const taken = (['phone', 'email'] as const).some((kind) => {
      const value = after[kind];
      if (!value || value === before[kind]) return false;
      return this.contacts.has(contactKey(after.tenantId, kind, value));
    });
    if (taken) return false;
    for (const [kind, value] of contactsOf(before))
      this.contacts.delete(contactKey(before.tenantId, kind, value));
    this.addCustomer(after);
    return true;
  }

  async customersByName(tenantId: string, namePrefix: string, page: PageRequest): Promise<Page<Customer>> {
    const matching = [...this.customers.values()]
      .filter((customer) => customer.tenantId === tenantId && customer.nameKey.startsWith(namePrefix))
      .sort((a, b) => `${a.nameKey}#${a.customerId}`.localeCompare(`${b.nameKey}#${b.customerId}`));
    return pageOf(matching, page);
  }

  async createLocation(location: ServiceLocation): Promise<void> {
    this.addLocation(location);
  }

  async updateLocation(before: ServiceLocation, after: ServiceLocation): Promise<boolean> {
    const key = `${after.tenantId}#${after.locationId}`;
    if (this.locations.get(key)?.version !== before.version) return false;
    this.addLocation(after);
    return true;
  }

  async locationsOf(tenantId: string, customerId: string, page: PageRequest): Promise<Page<ServiceLocation>> {
    const matching = [...this.locations.values()]
      .filter((location) => location.tenantId === tenantId && location.customerId === customerId)
      .sort((a, b) => a.locationId.localeCompare(b.locationId));
    return pageOf(matching, page);
  }

  async createEquipment(equipment: Equipment): Promise<void> {
    this.addEquipment(equipment);
  }

  async getEquipment(
    tenantId: string,
    locationId: string,
    equipmentId: string,
  ): Promise<Equipment | undefined> {
    return copy(this.equipment.get(equipmentKey(tenantId, locationId, equipmentId)));
  }

  async equipmentAt(tenantId: string, locationId: string, page: PageRequest): Promise<Page<Equipment>> {
    const matching = [...this.equipment.values()]
      .filter((equipment) => equipment.tenantId === tenantId && equipment.locationId === locationId)
      .sort((a, b) => a.equipmentId.localeCompare(b.equipmentId));
    return pageOf(matching, page);
  }
}

const contactKey = (tenantId: string, kind: ContactKind, value: string) => `${tenantId}#${kind}#${value}`;
const equipmentKey = (tenantId: string, locationId: string, equipmentId: string) =>
  `${tenantId}#${locationId}#${equipmentId}`;

const contactsOf = (customer: Pick<Customer, 'phone' | 'email'>): [ContactKind, string][] => [
  ...(customer.phone ? [['phone', customer.phone] as [ContactKind, string]] : []),
  ...(customer.email ? [['email', customer.email] as [ContactKind, string]] : []),
];

/** A page by offset: the cursor is the index of the next item. */
function pageOf<T>(items: T[], page: PageRequest): Page<T> {
  const start = page.cursor ? Number(page.cursor) : 0;
  const next = start + page.limit;
  return {
    items: items.slice(start, next).map((item) => structuredClone(item)),
    ...(next < items.length ? { nextCursor: String(next) } : {}),
  };
}

const copy = <T>(value: T | undefined): T | undefined =>
  value === undefined ? undefined : structuredClone(value);
