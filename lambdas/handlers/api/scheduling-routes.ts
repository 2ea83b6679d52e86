import {
  asapBookingView,
  availabilityQuery,
  availabilityView,
  rankedSlotsView,
  schedulingSettingsBody,
  schedulingSettingsView,
  slotQuery,
} from '../../schemas/scheduling.ts';
import { emptyBody, versionQuery, workOrderIdParams } from '../../schemas/work-orders.ts';
import { office, type Role } from '../../shared/roles.ts';
import { defineRoute } from './route-definition.ts';

const admin: Role[] = ['admin'];

/** Finding and booking time: the tenant's windows, ranked slots, capacity and emergencies. */
export const schedulingRoutes = [
  defineRoute({
    operationId: 'getSchedulingSettings',
    method: 'GET',
    path: '/v1/settings/scheduling',
    summary: 'The tenant’s arrival windows, start-time spacing and average driving speed',
    tags: ['scheduling'],
    function: 'scheduling',
    auth: { roles: office },
    responses: { 200: { description: 'The settings', schema: schedulingSettingsView } },
  }),
  defineRoute({
    operationId: 'updateSchedulingSettings',
    method: 'PATCH',
    path: '/v1/settings/scheduling',
    summary: 'Change the arrival windows, start-time spacing or average driving speed',
    tags: ['scheduling'],
    function: 'scheduling',
    auth: { roles: admin },
    request: { body: schedulingSettingsBody },
    responses: { 200: { description: 'The settings after the change', schema: schedulingSettingsView } },
  }),
  defineRoute({
    operationId: 'listSlots',
    method: 'GET',
    path: '/v1/work-orders/{id}/slots',
    summary:
      'Open slots for the visit across every qualified technician, best first, each with the reasons for its score',
    tags: ['scheduling'],
    function: 'scheduling',
    auth: { roles: office },
    request: { params: workOrderIdParams, query: slotQuery },
    responses: { 200: { description: 'Ranked slots', schema: rankedSlotsView } },
  }),
  defineRoute({
    operationId: 'getAvailability',
    method: 'GET',
    path: '/v1/availability',
    summary: 'Open capacity for a service type per local day (and arrival window), for a calendar',
    tags: ['scheduling'],
    function: 'scheduling',
    auth: { roles: office },
    request: { query: availabilityQuery },
    responses: { 200: { description: 'Capacity by day', schema: availabilityView } },
  }),
  defineRoute({
    operationId: 'bookAsap',
    method: 'POST',
    path: '/v1/work-orders/{id}/asap',
    summary:
      'Emergency: book the qualified technician who can be there first, counting the end of their current job and the drive',
    tags: ['lifecycle', 'scheduling'],
    function: 'workOrderActions',
    auth: { roles: office },
    request: { params: workOrderIdParams, query: versionQuery, body: emptyBody },
    responses: {
      200: { description: 'The booking and the next soonest technicians', schema: asapBookingView },
    },
  }),
] as const;
