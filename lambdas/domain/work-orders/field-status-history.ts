import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import type { Actor } from '../shared/actor.ts';
import type { WorkOrderAction } from './lifecycle.ts';
import { getWorkOrder } from './queries.ts';
import type { AuditEvent, WorkOrderStatus } from './work-order.ts';

/** One change of the field status: who, when, to what, with the ETA and the reason given. */
export interface FieldStatusChange {
  action: WorkOrderAction;
  status: WorkOrderStatus;
  previousStatus?: WorkOrderStatus;
  at: string;
  actorId: string;
  actorRole: string;
  eta?: string;
  reason?: string;
  /** On resuming work: how long it stood paused. */
  pausedMinutes?: number;
}

/** The actions that change what the technician is doing on the job. */
export const fieldStatusActions: readonly WorkOrderAction[] = [
  'dispatch',
  'startTravel',
  'reportDelay',
  'arrive',
  'startWork',
  'pause',
  'resumeWork',
  'complete',
];

/** The audit trail is read in pages of this size, at most this many pages (a job has far fewer events). */
const pageSize = 100;
const maxPages = 20;

type Change = { before?: unknown; after?: unknown };
const after = <T>(change: Change | undefined): T | undefined => change?.after as T | undefined;

/** The field-status change an audit event records, if it records one. */
function fieldStatusChangeOf(
  event: AuditEvent,
  statusBefore?: WorkOrderStatus,
): FieldStatusChange | undefined {
  const action = event.action as WorkOrderAction;
  if (!fieldStatusActions.includes(action)) return undefined;
  const { changes } = event;
  const status = after<WorkOrderStatus>(changes.status) ?? statusBefore;
  if (!status) return undefined;
  const details = after<{ reason?: string; pausedMinutes?: number }>(changes.details) ?? {};
  const delay = after<{ reason: string; newEta?: string }>(changes.delay);
  const pause = after<{ reason: string }>(changes.pause);
  const eta = delay?.newEta ?? after<string>(changes.eta);
  const reason = delay?.reason ?? pause?.reason ?? details.reason;
  const previousStatus = (changes.status?.before as WorkOrderStatus | undefined) ?? statusBefore;
  return {
    action,
    status,
    ...(previousStatus && previousStatus !== status ? { previousStatus } : {}),
    at: event.at,
    actorId: event.actorId,
    actorRole: event.actorRole,
    ...(eta ? { eta } : {}),
    ...(reason ? { reason } : {}),
    ...(details.pausedMinutes !== undefined ? { pausedMinutes: details.pausedMinutes } : {}),
  };
}

/**
 * The field-status history of a work order, oldest first, from its audit trail: each change
 * of status from dispatch to completion (en route with the ETA, delays with reason and new ETA,
 * arrival, start, pauses with their reason, resumptions), each with who and when.
 */
export async function fieldStatusHistory(
  store: WorkOrderStore,
  actor: Actor,
  workOrderId: string,
): Promise<FieldStatusChange[]> {
  await getWorkOrder(store, actor, workOrderId);
  const changes: FieldStatusChange[] = [];
  let status: WorkOrderStatus | undefined;
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const events = await store.timeline(actor.tenantId, workOrderId, {
      limit: pageSize,
      ...(cursor ? { cursor } : {}),
    });
    for (const event of events.items) {
      const change = fieldStatusChangeOf(event, status);
      if (change) changes.push(change);
      status = after<WorkOrderStatus>(event.changes.status) ?? status;
    }
    cursor = events.nextCursor;
    if (!cursor) break;
  }
  return changes;
}
