import {
  clock,
  directoryStore,
  idempotencyStore,
  ids,
  technicianStore,
} from '../../adapters/dependencies.ts';
import {
  addTimeOff,
  createTechnician,
  getTechnician,
  listTechnicians,
  type Technician,
  type TechnicianDependencies,
  updateTechnician,
} from '../../domain/scheduling/technicians.ts';
import { apiHandler } from '../../shared/http-api.ts';

const dependencies = (): TechnicianDependencies => ({
  technicians: technicianStore(),
  tenants: directoryStore(),
  clock,
  ids,
});

/** The API's view of a technician: no tenant id. */
const toTechnicianView = ({ tenantId: _tenant, technicianId, ...technician }: Technician) => ({
  id: technicianId,
  ...technician,
});

export const handler = apiHandler(
  'technicians',
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
    updateTechnician: async ({ actor, params, query, body }) => ({
      status: 200,
      body: toTechnicianView(await updateTechnician(dependencies(), actor, params.id, body, query.version)),
    }),
    addTechnicianTimeOff: async ({ actor, params, body }) => ({
      status: 201,
      body: toTechnicianView(await addTimeOff(dependencies(), actor, params.id, body)),
    }),
  },
  { idempotency: idempotencyStore },
);
