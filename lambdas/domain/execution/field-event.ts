import type { IdGenerator } from '../../ports/id-generator.ts';
import type { Actor } from '../shared/actor.ts';
import type { AuditEvent } from '../work-orders/work-order.ts';

/**
 * The audit event of a record added to a work order (a timer, a message, a recommendation,
 * a task): who, when, which action, and what was recorded as `details`. Work-order fields do
 * not change, so `changes` holds only the details, or the record's fields that did.
 */
export function fieldEvent(
  ids: IdGenerator,
  actor: Actor,
  workOrder: { tenantId: string; workOrderId: string },
  action: string,
  at: string,
  changes: AuditEvent['changes'],
): AuditEvent {
  return {
    tenantId: workOrder.tenantId,
    workOrderId: workOrder.workOrderId,
    eventId: ids.next('evt'),
    action,
    actorId: actor.id,
    actorRole: actor.role,
    at,
    changes,
  };
}

/** `changes` of an event that records what was added. */
export const detailsOf = (details: object): AuditEvent['changes'] => ({ details: { after: details } });
