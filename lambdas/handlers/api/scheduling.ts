import {
  clock,
  directoryStore,
  idempotencyStore,
  jobDurationStore,
  schedulingSettingsStore,
  technicianStore,
  tenantWriteLimiter,
  travelTimes,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import { availability } from '../../domain/scheduling/availability.ts';
import {
  getSchedulingSettings,
  updateSchedulingSettings,
} from '../../domain/scheduling/scheduling-settings.ts';
import { rankedSlots, type SlotDependencies } from '../../domain/scheduling/slots.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { schedulingRoutes } from './scheduling-routes.ts';

const slotDependencies = (): SlotDependencies => ({
  workOrders: workOrderStore(),
  directory: directoryStore(),
  technicians: technicianStore(),
  durations: jobDurationStore(),
  travelTimes,
  clock,
});

export const handler = apiHandler(
  'scheduling',
  schedulingRoutes,
  {
    getSchedulingSettings: async ({ actor }) => ({
      status: 200,
      body: await getSchedulingSettings(schedulingSettingsStore(), actor),
    }),
    updateSchedulingSettings: async ({ actor, body }) => ({
      status: 200,
      body: await updateSchedulingSettings({ settings: schedulingSettingsStore(), clock }, actor, body),
    }),
    listSlots: async ({ actor, params, query }) => ({
      status: 200,
      body: await rankedSlots(slotDependencies(), actor, params.id, query),
    }),
    getAvailability: async ({ actor, query }) => {
      const { serviceTypeId, ...range } = query;
      return { status: 200, body: await availability(slotDependencies(), actor, serviceTypeId, range) };
    },
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
