import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import { ConflictError, NotFoundError } from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import type { CatalogStore } from './catalog-store.ts';
import {
  changeServiceType,
  newServiceType,
  type ServiceType,
  type ServiceTypeChanges,
  type ServiceTypeFields,
} from './service-type.ts';

export interface CatalogDependencies {
  catalog: CatalogStore;
  clock: Clock;
  ids: IdGenerator;
  /** Told of every change, so the tenant's warm suggester is rebuilt. */
  onCatalogueChanged?: (tenantId: string) => void;
}

/** Adds a service type to the actor's catalogue: tidy and check, then write. */
export async function createServiceType(
  deps: CatalogDependencies,
  actor: Actor,
  fields: ServiceTypeFields,
): Promise<ServiceType> {
  const serviceType = newServiceType(
    actor.tenantId,
    deps.ids.next('svc'),
    fields,
    deps.clock.now().toISOString(),
  );
  await deps.catalog.createServiceType(serviceType);
  deps.onCatalogueChanged?.(actor.tenantId);
  return serviceType;
}

/** The actor's catalogue, by name. */
export async function listServiceTypes(catalog: CatalogStore, actor: Actor): Promise<ServiceType[]> {
  const serviceTypes = await catalog.listServiceTypes(actor.tenantId);
  return serviceTypes.sort(
    (first, second) =>
      first.name.localeCompare(second.name, 'en') || first.serviceTypeId.localeCompare(second.serviceTypeId),
  );
}

/** One service type of the actor's tenant; another tenant's id is not found. */
export async function getServiceType(
  catalog: CatalogStore,
  actor: Actor,
  serviceTypeId: string,
): Promise<ServiceType> {
  const serviceType = await catalog.getServiceType(actor.tenantId, serviceTypeId);
  if (!serviceType) throw new NotFoundError('Service type', serviceTypeId);
  return serviceType;
}

/**
 * Changes a service type: read it, apply and check the changes, write it on condition that
 * nobody changed it since it was read (409 otherwise, nothing written).
 */
export async function updateServiceType(
  deps: CatalogDependencies,
  actor: Actor,
  serviceTypeId: string,
  changes: ServiceTypeChanges,
): Promise<ServiceType> {
  const existing = await getServiceType(deps.catalog, actor, serviceTypeId);
  let at = deps.clock.now().toISOString();
  // The condition is on `updatedAt`: a change within the same millisecond must still move it.
  if (at <= existing.updatedAt) at = new Date(Date.parse(existing.updatedAt) + 1).toISOString();
  const changed = changeServiceType(existing, changes, at);
  if (!(await deps.catalog.replaceServiceType(changed, existing.updatedAt))) {
    throw new ConflictError(`Service type ${serviceTypeId} was changed meanwhile; read it again`);
  }
  deps.onCatalogueChanged?.(actor.tenantId);
  return changed;
}
