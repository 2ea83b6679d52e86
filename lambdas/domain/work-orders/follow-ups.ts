import type { FollowUpTaskStore } from '../../ports/follow-up-task-store.ts';
import type { Page } from '../../ports/work-order-store.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import { detailsOf, fieldEvent } from '../execution/field-event.ts';
import type { Actor } from '../shared/actor.ts';
import { type CreateWorkOrderDependencies, createWorkOrder, linkOnEarlier } from './create-work-order.ts';
import { isOffice } from './lifecycle.ts';
import { getWorkOrder } from './queries.ts';
import { localDay } from './warranty.ts';
import type { Priority, WorkOrder } from './work-order.ts';

export type FollowUpTaskStatus = 'open' | 'done';

/** Something to do after a job that is not a visit: call the customer back, order a part. */
export interface FollowUpTask {
  tenantId: string;
  workOrderId: string;
  /** `tsk_` ULID. */
  taskId: string;
  customerId: string;
  description: string;
  /** The tenant's local day it is due, `YYYY-MM-DD`. */
  dueDate: string;
  /** Who should do it: a technician id or an office user's id. */
  assigneeId?: string;
  status: FollowUpTaskStatus;
  createdBy: string;
  creatorRole: string;
  doneBy?: string;
  doneAt?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type FollowUpRequest =
  | { kind: 'workOrder'; description: string; priority: Priority; serviceTypeId?: string }
  | { kind: 'task'; description: string; dueDate: string; assigneeId?: string };

export type FollowUp = { kind: 'workOrder'; workOrder: WorkOrder } | { kind: 'task'; task: FollowUpTask };

export interface FollowUpDependencies extends CreateWorkOrderDependencies {
  tasks: FollowUpTaskStore;
}

const officeOnly = (actor: Actor, what: string) => {
  if (!isOffice(actor)) throw new ForbiddenError(`Only the office ${what}`);
};

/**
 * The office creates a follow-up of a work order, right at completion or any time after.
 * - A follow-up work order: created like any other (its own execution), for the same customer
 *   and location, with `followUpOf` naming the original; the original lists it in
 *   `followUpWorkOrderIds`, with its audit event, so the link is kept both ways.
 * - A task: due on a local day of the tenant (today or later), optionally assigned; kept in the
 *   work order's item collection with its audit event, and listed by due date for the tenant.
 */
export async function createFollowUp(
  dependencies: FollowUpDependencies,
  actor: Actor,
  workOrderId: string,
  request: FollowUpRequest,
): Promise<FollowUp> {
  officeOnly(actor, 'creates follow-ups');
  const original = await getWorkOrder(dependencies.workOrders, actor, workOrderId);
  if (request.kind === 'workOrder') {
    const followUpId = dependencies.ids.next('wo');
    const workOrder = await createWorkOrder(dependencies, actor, {
      workOrderId: followUpId,
      followUpOf: original.workOrderId,
      customerId: original.customerId,
      ...(original.locationId ? { locationId: original.locationId } : {}),
      ...((request.serviceTypeId ?? original.serviceTypeId)
        ? { serviceTypeId: request.serviceTypeId ?? original.serviceTypeId }
        : {}),
      ...(original.equipmentId ? { equipmentId: original.equipmentId } : {}),
      description: request.description,
      priority: request.priority,
    });
    await linkOnEarlier(dependencies, actor, original.workOrderId, {
      field: 'followUpWorkOrderIds',
      laterId: followUpId,
      action: 'follow_up_created',
    }).catch((error: unknown) =>
      dependencies.reportFailure(
        `The follow-up ${followUpId} was not listed on ${original.workOrderId}`,
        error,
      ),
    );
    return { kind: 'workOrder', workOrder };
  }
  return { kind: 'task', task: await addTask(dependencies, actor, original, request) };
}

async function addTask(
  dependencies: FollowUpDependencies,
  actor: Actor,
  original: WorkOrder,
  request: Extract<FollowUpRequest, { kind: 'task' }>,
): Promise<FollowUpTask> {
  const { directory, tasks, clock, ids } = dependencies;
  const tenant = await directory.getTenant(actor.tenantId);
  if (!tenant) throw new ForbiddenError('This tenant is not provisioned');
  const now = clock.now();
  const today = localDay(now, tenant.timeZone);
  if (request.dueDate < today) {
    throw new ValidationError([{ field: 'body.dueDate', message: `is in the past (today is ${today})` }]);
  }
  const at = now.toISOString();
  const task: FollowUpTask = {
    tenantId: original.tenantId,
    workOrderId: original.workOrderId,
    taskId: ids.next('tsk'),
    customerId: original.customerId,
    description: request.description,
    dueDate: request.dueDate,
    ...(request.assigneeId ? { assigneeId: request.assigneeId } : {}),
    status: 'open',
    createdBy: actor.id,
    creatorRole: actor.role,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const event = fieldEvent(
    ids,
    actor,
    original,
    'follow_up_task_created',
    at,
    detailsOf({
      taskId: task.taskId,
      description: task.description,
      dueDate: task.dueDate,
      ...(task.assigneeId ? { assigneeId: task.assigneeId } : {}),
    }),
  );
  if ((await tasks.addTask(task, event)) !== 'written')
    throw new NotFoundError('Work order', original.workOrderId);
  return task;
}

/**
 * The follow-ups of a work order the actor may see: the follow-up work orders (read by id) and
 * the tasks, oldest first.
 */
export async function followUpsOf(
  dependencies: Pick<FollowUpDependencies, 'workOrders' | 'tasks'>,
  actor: Actor,
  workOrderId: string,
): Promise<FollowUp[]> {
  const { workOrders, tasks } = dependencies;
  const original = await getWorkOrder(workOrders, actor, workOrderId);
  const [followUps, taskItems] = await Promise.all([
    Promise.all((original.followUpWorkOrderIds ?? []).map((id) => workOrders.get(actor.tenantId, id))),
    tasks.tasksOf(actor.tenantId, workOrderId),
  ]);
  const all: FollowUp[] = [
    ...followUps.flatMap((workOrder) => (workOrder ? [{ kind: 'workOrder' as const, workOrder }] : [])),
    ...taskItems.map((task) => ({ kind: 'task' as const, task })),
  ];
  const createdAt = (followUp: FollowUp) =>
    followUp.kind === 'workOrder' ? followUp.workOrder.createdAt : followUp.task.createdAt;
  return all.sort((one, other) => createdAt(one).localeCompare(createdAt(other)));
}

/** The tenant's follow-up tasks of a status (open by default), soonest due first. */
export async function tasksDue(
  dependencies: Pick<FollowUpDependencies, 'tasks'>,
  actor: Actor,
  filter: { status?: FollowUpTaskStatus; dueBefore?: string },
  page: { limit: number; cursor?: string },
): Promise<Page<FollowUpTask>> {
  officeOnly(actor, 'lists the tasks');
  return dependencies.tasks.tasksDue(
    actor.tenantId,
    { status: filter.status ?? 'open', ...(filter.dueBefore ? { dueBefore: filter.dueBefore } : {}) },
    page,
  );
}

/** The office marks an open task done, conditionally on the version read (409 if it is not open). */
export async function completeTask(
  dependencies: Pick<FollowUpDependencies, 'workOrders' | 'tasks' | 'clock' | 'ids'>,
  actor: Actor,
  workOrderId: string,
  taskId: string,
): Promise<FollowUpTask> {
  const { workOrders, tasks, clock, ids } = dependencies;
  officeOnly(actor, 'completes tasks');
  const workOrder = await getWorkOrder(workOrders, actor, workOrderId);
  const task = await tasks.getTask(actor.tenantId, workOrderId, taskId);
  if (!task) throw new NotFoundError('Task', taskId);
  const notOpen = (current: FollowUpTask) =>
    new ConflictError(`The task is already ${current.status}`, { currentStatus: current.status });
  if (task.status !== 'open') throw notOpen(task);
  const at = clock.now().toISOString();
  const done: FollowUpTask = {
    ...task,
    status: 'done',
    doneBy: actor.id,
    doneAt: at,
    version: task.version + 1,
    updatedAt: at,
  };
  const event = fieldEvent(ids, actor, workOrder, 'follow_up_task_done', at, {
    taskStatus: { before: 'open', after: 'done' },
    ...detailsOf({ taskId }),
  });
  if ((await tasks.updateTask(done, task.version, event)) !== 'written') {
    throw notOpen((await tasks.getTask(actor.tenantId, workOrderId, taskId)) ?? done);
  }
  return done;
}
