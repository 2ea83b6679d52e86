import type { Clock } from '../../ports/clock.ts';
import type { RecommendationStore } from '../../ports/field-work-store.ts';
import type { FollowUpReminderStore } from '../../ports/follow-up-reminder-store.ts';
import type { FollowUpTaskStore } from '../../ports/follow-up-task-store.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { Scheduler } from '../../ports/scheduler.ts';
import type { DirectoryStore, Page, WorkOrderStore } from '../../ports/work-order-store.ts';
import type { FollowUpReminderPayload } from '../../schemas/schedule-payloads.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import { detailsOf, fieldEvent } from '../execution/field-event.ts';
import {
  type CustomerMessengerDependencies,
  type MessageOutcome,
  messageCustomer,
} from '../notifications/customer-messenger.ts';
import type { MessageChannel } from '../notifications/notification.ts';
import { LocalCalendar } from '../scheduling/local-time.ts';
import type { Actor } from '../shared/actor.ts';
import { instantOfWallClock, scheduleTimeFor } from '../shared/schedule-time.ts';
import type { FollowUpTask } from './follow-ups.ts';
import { isOffice } from './lifecycle.ts';
import { getWorkOrder } from './queries.ts';
import type { WorkOrderStatus } from './work-order.ts';

export type FollowUpReminderStatus = 'pending' | 'done' | 'cancelled';

/**
 * Something to come back to after a job ("call about the ageing AC in 3 months"): on its day it
 * puts a task on the office's list, messages the customer, or both, once.
 */
export interface FollowUpReminder {
  tenantId: string;
  workOrderId: string;
  /** `rmd_` ULID. */
  reminderId: string;
  customerId: string;
  /** The tenant's local day it is due, `YYYY-MM-DD`. */
  dueOn: string;
  /** The instant it fires: 09:00 on `dueOn` in the tenant's zone. */
  remindAt: string;
  /** What to come back to: the task's description and the customer message's text. */
  note: string;
  createTask: boolean;
  messageCustomer: boolean;
  /** The recommended work it follows up, on the same work order. */
  recommendationId?: string;
  status: FollowUpReminderStatus;
  /** Once fired: the task it created, and how the customer message went on each channel. */
  taskId?: string;
  messages?: { channel: MessageChannel; status: string }[];
  firedAt?: string;
  cancelledBy?: string;
  cancelledAt?: string;
  createdBy: string;
  creatorRole: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface NewFollowUpReminder {
  /** In so many calendar months from the tenant's today, or on a local day. */
  when: { months: number } | { on: string };
  /** Defaults to the recommendation's description when one is named. */
  note?: string;
  createTask: boolean;
  messageCustomer: boolean;
  recommendationId?: string;
}

/** Reminders fire at 09:00 in the tenant's zone on their day. */
export const followUpReminderPolicy = { fireTime: '09:00' } as const;

/** A follow-up is set from work that is done (or from a recommendation, at any stage). */
const completedStatuses: WorkOrderStatus[] = ['completed', 'invoiced', 'paid'];

/** The one-time schedule of a reminder. */
export const followUpReminderScheduleName = (reminderId: string): string =>
  `follow-up-reminder-${reminderId}`;

/** The task a reminder creates: its id follows from the reminder's, so a second firing finds it. */
export const followUpReminderTaskId = (reminderId: string): string =>
  `tsk_${reminderId.slice(reminderId.indexOf('_') + 1)}`;

export interface FollowUpReminderDependencies {
  workOrders: WorkOrderStore;
  directory: Pick<DirectoryStore, 'getTenant'>;
  recommendations: Pick<RecommendationStore, 'getRecommendation'>;
  reminders: FollowUpReminderStore;
  scheduler: Scheduler;
  clock: Clock;
  ids: IdGenerator;
}

const officeOnly = (actor: Actor, what: string) => {
  if (!isOffice(actor)) throw new ForbiddenError(`Only the office ${what}`);
};

/** The calendar day `months` months after `day`, kept within the month (31 Jan + 1 → 28/29 Feb). */
export function addCalendarMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  const pad = (value: number, length = 2) => String(value).padStart(length, '0');
  return `${pad(targetYear, 4)}-${pad(targetMonth)}-${pad(Math.min(date, lastDay))}`;
}

