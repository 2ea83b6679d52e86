import type { DurationBasis } from '../catalog/duration-estimate.ts';
import type { Actor } from '../shared/actor.ts';
import type { WarrantyCoverage } from './warranty.ts';

export type WorkOrderStatus =
  | 'new'
  | 'scheduled'
  | 'dispatched'
  | 'en_route'
  | 'arrived'
  | 'in_progress'
  /** Work stopped on site for a while (waiting for parts, customer away, lunch); `pause` says why. */
  | 'paused'
  | 'completed'
  | 'invoiced'
  | 'paid'
  | 'on_hold'
  | 'cancelled'
  | 'needs_attention';

export type Priority = 'routine' | 'urgent' | 'emergency';

export interface Signature {
  signerName: string;
  signedAt: string;
  /** The SHA-256 of the work summary the customer was shown and signed (`work-summary.ts`). */
  summaryHash?: string;
  /** The signature as drawn: strokes of `[x, y]` points, y growing downwards as on a screen. */
  strokes?: [number, number][][];
  /** The signature image in the bucket, when one was uploaded instead (PNG). */
  imageKey?: string;
}

/** A visit slot proposed to the office: when the visit would start, with whom, and its ranking score (0–100). */
export interface SuggestedSlot {
  start: string;
  technicianId: string;
  score: number;
}

/** Why and since when work on site stands still, and the on-site status it resumes to. */
export interface WorkPause {
  reason: string;
  at: string;
  from: 'arrived' | 'in_progress';
}

export interface WorkOrder {
  tenantId: string;
  workOrderId: string;
  customerId: string;
  locationId?: string;
  serviceTypeId?: string;
  description: string;
  priority: Priority;
  status: WorkOrderStatus;
  accessNotes?: string;
  /** In the customer's words, for the technician: what to do or avoid on site. */
  specialInstructions?: string;
  estimatedScope?: string;
  /** The equipment the job is about, and whether its warranty covers the job. */
  equipmentId?: string;
  warranty?: WarrantyCoverage;
  estimatedMinutes?: number;
  /** Where `estimatedMinutes` came from: the catalogue, or the tenant's past jobs of the type. */
  durationBasis?: DurationBasis;
  requiredSkills?: string[];
  scheduledStart?: string;
  scheduledEnd?: string;
  /** The local day of `scheduledStart` in the tenant's time zone (`YYYY-MM-DD`). */
  scheduledDate?: string;
  /** The arrival window the customer was promised (the tenant's window the start falls in). */
  arrivalWindow?: { start: string; end: string };
  /** The visit start the customer's last confirmation named. */
  confirmedStart?: string;
  technicianId?: string;
  eta?: string;
  delay?: { reason: string; newEta?: string; at: string };
  /** While `paused`: why, since when, and the status work resumes to. */
  pause?: WorkPause;
  /** The minutes work stood paused on site, added up at each resumption. */
  pausedMinutes?: number;
  /** When the technician arrived on site; with `completedAt` it measures the job. */
  arrivedAt?: string;
  /** The status to return to when a hold ends. */
  heldFrom?: WorkOrderStatus;
  holdReason?: string;
  cancelReason?: string;
  noteCount?: number;
  laborMinutes?: number;
  /** Labor timers running on the job, kept by the timers' own writes: completion waits for none. */
  runningTimers?: number;
  /** The parts in use (net of corrections) and their cost and price, minor units; kept up by part usages. */
  partCount?: number;
  partsCost?: number;
  partsPrice?: number;
  signature?: Signature;
  noSignatureReason?: string;
  followUpRequest?: { description: string; priority: Priority; workOrderId: string };
  followUpOf?: string;
  /** A visit of a service agreement's plan: the agreement and the visit's local day (`YYYY-MM-DD`). */
  agreementId?: string;
  occurrence?: string;
  /** The slot the ranking suggested when the agreement created it, for the office to confirm by booking it. */
  suggestedSlot?: SuggestedSlot;
  /**
   * A job of several visits is a chain of work orders: each names the job (its first visit's
   * id), its place in it, and the visits before and after it.
   */
  jobId?: string;
  visitNumber?: number;
  previousVisitId?: string;
  nextVisitId?: string;
  /** Work orders linked to this one by the office; each link is kept on both sides. */
  relatedWorkOrderIds?: string[];
  followUpWorkOrderIds?: string[];
  summary?: string;
  /** The completion report (PDF) in the bucket, written by the workflow from the summary. */
  completionReportKey?: string;
  invoiceId?: string;
  completedAt?: string;
  paidAt?: string;
  /** The execution's current waiting state, `Starting` until its first state records itself. */
  workflowState: string;
  workflowStateSince: string;
  /** The task token of the waiting state (DESIGN §5); never shown to clients. */
  taskToken?: string;
  /** The statuses the waiting state waits through; a transition out of them answers it. */
  waitingWhile?: WorkOrderStatus[];
  createdBy: string;
  /** Optimistic concurrency: every write checks and increments it. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface FieldChange {
  before?: unknown;
  after?: unknown;
}

/** One line of the audit trail: who did what, when, and what changed. */
export interface AuditEvent {
  tenantId: string;
  workOrderId: string;
  eventId: string;
  action: string;
  actorId: string;
  actorRole: string;
  at: string;
  changes: Record<string, FieldChange>;
}

const auditedFields = [
  'customerId',
  'locationId',
  'serviceTypeId',
  'description',
  'priority',
  'status',
  'accessNotes',
  'specialInstructions',
  'estimatedScope',
  'equipmentId',
  'warranty',
  'estimatedMinutes',
  'durationBasis',
  'scheduledStart',
  'scheduledEnd',
  'arrivalWindow',
  'technicianId',
  'eta',
  'delay',
  'pause',
  'pausedMinutes',
  'holdReason',
  'cancelReason',
  'signature',
  'noSignatureReason',
  'followUpRequest',
  'followUpWorkOrderIds',
  'relatedWorkOrderIds',
  'agreementId',
  'occurrence',
  'suggestedSlot',
  'jobId',
  'visitNumber',
  'previousVisitId',
  'nextVisitId',
  'summary',
  'completionReportKey',
  'invoiceId',
] as const satisfies readonly (keyof WorkOrder)[];

/** The audited fields that differ between two versions of a work order (before is empty for a new one). */
export function changedFields(
  before: Partial<WorkOrder>,
  after: Partial<WorkOrder>,
): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const field of auditedFields) {
    // Values are plain JSON (strings, numbers, small maps and lists): compare them as such.
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) {
      changes[field] = { before: auditedValue(before, field), after: auditedValue(after, field) };
    }
  }
  return changes;
}

/**
 * A field's value as the audit trail keeps it: a signature's pen strokes (up to thousands of
 * points) are recorded as their count; the summary hash they signed stays.
 */
function auditedValue(workOrder: Partial<WorkOrder>, field: (typeof auditedFields)[number]): unknown {
  const value = workOrder[field];
  if (field !== 'signature' || !workOrder.signature?.strokes) return value;
  const { strokes, ...signature } = workOrder.signature;
  return { ...signature, strokeCount: strokes.length };
}

export function auditEvent(input: {
  eventId: string;
  action: string;
  actor: Actor;
  at: string;
  before: Partial<WorkOrder>;
  after: WorkOrder;
}): AuditEvent {
  return {
    tenantId: input.after.tenantId,
    workOrderId: input.after.workOrderId,
    eventId: input.eventId,
    action: input.action,
    actorId: input.actor.id,
    actorRole: input.actor.role,
    at: input.at,
    changes: changedFields(input.before, input.after),
  };
}
