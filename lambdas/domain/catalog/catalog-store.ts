import type { PastWorkOrder } from '../work-orders/service-type-suggester.ts';
import type { ServiceType } from './service-type.ts';

/** The service catalogue of each tenant, and the past jobs the suggester learns from. */
export interface CatalogStore {
  /** Every service type of the tenant (one Query on the tenant's index), by id. */
  listServiceTypes(tenantId: string): Promise<ServiceType[]>;
  getServiceType(tenantId: string, serviceTypeId: string): Promise<ServiceType | undefined>;
  /** Writes a new service type; refuses (ConflictError) one whose id exists. */
  createServiceType(serviceType: ServiceType): Promise<void>;
  /** Replaces the service type if it still carries `expectedUpdatedAt`; false if it changed since. */
  replaceServiceType(serviceType: ServiceType, expectedUpdatedAt: string): Promise<boolean>;
  /**
   * The descriptions of the tenant's finished work orders (completed, invoiced, paid) that
   * name a service type, newest first, at most `limit`.
   */
  pastJobs(tenantId: string, limit: number): Promise<PastWorkOrder[]>;
}
