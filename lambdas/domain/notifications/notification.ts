import type { TimeRange } from '../customers/customer.ts';

/** Why the customer is being told something; each purpose has its own template. */
export const messagePurposes = [
  'confirmation',
  'reminder',
  'en_route',
  'completion',
  'invoice',
  'overdue',
  'follow_up',
] as const;

export type MessagePurpose = (typeof messagePurposes)[number];

export type MessageChannel = 'sms' | 'email';

/**
 * Where a message stands: `sent` handed to the delivery service; `held` waiting for the end of
 * the tenant's quiet hours; `suppressed` not sent because the customer opted out of the channel;
 * `failed` not delivered after the last attempt.
 */
export type MessageStatus = 'sent' | 'held' | 'suppressed' | 'failed';

export const messageStatuses: readonly MessageStatus[] = ['sent', 'held', 'suppressed', 'failed'];

/** A message's status in the log: `sending` while its delivery is under way. */
export type NotificationStatus = MessageStatus | 'sending';

export const notificationStatuses: readonly NotificationStatus[] = [...messageStatuses, 'sending'];

export interface MessageAttachment {
  filename: string;
  contentType: string;
  /** The attachment's text (an `.ics` calendar entry). */
  content: string;
}

/** What finds a message in the log: the work order's item collection, else the customer's. */
export interface NotificationReference {
  tenantId: string;
  notificationId: string;
  customerId: string;
  workOrderId?: string;
}

/** One message to one customer by one channel, and what became of it. */
export interface CustomerNotification {
  tenantId: string;
  /** `ntf_…` */
  notificationId: string;
  customerId: string;
  /** The work order the message is about; its item collection holds the log entry. */
  workOrderId?: string;
  purpose: MessagePurpose;
  channel: MessageChannel;
  /** Unique per intended message and channel: a repeat is not sent again. */
  dedupeKey: string;
  /** The address or phone the message goes to (kept for a held message's release). */
  address: string;
  /** The address or phone as the office sees it in the log: `+1•••••••4567`, `j•••@example.com`. */
  recipient: string;
  subject?: string;
  body: string;
  attachments?: MessageAttachment[];
  status: NotificationStatus;
  /** Delivery attempts made so far. */
  attempts: number;
  /** The last delivery error, for a failed message. */
  error?: string;
  /** Why it was held or suppressed. */
  reason?: string;
  /** The delivery service's message id once sent. */
  messageId?: string;
  /** When a held message is released (ISO with offset). */
  releaseAt?: string;
  sentAt?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A message's text for one channel: SMS uses only the body. */
export interface MessageTemplate {
  sms: string;
  emailSubject: string;
  emailBody: string;
}

/** A tenant's overrides of the default templates, by purpose, and its quiet hours. */
export interface MessagingSettings {
  templates?: Partial<Record<MessagePurpose, Partial<MessageTemplate>>>;
  /** Local times in the tenant's time zone when no message goes out (may wrap past midnight). */
  quietHours?: TimeRange;
  /**
   * The tenant's own SMS number (E.164): texts go out from it, and replies to it (`STOP`) reach
   * the tenant's customers. Without one, texts go out from the platform's number.
   */
  smsNumber?: string;
}
