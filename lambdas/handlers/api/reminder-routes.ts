import {
  followUpReminderBody,
  followUpReminderView,
  reminderIdParams,
  remindersQuery,
} from '../../schemas/follow-up-reminders.ts';
import { emptyBody, pageOf, workOrderIdParams } from '../../schemas/work-orders.ts';
import { office } from '../../shared/roles.ts';
import { defineRoute } from './route-definition.ts';

/** Follow-up reminders: a task and/or a customer message on a later day, set from done work or a recommendation. */
export const reminderRoutes = [
  defineRoute({
    operationId: 'setFollowUpReminder',
    method: 'POST',
    path: '/v1/work-orders/{id}/reminders',
    summary:
      'Set a follow-up reminder in so many months or on a day: an office task and/or a customer message at 09:00 local',
    tags: ['reminders'],
    function: 'reminders',
    auth: { roles: office },
    request: { params: workOrderIdParams, body: followUpReminderBody },
    responses: { 201: { description: 'The reminder, pending', schema: followUpReminderView } },
  }),
  defineRoute({
    operationId: 'listWorkOrderReminders',
    method: 'GET',
    path: '/v1/work-orders/{id}/reminders',
    summary: 'The follow-up reminders of a work order, oldest first',
    tags: ['reminders'],
    function: 'reminders',
    auth: { roles: office },
    request: { params: workOrderIdParams },
    responses: {
      200: { description: 'The reminders', schema: pageOf(followUpReminderView, 'FollowUpReminderList') },
    },
  }),
  defineRoute({
    operationId: 'listReminders',
    method: 'GET',
    path: '/v1/reminders',
    summary: "The tenant's follow-up reminders of a status (pending unless given), soonest due first",
    tags: ['reminders'],
    function: 'reminders',
    auth: { roles: office },
    request: { query: remindersQuery },
    responses: {
      200: {
        description: 'A page of reminders',
        schema: pageOf(followUpReminderView, 'FollowUpReminderPage'),
      },
    },
  }),
  defineRoute({
    operationId: 'cancelFollowUpReminder',
    method: 'POST',
    path: '/v1/reminders/{id}/cancel',
    summary: 'Cancel a pending follow-up reminder: nothing fires',
    tags: ['reminders'],
    function: 'reminders',
    auth: { roles: office },
    request: { params: reminderIdParams, body: emptyBody },
    responses: { 200: { description: 'The reminder, cancelled', schema: followUpReminderView } },
  }),
] as const;
