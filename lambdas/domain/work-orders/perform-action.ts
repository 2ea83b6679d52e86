import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { BlobStore } from '../../ports/blob-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { DomainEvent, EventPublisher } from '../../ports/event-publisher.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { PhotoStore } from '../../ports/photo-store.ts';
import type { TravelTimes } from '../../ports/travel-times.ts';
import type { DirectoryStore, WorkOrderChange, WorkOrderStore } from '../../ports/work-order-store.ts';
import type { Workflow } from '../../ports/workflow.ts';
import { workOrderArrived } from '../../schemas/events/work-order-arrived.ts';
import { workOrderCancelled } from '../../schemas/events/work-order-cancelled.ts';
import { workOrderCompleted } from '../../schemas/events/work-order-completed.ts';
import { workOrderDelayed } from '../../schemas/events/work-order-delayed.ts';
import { workOrderDispatched } from '../../schemas/events/work-order-dispatched.ts';
import { workOrderEnRoute } from '../../schemas/events/work-order-en-route.ts';
import { workOrderHeld } from '../../schemas/events/work-order-held.ts';
import { workOrderInvoiced } from '../../schemas/events/work-order-invoiced.ts';
import { workOrderPaused } from '../../schemas/events/work-order-paused.ts';
import { workOrderPaymentRecorded } from '../../schemas/events/work-order-payment-recorded.ts';
import { workOrderRescheduled } from '../../schemas/events/work-order-rescheduled.ts';
import { workOrderResumed } from '../../schemas/events/work-order-resumed.ts';
import { workOrderScheduled } from '../../schemas/events/work-order-scheduled.ts';
import { workOrderStarted } from '../../schemas/events/work-order-started.ts';
import { workOrderWorkResumed } from '../../schemas/events/work-order-work-resumed.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
} from '../../shared/errors.ts';
import { jobDurationOf } from '../catalog/job-duration.ts';
import type { Tenant } from '../customers/customer.ts';
import { type SignatureInput, signatureToRecord } from '../execution/sign-off.ts';
import type { Invoice, Payment } from '../invoicing/invoice.ts';
import { checkBooking } from '../scheduling/booking-check.ts';
import { LocalCalendar } from '../scheduling/local-time.ts';
import { type SchedulingSettings, schedulingSettingsOf } from '../scheduling/scheduling-settings.ts';
import { maxVisitHours } from '../scheduling/time-slices.ts';
import type { Actor } from '../shared/actor.ts';
import { allowedActions, canSee, mayAttempt, startingStatuses, type WorkOrderAction } from './lifecycle.ts';
import { auditEvent, type Priority, type WorkOrder } from './work-order.ts';
import { cancelledError, rescheduledError } from './workflow-errors.ts';

export type ActionInput =
  | { action: 'schedule'; start: string; end?: string; technicianId?: string }
  | { action: 'reschedule'; reason: string }
  | { action: 'dispatch'; technicianId?: string }
  | { action: 'startTravel'; eta?: string }
  | { action: 'arrive' }
  | { action: 'startWork' }
  | { action: 'reportDelay'; reason: string; newEta?: string }
  | { action: 'pause'; reason: string }
  | { action: 'resumeWork' }
  | {
      action: 'complete';
      signature?: SignatureInput;
      noSignatureReason?: string;
      followUp?: { description: string; priority: Priority };
    }
  | { action: 'approveInvoice' }
  | { action: 'recordPayment'; amount: number; method: Payment['method']; reference?: string }
  | { action: 'cancel'; reason: string }
  | { action: 'hold'; reason: string }
  | { action: 'resume' };

export interface ActionDependencies {
  workOrders: WorkOrderStore;
  directory: DirectoryStore;
  workflow: Workflow;
  events: EventPublisher;
  clock: Clock;
  ids: IdGenerator;
  /** Told of side effects that failed after the change was saved (logged and counted by the handler). */
  reportFailure: (message: string, error: unknown) => void;
  /** Travel times between visits, for the travel a booking must leave (tenant's average speed). */
  travelTimes: (settings: SchedulingSettings) => TravelTimes;
  /** The photos in the work summary a signature is checked against. */
  photos: Pick<PhotoStore, 'listUploaded'>;
  /** The bucket, for a signature uploaded as an image. */
  blobs: Pick<BlobStore, 'head' | 'readStart'>;
}

/**
 * The tenant's arrival window the visit's start falls in, as instants: what the customer is
 * told. None when the tenant offers exact times or the start lies outside every window.
 */
