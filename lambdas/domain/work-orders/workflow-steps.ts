import { TZDate } from '@date-fns/tz';
import { addDays, format } from 'date-fns';
import type { AgreementCoverage } from '../../ports/agreement-coverage.ts';
import type { BlobStore } from '../../ports/blob-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { JobDurationStore } from '../../ports/job-duration-store.ts';
import type { NotificationLog } from '../../ports/notification-log.ts';
import type { Notifier, OutgoingMessage } from '../../ports/notifier.ts';
import type { Payments } from '../../ports/payments.ts';
import type { PhotoStore } from '../../ports/photo-store.ts';
import type { PricingSources } from '../../ports/pricing-sources.ts';
import type { Scheduler } from '../../ports/scheduler.ts';
import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import type { Workflow } from '../../ports/workflow.ts';
import { workOrderClosed } from '../../schemas/events/work-order-closed.ts';
import type { WorkflowStep } from '../../schemas/workflow-tasks.ts';
import { durationEstimateFor } from '../catalog/duration-estimate.ts';
import { issueWorkOrderLink, type LinkDependencies } from '../customer-pages/links.ts';
import type { Tenant } from '../customers/customer.ts';
import type { CustomerDirectory } from '../customers/customer-directory.ts';
import { assembleDispatchPackage, type LocationHistory } from '../dispatch/dispatch-package.ts';
import { technicianMessage } from '../dispatch/technician-message.ts';
import { completionReportContentType, completionReportKey } from '../execution/completion-report-link.ts';
import { tallyParts } from '../execution/parts-tally.ts';
import { gatherWorkSummary, summaryText } from '../execution/work-summary.ts';
import { type Invoice, invoiceIdFor } from '../invoicing/invoice.ts';
import { priceWorkOrder } from '../invoicing/price-work-order.ts';
import {
  arrangeAppointmentReminder,
  withdrawAppointmentReminder,
} from '../notifications/appointment-reminders.ts';
import { confirmationKey, sendBookingConfirmation } from '../notifications/booking-confirmation.ts';
import type { MessageOutcome } from '../notifications/customer-messenger.ts';
import { sendInvoice } from '../payments/send-invoice.ts';
import { type Actor, workflowActor } from '../shared/actor.ts';
import { createWorkOrder } from './create-work-order.ts';
import { type ActionDependencies, performAction } from './perform-action.ts';
import { waitsForVisit } from './visits.ts';
import { auditEvent, type WorkOrder } from './work-order.ts';
import { cancelledError, WorkflowStepError } from './workflow-errors.ts';

export interface StepDependencies {
  workOrders: WorkOrderStore;
  directory: CustomerDirectory;
  /** The location's earlier work orders and the photos: what the technician's package is built from. */
  locationHistory: LocationHistory;
  photos: Pick<PhotoStore, 'listUploaded'>;
  workflow: Workflow;
  events: EventPublisher;
  notifier: Notifier;
  clock: Clock;
  ids: IdGenerator;
  reportFailure: (message: string, error: unknown) => void;
  /** For the actions a step takes through the use cases (resuming a job's next visit). */
  travelTimes: ActionDependencies['travelTimes'];
  /** Past jobs' durations, which refine the catalogue's duration of a service type. */
  jobDurations: JobDurationStore;
  /** The bucket: completion reports are written to it, signature images read from it. */
  blobs: Pick<BlobStore, 'head' | 'readStart' | 'putObject'>;
  /** Where the customer pays an invoice online: the link the invoice is sent with. */
  payments: Pick<Payments, 'createCheckout'>;
  /** The tenant's pricing rules and the catalogue's prices, levels and categories, for invoices. */
  pricing: PricingSources;
  /** The customer's service agreement: a member discount, an included visit. */
  agreements: AgreementCoverage;
  /** One-time schedules: a sent invoice's overdue check. */
  scheduler: Scheduler;
  /** The log of customer messages (confirmation, invoice) with their delivery status. */
  notifications: NotificationLog;
  /** Waits between delivery attempts of a customer message; tests pass one that does not wait. */
  pause?: (milliseconds: number) => Promise<void>;
  /**
   * Signed links to the customer's pages, which the confirmation (the appointment page) and the
   * invoice message (the invoice page) carry; without them the messages go without those links.
   */
  customerLinks?: LinkDependencies;
}

