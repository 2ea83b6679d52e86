import type { Clock } from '../../ports/clock.ts';
import type { WorkOrderMessageStore } from '../../ports/field-work-store.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { Page, WorkOrderStore } from '../../ports/work-order-store.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import { getWorkOrder } from '../work-orders/queries.ts';
import { detailsOf, fieldEvent } from './field-event.ts';

/** A message between the office and the technician on a work order. */
export interface WorkOrderMessage {
  tenantId: string;
  workOrderId: string;
  /** A ULID: messages sort by it in the order they were written. */
  messageId: string;
  text: string;
  authorId: string;
  authorRole: string;
  /** The technician who wrote it, when a technician did. */
  technicianId?: string;
  at: string;
}

export interface MessageDependencies {
  workOrders: WorkOrderStore;
  messages: WorkOrderMessageStore;
  clock: Clock;
  ids: IdGenerator;
}

/**
 * Posts a message on a work order, from the office or its assigned technician.
 * 1. The work order must be visible to the actor: a technician not assigned to it gets 404.
 * 2. The message gets its time and its ULID id in the same step, so id order is time order;
 *    each message is an item of its own, so concurrent messages never overwrite each other.
 * 3. It is written with its audit event.
 */
export async function postMessage(
  dependencies: MessageDependencies,
  actor: Actor,
  workOrderId: string,
  text: string,
): Promise<WorkOrderMessage> {
  const { workOrders, messages, clock, ids } = dependencies;
  const workOrder = await getWorkOrder(workOrders, actor, workOrderId);
  const at = clock.now().toISOString();
  const message: WorkOrderMessage = {
    tenantId: workOrder.tenantId,
    workOrderId,
    messageId: ids.next('msg'),
    text,
    authorId: actor.id,
    authorRole: actor.role,
    ...(actor.technicianId ? { technicianId: actor.technicianId } : {}),
    at,
  };
  const event = fieldEvent(
    ids,
    actor,
    workOrder,
    'message_posted',
    at,
    detailsOf({ messageId: message.messageId, text }),
  );
  if ((await messages.addMessage(message, event)) !== 'written')
    throw new NotFoundError('Work order', workOrderId);
  return message;
}

/** The messages of a work order the actor may see, oldest first. */
export async function listMessages(
  dependencies: Pick<MessageDependencies, 'workOrders' | 'messages'>,
  actor: Actor,
  workOrderId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<WorkOrderMessage>> {
  await getWorkOrder(dependencies.workOrders, actor, workOrderId);
  return dependencies.messages.messages(actor.tenantId, workOrderId, page);
}