function arrivalWindowOf(
  tenant: Tenant | undefined,
  start: Date,
): { start: string; end: string } | undefined {
  if (!tenant) return undefined;
  const calendar = new LocalCalendar(tenant.timeZone);
  const day = calendar.dayOf(start);
  for (const window of schedulingSettingsOf(tenant).arrivalWindows) {
    const from = calendar.instantOf(day, window.start);
    const to = calendar.instantOf(day, window.end);
    if (from <= start.getTime() && start.getTime() < to) {
      return { start: new Date(from).toISOString(), end: new Date(to).toISOString() };
    }
  }
  return undefined;
}

interface Plan {
  after: WorkOrder;
  invoice?: WorkOrderChange['invoice'];
  payment?: Payment;
  jobDuration?: WorkOrderChange['jobDuration'];
  /** What the audit event records beyond the changed fields. */
  details?: Record<string, unknown>;
  event: (after: WorkOrder, base: TransitionBase) => DomainEvent;
}

interface TransitionBase {
  workOrderId: string;
  status: string;
  previousStatus: string;
  version: number;
  actorId: string;
  actorRole: string;
}

const maxAttempts = 5;

const without = <K extends keyof WorkOrder>(workOrder: WorkOrder, ...fields: K[]): WorkOrder => {
  const copy = { ...workOrder };
  for (const field of fields) delete copy[field];
  return copy;
};

/** Whole minutes a pause lasted (none if the clocks disagree and it seems to end before it began). */
const pausedMinutesBetween = (since: string, until: Date): number =>
  Math.max(0, Math.floor((until.getTime() - Date.parse(since)) / 60_000));

const gate = (action: WorkOrderAction, missing: string[]) =>
  new UnprocessableError(`Cannot ${action} yet: ${missing.join(', ')} missing`, { missing });

/**
 * Performs one action on a work order (DESIGN §4–5).
 * 1. Reads it; another tenant's or an unassigned technician's work order is not found.
 * 2. Refuses a wrong state (409, listing the actions allowed now) and unmet gates (422, listing what is missing).
 * 3. Writes the new version with its audit event as one transaction conditional on what was read;
 *    if something changed meanwhile it reads again, so concurrent actions lose nothing.
 * 4. Answers the waiting workflow state if the new status leaves the stage it waits for.
 * 5. Publishes the action's domain event.
 */
export async function performAction(
  dependencies: ActionDependencies,
  actor: Actor,
  workOrderId: string,
  input: ActionInput,
  options: { expectedVersion?: number } = {},
): Promise<WorkOrder> {
  const { workOrders, clock, ids } = dependencies;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const before = await workOrders.get(actor.tenantId, workOrderId);
    if (!before || !canSee(actor, before)) throw new NotFoundError('Work order', workOrderId);
    if (!mayAttempt(actor, input.action, before)) {
      throw new ForbiddenError(`A ${actor.role} may not ${input.action} a work order`);
    }
    if (!startingStatuses(actor, input.action).includes(before.status)) {
      throw new ConflictError(`Cannot ${input.action} a work order that is ${before.status}`, {
        currentStatus: before.status,
        allowedActions: allowedActions(before, actor),
      });
    }
    if (options.expectedVersion !== undefined && options.expectedVersion !== before.version) {
      throw new ConflictError(
        `The work order is at version ${before.version}, not ${options.expectedVersion}`,
        {
          version: before.version,
        },
      );
    }
    const now = clock.now();
    const plan = await planAction(dependencies, actor, before, input, now);
    const leavesWait =
      before.taskToken !== undefined && !(before.waitingWhile ?? []).includes(plan.after.status);
    const after: WorkOrder = {
      ...(leavesWait ? without(plan.after, 'taskToken', 'waitingWhile') : plan.after),
      version: before.version + 1,
      updatedAt: now.toISOString(),
    };
    const event = auditEvent({
      eventId: ids.next('evt'),
      action: input.action,
      actor,
      at: now.toISOString(),
      before,
      after,
    });
    if (plan.details) Object.assign(event.changes, { details: { after: plan.details } });
    const applied = await workOrders.apply({
      before,
      after,
      event,
      ...(plan.invoice ? { invoice: plan.invoice } : {}),
      ...(plan.payment ? { payment: plan.payment } : {}),
      ...(plan.jobDuration ? { jobDuration: plan.jobDuration } : {}),
    });
    if (!applied) continue;

    if (leavesWait && before.taskToken) await answerWait(dependencies, before.taskToken, input.action, after);
    const base: TransitionBase = {
      workOrderId,
      status: after.status,
      previousStatus: before.status,
      version: after.version,
      actorId: actor.id,
      actorRole: actor.role,
    };
    try {
      await dependencies.events.publish([plan.event(after, base)]);
    } catch (error) {
      dependencies.reportFailure(`The ${input.action} event was not published`, error);
    }
    return after;
  }
  throw new ConflictError('The work order kept changing; try again', {});
}

