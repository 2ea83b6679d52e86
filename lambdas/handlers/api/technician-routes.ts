import {
  createTechnicianBody,
  listTechniciansQuery,
  technicianIdParams,
  technicianScheduleQuery,
  technicianScheduleView,
  technicianView,
  timeOffBody,
  updateTechnicianBody,
} from '../../schemas/technicians.ts';
import { pageOf, versionQuery } from '../../schemas/work-orders.ts';
import { everyone, office, type Role } from '../../shared/roles.ts';
import { defineRoute } from './route-definition.ts';

const admin: Role[] = ['admin'];
const technicianPage = pageOf(technicianView, 'TechnicianPage');

/** Technicians: their skills, home base, working hours, time off and cost. */
export const technicianRoutes = [
  defineRoute({
    operationId: 'createTechnician',
    method: 'POST',
    path: '/v1/technicians',
    summary: 'Add a technician with skills, home base, weekly working hours and cost rate',
    tags: ['technicians'],
    function: 'technicians',
    auth: { roles: admin },
    request: { body: createTechnicianBody },
    responses: { 201: { description: 'The new technician', schema: technicianView } },
  }),
  defineRoute({
    operationId: 'listTechnicians',
    method: 'GET',
    path: '/v1/technicians',
    summary: 'The tenant’s technicians in the order they were added, optionally only those with a skill',
    tags: ['technicians'],
    function: 'technicians',
    auth: { roles: office },
    request: { query: listTechniciansQuery },
    responses: { 200: { description: 'A page of technicians', schema: technicianPage } },
  }),
  defineRoute({
    operationId: 'getTechnician',
    method: 'GET',
    path: '/v1/technicians/{id}',
    summary: 'A technician; a technician reads only their own record',
    tags: ['technicians'],
    function: 'technicians',
    auth: { roles: everyone },
    request: { params: technicianIdParams },
    responses: { 200: { description: 'The technician', schema: technicianView } },
  }),
  defineRoute({
    operationId: 'getTechnicianSchedule',
    method: 'GET',
    path: '/v1/technicians/{id}/schedule',
    summary:
      'A technician’s local day: visits in time order, working hours and time off as instants; a technician reads only their own',
    tags: ['scheduling'],
    function: 'technicians',
    auth: { roles: everyone },
    request: { params: technicianIdParams, query: technicianScheduleQuery },
    responses: {
      200: { description: 'The technician’s schedule of the day', schema: technicianScheduleView },
    },
  }),
  defineRoute({
    operationId: 'updateTechnician',
    method: 'PATCH',
    path: '/v1/technicians/{id}',
    summary: 'Change a technician’s details, working hours, cost rate or whether they are active',
    tags: ['technicians'],
    function: 'technicians',
    auth: { roles: admin },
    request: { params: technicianIdParams, query: versionQuery, body: updateTechnicianBody },
    responses: { 200: { description: 'The technician after the change', schema: technicianView } },
  }),
  defineRoute({
    operationId: 'addTechnicianTimeOff',
    method: 'POST',
    path: '/v1/technicians/{id}/time-off',
    summary: 'Record time off; 409 if it overlaps time off already recorded',
    tags: ['technicians'],
    function: 'technicians',
    auth: { roles: office },
    request: { params: technicianIdParams, body: timeOffBody },
    responses: { 201: { description: 'The technician with the time off', schema: technicianView } },
  }),
] as const;