/**
 * The office sets a follow-up reminder on a work order.
 * 1. Its day is so many months from the tenant's today, or the day given (today or later); the
 *    note defaults to the description of the recommendation it follows up, if any.
 * 2. The work order must be done (completed, invoiced, paid), unless the reminder follows up a
 *    recommendation recorded on it.
 * 3. Arranges the one-time schedule (09:00 local that day; a minute from now if that has passed)
 *    before writing the reminder with its audit event: a schedule left by a failed write finds
 *    no reminder and does nothing, while a reminder without its schedule would never fire.
 */
export async function setFollowUpReminder(
  deps: FollowUpReminderDependencies,
  actor: Actor,
  workOrderId: string,
  request: NewFollowUpReminder,
): Promise<FollowUpReminder> {
  officeOnly(actor, 'sets follow-up reminders');
  const workOrder = await getWorkOrder(deps.workOrders, actor, workOrderId);
  const tenant = await deps.directory.getTenant(actor.tenantId);
  if (!tenant) throw new ForbiddenError('This tenant is not provisioned');
  const recommendation = request.recommendationId
    ? await deps.recommendations.getRecommendation(actor.tenantId, workOrderId, request.recommendationId)
    : undefined;
  if (request.recommendationId && !recommendation) {
    throw new ValidationError([
      { field: 'body.recommendationId', message: 'no such recommendation on this work order' },
    ]);
  }
  const note = request.note ?? recommendation?.description;
  if (!note) throw new ValidationError([{ field: 'body.note', message: 'is required' }]);

  const now = deps.clock.now();
  const today = new LocalCalendar(tenant.timeZone).dayOf(now);
  const dueOn = 'months' in request.when ? addCalendarMonths(today, request.when.months) : request.when.on;
  if (dueOn < today) {
    throw new ValidationError([{ field: 'body.on', message: `is in the past (today is ${today})` }]);
  }
  if (!recommendation && !completedStatuses.includes(workOrder.status)) {
    throw new ConflictError(
      `A follow-up reminder is set on completed work or from a recommendation; the work order is ${workOrder.status}`,
      { currentStatus: workOrder.status },
    );
  }
  const reminderId = deps.ids.next('rmd');
  const at = scheduleTimeFor(dueOn, followUpReminderPolicy.fireTime, tenant.timeZone, now);
  const payload: FollowUpReminderPayload = {
    kind: 'follow-up-reminder',
    tenantId: workOrder.tenantId,
    workOrderId: workOrder.workOrderId,
    reminderId,
  };
  await deps.scheduler.put({
    name: followUpReminderScheduleName(reminderId),
    at,
    timeZone: tenant.timeZone,
    payload,
  });

  const stamp = now.toISOString();
  const reminder: FollowUpReminder = {
    tenantId: workOrder.tenantId,
    workOrderId: workOrder.workOrderId,
    reminderId,
    customerId: workOrder.customerId,
    dueOn,
    remindAt: instantOfWallClock(at, tenant.timeZone).toISOString(),
    note,
    createTask: request.createTask,
    messageCustomer: request.messageCustomer,
    ...(recommendation ? { recommendationId: recommendation.recommendationId } : {}),
    status: 'pending',
    createdBy: actor.id,
    creatorRole: actor.role,
    version: 1,
    createdAt: stamp,
    updatedAt: stamp,
  };
  const event = fieldEvent(
    deps.ids,
    actor,
    workOrder,
    'follow_up_reminder_set',
    stamp,
    detailsOf({
      reminderId,
      dueOn,
      note,
      createTask: reminder.createTask,
      messageCustomer: reminder.messageCustomer,
      ...(reminder.recommendationId ? { recommendationId: reminder.recommendationId } : {}),
    }),
  );
  if ((await deps.reminders.addReminder(reminder, event)) !== 'written') {
    await deps.scheduler.delete(followUpReminderScheduleName(reminderId));
    throw new NotFoundError('Work order', workOrderId);
  }
  return reminder;
}

