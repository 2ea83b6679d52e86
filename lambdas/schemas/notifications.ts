import { z } from 'zod';
import { messagePurposes, notificationStatuses } from '../domain/notifications/notification.ts';
import { isoDateTime, prefixedId } from './common.ts';
import { customerId, workOrderId } from './work-orders.ts';

const localTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time, HH:mm')
  .meta({ example: '21:00' });

const quietHours = z
  .object({ start: localTime, end: localTime })
  .strict()
  .meta({
    description:
      'Local times (the tenant’s time zone) when no message goes out; may wrap past midnight. Messages due then are held and sent when they end.',
    example: { start: '21:00', end: '08:00' },
  });

const templateTexts = {
  sms: z.string().max(1600).meta({ description: 'The text message' }),
  emailSubject: z.string().max(200),
  emailBody: z.string().max(20_000),
};

const templateChange = z
  .object({
    sms: templateTexts.sms.nullable().optional(),
    emailSubject: templateTexts.emailSubject.nullable().optional(),
    emailBody: templateTexts.emailBody.nullable().optional(),
  })
  .strict()
  .nullable()
  .meta({ description: 'Texts replacing the default; `null` returns a text (or the whole purpose) to it' });

const purposeShape = <T extends z.ZodType>(schema: T) =>
  Object.fromEntries(messagePurposes.map((purpose) => [purpose, schema])) as Record<
    (typeof messagePurposes)[number],
    T
  >;

const smsNumber = z.string().trim().min(3).max(32).meta({
  description:
    'The tenant’s own SMS number: texts go out from it and replies (`STOP`) to it reach the tenant',
  example: '+13125550199',
});

export const messagingSettingsBody = z
  .object({
    templates: z.object(purposeShape(templateChange.optional())).strict().optional().meta({
      description:
        'Per purpose, texts with placeholders such as {customerFirstName}, {tenantName}, {window}, {date}, {technicianFirstName}, {eta}, {link}, {invoiceTotal}, {dueDate}, {note}; a part in [square brackets] is left out when one of its placeholders has no value',
    }),
    quietHours: quietHours.nullable().optional(),
    smsNumber: smsNumber.nullable().optional(),
  })
  .strict()
  .meta({ id: 'MessagingSettingsChange' });

export const messagingSettingsView = z
  .object({
    templates: z.object(
      purposeShape(
        z.object({
          ...templateTexts,
          customized: z.boolean().meta({ description: 'Whether the tenant changed any of its texts' }),
        }),
      ),
    ),
    quietHours: quietHours.optional(),
    smsNumber: z.string().optional(),
    placeholders: z.array(z.string()).meta({ description: 'The placeholders a template may name' }),
  })
  .meta({ id: 'MessagingSettings' });

export const notificationId = prefixedId('ntf');

export const notificationView = z
  .object({
    id: notificationId,
    workOrderId: workOrderId.optional(),
    customerId,
    purpose: z.enum(messagePurposes),
    channel: z.enum(['sms', 'email']),
    recipient: z.string().meta({ description: 'The phone or address, masked', example: '+1•••••••0100' }),
    status: z.enum(notificationStatuses).meta({
      description:
        'sent: handed to the delivery service; held: waiting for the end of quiet hours; suppressed: the customer opted out; failed: not delivered after the last attempt; sending: under way',
    }),
    attempts: z.number().int(),
    subject: z.string().optional(),
    body: z.string(),
    attachments: z.array(z.object({ filename: z.string(), contentType: z.string() })).optional(),
    error: z.string().optional(),
    reason: z.string().optional(),
    messageId: z.string().optional(),
    releaseAt: isoDateTime.optional(),
    sentAt: isoDateTime.optional(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'CustomerNotification' });

export const notificationList = z
  .object({ items: z.array(notificationView) })
  .meta({ id: 'NotificationList' });

export const notificationPage = z
  .object({ items: z.array(notificationView), nextCursor: z.string().optional() })
  .meta({ id: 'NotificationPage' });

export const notificationsQuery = z
  .object({
    status: z.enum(['failed', 'held', 'suppressed', 'sent', 'sending']),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .strict();
