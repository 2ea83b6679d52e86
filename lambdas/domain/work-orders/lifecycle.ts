import type { Actor } from '../shared/actor.ts';
import type { WorkOrder, WorkOrderStatus } from './work-order.ts';

/** What can be done to a work order through the API (DESIGN §4). */
export type WorkOrderAction =
  | 'schedule'
  | 'reschedule'
  | 'dispatch'
  | 'startTravel'
  | 'arrive'
  | 'startWork'
  | 'reportDelay'
  | 'pause'
  | 'resumeWork'
  | 'complete'
  | 'approveInvoice'
  | 'recordPayment'
  | 'cancel'
  | 'hold'
  | 'resume';

/** `office`: admins and dispatchers. `field`: the office or the technician assigned to the work order. */
type Performer = 'office' | 'field';

interface ActionRule {
  from: readonly WorkOrderStatus[];
  by: Performer;
}

const beforeCompletion: WorkOrderStatus[] = [
  'new',
  'scheduled',
  'dispatched',
  'en_route',
  'arrived',
  'in_progress',
  'paused',
  'on_hold',
];

export const actionRules: Record<WorkOrderAction, ActionRule> = {
  schedule: { from: ['new'], by: 'office' },
  reschedule: { from: ['scheduled', 'dispatched', 'en_route'], by: 'office' },
  dispatch: { from: ['scheduled'], by: 'office' },
  startTravel: { from: ['dispatched'], by: 'field' },
  arrive: { from: ['en_route'], by: 'field' },
  startWork: { from: ['arrived'], by: 'field' },
  reportDelay: { from: ['en_route', 'in_progress'], by: 'field' },
  // Work stops on site for a while and resumes where it stood; the workflow waits through it.
  pause: { from: ['arrived', 'in_progress'], by: 'field' },
  resumeWork: { from: ['paused'], by: 'field' },
  complete: { from: ['in_progress'], by: 'field' },
  approveInvoice: { from: ['completed'], by: 'office' },
  recordPayment: { from: ['invoiced'], by: 'office' },
  // A work order whose automation failed can still be called off by the office.
  cancel: { from: [...beforeCompletion, 'needs_attention'], by: 'office' },
  hold: { from: ['new', 'scheduled', 'dispatched'], by: 'office' },
  resume: { from: ['on_hold'], by: 'office' },
};

/** Statuses in which notes and labor are taken. */
export const notesAllowedIn: WorkOrderStatus[] = [
  ...beforeCompletion,
  'completed',
  'invoiced',
  'paid',
  'needs_attention',
];
export const laborAllowedIn: WorkOrderStatus[] = [
  'dispatched',
  'en_route',
  'arrived',
  'in_progress',
  'paused',
];

export const isOffice = (actor: Actor): boolean => actor.role === 'admin' || actor.role === 'dispatcher';

/** Technicians see and change only the work orders assigned to them; the office sees all. */
export function canSee(actor: Actor, workOrder: WorkOrder): boolean {
  if (actor.role === 'technician')
    return actor.technicianId !== undefined && actor.technicianId === workOrder.technicianId;
  return true;
}

function mayPerform(actor: Actor, by: Performer, workOrder: WorkOrder): boolean {
  if (isOffice(actor) || actor.role === 'system') return true;
  return by === 'field' && canSee(actor, workOrder);
}

/** The actions this actor may take on the work order now: what a 409 lists. */
export function allowedActions(workOrder: WorkOrder, actor: Actor): WorkOrderAction[] {
  return (Object.entries(actionRules) as [WorkOrderAction, ActionRule][])
    .filter(([, rule]) => rule.from.includes(workOrder.status) && mayPerform(actor, rule.by, workOrder))
    .map(([action]) => action);
}

export function mayAttempt(actor: Actor, action: WorkOrderAction, workOrder: WorkOrder): boolean {
  return mayPerform(actor, actionRules[action].by, workOrder);
}
