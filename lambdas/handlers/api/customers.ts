import {
  clock,
  directoryStore,
  idempotencyStore,
  ids,
  tenantWriteLimiter,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import type { Customer, Equipment, ServiceLocation } from '../../domain/customers/customer.ts';
import {
  addEquipment,
  addLocation,
  customerLocations,
  getLocation,
  locationEquipment,
  locationWorkOrders,
  updateLocation,
} from '../../domain/customers/locations.ts';
import {
  type CustomerDependencies,
  createCustomer,
  customerWorkOrders,
  findCustomers,
  getCustomer,
  updateCustomer,
} from '../../domain/customers/manage-customers.ts';
import type { Actor } from '../../domain/shared/actor.ts';
import { warrantyEndsOn } from '../../domain/work-orders/warranty.ts';
import type { WorkOrder } from '../../domain/work-orders/work-order.ts';
import type { Page } from '../../ports/work-order-store.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { customerRoutes } from './customer-routes.ts';
import { toWorkOrderView } from './work-order-view.ts';

const dependencies = (): CustomerDependencies => ({
  directory: directoryStore(),
  workOrders: workOrderStore(),
  clock,
  ids,
});

const pageRequest = (query: { limit: number; cursor?: string | undefined }) => ({
  limit: query.limit,
  ...(query.cursor ? { cursor: query.cursor } : {}),
});

const pageBody = <T, V>(page: Page<T>, view: (item: T) => V) => ({
  items: page.items.map(view),
  ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
});

/** The API's view of a customer: no tenant id, no name key. */
const toCustomerView = ({
  tenantId: _tenant,
  customerId,
  nameKey: _key,
  version,
  ...customer
}: Customer) => ({
  id: customerId,
  ...customer,
  version: version ?? 1,
});

const toLocationView = ({ tenantId: _tenant, locationId, version, ...location }: ServiceLocation) => ({
  id: locationId,
  ...location,
  version: version ?? 1,
});

/** The equipment with the last covered day, stated or derived from the term. */
const toEquipmentView = ({ tenantId: _tenant, equipmentId, ...equipment }: Equipment) => {
  const endsOn = warrantyEndsOn(equipment);
  return { id: equipmentId, ...equipment, ...(endsOn ? { warrantyEndsOn: endsOn } : {}) };
};

const workOrderPage = (page: Page<WorkOrder>, actor: Actor) =>
  pageBody(page, (workOrder) => toWorkOrderView(workOrder, actor));

export const handler = apiHandler(
  'customers',
  customerRoutes,
  {
    createCustomer: async ({ actor, body }) => {
      const customer = await createCustomer(dependencies(), actor, body);
      return {
        status: 201,
        body: toCustomerView(customer),
        headers: { location: `/v1/customers/${customer.customerId}` },
      };
    },
    findCustomers: async ({ actor, query }) => {
      const { limit, cursor, ...filter } = query;
      const page = await findCustomers(directoryStore(), actor, filter, pageRequest({ limit, cursor }));
      return { status: 200, body: pageBody(page, toCustomerView) };
    },
    getCustomer: async ({ actor, params }) => ({
      status: 200,
      body: toCustomerView(await getCustomer(directoryStore(), actor, params.id)),
    }),
    updateCustomer: async ({ actor, params, query, body }) => ({
      status: 200,
      body: toCustomerView(await updateCustomer(dependencies(), actor, params.id, body, query.version)),
    }),
    listCustomerWorkOrders: async ({ actor, params, query }) => ({
      status: 200,
      body: workOrderPage(
        await customerWorkOrders(dependencies(), actor, params.id, pageRequest(query)),
        actor,
      ),
    }),
    addLocation: async ({ actor, params, body }) => {
      const location = await addLocation(dependencies(), actor, params.id, body);
      return {
        status: 201,
        body: toLocationView(location),
        headers: { location: `/v1/locations/${location.locationId}` },
      };
    },
    listCustomerLocations: async ({ actor, params, query }) => ({
      status: 200,
      body: pageBody(
        await customerLocations(dependencies(), actor, params.id, pageRequest(query)),
        toLocationView,
      ),
    }),
    getLocation: async ({ actor, params }) => ({
      status: 200,
      body: toLocationView(await getLocation(dependencies(), actor, params.id)),
    }),
    updateLocation: async ({ actor, params, query, body }) => ({
      status: 200,
      body: toLocationView(await updateLocation(dependencies(), actor, params.id, body, query.version)),
    }),
    addEquipment: async ({ actor, params, body }) => ({
      status: 201,
      body: toEquipmentView(await addEquipment(dependencies(), actor, params.id, body)),
    }),
    listLocationEquipment: async ({ actor, params, query }) => ({
      status: 200,
      body: pageBody(
        await locationEquipment(dependencies(), actor, params.id, pageRequest(query)),
        toEquipmentView,
      ),
    }),
    listLocationWorkOrders: async ({ actor, params, query }) => ({
      status: 200,
      body: workOrderPage(
        await locationWorkOrders(dependencies(), actor, params.id, pageRequest(query)),
        actor,
      ),
    }),
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
