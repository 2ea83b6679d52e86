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
  /**
   * The statuses from which the customer may take the action through a signed link, on their own
   * work order; absent: never. Narrower than `from`: a customer changes a visit only until the
   * technician sets out, and signs only the finished work.
   */
  customer?: readonly WorkOrderStatus[];
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
  // A customer books only one of the open slots their appointment page offers (`customer-pages`).
  schedule: { from: ['new'], by: 'office', customer: ['new'] },
  reschedule: {
    from: ['scheduled', 'dispatched', 'en_route'],
    by: 'office',
    customer: ['scheduled', 'dispatched'],
  },
  dispatch: { from: ['scheduled'], by: 'office' },
  startTravel: { from: ['dispatched'], by: 'field' },
  arrive: { from: ['en_route'], by: 'field' },
  startWork: { from: ['arrived'], by: 'field' },
  reportDelay: { from: ['en_route', 'in_progress'], by: 'field' },
  // Work stops on site for a while and resumes where it stood; the workflow waits through it.
  pause: { from: ['arrived', 'in_progress'], by: 'field' },
  resumeWork: { from: ['paused'], by: 'field' },
  // The customer's signature on their sign-off page completes the work, through the same gates.
  complete: { from: ['in_progress'], by: 'field', customer: ['in_progress'] },
  approveInvoice: { from: ['completed'], by: 'office' },
  recordPayment: { from: ['invoiced'], by: 'office' },
  // A work order whose automation failed can still be called off by the office.
  cancel: {
    from: [...beforeCompletion, 'needs_attention'],
    by: 'office',
    customer: ['new', 'scheduled', 'dispatched'],
  },
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

/**
 * Technicians see and change only the work orders assigned to them; a customer only the work
 * order of their link; the office sees all.
 */
export function canSee(actor: Actor, workOrder: WorkOrder): boolean {
  if (actor.role === 'technician')
    return actor.technicianId !== undefined && actor.technicianId === workOrder.technicianId;
  if (actor.role === 'customer')
    return actor.workOrderId !== undefined && actor.workOrderId === workOrder.workOrderId;
  return true;
}

function mayPerform(actor: Actor, rule: ActionRule, workOrder: WorkOrder): boolean {
  if (isOffice(actor) || actor.role === 'system') return true;
  if (actor.role === 'customer') return rule.customer !== undefined && canSee(actor, workOrder);
  return rule.by === 'field' && canSee(actor, workOrder);
}

/** The statuses the action starts from for this actor: a customer's are narrower. */
export function startingStatuses(actor: Actor, action: WorkOrderAction): readonly WorkOrderStatus[] {
  const rule = actionRules[action];
  return actor.role === 'customer' ? (rule.customer ?? []) : rule.from;
}

/** The actions this actor may take on the work order now: what a 409 lists. */
export function allowedActions(workOrder: WorkOrder, actor: Actor): WorkOrderAction[] {
  return (Object.entries(actionRules) as [WorkOrderAction, ActionRule][])
    .filter(
      ([action, rule]) =>
        startingStatuses(actor, action).includes(workOrder.status) && mayPerform(actor, rule, workOrder),
    )
    .map(([action]) => action);
}

export function mayAttempt(actor: Actor, action: WorkOrderAction, workOrder: WorkOrder): boolean {
  return mayPerform(actor, actionRules[action], workOrder);
}
