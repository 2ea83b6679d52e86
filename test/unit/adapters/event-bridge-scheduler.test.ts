import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeScheduler } from '../../../lambdas/adapters/scheduler/event-bridge-scheduler.ts';
import type { OneTimeSchedule } from '../../../lambdas/ports/scheduler.ts';

const scheduler = mockClient(SchedulerClient);

const target = {
  groupName: 'work-orders',
  targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:schedule-target',
  roleArn: 'arn:aws:iam::123456789012:role/scheduler-invoke',
};

/** Scheduler exceptions carry their text as `Message` as well as the standard `message`. */
const exceptionOptions = (message: string) => ({ message, Message: message, $metadata: {} });

const aDayBeforeReminder = (overrides: Partial<OneTimeSchedule> = {}): OneTimeSchedule => ({
  name: 'reminder-wo_01',
  at: '2025-03-13T09:00:00',
  timeZone: 'America/New_York',
  payload: { kind: 'day-before-reminder', tenantId: 'ten_acme', workOrderId: 'wo_01' },
  ...overrides,
});

describe('EventBridgeScheduler', () => {
  const adapter = new EventBridgeScheduler(new SchedulerClient({ region: 'us-east-1' }), target);

  beforeEach(() => scheduler.reset());

  describe('put', () => {
    it('when the schedule is new, it creates a one-time schedule in the time zone that deletes itself', async () => {
      // Arrange
      scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });

      // Act
      await adapter.put(aDayBeforeReminder());

      // Assert
      const calls = scheduler.commandCalls(CreateScheduleCommand);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.args[0].input).toMatchObject({
        Name: 'reminder-wo_01',
        GroupName: 'work-orders',
        ScheduleExpression: 'at(2025-03-13T09:00:00)',
        ScheduleExpressionTimezone: 'America/New_York',
        ActionAfterCompletion: 'DELETE',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: target.targetArn, RoleArn: target.roleArn },
      });
    });

    it('when the time is not a local wall-clock time to the second, it refuses it and creates nothing', async () => {
      // Arrange
      scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });

      // Act
      const withOffset = adapter.put(aDayBeforeReminder({ at: '2025-03-13T09:00:00.000-04:00' }));
      const withoutSeconds = adapter.put(aDayBeforeReminder({ at: '2025-03-13T09:00' }));

      // Assert
      await expect(withOffset).rejects.toThrow(/wall-clock/);
      await expect(withoutSeconds).rejects.toThrow(/wall-clock/);
      expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
    });

    it('when created, the target input is the payload as JSON', async () => {
      // Arrange
      scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });

      // Act
      await adapter.put(aDayBeforeReminder());

      // Assert
      const input = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
      expect(JSON.parse(input?.Target?.Input ?? 'null')).toEqual({
        kind: 'day-before-reminder',
        tenantId: 'ten_acme',
        workOrderId: 'wo_01',
      });
    });

    it('when the schedule already exists, it updates it to the new time', async () => {
      // Arrange
      scheduler
        .on(CreateScheduleCommand)
        .rejects(new ConflictException(exceptionOptions('Schedule reminder-wo_01 already exists.')));
      scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn:schedule' });

      // Act
      await adapter.put(aDayBeforeReminder({ at: '2025-03-14T13:30:00' }));

      // Assert
      const updates = scheduler.commandCalls(UpdateScheduleCommand);
      expect(updates).toHaveLength(1);
      expect(updates[0]?.args[0].input).toMatchObject({
        Name: 'reminder-wo_01',
        GroupName: 'work-orders',
        ScheduleExpression: 'at(2025-03-14T13:30:00)',
        ScheduleExpressionTimezone: 'America/New_York',
        ActionAfterCompletion: 'DELETE',
      });
    });

    it('when creating fails for another reason, it throws and does not update', async () => {
      // Arrange
      const invalid = new ValidationException(exceptionOptions('Invalid time zone'));
      scheduler.on(CreateScheduleCommand).rejects(invalid);

      // Act
      const put = adapter.put(aDayBeforeReminder({ timeZone: 'Mars/Olympus_Mons' }));

      // Assert
      await expect(put).rejects.toBe(invalid);
      expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
    });
  });

  describe('delete', () => {
    it('when the schedule exists, it deletes it from the group', async () => {
      // Arrange
      scheduler.on(DeleteScheduleCommand).resolves({});

      // Act
      await adapter.delete('reminder-wo_01');

      // Assert
      expect(scheduler.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input)).toEqual([
        { Name: 'reminder-wo_01', GroupName: 'work-orders' },
      ]);
    });

    it('when the schedule does not exist, it succeeds', async () => {
      // Arrange
      scheduler
        .on(DeleteScheduleCommand)
        .rejects(new ResourceNotFoundException(exceptionOptions('Schedule not found')));

      // Act
      const deletion = adapter.delete('reminder-wo_gone');

      // Assert
      await expect(deletion).resolves.toBeUndefined();
    });

    it('when deleting fails for another reason, it throws', async () => {
      // Arrange
      const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      scheduler.on(DeleteScheduleCommand).rejects(throttled);

      // Act
      const deletion = adapter.delete('reminder-wo_01');

      // Assert
      await expect(deletion).rejects.toBe(throttled);
    });
  });
});