type StepResult = Record<string, string | number | boolean | undefined>;
type Context = { deps: StepDependencies; workOrder: WorkOrder; tenant: Tenant; actor: Actor; now: Date };

/**
 * Runs one automated step of the work-order workflow. Every step is safe to run again (the
 * state machine retries): it looks at what is already recorded before it writes. Messages
 * are delivered at least once: a retried step may send its message again.
 */
export async function runWorkflowStep(
  deps: StepDependencies,
  step: WorkflowStep,
  tenantId: string,
  workOrderId: string,
): Promise<StepResult> {
  const [workOrder, tenant] = await Promise.all([
    deps.workOrders.get(tenantId, workOrderId),
    deps.directory.getTenant(tenantId),
  ]);
  if (!workOrder || !tenant)
    throw new WorkflowStepError('WorkOrder.NotFound', `Work order ${workOrderId} does not exist`);
  const context: Context = { deps, workOrder, tenant, actor: workflowActor(tenantId), now: deps.clock.now() };
  if (workOrder.status === 'cancelled' && step !== 'RecordCancellation') {
    throw new WorkflowStepError('WorkOrder.Cancelled', `Work order ${workOrderId} was cancelled`);
  }
  return steps[step](context);
}

const steps: Record<WorkflowStep, (context: Context) => Promise<StepResult>> = {
  /**
   * Copies what the service type knows onto the work order: its required skills, and its
   * duration as the tenant's past jobs of the type refine it (`estimateDuration`).
   */
  EnrichWorkOrder: async (context) => {
    const { workOrder, deps } = context;
    if (!workOrder.serviceTypeId || workOrder.estimatedMinutes !== undefined) return { enriched: false };
    const serviceType = await deps.directory.getServiceType(workOrder.tenantId, workOrder.serviceTypeId);
    if (!serviceType) return { enriched: false };
    const estimate = await durationEstimateFor(
      deps.jobDurations,
      workOrder.tenantId,
      serviceType.serviceTypeId,
      serviceType.estimatedMinutes,
    );
    await amend(context, 'enriched', (current) =>
      current.estimatedMinutes !== undefined
        ? undefined
        : {
            ...current,
            estimatedMinutes: estimate.minutes,
            durationBasis: estimate.basis,
            requiredSkills: serviceType.requiredSkills,
          },
    );
    return {
      enriched: true,
      estimatedMinutes: estimate.minutes,
      durationBasis: estimate.basis,
      durationSamples: estimate.sampleCount,
    };
  },

  /**
   * Tells the customer the date, the arrival window and what to expect, by their channels, with
   * the visit as a calendar entry on the email (`sendBookingConfirmation`) and the signed link to
   * their appointment page; once per booking.
   */
  SendConfirmation: async (context) => {
    const { workOrder, tenant, deps, actor } = context;
    // One link per booking confirmed: a retried step finds the link it issued and sends the same.
    const appointmentPage = deps.customerLinks
      ? await issueWorkOrderLink(deps.customerLinks, actor, workOrder.workOrderId, 'view', {
          linkSeed: confirmationKey(workOrder),
        })
      : undefined;
    const confirmation = await sendBookingConfirmation(deps, workOrder, tenant, {
      ...(appointmentPage ? { link: appointmentPage.url } : {}),
    });
    const result = confirmation.unsentReason
      ? await recordUnsent(context, 'customer', confirmation.unsentReason)
      : await recordCustomerMessages(context, 'confirmation', confirmation.outcomes);
    // What the customer was told: a later wait compares it with the booking, so a booking
    // changed while this ran is confirmed again.
    const confirmed = workOrder.scheduledStart;
    await amend(context, 'schedule_confirmed', (current) =>
      current.confirmedStart === confirmed
        ? undefined
        : { ...current, ...(confirmed ? { confirmedStart: confirmed } : {}) },
    );
    await arrangeAppointmentReminder(deps, workOrder, tenant);
    return result;
  },

  /**
   * Sends the technician the job, from the same package the dispatch-package endpoint serves:
   * customer, phone, address, problem, access notes, equipment, photos, directions, and the
   * package's path.
   */
  NotifyTechnician: async (context) => {
    const { workOrder, tenant, deps } = context;
    const dispatchPackage = await assembleDispatchPackage(deps, tenant, workOrder);
    const { technician } = dispatchPackage;
    const to = technician?.phone ?? technician?.email;
    if (!technician || !to) return recordUnsent(context, 'technician', 'no phone or email on file');
    return send(
      context,
      {
        tenantId: workOrder.tenantId,
        workOrderId: workOrder.workOrderId,
        channel: technician.phone ? 'sms' : 'email',
        to,
        ...technicianMessage(dispatchPackage),
      },
      'technician_notified',
    );
  },

  /**
   * Compiles the work summary (notes, photos, parts, labor, sign-off) into the work order's
   * `summary` text and renders the completion report PDF into the bucket under the tenant's
   * prefix, recording its key.
   */
  CompileSummary: async (context) => {
    const { workOrder, tenant, deps } = context;
    const { summary, hash } = await gatherWorkSummary(deps, workOrder);
    const text = summaryText(summary, hash, workOrder, tenant.timeZone);
    const key = completionReportKey(workOrder.tenantId, workOrder.workOrderId);
    // A retry after the report was recorded finds both in place: nothing is rendered or written again.
    if (workOrder.summary !== text || workOrder.completionReportKey !== key) {
      // The PDF library loads when a report is first rendered, not with every workflow step.
      const { renderCompletionReport, signatureImageOf } = await import('../execution/completion-report.ts');
      const report = await renderCompletionReport({
        summary,
        summaryHash: hash,
        signOff: workOrder,
        tenantName: tenant.name,
        timeZone: tenant.timeZone,
        signatureImage: await signatureImageOf(deps.blobs, workOrder.signature),
      });
      await deps.blobs.putObject({ key, body: report, contentType: completionReportContentType });
      await amend(context, 'summary_compiled', (current) =>
        current.summary === text && current.completionReportKey === key
          ? undefined
          : { ...current, summary: text, completionReportKey: key },
      );
    }
    return {
      notes: summary.notes.length,
      photos: summary.photos.length,
      parts: summary.parts.length,
      laborMinutes: summary.laborMinutes,
      summaryHash: hash,
      completionReportKey: key,
    };
  },

  /**
   * Tallies labor and parts from the entries and usage items themselves (the authoritative
   * record): each part usage net of its corrections, as the invoice and the counters count it.
   */
  TallyPartsAndLabor: async (context) => {
    const { workOrder, deps } = context;
    const [labor, parts] = await Promise.all([
      deps.workOrders.laborEntries(workOrder.tenantId, workOrder.workOrderId),
      deps.workOrders.partsUsed(workOrder.tenantId, workOrder.workOrderId),
    ]);
    const laborMinutes = labor.reduce((sum, entry) => sum + entry.minutes, 0);
    return { laborMinutes, laborEntries: labor.length, ...tallyParts(parts) };
  },

  /** A multi-visit job: the next visit, held until this one completed, goes to scheduling. */
  ActivateNextVisit: async (context) => {
    const { workOrder, deps, actor } = context;
    const nextVisitId = workOrder.nextVisitId;
    if (!nextVisitId) return { activated: false };
    const next = await deps.workOrders.get(workOrder.tenantId, nextVisitId);
    // Resumed already (by a retry of this step, or by the office): nothing left to do.
    if (!next || !waitsForVisit(next)) return { activated: false, nextVisitId };
    await performAction(deps, actor, nextVisitId, { action: 'resume' });
    return { activated: true, nextVisitId };
  },

  /** Creates the follow-up work order asked for at completion, linked both ways, once. */
  CreateFollowUps: async (context) => {
    const { workOrder, deps, actor } = context;
    const request = workOrder.followUpRequest;
    if (!request) return { followUps: 0 };
    if (!(await deps.workOrders.get(workOrder.tenantId, request.workOrderId))) {
      await createWorkOrder(deps, actor, {
        workOrderId: request.workOrderId,
        followUpOf: workOrder.workOrderId,
        customerId: workOrder.customerId,
        ...(workOrder.locationId ? { locationId: workOrder.locationId } : {}),
        ...(workOrder.serviceTypeId ? { serviceTypeId: workOrder.serviceTypeId } : {}),
        description: request.description,
        priority: request.priority,
      });
    }
    await amend(context, 'follow_up_created', (current) =>
      current.followUpWorkOrderIds?.includes(request.workOrderId)
        ? undefined
        : {
            ...current,
            followUpWorkOrderIds: [...(current.followUpWorkOrderIds ?? []), request.workOrderId],
          },
    );
    return { followUps: 1, followUpWorkOrderId: request.workOrderId };
  },

  /**
   * Prices the completed work into a draft invoice, exactly once per work order: the invoice's
   * id is the one the work order names (a replacement the office's void allocated) or else the
   * one derived from the work order's id, and it is written only if it does not exist, so a
   * retried or doubled run (even two at once) leaves one invoice and one `invoice_generated`.
   * Priced by `priceWorkOrder`: labor by technician level with the after-hours or emergency
   * premium, parts, fees, the trip, the customer's agreement, tax; due after the tenant's terms.
   */
  GenerateInvoice: async (context) => {
    const { workOrder, tenant, deps, now, actor } = context;
    const invoiceId = workOrder.invoiceId ?? invoiceIdFor(workOrder.workOrderId);
    let invoice = await deps.workOrders.getInvoice(workOrder.tenantId, workOrder.workOrderId, invoiceId);
    if (!invoice) {
      const priced = await priceWorkOrder(deps, workOrder, tenant, { now });
      const draft: Invoice = {
        tenantId: workOrder.tenantId,
        workOrderId: workOrder.workOrderId,
        invoiceId,
        customerId: workOrder.customerId,
        status: 'draft',
        currency: tenant.currency,
        lines: priced.lines,
        subtotal: priced.subtotal,
        taxableSubtotal: priced.taxableSubtotal,
        taxRatePerMillion: priced.taxRatePerMillion,
        tax: priced.tax,
        total: priced.total,
        amountPaid: 0,
        dueDate: format(
          addDays(new TZDate(now, tenant.timeZone), priced.rules.paymentTermsDays),
          'yyyy-MM-dd',
        ),
        ...(priced.agreement ? { agreement: priced.agreement } : {}),
        pricedAt: now.toISOString(),
        version: 1,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      };
      const event = auditEvent({
        eventId: deps.ids.next('evt'),
        action: 'invoice_generated',
        actor,
        at: deps.clock.now().toISOString(),
        before: workOrder,
        after: workOrder,
      });
      event.changes.invoice = { after: { invoiceId, total: draft.total, currency: draft.currency } };
      // Another run wrote it first: theirs is the invoice, priced from the same work.
      invoice = (await deps.workOrders.createInvoice(draft, event))
        ? draft
        : await deps.workOrders.getInvoice(workOrder.tenantId, workOrder.workOrderId, invoiceId);
    }
    // A work order naming an invoice already (a replacement, or one linked by another run) keeps it.
    await amend(context, 'invoice_linked', (current) =>
      current.invoiceId !== undefined ? undefined : { ...current, invoiceId },
    );
    return { invoiceId, total: invoice?.total ?? 0 };
  },

  /**
   * Sends the approved invoice by the customer's preferred channel with the link to pay it
   * online, writes its PDF to the bucket and marks it sent (`sendInvoice`); messages go out at
   * least once.
   */
  SendInvoice: async ({ deps, workOrder, tenant, actor }) => sendInvoice(deps, workOrder, tenant, actor),

  /** The end of the happy path: paid in full. */
  CloseWorkOrder: async (context) => {
    const { workOrder, deps, now } = context;
    await deps.workOrders.recordWorkflowState(
      workOrder.tenantId,
      workOrder.workOrderId,
      'Closed',
      now.toISOString(),
    );
    await deps.events.publish([
      workOrderClosed.create(workOrder.tenantId, now.toISOString(), {
        workOrderId: workOrder.workOrderId,
        status: workOrder.status,
        version: workOrder.version,
        actorId: 'workflow',
        actorRole: 'system',
        invoiceId: workOrder.invoiceId,
      }),
    ]);
    return { closed: true };
  },

  RecordCancellation: async ({ workOrder, deps, now }) => {
    await withdrawAppointmentReminder(deps, workOrder);
    await deps.workOrders.recordWorkflowState(
      workOrder.tenantId,
      workOrder.workOrderId,
      'WorkOrderCancelled',
      now.toISOString(),
    );
    return { cancelled: true };
  },
};

