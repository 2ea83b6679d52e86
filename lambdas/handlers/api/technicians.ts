import {
  clock,
  directoryStore,
  idempotencyStore,
  ids,
  technicianStore,
  tenantWriteLimiter,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import { technicianSchedule } from '../../domain/scheduling/technician-schedule.ts';
import {
  addTimeOff,
  createTechnician,
  getTechnician,
  listTechnicians,
  type Technician,
  type TechnicianDependencies,
  updateTechnician,
} from '../../domain/scheduling/technicians.ts';
import type { WorkOrder } from '../../domain/work-orders/work-order.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { technicianRoutes } from './technician-routes.ts';

const dependencies = (): TechnicianDependencies => ({
  technicians: technicianStore(),
  tenants: directoryStore(),
  clock,
  ids,
});

/** A visit as the technician's schedule lists it: what it is, for whom, when and how it stands. */
const toScheduledVisitView = (visit: WorkOrder) => ({
  id: visit.workOrderId,
  status: visit.status,
  priority: visit.priority,
  description: visit.description,
  customerId: visit.customerId,
  ...(visit.locationId !== undefined ? { locationId: visit.locationId } : {}),
  ...(visit.serviceTypeId !== undefined ? { serviceTypeId: visit.serviceTypeId } : {}),
  start: visit.scheduledStart ?? '',
  end: visit.scheduledEnd ?? visit.scheduledStart ?? '',
  ...(visit.eta !== undefined ? { eta: visit.eta } : {}),
  ...(visit.delay !== undefined ? { delay: visit.delay } : {}),
});

/** The API's view of a technician: no tenant id. */
const toTechnicianView = ({ tenantId: _tenant, technicianId, ...technician }: Technician) => ({
  id: technicianId,
  ...technician,
});

export const handler = apiHandler(
  'technicians',
  technicianRoutes,
  {
    createTechnician: async ({ actor, body }) => {
      const technician = await createTechnician(dependencies(), actor, body);
      return {
        status: 201,
        body: toTechnicianView(technician),
        headers: { location: `/v1/technicians/${technician.technicianId}` },
      };
    },
    listTechnicians: async ({ actor, query }) => {
      const { skill, limit, cursor } = query;
      const page = await listTechnicians(technicianStore(), actor, skill ? { skill } : {}, {
        limit,
        ...(cursor ? { cursor } : {}),
      });
      return {
        status: 200,
        body: {
          items: page.items.map(toTechnicianView),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
      };
    },
    getTechnician: async ({ actor, params }) => ({
      status: 200,
      body: toTechnicianView(await getTechnician(technicianStore(), actor, params.id)),
    }),
    getTechnicianSchedule: async ({ actor, params, query }) => {
      const schedule = await technicianSchedule(
        { workOrders: workOrderStore(), technicians: technicianStore(), tenants: directoryStore() },
        actor,
        params.id,
        query.date,
      );
      return { status: 200, body: { ...schedule, visits: schedule.visits.map(toScheduledVisitView) } };
    },
    updateTechnician: async ({ actor, params, query, body }) => ({
      status: 200,
      body: toTechnicianView(await updateTechnician(dependencies(), actor, params.id, body, query.version)),
    }),
    addTechnicianTimeOff: async ({ actor, params, body }) => ({
      status: 201,
      body: toTechnicianView(await addTimeOff(dependencies(), actor, params.id, body)),
    }),
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
