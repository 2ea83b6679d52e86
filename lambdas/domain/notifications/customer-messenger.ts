import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { NotificationLog } from '../../ports/notification-log.ts';
import type { Notifier } from '../../ports/notifier.ts';
import type { Scheduler } from '../../ports/scheduler.ts';
import type { MessageReleasePayload } from '../../schemas/schedule-payloads.ts';
import type { FailureKind } from '../../shared/operational-metrics.ts';
import type { Customer, Tenant } from '../customers/customer.ts';
import { wallClockOf } from '../shared/schedule-time.ts';
import type { AuditEvent } from '../work-orders/work-order.ts';
import { addressFor, channelsFor, maskAddress } from './contact-channels.ts';
import { firstNameOf, renderTemplate, templateFor } from './message-templates.ts';
import type {
  CustomerNotification,
  MessageAttachment,
  MessageChannel,
  MessagePurpose,
  MessageStatus,
} from './notification.ts';
import { quietHoursEnd } from './quiet-hours.ts';

export type { MessagePurpose, MessageStatus } from './notification.ts';

export interface CustomerMessageRequest {
  tenant: Tenant;
  customer: Customer;
  purpose: MessagePurpose;
  /** The message is logged on this work order when given (else on the customer). */
  workOrderId?: string;
  /**
   * Template values for this purpose (`window`, `date`, `service`, `technicianFirstName`, `eta`,
   * `link`, `note`, `invoiceNumber`, `invoiceTotal`, `dueDate`, `details`…); the messenger adds
   * `customerFirstName`, `customerName` and `tenantName` itself.
   */
  values: Record<string, string | undefined>;
  /** Unique per intended message (`reminder-${workOrderId}-${scheduledStart}`): a repeat sends nothing again. */
  dedupeKey: string;
  /** Sent with the email only (a `text/calendar` appointment). */
  attachments?: MessageAttachment[];
}

export interface MessageOutcome {
  channel: MessageChannel;
  notificationId: string;
  status: MessageStatus | 'duplicate';
  reason?: string;
  /** The delivery service's message id, when sent. */
  messageId?: string;
}

export interface CustomerMessengerDependencies {
  notifier: Notifier;
  notifications: NotificationLog;
  scheduler: Scheduler;
  clock: Clock;
  ids: IdGenerator;
  /**
   * Tells the office (alarm, log) that a message could not be delivered; a delivery that failed
   * every attempt is reported as a `customer-message`, which the operators count on its own.
   */
  reportFailure: (message: string, error: unknown, kind?: FailureKind) => void;
  /** Waits between delivery attempts; tests pass one that does not wait. */
  pause?: (milliseconds: number) => Promise<void>;
}

/** Delivery attempts per message, and the waits between them. */
export const deliveryAttempts = 3;
const retryDelaysMs = [500, 2000];

const defaultPause = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** The name of the schedule that releases a held message (moved, never doubled, when held again). */
export const releaseScheduleName = (notificationId: string) => `message-release-${notificationId}`;

/**
 * Tells a customer something by the channels they are reached by, once per `dedupeKey`:
 * 1. Picks the channels: the customer's preferred one, else every channel on file.
 * 2. Renders the tenant's template of the purpose (the default where it set none) with the values.
 * 3. Per channel, records the message in the log (on the work order, else the customer) on the
 *    condition that no message with the same dedupe key and channel exists: a repeat is a
 *    `duplicate` and sends nothing.
 * 4. A channel the customer opted out of is `suppressed`; during quiet hours (the tenant's, and
 *    the customer's own) the message is `held` and a one-time schedule releases it when they end.
 * 5. Otherwise sends it, trying up to three times; the last failure is logged `failed` with an
 *    audit event on the work order, and reported to the office. Failures never throw: the caller's
 *    own work (a booking, an invoice) goes on.
 */