/** The second half of the callback protocol: the transition's result resumes or redirects the execution. */
async function answerWait(
  dependencies: ActionDependencies,
  token: string,
  action: WorkOrderAction,
  after: WorkOrder,
) {
  try {
    if (after.status === 'cancelled') {
      await dependencies.workflow.fail(token, cancelledError, after.cancelReason ?? 'Cancelled');
    } else if (action === 'reschedule') {
      await dependencies.workflow.fail(token, rescheduledError, 'Back to scheduling');
    } else {
      await dependencies.workflow.succeed(token, { status: after.status, version: after.version });
    }
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    // A token of an execution that already moved on (or ended) has nothing left to resume.
    if (name === 'TaskDoesNotExist' || name === 'TaskTimedOut' || name === 'InvalidToken') return;
    dependencies.reportFailure(`The workflow was not told of ${action} on ${after.workOrderId}`, error);
  }
}

async function planAction(
  dependencies: ActionDependencies,
  actor: Actor,
  before: WorkOrder,
  input: ActionInput,
  now: Date,
): Promise<Plan> {
  const { directory, workOrders, ids } = dependencies;
  const at = now.toISOString();
  switch (input.action) {
    case 'schedule': {
      const [tenant, serviceType, technician] = await Promise.all([
        directory.getTenant(before.tenantId),
        before.serviceTypeId ? directory.getServiceType(before.tenantId, before.serviceTypeId) : undefined,
        input.technicianId ? directory.getTechnician(before.tenantId, input.technicianId) : undefined,
      ]);
      const missing = [
        ...(before.locationId ? [] : ['serviceLocation']),
        ...(serviceType ? [] : ['serviceType']),
      ];
      if (missing.length > 0) throw gate('schedule', missing);
      const start = new Date(input.start);
      const minutes = before.estimatedMinutes ?? serviceType?.estimatedMinutes ?? 60;
      const end = input.end ? new Date(input.end) : new Date(start.getTime() + minutes * 60_000);
      const problems = [
        ...(start.getTime() < now.getTime() ? [{ field: 'body.start', message: 'is in the past' }] : []),
        ...(end.getTime() <= start.getTime() ? [{ field: 'body.end', message: 'must be after start' }] : []),
        ...(end.getTime() - start.getTime() > maxVisitHours * 3_600_000
          ? [{ field: 'body.end', message: `a visit lasts at most ${maxVisitHours} hours` }]
          : []),
        ...(input.technicianId && !technician
          ? [{ field: 'body.technicianId', message: 'no such technician' }]
          : []),
      ];
      if (problems.length > 0) throw new ValidationError(problems);
      if (technician && tenant) {
        await checkBooking(
          dependencies,
          tenant,
          technician,
          { ...before, requiredSkills: before.requiredSkills ?? serviceType?.requiredSkills ?? [] },
          { start: start.getTime(), end: end.getTime(), now: now.getTime() },
        );
      }
      const window = arrivalWindowOf(tenant, start);
      const after: WorkOrder = {
        ...without(before, 'technicianId', 'arrivalWindow'),
        status: 'scheduled',
        estimatedMinutes: minutes,
        scheduledStart: start.toISOString(),
        scheduledEnd: end.toISOString(),
        scheduledDate: format(new TZDate(start, tenant?.timeZone ?? 'UTC'), 'yyyy-MM-dd'),
        ...(window ? { arrivalWindow: window } : {}),
        ...(input.technicianId ? { technicianId: input.technicianId } : {}),
      };
      return {
        after,
        event: (saved, base) =>
          workOrderScheduled.create(saved.tenantId, at, {
            ...base,
            scheduledStart: saved.scheduledStart ?? at,
            scheduledEnd: saved.scheduledEnd ?? at,
            technicianId: saved.technicianId,
          }),
      };
    }
    case 'reschedule':
      return {
        after: {
          ...without(
            before,
            'scheduledStart',
            'scheduledEnd',
            'scheduledDate',
            'arrivalWindow',
            'technicianId',
            'eta',
            'delay',
          ),
          status: 'new',
        },
        details: { reason: input.reason },
        event: (saved, base) =>
          workOrderRescheduled.create(saved.tenantId, at, {
            ...base,
            reason: input.reason,
            previousStart: before.scheduledStart,
          }),
      };
    case 'dispatch': {
      const technicianId = input.technicianId ?? before.technicianId;
      const [technician, serviceType] = await Promise.all([
        technicianId ? directory.getTechnician(before.tenantId, technicianId) : undefined,
        before.serviceTypeId ? directory.getServiceType(before.tenantId, before.serviceTypeId) : undefined,
      ]);
      if (input.technicianId && !technician) {
        throw new ValidationError([{ field: 'body.technicianId', message: 'no such technician' }]);
      }
      const required = before.requiredSkills ?? serviceType?.requiredSkills ?? [];
      const lacking = technician ? required.filter((skill) => !technician.skills.includes(skill)) : [];
      const missing = [
        ...(before.scheduledStart ? [] : ['schedule']),
        ...(technician ? [] : ['technician']),
        ...lacking.map((skill) => `technician skill: ${skill}`),
      ];
      if (missing.length > 0) throw gate('dispatch', missing);
      // A technician given the visit now (not at booking) must be free for it like at booking.
      if (technician && technician.technicianId !== before.technicianId && before.scheduledStart) {
        const tenant = await directory.getTenant(before.tenantId);
        if (tenant) {
          await checkBooking(
            dependencies,
            tenant,
            technician,
            { ...before, requiredSkills: required },
            {
              start: Date.parse(before.scheduledStart),
              end: Date.parse(before.scheduledEnd ?? before.scheduledStart),
              now: now.getTime(),
            },
          );
        }
      }
      return {
        after: { ...before, status: 'dispatched', technicianId: technician?.technicianId ?? '' },
        event: (saved, base) =>
          workOrderDispatched.create(saved.tenantId, at, {
            ...base,
            technicianId: saved.technicianId ?? '',
            scheduledStart: saved.scheduledStart ?? '',
          }),
      };
    }
    case 'startTravel':
      return {
        after: { ...without(before, 'eta'), status: 'en_route', ...(input.eta ? { eta: input.eta } : {}) },
        event: (saved, base) =>
          workOrderEnRoute.create(saved.tenantId, at, {
            ...base,
            technicianId: saved.technicianId,
            eta: saved.eta,
          }),
      };
    case 'arrive':
      return {
        after: { ...without(before, 'eta', 'delay'), status: 'arrived', arrivedAt: at },
        event: (saved, base) => workOrderArrived.create(saved.tenantId, at, base),
      };
    case 'startWork':
      return {
        after: { ...before, status: 'in_progress' },
        event: (saved, base) => workOrderStarted.create(saved.tenantId, at, base),
      };
    case 'reportDelay':
      return {
        after: {
          ...before,
          delay: { reason: input.reason, at, ...(input.newEta ? { newEta: input.newEta } : {}) },
          ...(input.newEta ? { eta: input.newEta } : {}),
        },
        event: (saved, base) =>
          workOrderDelayed.create(saved.tenantId, at, {
            ...base,
            reason: input.reason,
            newEta: input.newEta,
          }),
      };
    case 'pause': {
      const from = before.status === 'arrived' ? 'arrived' : 'in_progress';
      return {
        after: { ...before, status: 'paused', pause: { reason: input.reason, at, from } },
        details: { reason: input.reason },
        event: (saved, base) =>
          workOrderPaused.create(saved.tenantId, at, {
            ...base,
            reason: input.reason,
            technicianId: saved.technicianId,
          }),
      };
    }
    case 'resumeWork': {
      const pause = before.pause;
      const minutes = pause ? pausedMinutesBetween(pause.at, now) : 0;
      return {
        after: {
          ...without(before, 'pause'),
          status: pause?.from ?? 'in_progress',
          pausedMinutes: (before.pausedMinutes ?? 0) + minutes,
        },
        details: { pauseReason: pause?.reason ?? '', pausedMinutes: minutes },
        event: (saved, base) =>
          workOrderWorkResumed.create(saved.tenantId, at, {
            ...base,
            pauseReason: pause?.reason ?? '',
            pausedMinutes: minutes,
            technicianId: saved.technicianId,
          }),
      };
    }
    case 'complete': {
      const missing = [
        ...((before.noteCount ?? 0) > 0 ? [] : ['workNote']),
        ...((before.laborMinutes ?? 0) > 0 ? [] : ['labor']),
        // A timer still running is labor not yet recorded.
        ...((before.runningTimers ?? 0) > 0 ? ['stoppedLaborTimers'] : []),
        ...(input.signature || input.noSignatureReason ? [] : ['customerSignature']),
      ];
      if (missing.length > 0) throw gate('complete', missing);
      // The customer signs the summary they were shown: it must still be the work's summary.
      const signature = input.signature
        ? await signatureToRecord(dependencies, before, input.signature, at)
        : undefined;
      const after: WorkOrder = {
        ...before,
        status: 'completed',
        completedAt: at,
        ...(signature ? { signature } : {}),
        ...(!input.signature && input.noSignatureReason
          ? { noSignatureReason: input.noSignatureReason }
          : {}),
        ...(input.followUp ? { followUpRequest: { ...input.followUp, workOrderId: ids.next('wo') } } : {}),
      };
      // The job's duration joins its service type's samples in the completion's own write.
      const jobDuration = jobDurationOf(after);
      return {
        after,
        ...(jobDuration ? { jobDuration } : {}),
        event: (saved, base) =>
          workOrderCompleted.create(saved.tenantId, at, {
            ...base,
            signed: saved.signature !== undefined,
            laborMinutes: saved.laborMinutes ?? 0,
            followUpRequested: saved.followUpRequest !== undefined,
          }),
      };
    }
    case 'approveInvoice': {
      const invoice = before.invoiceId
        ? await workOrders.getInvoice(before.tenantId, before.workOrderId, before.invoiceId)
        : undefined;
      if (!invoice) throw gate('approveInvoice', ['invoice']);
      if (invoice.status !== 'draft') {
        throw new ConflictError(`The invoice is ${invoice.status}, not draft`, {
          currentStatus: before.status,
          allowedActions: allowedActions(before, actor),
        });
      }
      const approved: Invoice = {
        ...invoice,
        status: 'approved',
        approvedBy: actor.id,
        version: invoice.version + 1,
        updatedAt: at,
      };
      return {
        after: { ...before, status: 'invoiced' },
        invoice: { before: invoice, after: approved },
        event: (saved, base) =>
          workOrderInvoiced.create(saved.tenantId, at, {
            ...base,
            invoiceId: invoice.invoiceId,
            total: invoice.total,
            currency: invoice.currency,
          }),
      };
    }
    case 'recordPayment': {
      const invoice = before.invoiceId
        ? await workOrders.getInvoice(before.tenantId, before.workOrderId, before.invoiceId)
        : undefined;
      if (!invoice) throw gate('recordPayment', ['invoice']);
      const balance = invoice.total - invoice.amountPaid;
      if (input.amount > balance) {
        throw new UnprocessableError(`The payment exceeds the balance of ${balance}`, {
          errors: [{ field: 'body.amount', message: `at most the balance, ${balance}` }],
        });
      }
      const payment: Payment = {
        tenantId: before.tenantId,
        workOrderId: before.workOrderId,
        paymentId: ids.next('pay'),
        invoiceId: invoice.invoiceId,
        amount: input.amount,
        method: input.method,
        ...(input.reference ? { reference: input.reference } : {}),
        recordedBy: actor.id,
        at,
      };
      const paidInFull = input.amount === balance;
      const updated: Invoice = {
        ...invoice,
        amountPaid: invoice.amountPaid + input.amount,
        status: paidInFull ? 'paid' : 'partially_paid',
        version: invoice.version + 1,
        updatedAt: at,
      };
      return {
        after: paidInFull ? { ...before, status: 'paid', paidAt: at } : before,
        invoice: { before: invoice, after: updated },
        payment,
        details: { paymentId: payment.paymentId, amount: input.amount, method: input.method },
        event: (saved, base) =>
          workOrderPaymentRecorded.create(saved.tenantId, at, {
            ...base,
            invoiceId: invoice.invoiceId,
            paymentId: payment.paymentId,
            amount: input.amount,
            balance: balance - input.amount,
          }),
      };
    }
    case 'cancel':
      return {
        after: {
          ...without(before, 'heldFrom', 'holdReason'),
          status: 'cancelled',
          cancelReason: input.reason,
        },
        event: (saved, base) =>
          workOrderCancelled.create(saved.tenantId, at, { ...base, reason: input.reason }),
      };
    case 'hold':
      return {
        after: { ...before, status: 'on_hold', heldFrom: before.status, holdReason: input.reason },
        event: (saved, base) => workOrderHeld.create(saved.tenantId, at, { ...base, reason: input.reason }),
      };
    case 'resume':
      return {
        after: { ...without(before, 'heldFrom', 'holdReason'), status: before.heldFrom ?? 'new' },
        event: (saved, base) => workOrderResumed.create(saved.tenantId, at, base),
      };
  }
}
