import type { DirectoryStore, Page } from '../../ports/work-order-store.ts';
import type { ContactKind, Customer, Equipment, ServiceLocation } from './customer.ts';

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/**
 * The customer side of the directory: customers with their unique contacts, service locations
 * and equipment. Extends the directory the work order use cases read, so that one adapter
 * serves both.
 */
export interface CustomerDirectory extends DirectoryStore {
  /** The customer holding this contact (E.164 phone or lower-cased email), read consistently. */
  customerByContact(tenantId: string, kind: ContactKind, value: string): Promise<Customer | undefined>;
  /**
   * Writes the customer with one contact item per phone and email, all or nothing, only if
   * none of the contacts is held yet; false if the write was refused (held contact or a
   * concurrent write), in which case nothing was written.
   */
  createCustomer(customer: Customer): Promise<boolean>;
  /**
   * Replaces the customer if its version is still that of `before`, moving the contact items
   * whose value changed (the new ones only if not held); false if refused, nothing written.
   */
  updateCustomer(before: Customer, after: Customer): Promise<boolean>;
  /** Customers of the tenant by name key prefix, in name order. */
  customersByName(tenantId: string, namePrefix: string, page: PageRequest): Promise<Page<Customer>>;
  createLocation(location: ServiceLocation): Promise<void>;
  /** Replaces the location if its version is still that of `before`; false if it changed. */
  updateLocation(before: ServiceLocation, after: ServiceLocation): Promise<boolean>;
  locationsOf(tenantId: string, customerId: string, page: PageRequest): Promise<Page<ServiceLocation>>;
  createEquipment(equipment: Equipment): Promise<void>;
  getEquipment(tenantId: string, locationId: string, equipmentId: string): Promise<Equipment | undefined>;
  equipmentAt(tenantId: string, locationId: string, page: PageRequest): Promise<Page<Equipment>>;
}

/**
 * The customer directory behind a plain directory. The composition root and the test fakes
 * always give one; a directory without it is a wiring mistake, reported as such.
 */
export function asCustomerDirectory(directory: DirectoryStore): CustomerDirectory {
  if (!('customerByContact' in directory)) {
    throw new Error('The directory given cannot find or create customers (wire a CustomerDirectory)');
  }
  return directory as CustomerDirectory;
}
