import {
  messagingSettingsBody,
  messagingSettingsView,
  notificationList,
  notificationPage,
  notificationsQuery,
} from '../../schemas/notifications.ts';
import { workOrderIdParams } from '../../schemas/work-orders.ts';
import { everyone, office, type Role } from '../../shared/roles.ts';
import { defineRoute } from './route-definition.ts';

const admin: Role[] = ['admin'];

/** Customer messages: the tenant's templates and quiet hours, and the log of what was sent. */
export const notificationRoutes = [
  defineRoute({
    operationId: 'getMessagingSettings',
    method: 'GET',
    path: '/v1/settings/messages',
    summary: 'The customer message templates in effect for every purpose, quiet hours and SMS number',
    tags: ['notifications'],
    function: 'notifications',
    auth: { roles: office },
    responses: { 200: { description: 'The settings', schema: messagingSettingsView } },
  }),
  defineRoute({
    operationId: 'updateMessagingSettings',
    method: 'PATCH',
    path: '/v1/settings/messages',
    summary: 'Change message templates (null returns one to the default), quiet hours or the SMS number',
    tags: ['notifications'],
    function: 'notifications',
    auth: { roles: admin },
    request: { body: messagingSettingsBody },
    responses: { 200: { description: 'The settings after the change', schema: messagingSettingsView } },
  }),
  defineRoute({
    operationId: 'listWorkOrderNotifications',
    method: 'GET',
    path: '/v1/work-orders/{id}/notifications',
    summary: 'The messages sent to the customer about a work order, with their delivery status, oldest first',
    tags: ['notifications'],
    function: 'notifications',
    // Technicians see those of the work orders assigned to them.
    auth: { roles: everyone },
    request: { params: workOrderIdParams },
    responses: { 200: { description: 'The messages', schema: notificationList } },
  }),
  defineRoute({
    operationId: 'listNotifications',
    method: 'GET',
    path: '/v1/notifications',
    summary: 'The tenant’s customer messages of a status (failed, held…), newest first',
    tags: ['notifications'],
    function: 'notifications',
    auth: { roles: office },
    request: { query: notificationsQuery },
    responses: { 200: { description: 'A page of messages', schema: notificationPage } },
  }),
] as const;