/** The reminders of a work order, oldest first (the office's view of one job). */
export async function remindersOfWorkOrder(
  deps: Pick<FollowUpReminderDependencies, 'workOrders' | 'reminders'>,
  actor: Actor,
  workOrderId: string,
): Promise<FollowUpReminder[]> {
  officeOnly(actor, 'reads follow-up reminders');
  await getWorkOrder(deps.workOrders, actor, workOrderId);
  return deps.reminders.remindersOf(actor.tenantId, workOrderId);
}

/** The tenant's reminders of a status (pending by default), soonest due first. */
export async function listFollowUpReminders(
  deps: Pick<FollowUpReminderDependencies, 'reminders'>,
  actor: Actor,
  status: FollowUpReminderStatus,
  page: { limit: number; cursor?: string },
): Promise<Page<FollowUpReminder>> {
  officeOnly(actor, 'lists follow-up reminders');
  return deps.reminders.remindersDue(actor.tenantId, status, page);
}

/**
 * The office cancels a pending reminder: recorded (on the version read, with its audit event),
 * then its schedule deleted; a schedule that fires meanwhile finds it cancelled and does nothing.
 */
export async function cancelFollowUpReminder(
  deps: Pick<FollowUpReminderDependencies, 'reminders' | 'scheduler' | 'clock' | 'ids'>,
  actor: Actor,
  reminderId: string,
): Promise<FollowUpReminder> {
  officeOnly(actor, 'cancels follow-up reminders');
  const reminder = await deps.reminders.findReminder(actor.tenantId, reminderId);
  if (!reminder) throw new NotFoundError('Reminder', reminderId);
  const notPending = (current: FollowUpReminder) =>
    new ConflictError(`The reminder is already ${current.status}`, { currentStatus: current.status });
  if (reminder.status !== 'pending') throw notPending(reminder);
  const at = deps.clock.now().toISOString();
  const cancelled: FollowUpReminder = {
    ...reminder,
    status: 'cancelled',
    cancelledBy: actor.id,
    cancelledAt: at,
    version: reminder.version + 1,
    updatedAt: at,
  };
  const event = fieldEvent(deps.ids, actor, reminder, 'follow_up_reminder_cancelled', at, {
    reminderStatus: { before: 'pending', after: 'cancelled' },
    ...detailsOf({ reminderId }),
  });
  if ((await deps.reminders.updateReminder(cancelled, reminder.version, event)) !== 'written') {
    const current = await deps.reminders.getReminder(actor.tenantId, reminder.workOrderId, reminderId);
    throw notPending(current ?? cancelled);
  }
  await deps.scheduler.delete(followUpReminderScheduleName(reminderId));
  return cancelled;
}

export interface FollowUpReminderRunDependencies extends CustomerMessengerDependencies {
  reminders: Pick<FollowUpReminderStore, 'getReminder' | 'updateReminder'>;
  tasks: Pick<FollowUpTaskStore, 'addTask' | 'getTask'>;
  directory: Pick<DirectoryStore, 'getTenant' | 'getCustomer'>;
}

export type FollowUpReminderOutcome =
  | { outcome: 'done'; taskId?: string; messages: { channel: MessageChannel; status: string }[] }
  | { outcome: 'already done' | 'cancelled' | 'unknown reminder' };

/** Who acts when a reminder fires: the schedule, on behalf of whoever set it. */
const reminderActor = (tenantId: string): Actor => ({ tenantId, id: 'follow-up-reminder', role: 'system' });

/**
 * A follow-up reminder's day has come (schedule kind `follow-up-reminder`). Exactly once, even
 * when the schedule is delivered twice, also at the same moment:
 * 1. A reminder that is done, cancelled or gone is left alone.
 * 2. The office task is written under an id that follows from the reminder's, only if absent.
 * 3. The customer is messaged (`follow_up`) with a dedupe key of the reminder: a repeat sends
 *    nothing again.
 * 4. The reminder is marked done on the version read, with the task and how the message went.
 */
