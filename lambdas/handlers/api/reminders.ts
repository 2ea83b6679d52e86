import {
  clock,
  directoryStore,
  fieldWorkStore,
  followUpReminderStore,
  idempotencyStore,
  ids,
  scheduler,
  tenantWriteLimiter,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import {
  cancelFollowUpReminder,
  type FollowUpReminder,
  type FollowUpReminderDependencies,
  listFollowUpReminders,
  remindersOfWorkOrder,
  setFollowUpReminder,
} from '../../domain/work-orders/follow-up-reminders.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { reminderRoutes } from './reminder-routes.ts';

const dependencies = (): FollowUpReminderDependencies => ({
  workOrders: workOrderStore(),
  directory: directoryStore(),
  recommendations: fieldWorkStore(),
  reminders: followUpReminderStore(),
  scheduler: scheduler(),
  clock,
  ids,
});

/** The API's view of a reminder: no tenant, no who-set-it role. */
const toReminderView = ({
  tenantId: _tenant,
  reminderId,
  creatorRole: _role,
  updatedAt: _updated,
  ...reminder
}: FollowUpReminder) => ({ id: reminderId, ...reminder });

export const handler = apiHandler(
  'reminders',
  reminderRoutes,
  {
    setFollowUpReminder: async ({ actor, params, body }) => {
      const { in: after, on, note, createTask, messageCustomer, recommendationId } = body;
      const reminder = await setFollowUpReminder(dependencies(), actor, params.id, {
        when: after ? { months: after.months } : { on: on ?? '' },
        ...(note ? { note } : {}),
        createTask,
        messageCustomer,
        ...(recommendationId ? { recommendationId } : {}),
      });
      return {
        status: 201,
        body: toReminderView(reminder),
        headers: { location: `/v1/work-orders/${params.id}/reminders` },
      };
    },
    listWorkOrderReminders: async ({ actor, params }) => ({
      status: 200,
      body: { items: (await remindersOfWorkOrder(dependencies(), actor, params.id)).map(toReminderView) },
    }),
    listReminders: async ({ actor, query }) => {
      const { status, limit, cursor } = query;
      const page = await listFollowUpReminders(dependencies(), actor, status, {
        limit,
        ...(cursor ? { cursor } : {}),
      });
      return {
        status: 200,
        body: {
          items: page.items.map(toReminderView),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
      };
    },
    cancelFollowUpReminder: async ({ actor, params }) => ({
      status: 200,
      body: toReminderView(await cancelFollowUpReminder(dependencies(), actor, params.id)),
    }),
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
