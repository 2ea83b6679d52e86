import {
  clock,
  directoryStore,
  eventPublisher,
  fieldWorkStore,
  followUpTaskStore,
  idempotencyStore,
  ids,
  photoStore,
  tenantWriteLimiter,
  workOrderDependencies,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import type { LaborEntry } from '../../domain/execution/field-records.ts';
import {
  type LaborTimer,
  laborOf,
  startLaborTimer,
  stopLaborTimer,
} from '../../domain/execution/labor-timers.ts';
import {
  addRecommendation,
  decideRecommendation,
  listRecommendations,
  type Recommendation,
} from '../../domain/execution/recommendations.ts';
import {
  listMessages,
  postMessage,
  type WorkOrderMessage,
} from '../../domain/execution/work-order-messages.ts';
import { fieldStatusHistory } from '../../domain/work-orders/field-status-history.ts';
import {
  completeTask,
  createFollowUp,
  type FollowUp,
  type FollowUpTask,
  followUpsOf,
  tasksDue,
} from '../../domain/work-orders/follow-ups.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { reportFailure } from '../../shared/report-failure.ts';
import { fieldWorkRoutes } from './field-work-routes.ts';

const timerView = ({ technicianId, startedAt, startedBy, starterRole }: LaborTimer) => ({
  technicianId,
  startedAt,
  startedBy,
  starterRole,
});

const laborEntryView = (entry: LaborEntry) => ({
  id: entry.laborId,
  technicianId: entry.technicianId,
  minutes: entry.minutes,
  ...(entry.startedAt ? { startedAt: entry.startedAt } : {}),
  ...(entry.endedAt ? { endedAt: entry.endedAt } : {}),
  recordedBy: entry.recordedBy,
  at: entry.at,
});

const recommendationView = ({ tenantId: _tenant, recommendationId, ...rest }: Recommendation) => ({
  id: recommendationId,
  ...rest,
});

const messageView = ({
  tenantId: _tenant,
  workOrderId: _workOrder,
  messageId,
  ...rest
}: WorkOrderMessage) => ({
  id: messageId,
  ...rest,
});

const taskView = (task: FollowUpTask) => ({
  id: task.taskId,
  workOrderId: task.workOrderId,
  customerId: task.customerId,
  description: task.description,
  dueDate: task.dueDate,
  ...(task.assigneeId ? { assigneeId: task.assigneeId } : {}),
  status: task.status,
  createdBy: task.createdBy,
  ...(task.doneBy ? { doneBy: task.doneBy } : {}),
  ...(task.doneAt ? { doneAt: task.doneAt } : {}),
  version: task.version,
  createdAt: task.createdAt,
});

const followUpView = (followUp: FollowUp) =>
  followUp.kind === 'workOrder'
    ? {
        kind: 'workOrder' as const,
        id: followUp.workOrder.workOrderId,
        status: followUp.workOrder.status,
        description: followUp.workOrder.description,
        priority: followUp.workOrder.priority,
        createdAt: followUp.workOrder.createdAt,
      }
    : { kind: 'task' as const, ...taskView(followUp.task) };

const timerDependencies = () => ({ workOrders: workOrderStore(), timers: fieldWorkStore(), clock, ids });

const recommendationDependencies = () => ({
  workOrders: workOrderStore(),
  recommendations: fieldWorkStore(),
  photos: photoStore(),
  directory: directoryStore(),
  events: eventPublisher(),
  clock,
  ids,
  reportFailure,
});

const messageDependencies = () => ({ workOrders: workOrderStore(), messages: fieldWorkStore(), clock, ids });

const followUpDependencies = () => ({ ...workOrderDependencies(), tasks: followUpTaskStore() });

const page = (query: { limit: number; cursor?: string | undefined }) => ({
  limit: query.limit,
  ...(query.cursor ? { cursor: query.cursor } : {}),
});

export const handler = apiHandler(
  'fieldWork',
  fieldWorkRoutes,
  {
    getFieldStatusHistory: async ({ actor, params }) => ({
      status: 200,
      body: { items: await fieldStatusHistory(workOrderStore(), actor, params.id) },
    }),
    listLabor: async ({ actor, params }) => {
      const { entries, running } = await laborOf(timerDependencies(), actor, params.id);
      return { status: 200, body: { items: entries.map(laborEntryView), running: running.map(timerView) } };
    },
    startLaborTimer: async ({ actor, params, body }) => ({
      status: 201,
      body: timerView(await startLaborTimer(timerDependencies(), actor, params.id, body)),
    }),
    stopLaborTimer: async ({ actor, params, body }) => ({
      status: 201,
      body: laborEntryView(await stopLaborTimer(timerDependencies(), actor, params.id, body)),
    }),
    addRecommendation: async ({ actor, params, body }) => ({
      status: 201,
      body: recommendationView(await addRecommendation(recommendationDependencies(), actor, params.id, body)),
    }),
    listRecommendations: async ({ actor, params }) => ({
      status: 200,
      body: {
        items: (await listRecommendations(recommendationDependencies(), actor, params.id)).map(
          recommendationView,
        ),
      },
    }),
    decideRecommendation: async ({ actor, params, body }) => ({
      status: 200,
      body: recommendationView(
        await decideRecommendation(
          recommendationDependencies(),
          actor,
          params.id,
          params.recommendationId,
          body,
        ),
      ),
    }),
    postMessage: async ({ actor, params, body }) => ({
      status: 201,
      body: messageView(await postMessage(messageDependencies(), actor, params.id, body.text)),
    }),
    listMessages: async ({ actor, params, query }) => {
      const result = await listMessages(messageDependencies(), actor, params.id, page(query));
      return {
        status: 200,
        body: {
          items: result.items.map(messageView),
          ...(result.nextCursor ? { nextCursor: result.nextCursor } : {}),
        },
      };
    },
    createFollowUp: async ({ actor, params, body }) => {
      const followUp = await createFollowUp(followUpDependencies(), actor, params.id, body);
      const location =
        followUp.kind === 'workOrder'
          ? `/v1/work-orders/${followUp.workOrder.workOrderId}`
          : `/v1/work-orders/${params.id}/follow-ups`;
      return { status: 201, body: followUpView(followUp), headers: { location } };
    },
    listFollowUps: async ({ actor, params }) => ({
      status: 200,
      body: { items: (await followUpsOf(followUpDependencies(), actor, params.id)).map(followUpView) },
    }),
    completeFollowUpTask: async ({ actor, params }) => ({
      status: 200,
      body: taskView(await completeTask(followUpDependencies(), actor, params.id, params.taskId)),
    }),
    listTasks: async ({ actor, query }) => {
      const { status, dueBefore } = query;
      const result = await tasksDue(
        followUpDependencies(),
        actor,
        { status, ...(dueBefore ? { dueBefore } : {}) },
        page(query),
      );
      return {
        status: 200,
        body: {
          items: result.items.map(taskView),
          ...(result.nextCursor ? { nextCursor: result.nextCursor } : {}),
        },
      };
    },
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