export async function messageCustomer(
  deps: CustomerMessengerDependencies,
  request: CustomerMessageRequest,
): Promise<MessageOutcome[]> {
  const { tenant, customer, purpose } = request;
  const now = deps.clock.now();
  const template = templateFor(tenant.messaging, purpose);
  const values = {
    ...request.values,
    customerFirstName: firstNameOf(customer.name) ?? '',
    customerName: customer.name,
    tenantName: tenant.name,
  };
  const releaseAt = heldUntil(tenant, customer, now);
  const outcomes: MessageOutcome[] = [];
  for (const channel of channelsFor(customer)) {
    const address = addressFor(customer, channel);
    if (!address) continue;
    const attachments = channel === 'email' ? request.attachments : undefined;
    const optedOutAt = customer.optedOut?.[channel];
    const notification: CustomerNotification = {
      tenantId: tenant.tenantId,
      notificationId: deps.ids.next('ntf'),
      customerId: customer.customerId,
      ...(request.workOrderId ? { workOrderId: request.workOrderId } : {}),
      purpose,
      channel,
      dedupeKey: request.dedupeKey,
      address,
      recipient: maskAddress(channel, address),
      // An SMS shows no subject; it is kept all the same, to name the message in the log and outbox.
      subject: renderTemplate(template.emailSubject, values),
      body: renderTemplate(channel === 'sms' ? template.sms : template.emailBody, values),
      ...(attachments?.length ? { attachments } : {}),
      status: optedOutAt ? 'suppressed' : releaseAt ? 'held' : 'sending',
      attempts: 0,
      ...(optedOutAt
        ? { reason: `opted out of ${channel === 'sms' ? 'SMS' : 'email'} on ${optedOutAt}` }
        : {}),
      ...(!optedOutAt && releaseAt ? { reason: 'quiet hours', releaseAt: releaseAt.toISOString() } : {}),
      version: 1,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    outcomes.push(await recordAndSend(deps, notification, tenant));
  }
  return outcomes;
}

async function recordAndSend(
  deps: CustomerMessengerDependencies,
  notification: CustomerNotification,
  tenant: Tenant,
): Promise<MessageOutcome> {
  const { channel, notificationId } = notification;
  // The release is arranged before the message is recorded, so a held message always has one;
  // a duplicate's is taken back.
  if (notification.status === 'held') await scheduleRelease(deps, notification, tenant.timeZone);
  if (!(await deps.notifications.create(notification))) {
    if (notification.status === 'held') await deps.scheduler.delete(releaseScheduleName(notificationId));
    const existing = await deps.notifications.findByDedupeKey(
      notification.tenantId,
      notification.dedupeKey,
      channel,
    );
    return {
      channel,
      notificationId: existing?.notificationId ?? notificationId,
      status: 'duplicate',
      reason: `already ${existing?.status ?? 'recorded'} under ${notification.dedupeKey}`,
    };
  }
  if (notification.status !== 'sending') {
    return {
      channel,
      notificationId,
      status: notification.status,
      ...(notification.reason ? { reason: notification.reason } : {}),
    };
  }
  return deliver(deps, notification, tenant.messaging?.smsNumber);
}

/**
 * Sends a recorded message (`sending`), up to three attempts, and records what became of it.
 * A message that cannot be delivered is `failed`, with the error, an audit event on its work
 * order in the same write, and a report to the office.
 */
export async function deliver(
  deps: CustomerMessengerDependencies,
  notification: CustomerNotification,
  smsNumber?: string,
): Promise<MessageOutcome> {
  const pause = deps.pause ?? defaultPause;
  const { channel, notificationId } = notification;
  let lastError: unknown;
  for (let attempt = 1; attempt <= deliveryAttempts; attempt += 1) {
    try {
      const { messageId } = await deps.notifier.send({
        tenantId: notification.tenantId,
        channel,
        to: notification.address,
        ...(channel === 'sms' && smsNumber ? { from: smsNumber } : {}),
        ...(notification.subject !== undefined ? { subject: notification.subject } : {}),
        body: notification.body,
        ...(notification.workOrderId ? { workOrderId: notification.workOrderId } : {}),
        ...(notification.attachments ? { attachments: notification.attachments } : {}),
      });
      const at = deps.clock.now().toISOString();
      await save(deps, notification, {
        status: 'sent',
        attempts: attempt,
        messageId,
        sentAt: at,
      });
      return { channel, notificationId, status: 'sent', messageId };
    } catch (error) {
      lastError = error;
      if (attempt < deliveryAttempts) await pause(retryDelaysMs[attempt - 1] ?? 2000);
    }
  }
  const reason = errorText(lastError);
  const at = deps.clock.now().toISOString();
  const event: AuditEvent | undefined = notification.workOrderId
    ? {
        tenantId: notification.tenantId,
        workOrderId: notification.workOrderId,
        eventId: deps.ids.next('evt'),
        action: 'customer_message_failed',
        actorId: 'messenger',
        actorRole: 'system',
        at,
        changes: {
          details: {
            after: {
              notificationId,
              purpose: notification.purpose,
              channel,
              recipient: notification.recipient,
              attempts: deliveryAttempts,
              error: reason,
            },
          },
        },
      }
    : undefined;
  await save(deps, notification, { status: 'failed', attempts: deliveryAttempts, error: reason }, event);
  deps.reportFailure(
    `The ${notification.purpose} message ${notificationId} by ${channel} to ${notification.recipient} could not be delivered`,
    Object.assign(new Error(reason), { name: lastError instanceof Error ? lastError.name : 'Error' }),
    'customer-message',
  );
  return { channel, notificationId, status: 'failed', reason };
}

/** Records what became of a message; a record that changed meanwhile is reported, not overwritten. */
async function save(
  deps: CustomerMessengerDependencies,
  notification: CustomerNotification,
  changes: Partial<CustomerNotification>,
  event?: AuditEvent,
): Promise<CustomerNotification> {
  const next: CustomerNotification = {
    ...notification,
    ...changes,
    version: notification.version + 1,
    updatedAt: deps.clock.now().toISOString(),
  };
  if (!(await deps.notifications.update(next, notification.version, event))) {
    deps.reportFailure(
      `The message log entry ${notification.notificationId} changed while its delivery was recorded`,
      new Error(`status ${changes.status ?? notification.status} not recorded`),
    );
  }
  return next;
}

async function scheduleRelease(
  deps: Pick<CustomerMessengerDependencies, 'scheduler'>,
  notification: CustomerNotification,
  timeZone: string,
) {
  if (!notification.releaseAt) return;
  const payload: MessageReleasePayload = {
    kind: 'message-release',
    tenantId: notification.tenantId,
    notificationId: notification.notificationId,
    customerId: notification.customerId,
    ...(notification.workOrderId ? { workOrderId: notification.workOrderId } : {}),
  };
  await deps.scheduler.put({
    name: releaseScheduleName(notification.notificationId),
    at: wallClockOf(new Date(notification.releaseAt), timeZone),
    timeZone,
    payload: { ...payload },
  });
}

/**
 * Until when a message now must wait: the end of the quiet hours it falls in, the tenant's and
 * the customer's own (the later end when both apply); undefined when it may go now.
 */
export function heldUntil(
  tenant: Pick<Tenant, 'messaging' | 'timeZone'>,
  customer: Pick<Customer, 'contactPreferences'>,
  now: Date,
): Date | undefined {
  const ends = [
    quietHoursEnd(tenant.messaging?.quietHours, now, tenant.timeZone),
    quietHoursEnd(customer.contactPreferences?.quietHours, now, tenant.timeZone),
  ].filter((end): end is Date => end !== undefined);
  if (ends.length === 0) return undefined;
  return new Date(Math.max(...ends.map((end) => end.getTime())));
}

export interface ReleaseDependencies extends CustomerMessengerDependencies {
  directory: {
    getTenant(tenantId: string): Promise<Tenant | undefined>;
    getCustomer(tenantId: string, customerId: string): Promise<Customer | undefined>;
  };
}

/**
 * Sends a held message at the end of quiet hours (the `message-release` schedule):
 * 1. Nothing to do unless the message is still `held` (a repeated schedule sends it once).
 * 2. A customer who opted out of the channel meanwhile: `suppressed`.
 * 3. Still in quiet hours (the hours changed, or the customer's own last longer): held again,
 *    the schedule moved to their end.
 * 4. Otherwise marked `sending` on the version read (so two releases cannot both send) and
 *    delivered to the customer's current phone or address for the channel.
 */
export async function releaseHeldMessage(
  deps: ReleaseDependencies,
  payload: MessageReleasePayload,
): Promise<MessageOutcome | undefined> {
  const held = await deps.notifications.get(payload);
  if (held?.status !== 'held') return undefined;
  const [tenant, customer] = await Promise.all([
    deps.directory.getTenant(payload.tenantId),
    deps.directory.getCustomer(payload.tenantId, held.customerId),
  ]);
  const { channel, notificationId } = held;
  const now = deps.clock.now();
  const address = customer ? addressFor(customer, channel) : undefined;
  const optedOutAt = customer?.optedOut?.[channel];
  if (!tenant || !customer || !address || optedOutAt) {
    const reason = optedOutAt
      ? `opted out of ${channel === 'sms' ? 'SMS' : 'email'} on ${optedOutAt}`
      : `no ${channel === 'sms' ? 'phone' : 'email'} on file any more`;
    await save(deps, held, { status: 'suppressed', reason });
    return { channel, notificationId, status: 'suppressed', reason };
  }
  const stillQuiet = heldUntil(tenant, customer, now);
  if (stillQuiet) {
    const next = await save(deps, held, { releaseAt: stillQuiet.toISOString() });
    await scheduleRelease(deps, next, tenant.timeZone);
    return { channel, notificationId, status: 'held', reason: 'quiet hours' };
  }
  const sending: CustomerNotification = {
    ...held,
    address,
    recipient: maskAddress(channel, address),
    status: 'sending',
    version: held.version + 1,
    updatedAt: now.toISOString(),
  };
  if (!(await deps.notifications.update(sending, held.version))) return undefined;
  return deliver(deps, sending, tenant.messaging?.smsNumber);
}

/**
 * A delivery error as the log keeps it: name and message, at most 500 characters, with any phone
 * number or email address a provider put in it masked (logs carry neither in full).
 */
function errorText(error: unknown): string {
  const text = (error instanceof Error ? `${error.name}: ${error.message}` : String(error))
    .replace(/\+?\d[\d\s().-]{6,}\d/g, (number) => `•••${number.slice(-4)}`)
    .replace(/[^\s@<>"',;]+@[^\s@<>"',;]+/g, (address) => `•••@${address.split('@')[1]}`);
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}
