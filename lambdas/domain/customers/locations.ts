import type { Page } from '../../ports/work-order-store.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import type { WorkOrder } from '../work-orders/work-order.ts';
import type { Address, Equipment, ServiceLocation } from './customer.ts';
import type { PageRequest } from './customer-directory.ts';
import { type CustomerDependencies, getCustomer } from './manage-customers.ts';

export interface LocationInput {
  address: Address;
  latitude?: number;
  longitude?: number;
  accessNotes?: string;
  gateCode?: string;
  pets?: string;
  taxRatePerMillion?: number;
}

export type LocationChanges = Partial<LocationInput>;

export interface EquipmentInput {
  type: string;
  make?: string;
  model?: string;
  serialNumber?: string;
  installedOn?: string;
  warrantyEndsOn?: string;
  warrantyMonths?: number;
}

/** Adds a service location to a customer of the tenant (404 for anyone else's customer). */
export async function addLocation(
  dependencies: CustomerDependencies,
  actor: Actor,
  customerId: string,
  input: LocationInput,
): Promise<ServiceLocation> {
  const { directory, clock, ids } = dependencies;
  refuseTaxRateUnlessAdmin(actor, input);
  await getCustomer(directory, actor, customerId);
  const now = clock.now().toISOString();
  const location: ServiceLocation = {
    tenantId: actor.tenantId,
    locationId: ids.next('loc'),
    customerId,
    ...input,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await directory.createLocation(location);
  return location;
}

export async function getLocation(
  dependencies: Pick<CustomerDependencies, 'directory'>,
  actor: Actor,
  locationId: string,
): Promise<ServiceLocation> {
  const location = await dependencies.directory.getLocation(actor.tenantId, locationId);
  if (!location) throw new NotFoundError('Location', locationId);
  return location;
}

/** A location's own tax rate is a pricing rule: only an admin sets it, as for the tenant's rates. */
function refuseTaxRateUnlessAdmin(actor: Actor, input: { taxRatePerMillion?: number }): void {
  if (input.taxRatePerMillion !== undefined && actor.role !== 'admin') {
    throw new ForbiddenError('Only an admin sets a location’s tax rate');
  }
}

/** Changes a location's details on the version read (409 if it changed meanwhile or is not `expectedVersion`). */
export async function updateLocation(
  dependencies: CustomerDependencies,
  actor: Actor,
  locationId: string,
  changes: LocationChanges,
  expectedVersion?: number,
): Promise<ServiceLocation> {
  refuseTaxRateUnlessAdmin(actor, changes);
  const before = await getLocation(dependencies, actor, locationId);
  const version = before.version ?? 1;
  if (expectedVersion !== undefined && expectedVersion !== version) {
    throw new ConflictError(`Location ${locationId} is at version ${version}`, { currentVersion: version });
  }
  const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  const after: ServiceLocation = {
    ...before,
    ...defined,
    version: version + 1,
    updatedAt: dependencies.clock.now().toISOString(),
  };
  if (!(await dependencies.directory.updateLocation(before, after))) {
    throw new ConflictError(`Location ${locationId} was changed meanwhile; read it again`);
  }
  return after;
}

/** A customer's service locations (404 if the customer is not the tenant's). */
export async function customerLocations(
  dependencies: Pick<CustomerDependencies, 'directory'>,
  actor: Actor,
  customerId: string,
  page: PageRequest,
): Promise<Page<ServiceLocation>> {
  await getCustomer(dependencies.directory, actor, customerId);
  return dependencies.directory.locationsOf(actor.tenantId, customerId, page);
}

/** Records equipment at a location of the tenant, with its warranty terms. */
export async function addEquipment(
  dependencies: CustomerDependencies,
  actor: Actor,
  locationId: string,
  input: EquipmentInput,
): Promise<Equipment> {
  const location = await getLocation(dependencies, actor, locationId);
  const now = dependencies.clock.now().toISOString();
  const equipment: Equipment = {
    tenantId: actor.tenantId,
    equipmentId: dependencies.ids.next('eqp'),
    locationId,
    customerId: location.customerId,
    ...input,
    createdAt: now,
    updatedAt: now,
  };
  await dependencies.directory.createEquipment(equipment);
  return equipment;
}

export async function locationEquipment(
  dependencies: Pick<CustomerDependencies, 'directory'>,
  actor: Actor,
  locationId: string,
  page: PageRequest,
): Promise<Page<Equipment>> {
  await getLocation(dependencies, actor, locationId);
  return dependencies.directory.equipmentAt(actor.tenantId, locationId, page);
}

/** The work orders at a location, newest first (one Query on the work orders by location). */
export async function locationWorkOrders(
  dependencies: Pick<CustomerDependencies, 'directory' | 'workOrders'>,
  actor: Actor,
  locationId: string,
  page: PageRequest,
): Promise<Page<WorkOrder>> {
  await getLocation(dependencies, actor, locationId);
  return dependencies.workOrders.list({ tenantId: actor.tenantId, locationId }, page);
}
