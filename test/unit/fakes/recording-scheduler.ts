import type { OneTimeSchedule, Scheduler } from '../../../lambdas/ports/scheduler.ts';

/** Keeps the schedules as EventBridge Scheduler would (by name; putting again moves one), and the deletions. */
export class RecordingScheduler implements Scheduler {
  readonly schedules = new Map<string, OneTimeSchedule>();
  readonly deleted: string[] = [];
  private readonly failures: Error[] = [];

  /** The next put fails with `error` and changes nothing. */
  failNextPutWith(error: Error): this {
    this.failures.push(error);
    return this;
  }

  async put(schedule: OneTimeSchedule): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.schedules.set(schedule.name, structuredClone(schedule));
  }

  async delete(name: string): Promise<void> {
    this.schedules.delete(name);
    this.deleted.push(name);
  }

  /** The schedule of this name, failing the test if there is none. */
  get(name: string): OneTimeSchedule {
    const schedule = this.schedules.get(name);
    if (!schedule)
      throw new Error(`No schedule ${name} (there are: ${[...this.schedules.keys()].join(', ')})`);
    return schedule;
  }

  /** Takes the schedule away as firing it does, and hands back its payload. */
  fire(name: string): Record<string, unknown> {
    const schedule = this.get(name);
    this.schedules.delete(name);
    return schedule.payload;
  }
}
