import type { DueSchedule } from '../../lambdas/adapters/local/table-scheduler.ts';
import type { Clock } from '../../lambdas/ports/clock.ts';

export interface DueSchedules {
  due(now: Date, limit?: number): Promise<DueSchedule[]>;
  /** False when the schedule was fired (or deleted) already. */
  markFired(name: string): Promise<boolean>;
}

export interface ScheduleRunnerOptions {
  /** How often the runner looks for due schedules. @default 1000 */
  intervalMs?: number;
  /** Invocations of a schedule's target before it is given up (logged), as the cloud's retries. @default 3 */
  attempts?: number;
  log?: (message: string, details: Record<string, unknown>) => void;
}

/** How many schedules one run fires at most: a bound, not a limit anyone should meet. */
const maxPerRun = 5_000;

/**
 * EventBridge Scheduler on this machine: every second, and whenever the local clock is moved,
 * it fires each schedule due by the local clock's time, earliest first, one after the other. A
 * schedule is claimed with `markFired` before its target runs, so it fires exactly once even if
 * two runners (two processes on one table) see it. What a fired schedule arranges and is due
 * already (the next billing period after a year's jump) fires in the same run.
 */
export class ScheduleRunner {
  private running: Promise<number> = Promise.resolve(0);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly intervalMs: number;
  private readonly attempts: number;
  private readonly log: NonNullable<ScheduleRunnerOptions['log']>;

  constructor(
    private readonly schedules: DueSchedules,
    private readonly clock: Clock,
    private readonly fire: (payload: Record<string, unknown>) => Promise<unknown>,
    options: ScheduleRunnerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1_000;
    this.attempts = options.attempts ?? 3;
    this.log = options.log ?? ((message, details) => console.error(message, details));
  }

  start(): void {
    const tick = () => {
      this.timer = undefined;
      void this.runDue()
        .catch((error: unknown) => this.log('Looking for due schedules failed', { error }))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.intervalMs);
        });
    };
    this.timer = setTimeout(tick, this.intervalMs);
  }

  /** Fires what is due now; resolves with how many fired. Runs wait for the one before them. */
  runDue(): Promise<number> {
    const run = this.running.then(
      () => this.drain(),
      () => this.drain(),
    );
    this.running = run.catch(() => 0);
    return run;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async drain(): Promise<number> {
    let fired = 0;
    while (!this.stopped && fired < maxPerRun) {
      const due = await this.schedules.due(this.clock.now(), 25);
      if (due.length === 0) break;
      let claimed = 0;
      for (const schedule of due) {
        if (this.stopped) break;
        if (!(await this.schedules.markFired(schedule.name))) continue;
        claimed += 1;
        await this.invoke(schedule);
        fired += 1;
      }
      // Another runner claimed them all: its run fires them.
      if (claimed === 0) break;
    }
    return fired;
  }

  private async invoke(schedule: DueSchedule): Promise<void> {
    let failure: unknown;
    for (let attempt = 1; attempt <= this.attempts; attempt += 1) {
      try {
        await this.fire(schedule.payload);
        return;
      } catch (error) {
        failure = error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
    this.log('A schedule failed every attempt and was given up', { name: schedule.name, error: failure });
  }
}
