import { instantOfWallClock } from '../../domain/shared/schedule-time.ts';
import type { OneTimeSchedule, Scheduler } from '../../ports/scheduler.ts';
import type { Entities } from '../dynamodb/entities.ts';

export interface DueSchedule {
  name: string;
  payload: Record<string, unknown>;
}

/**
 * The local twin of EventBridge Scheduler: schedules are items in the table, indexed by the
 * UTC instant they fire; the local runtime's clock asks for the due ones and fires them.
 */
export class TableScheduler implements Scheduler {
  constructor(
    private readonly entities: Entities,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async put(schedule: OneTimeSchedule): Promise<void> {
    // The wall-clock time in the schedule's own zone, as EventBridge Scheduler reads `at()`.
    const fireAt = instantOfWallClock(schedule.at, schedule.timeZone).toISOString();
    await this.entities.localSchedule
      .put({
        name: schedule.name,
        state: 'pending',
        fireAt,
        timeZone: schedule.timeZone,
        payload: JSON.stringify(schedule.payload),
        createdAt: this.now().toISOString(),
      })
      .go();
  }

  async delete(name: string): Promise<void> {
    await this.entities.localSchedule.delete({ name }).go();
  }

  /** Pending schedules due at `now`, earliest first (a Query on the due-time index). */
  async due(now: Date, limit = 100): Promise<DueSchedule[]> {
    const { data } = await this.entities.localSchedule.query
      .byDueTime({ state: 'pending' })
      .lte({ fireAt: now.toISOString(), name: '\uffff' })
      .go({ limit });
    return data.map((item) => ({
      name: item.name,
      payload: JSON.parse(item.payload) as Record<string, unknown>,
    }));
  }

  /** Marks a schedule fired, once: false if it was already fired or deleted (it fires exactly once). */
  async markFired(name: string): Promise<boolean> {
    try {
      await this.entities.localSchedule
        .patch({ name })
        .set({ state: 'fired' })
        .where(({ state }, { eq }) => eq(state, 'pending'))
        .go();
      return true;
    } catch {
      return false;
    }
  }
}