/**
 * Records on the timeline what became of each customer message of a step (`customer_<purpose>_sent`,
 * `…_held`, `…_suppressed`; a failure the messenger records itself; a duplicate nothing), and
 * sums them up as the step's result.
 */
async function recordCustomerMessages(
  context: Context,
  purpose: string,
  outcomes: MessageOutcome[],
): Promise<StepResult> {
  for (const outcome of outcomes) {
    if (outcome.status === 'failed' || outcome.status === 'duplicate') continue;
    await record(context, `customer_${purpose}_${outcome.status}`, {
      channel: outcome.channel,
      notificationId: outcome.notificationId,
      ...(outcome.messageId ? { messageId: outcome.messageId } : {}),
      ...(outcome.reason ? { reason: outcome.reason } : {}),
    });
  }
  const joined = (values: (string | undefined)[]) => values.filter(Boolean).join(',');
  const messageIds = joined(outcomes.map((outcome) => outcome.messageId));
  return {
    sent: outcomes.some((outcome) => outcome.status === 'sent'),
    channel: joined(outcomes.map((outcome) => outcome.channel)),
    status: joined(outcomes.map((outcome) => outcome.status)),
    ...(messageIds ? { messageId: messageIds } : {}),
  };
}

async function send(context: Context, message: OutgoingMessage, action: string): Promise<StepResult> {
  const { messageId } = await context.deps.notifier.send(message);
  await record(context, action, { channel: message.channel, messageId });
  return { sent: true, channel: message.channel, messageId };
}