export async function runFollowUpReminder(
  deps: FollowUpReminderRunDependencies,
  payload: FollowUpReminderPayload,
): Promise<FollowUpReminderOutcome> {
  const { tenantId, workOrderId, reminderId } = payload;
  const reminder = await deps.reminders.getReminder(tenantId, workOrderId, reminderId);
  if (!reminder) return { outcome: 'unknown reminder' };
  if (reminder.status === 'done') return { outcome: 'already done' };
  if (reminder.status === 'cancelled') return { outcome: 'cancelled' };
  const actor = reminderActor(tenantId);
  const taskId = reminder.createTask ? await ensureTask(deps, actor, reminder) : undefined;
  const messages = reminder.messageCustomer ? await tellCustomer(deps, reminder) : [];

  const at = deps.clock.now().toISOString();
  const done: FollowUpReminder = {
    ...reminder,
    status: 'done',
    ...(taskId ? { taskId } : {}),
    messages,
    firedAt: at,
    version: reminder.version + 1,
    updatedAt: at,
  };
  const event = fieldEvent(deps.ids, actor, reminder, 'follow_up_reminder_done', at, {
    reminderStatus: { before: 'pending', after: 'done' },
    ...detailsOf({ reminderId, ...(taskId ? { taskId } : {}), messages }),
  });
  if ((await deps.reminders.updateReminder(done, reminder.version, event)) !== 'written') {
    // Another delivery of the schedule finished first, or the office cancelled it meanwhile.
    const current = await deps.reminders.getReminder(tenantId, workOrderId, reminderId);
    return { outcome: current?.status === 'cancelled' ? 'cancelled' : 'already done' };
  }
  return { outcome: 'done', ...(taskId ? { taskId } : {}), messages };
}

async function ensureTask(
  deps: FollowUpReminderRunDependencies,
  actor: Actor,
  reminder: FollowUpReminder,
): Promise<string | undefined> {
  const taskId = followUpReminderTaskId(reminder.reminderId);
  if (await deps.tasks.getTask(reminder.tenantId, reminder.workOrderId, taskId)) return taskId;
  const at = deps.clock.now().toISOString();
  const task: FollowUpTask = {
    tenantId: reminder.tenantId,
    workOrderId: reminder.workOrderId,
    taskId,
    customerId: reminder.customerId,
    description: reminder.note,
    dueDate: reminder.dueOn,
    status: 'open',
    // The office user who set the reminder asked for the task.
    createdBy: reminder.createdBy,
    creatorRole: reminder.creatorRole,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const event = fieldEvent(
    deps.ids,
    actor,
    reminder,
    'follow_up_task_created',
    at,
    detailsOf({
      taskId,
      description: task.description,
      dueDate: task.dueDate,
      reminderId: reminder.reminderId,
    }),
  );
  if ((await deps.tasks.addTask(task, event)) === 'written') return taskId;
  // Refused: written by a delivery running at the same time, or the work order is gone.
  return (await deps.tasks.getTask(reminder.tenantId, reminder.workOrderId, taskId)) ? taskId : undefined;
}

async function tellCustomer(
  deps: FollowUpReminderRunDependencies,
  reminder: FollowUpReminder,
): Promise<{ channel: MessageChannel; status: string }[]> {
  const [tenant, customer] = await Promise.all([
    deps.directory.getTenant(reminder.tenantId),
    deps.directory.getCustomer(reminder.tenantId, reminder.customerId),
  ]);
  if (!tenant || !customer) return [];
  const outcomes: MessageOutcome[] = await messageCustomer(deps, {
    tenant,
    customer,
    purpose: 'follow_up',
    workOrderId: reminder.workOrderId,
    values: { note: reminder.note, date: reminder.dueOn },
    dedupeKey: `follow-up-${reminder.reminderId}`,
  });
  return outcomes.map(({ channel, status }) => ({ channel, status }));
}
