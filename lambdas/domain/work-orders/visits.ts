import { ConflictError, NotFoundError } from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import {
  type CreateWorkOrderDependencies,
  createWorkOrder,
  waitingForVisitReason,
} from './create-work-order.ts';
import { type ActionDependencies, performAction } from './perform-action.ts';
import { auditEvent, type WorkOrder } from './work-order.ts';

/** The visits of one job at most: a chain longer than this is a project, not a job. */
export const maxVisits = 20;
const maxAttempts = 5;

export interface NextVisitInput {
  /** What this visit is for (`install the new unit`); defaults to the job's description. */
  description?: string;
}

/**
 * Adds the next visit to a multi-visit job: a work order of its own for the same customer,
 * place and service type, linked both ways to the visit before it and naming the job (its
 * first visit). While that visit is not completed the new one waits on hold; the workflow
 * resumes it when the visit before completes, and it is then scheduled like any work order.
 * 1. Reads the visit to follow (404 if not the tenant's); 409 if it is cancelled or already
 *    has a next visit (add to the last one), or the job has `maxVisits` visits.
 * 2. Creates the new visit (with its own execution), then links the visit before to it with
 *    a write conditional on what was read; if another visit was linked meanwhile, the new one
 *    is cancelled and the request answers 409.
 */
export async function addNextVisit(
  dependencies: CreateWorkOrderDependencies & ActionDependencies,
  actor: Actor,
  workOrderId: string,
  input: NextVisitInput,
): Promise<WorkOrder> {
  const { workOrders, clock, ids } = dependencies;
  const current = await workOrders.get(actor.tenantId, workOrderId);
  if (!current) throw new NotFoundError('Work order', workOrderId);
  refuseToExtend(current);
  const visitNumber = (current.visitNumber ?? 1) + 1;
  const next = await createWorkOrder(dependencies, actor, {
    customerId: current.customerId,
    ...(current.locationId ? { locationId: current.locationId } : {}),
    ...(current.serviceTypeId ? { serviceTypeId: current.serviceTypeId } : {}),
    description: input.description ?? current.description,
    priority: current.priority,
    visit: {
      jobId: current.jobId ?? current.workOrderId,
      visitNumber,
      previousVisitId: current.workOrderId,
      waitsForPrevious: !['completed', 'invoiced', 'paid'].includes(current.status),
    },
  });
  // The first attempt writes on the visit as read above; a refused write reads it again.
  let before: WorkOrder | undefined = current;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    if (!before || before.nextVisitId || before.status === 'cancelled') break;
    const at = clock.now().toISOString();
    const after: WorkOrder = {
      ...before,
      jobId: before.jobId ?? before.workOrderId,
      visitNumber: before.visitNumber ?? 1,
      nextVisitId: next.workOrderId,
      version: before.version + 1,
      updatedAt: at,
    };
    const event = auditEvent({ eventId: ids.next('evt'), action: 'visit_added', actor, at, before, after });
    if (await workOrders.apply({ before, after, event })) return next;
    before = await workOrders.get(actor.tenantId, workOrderId);
  }
  // The visit before changed under us (another next visit, or cancelled): this one is not needed.
  await performAction(dependencies, actor, next.workOrderId, {
    action: 'cancel',
    reason: `Not linked: ${workOrderId} got another next visit or was cancelled meanwhile`,
  });
  throw new ConflictError(
    `Work order ${workOrderId} changed while its next visit was added; read it again`,
    {},
  );
}

function refuseToExtend(current: WorkOrder): void {
  if (current.status === 'cancelled') {
    throw new ConflictError('A cancelled work order has no next visit', { currentStatus: current.status });
  }
  if (current.nextVisitId) {
    throw new ConflictError(
      `Visit ${current.visitNumber ?? 1} already has a next visit: add to the last one`,
      {
        nextVisitId: current.nextVisitId,
      },
    );
  }
  if ((current.visitNumber ?? 1) >= maxVisits) {
    throw new ConflictError(`A job has at most ${maxVisits} visits`, {});
  }
}

/**
 * Every visit of the job a work order belongs to, in order, by following the links from the
 * first visit (GetItems, at most `maxVisits`). A work order of a single visit is its own job.
 */
export async function jobVisits(
  workOrders: Pick<ActionDependencies['workOrders'], 'get'>,
  actor: Actor,
  workOrderId: string,
): Promise<WorkOrder[]> {
  const start = await workOrders.get(actor.tenantId, workOrderId);
  if (!start) throw new NotFoundError('Work order', workOrderId);
  const first =
    start.jobId && start.jobId !== start.workOrderId
      ? await workOrders.get(actor.tenantId, start.jobId)
      : start;
  const visits: WorkOrder[] = [];
  let visit = first ?? start;
  while (visits.length < maxVisits) {
    visits.push(visit);
    const following = visit.nextVisitId ? await workOrders.get(actor.tenantId, visit.nextVisitId) : undefined;
    if (!following) break;
    visit = following;
  }
  return visits;
}

/** Whether a work order is a visit held until the one before it completes (and no one resumed it). */
export const waitsForVisit = (workOrder: WorkOrder): boolean =>
  workOrder.status === 'on_hold' &&
  workOrder.previousVisitId !== undefined &&
  workOrder.holdReason === `${waitingForVisitReason} ${workOrder.previousVisitId}`;