async function recordUnsent(context: Context, recipient: string, reason: string): Promise<StepResult> {
  await record(context, `${recipient}_not_notified`, { reason });
  return { sent: false, reason };
}

async function record(context: Context, action: string, details: Record<string, unknown>) {
  const { deps, workOrder, actor } = context;
  // The time of recording, not of the step's start: the timeline's times never go backwards.
  const event = auditEvent({
    eventId: deps.ids.next('evt'),
    action,
    actor,
    at: deps.clock.now().toISOString(),
    before: workOrder,
    after: workOrder,
  });
  event.changes.details = { after: details };
  await deps.workOrders.appendEvent(event);
}

/** Changes the work order as the workflow, with its audit event; retries if it changed meanwhile. */
async function amend(
  context: Context,
  action: string,
  change: (current: WorkOrder) => WorkOrder | undefined,
): Promise<void> {
  const { deps, actor } = context;
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const before = await deps.workOrders.get(context.workOrder.tenantId, context.workOrder.workOrderId);
    if (!before)
      throw new WorkflowStepError(
        'WorkOrder.NotFound',
        `Work order ${context.workOrder.workOrderId} does not exist`,
      );
    if (before.status === 'cancelled') throw new WorkflowStepError('WorkOrder.Cancelled', cancelledError);
    const changed = change(before);
    if (!changed) return;
    const at = deps.clock.now().toISOString();
    const after = { ...changed, version: before.version + 1, updatedAt: at };
    const event = auditEvent({ eventId: deps.ids.next('evt'), action, actor, at, before, after });
    if (await deps.workOrders.apply({ before, after, event })) return;
  }
  throw new WorkflowStepError(
    'WorkOrder.Transient',
    `Work order ${context.workOrder.workOrderId} kept changing`,
  );
}
