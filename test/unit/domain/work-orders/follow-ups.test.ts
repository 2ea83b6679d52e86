import { beforeEach, describe, expect, it } from 'vitest';
import {
  completeTask,
  createFollowUp,
  followUpsOf,
  tasksDue,
} from '../../../../lambdas/domain/work-orders/follow-ups.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../../../lambdas/shared/errors.ts';
import {
  aCustomer,
  aDispatcher,
  aLocation,
  aServiceType,
  aTechnicianUser,
  aTenant,
  aWorkOrderAt,
} from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryFieldWorkStore } from '../../fakes/in-memory-field-work-store.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { RecordingEventPublisher } from '../../fakes/recording-event-publisher.ts';
import { RecordingWorkflow } from '../../fakes/recording-workflow.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

// Friday 14 March 2025, 10:10 in Boston (the tenant's zone).
const now = '2025-03-14T14:10:00.000Z';

describe('follow-ups', () => {
  let workOrders: InMemoryWorkOrderStore;
  let tasks: InMemoryFieldWorkStore;
  let workflow: RecordingWorkflow;
  let failures: string[];
  let dependencies: Parameters<typeof createFollowUp>[0];

  const task = (dueDate: string, description = 'Call about the ageing condenser') =>
    ({ kind: 'task', description, dueDate }) as const;

  beforeEach(() => {
    failures = [];
    const directory = new InMemoryDirectory()
      .addTenant(aTenant())
      .addCustomer(aCustomer())
      .addLocation(aLocation())
      .addServiceType('ten_acme', aServiceType());
    workOrders = new InMemoryWorkOrderStore(directory);
    tasks = new InMemoryFieldWorkStore(workOrders);
    workflow = new RecordingWorkflow();
    dependencies = {
      workOrders,
      directory,
      workflow,
      events: new RecordingEventPublisher(),
      clock: new SettableClock(now),
      ids: new SequentialIds(),
      reportFailure: (message) => failures.push(message),
      tasks,
    };
  });

  describe('createFollowUp', () => {
    it('when the office asks for a follow-up work order, it is created for the same customer and place, started, and linked both ways', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));

      // Act
      const followUp = await createFollowUp(dependencies, aDispatcher(), 'wo_existing', {
        kind: 'workOrder',
        description: 'Replace the condenser fan motor',
        priority: 'routine',
      });

      // Assert
      if (followUp.kind !== 'workOrder') throw new Error('expected a work order');
      const { workOrder } = followUp;
      expect(workOrder).toMatchObject({
        status: 'new',
        followUpOf: 'wo_existing',
        customerId: 'cus_existing',
        locationId: 'loc_home',
        serviceTypeId: 'svc_ac_repair',
        description: 'Replace the condenser fan motor',
      });
      expect(workflow.executions.has(workOrder.workOrderId)).toBe(true);
      const original = await workOrders.get('ten_acme', 'wo_existing');
      expect(original?.followUpWorkOrderIds).toEqual([workOrder.workOrderId]);
      expect(workOrders.eventsOf('ten_acme', 'wo_existing').at(-1)).toMatchObject({
        action: 'follow_up_created',
        actorId: 'user-dispatcher-1',
        changes: { followUpWorkOrderIds: { after: [workOrder.workOrderId] } },
      });
      expect(failures).toEqual([]);
    });

    it('when the office asks for a task, it is open, due on the day given, kept on the work order and audited', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));

      // Act
      const followUp = await createFollowUp(dependencies, aDispatcher(), 'wo_existing', {
        ...task('2025-06-14'),
        assigneeId: 'tec_ana',
      });

      // Assert
      expect(followUp).toEqual({
        kind: 'task',
        task: {
          tenantId: 'ten_acme',
          workOrderId: 'wo_existing',
          taskId: expect.stringMatching(/^tsk_/),
          customerId: 'cus_existing',
          description: 'Call about the ageing condenser',
          dueDate: '2025-06-14',
          assigneeId: 'tec_ana',
          status: 'open',
          createdBy: 'user-dispatcher-1',
          creatorRole: 'dispatcher',
          version: 1,
          createdAt: now,
          updatedAt: now,
        },
      });
      expect(workOrders.eventsOf('ten_acme', 'wo_existing').at(-1)).toMatchObject({
        action: 'follow_up_task_created',
        changes: { details: { after: { dueDate: '2025-06-14', assigneeId: 'tec_ana' } } },
      });
    });

    it("when the task's due day is before the tenant's today, it refuses naming body.dueDate", async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));

      // Act
      const error = await rejectionOf(
        createFollowUp(dependencies, aDispatcher(), 'wo_existing', task('2025-03-13')),
      );

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors.map((problem) => problem.field)).toEqual(['body.dueDate']);
    });

    it('when a technician asks for a follow-up, it refuses with 403', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const error = await rejectionOf(
        createFollowUp(dependencies, aTechnicianUser(), 'wo_existing', task('2025-06-14')),
      );

      // Assert
      expect(error).toBeInstanceOf(ForbiddenError);
    });

    it('when the work order does not exist, it answers 404 and creates nothing', async () => {
      // Act
      const error = await rejectionOf(
        createFollowUp(dependencies, aDispatcher(), 'wo_missing', task('2025-06-14')),
      );

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
      expect(workOrders.all()).toEqual([]);
    });
  });

  describe('followUpsOf', () => {
    it('when a work order has a follow-up work order and tasks, it lists them all oldest first', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));
      await createFollowUp(dependencies, aDispatcher(), 'wo_existing', task('2025-06-14'));
      (dependencies.clock as SettableClock).advance(60_000);
      await createFollowUp(dependencies, aDispatcher(), 'wo_existing', {
        kind: 'workOrder',
        description: 'Replace the condenser fan motor',
        priority: 'urgent',
      });

      // Act
      const followUps = await followUpsOf(dependencies, aTechnicianUser(), 'wo_existing');

      // Assert
      expect(followUps.map((followUp) => followUp.kind)).toEqual(['task', 'workOrder']);
    });

    it('when the technician is not the one assigned, it answers 404', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed', { technicianId: 'tec_bo' }));

      // Act
      const error = await rejectionOf(followUpsOf(dependencies, aTechnicianUser(), 'wo_existing'));

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
    });
  });

  describe('tasksDue and completeTask', () => {
    it('when asked for the tasks due before a day, it lists the open ones due earlier, soonest first', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));
      for (const day of ['2025-07-01', '2025-03-20', '2025-04-02', '2025-03-14']) {
        await createFollowUp(dependencies, aDispatcher(), 'wo_existing', task(day, `Due ${day}`));
      }

      // Act
      const page = await tasksDue(dependencies, aDispatcher(), { dueBefore: '2025-04-02' }, { limit: 10 });

      // Assert
      expect(page.items.map((item) => item.dueDate)).toEqual(['2025-03-14', '2025-03-20']);
    });

    it('when the office marks a task done, it leaves the open list and is audited; marking it again is 409', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));
      const created = await createFollowUp(dependencies, aDispatcher(), 'wo_existing', task('2025-03-20'));
      if (created.kind !== 'task') throw new Error('expected a task');

      // Act
      const done = await completeTask(dependencies, aDispatcher(), 'wo_existing', created.task.taskId);
      const again = await rejectionOf(
        completeTask(dependencies, aDispatcher(), 'wo_existing', created.task.taskId),
      );

      // Assert
      expect(done).toMatchObject({ status: 'done', doneBy: 'user-dispatcher-1', doneAt: now, version: 2 });
      expect((await tasksDue(dependencies, aDispatcher(), {}, { limit: 10 })).items).toEqual([]);
      expect(workOrders.eventsOf('ten_acme', 'wo_existing').at(-1)).toMatchObject({
        action: 'follow_up_task_done',
        changes: { taskStatus: { before: 'open', after: 'done' } },
      });
      expect(again).toBeInstanceOf(ConflictError);
    });

    it('when a technician lists the tasks, it refuses with 403', async () => {
      // Act
      const error = await rejectionOf(tasksDue(dependencies, aTechnicianUser(), {}, { limit: 10 }));

      // Assert
      expect(error).toBeInstanceOf(ForbiddenError);
    });
  });
});
