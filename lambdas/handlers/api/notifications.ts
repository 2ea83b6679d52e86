import {
  clock,
  idempotencyStore,
  messagingSettingsStore,
  notificationLog,
  tenantWriteLimiter,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import { notificationsByStatus, workOrderNotifications } from '../../domain/notifications/message-log.ts';
import {
  getMessagingSettings,
  updateMessagingSettings,
} from '../../domain/notifications/messaging-settings.ts';
import type { CustomerNotification } from '../../domain/notifications/notification.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { notificationRoutes } from './notification-routes.ts';

/** The API's view of a logged message: the recipient masked, attachments by name only. */
const toNotificationView = ({
  tenantId: _tenant,
  notificationId,
  dedupeKey: _dedupeKey,
  address: _address,
  version: _version,
  attachments,
  ...notification
}: CustomerNotification) => ({
  id: notificationId,
  ...notification,
  ...(attachments
    ? { attachments: attachments.map(({ filename, contentType }) => ({ filename, contentType })) }
    : {}),
});

export const handler = apiHandler(
  'notifications',
  notificationRoutes,
  {
    getMessagingSettings: async ({ actor }) => ({
      status: 200,
      body: await getMessagingSettings(messagingSettingsStore(), actor),
    }),
    updateMessagingSettings: async ({ actor, body }) => ({
      status: 200,
      body: await updateMessagingSettings({ settings: messagingSettingsStore(), clock }, actor, body),
    }),
    listWorkOrderNotifications: async ({ actor, params }) => ({
      status: 200,
      body: {
        items: (
          await workOrderNotifications(
            { workOrders: workOrderStore(), notifications: notificationLog() },
            actor,
            params.id,
          )
        ).map(toNotificationView),
      },
    }),
    listNotifications: async ({ actor, query }) => {
      const page = await notificationsByStatus({ notifications: notificationLog() }, actor, query.status, {
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return {
        status: 200,
        body: {
          items: page.items.map(toNotificationView),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
      };
    },
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
