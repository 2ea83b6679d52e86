import type {
  ContactKind,
  Customer,
  Equipment,
  ServiceLocation,
  Tenant,
} from '../../domain/customers/customer.ts';
import type { CustomerDirectory, PageRequest } from '../../domain/customers/customer-directory.ts';
import type {
  DirectoryStore,
  Page,
  ServiceTypeDetails,
  TechnicianDetails,
} from '../../ports/work-order-store.ts';
import { isConditionalCheckFailure } from './conditional-check.ts';
import { type Condition, type Operations, sameAs } from './conditions.ts';
import type { Entities } from './entities.ts';
import { pagedQuery } from './paging.ts';
import { DynamoDirectoryStore } from './work-order-store.ts';

/** The item still has the version read; an item never versioned has no `version` attribute. */
const atVersion = (version: number | undefined): Condition => sameAs('version', version);

/** The contact item is this customer's, or absent (customers written before contact items existed). */
const heldByOrFree =
  (customerId: string): Condition =>
  ({ customerId: attribute }, { eq, notExists }) =>
    `${(notExists as Operations[string])(attribute)} OR ${(eq as Operations[string])(attribute, customerId)}`;

// The stored items have the domain's fields; the one rename is the equipment's model, which
// would read as the entity's model in the item.
type EquipmentItem = Omit<Equipment, 'model'> & { modelName?: string };

function toEquipmentItem({ model, ...equipment }: Equipment): EquipmentItem {
  return { ...equipment, ...(model !== undefined ? { modelName: model } : {}) };
}

function toEquipment({ modelName, ...item }: EquipmentItem): Equipment {
  return { ...item, ...(modelName !== undefined ? { model: modelName } : {}) } as Equipment;
}

const contactsOf = (customer: Pick<Customer, 'phone' | 'email'>): [ContactKind, string][] => [
  ...(customer.phone ? [['phone', customer.phone] as [ContactKind, string]] : []),
  ...(customer.email ? [['email', customer.email] as [ContactKind, string]] : []),
];

/**
 * Customers, their contact items, service locations and equipment in the single table.
 * A customer's phone and email are each held by a `customerContact` item keyed by tenant,
 * kind and value: created with the customer in one transaction on the condition that it does
 * not exist, moved in one transaction when the contact changes. Lookups by phone or email are
 * GetItems on those items.
 */
export class DynamoCustomerDirectory implements CustomerDirectory {
  private readonly directory: DirectoryStore;

  constructor(private readonly entities: Entities) {
    this.directory = new DynamoDirectoryStore(entities);
  }

  getTenant(tenantId: string): Promise<Tenant | undefined> {
    return this.directory.getTenant(tenantId);
  }

  getCustomer(tenantId: string, customerId: string): Promise<Customer | undefined> {
    return this.directory.getCustomer(tenantId, customerId);
  }

  getLocation(tenantId: string, locationId: string): Promise<ServiceLocation | undefined> {
    return this.directory.getLocation(tenantId, locationId);
  }

  getLocations(tenantId: string, locationIds: string[]): Promise<ServiceLocation[]> {
    return this.directory.getLocations(tenantId, locationIds);
  }

  getServiceType(tenantId: string, serviceTypeId: string): Promise<ServiceTypeDetails | undefined> {
    return this.directory.getServiceType(tenantId, serviceTypeId);
  }

  getTechnician(tenantId: string, technicianId: string): Promise<TechnicianDetails | undefined> {
    return this.directory.getTechnician(tenantId, technicianId);
  }

  async customerByContact(tenantId: string, kind: ContactKind, value: string): Promise<Customer | undefined> {
    const { data: contact } = await this.entities.customerContact
      .get({ tenantId, kind, value })
      .go({ consistent: true });
    if (!contact) return undefined;
    const { data } = await this.entities.customer
      .get({ tenantId, customerId: contact.customerId })
      .go({ consistent: true });
    return (data as Customer | null) ?? undefined;
  }

  async createCustomer(customer: Customer): Promise<boolean> {
    const { tenantId, customerId, createdAt } = customer;
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.customer.create(customer).commit(),
        ...contactsOf(customer).map(([kind, value]) =>
          entity.customerContact.create({ tenantId, kind, value, customerId, createdAt }).commit(),
        ),
      ])
      .go();
    return !result.canceled;
  }

  async updateCustomer(before: Customer, after: Customer): Promise<boolean> {
    const { tenantId, customerId } = after;
    const moves = (['phone', 'email'] as const).filter((kind) => before[kind] !== after[kind]);
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.customer
          .put(after)
          .where(atVersion(before.version) as never)
          .commit(),
        ...moves.flatMap((kind) => {
          const previous = before[kind];
          const next = after[kind];
          return [
            ...(previous
              ? [
                  entity.customerContact
                    .delete({ tenantId, kind, value: previous })
                    .where(heldByOrFree(customerId) as never)
                    .commit(),
                ]
              : []),
            ...(next
              ? [
                  entity.customerContact
                    .create({ tenantId, kind, value: next, customerId, createdAt: after.updatedAt })
                    .commit(),
                ]
              : []),
          ];
        }),
      ])
      .go();
    return !result.canceled;
  }

  async customersByName(tenantId: string, namePrefix: string, page: PageRequest): Promise<Page<Customer>> {
    const query = this.entities.customer.query.byName({ tenantId });
    return pagedQuery(page, (options) =>
      (namePrefix ? query.begins({ nameKey: namePrefix }) : query).go(options),
    ) as Promise<Page<Customer>>;
  }

  async createLocation(location: ServiceLocation): Promise<void> {
    await this.entities.location.create(location).go();
  }

  async updateLocation(before: ServiceLocation, after: ServiceLocation): Promise<boolean> {
    try {
      await this.entities.location
        .put(after)
        .where(atVersion(before.version) as never)
        .go();
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  async locationsOf(tenantId: string, customerId: string, page: PageRequest): Promise<Page<ServiceLocation>> {
    return pagedQuery(page, (options) =>
      this.entities.location.query.byCustomer({ tenantId, customerId }).go(options),
    ) as Promise<Page<ServiceLocation>>;
  }

  async createEquipment(equipment: Equipment): Promise<void> {
    await this.entities.equipment.create(toEquipmentItem(equipment)).go();
  }

  async getEquipment(
    tenantId: string,
    locationId: string,
    equipmentId: string,
  ): Promise<Equipment | undefined> {
    const { data } = await this.entities.equipment.get({ tenantId, locationId, equipmentId }).go();
    return data ? toEquipment(data as EquipmentItem) : undefined;
  }

  async equipmentAt(tenantId: string, locationId: string, page: PageRequest): Promise<Page<Equipment>> {
    const result = await pagedQuery(page, (options) =>
      this.entities.equipment.query.byLocation({ tenantId, locationId }).go(options),
    );
    return { ...result, items: result.items.map((item) => toEquipment(item as EquipmentItem)) };
  }
}
