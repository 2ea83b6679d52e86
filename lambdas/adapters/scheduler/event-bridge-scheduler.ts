import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { OneTimeSchedule, Scheduler } from '../../ports/scheduler.ts';

export interface SchedulerTarget {
  groupName: string;
  targetArn: string;
  roleArn: string;
}

/** One-time `at()` schedules in EventBridge Scheduler, deleted after they fire. */
export class EventBridgeScheduler implements Scheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly target: SchedulerTarget,
  ) {}

  async put(schedule: OneTimeSchedule): Promise<void> {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(schedule.at)) {
      throw new Error(
        `A schedule's time is a local wall-clock time (YYYY-MM-DDThh:mm:ss), not ${schedule.at}`,
      );
    }
    const input: CreateScheduleCommandInput = {
      Name: schedule.name,
      GroupName: this.target.groupName,
      ScheduleExpression: `at(${schedule.at})`,
      ScheduleExpressionTimezone: schedule.timeZone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: this.target.targetArn,
        RoleArn: this.target.roleArn,
        Input: JSON.stringify(schedule.payload),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      },
    };
    try {
      await this.client.send(new CreateScheduleCommand(input));
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      await this.client.send(new UpdateScheduleCommand(input));
    }
  }

  async delete(name: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.target.groupName }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}
