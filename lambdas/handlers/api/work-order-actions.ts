import {
  clock,
  idempotencyStore,
  ids,
  technicianStore,
  tenantWriteLimiter,
  workOrderDependencies,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import { addNote, recordLabor } from '../../domain/execution/record-field-work.ts';
import { bookAsap } from '../../domain/scheduling/book-asap.ts';
import type { Actor } from '../../domain/shared/actor.ts';
import { type ActionInput, performAction } from '../../domain/work-orders/perform-action.ts';
import { ValidationError } from '../../shared/errors.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { schedulingRoutes } from './scheduling-routes.ts';
import { workOrderRoutes } from './work-order-routes.ts';
import { toLaborView, toNoteView, toWorkOrderView } from './work-order-view.ts';

/** The version the client last read, from `If-Match` or `?version=`, for optimistic concurrency. */
function expectedVersion(
  headers: Record<string, string | undefined>,
  query: { version?: number },
): number | undefined {
  const ifMatch = headers['if-match'];
  if (ifMatch === undefined) return query.version;
  const version = Number(ifMatch.replace(/^W\//, '').replaceAll('"', ''));
  if (!Number.isInteger(version) || version < 1) {
    throw new ValidationError([
      { field: 'header.if-match', message: 'must be the version number of the work order' },
    ]);
  }
  return version;
}

async function act(
  actor: Actor,
  workOrderId: string,
  input: ActionInput,
  request: { headers: Record<string, string | undefined>; query: { version?: number } },
) {
  const workOrder = await performAction(workOrderDependencies(), actor, workOrderId, input, {
    expectedVersion: expectedVersion(request.headers, request.query),
  });
  return {
    status: 200,
    body: toWorkOrderView(workOrder, actor),
    headers: { etag: `"${workOrder.version}"` },
  };
}

const fieldStatusActions = { en_route: 'startTravel', arrived: 'arrive', in_progress: 'startWork' } as const;

export const handler = apiHandler(
  'workOrderActions',
  [...workOrderRoutes, ...schedulingRoutes],
  {
    scheduleWorkOrder: async (request) =>
      act(request.actor, request.params.id, { action: 'schedule', ...request.body }, request),
    rescheduleWorkOrder: async (request) =>
      act(request.actor, request.params.id, { action: 'reschedule', ...request.body }, request),
    dispatchWorkOrder: async (request) =>
      act(request.actor, request.params.id, { action: 'dispatch', ...request.body }, request),
    setFieldStatus: async (request) => {
      const { status, eta } = request.body;
      const action = fieldStatusActions[status];
      const input: ActionInput = action === 'startTravel' ? { action, ...(eta ? { eta } : {}) } : { action };
      return act(request.actor, request.params.id, input, request);
    },
    reportDelay: async (request) =>
      act(request.actor, request.params.id, { action: 'reportDelay', ...request.body }, request),
    pauseWork: async (request) =>
      act(request.actor, request.params.id, { action: 'pause', ...request.body }, request),
    resumeWork: async (request) => act(request.actor, request.params.id, { action: 'resumeWork' }, request),
    completeWorkOrder: async (request) =>
      act(request.actor, request.params.id, { action: 'complete', ...request.body }, request),
    approveInvoice: async (request) =>
      act(request.actor, request.params.id, { action: 'approveInvoice' }, request),
    recordPayment: async (request) =>
      act(request.actor, request.params.id, { action: 'recordPayment', ...request.body }, request),
    cancelWorkOrder: async (request) =>
      act(request.actor, request.params.id, { action: 'cancel', ...request.body }, request),
    holdWorkOrder: async (request) =>
      act(request.actor, request.params.id, { action: 'hold', ...request.body }, request),
    resumeWorkOrder: async (request) => act(request.actor, request.params.id, { action: 'resume' }, request),
    bookAsap: async (request) => {
      const booking = await bookAsap(
        { ...workOrderDependencies(), technicians: technicianStore() },
        request.actor,
        request.params.id,
        { expectedVersion: expectedVersion(request.headers, request.query) },
      );
      return {
        status: 200,
        body: { ...booking, workOrder: toWorkOrderView(booking.workOrder, request.actor) },
        headers: { etag: `"${booking.workOrder.version}"` },
      };
    },
    addNote: async ({ actor, params, body }) => {
      const note = await addNote({ workOrders: workOrderStore(), clock, ids }, actor, params.id, body.text);
      return { status: 201, body: toNoteView(note) };
    },
    recordLabor: async ({ actor, params, body }) => {
      const entry = await recordLabor({ workOrders: workOrderStore(), clock, ids }, actor, params.id, body);
      return { status: 201, body: toLaborView(entry) };
    },
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
