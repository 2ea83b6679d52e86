import { describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../../lambdas/adapters/local/adjustable-clock.ts';
import type { DueSchedule } from '../../../lambdas/adapters/local/table-scheduler.ts';
import { type DueSchedules, ScheduleRunner } from '../../../lib/local/schedule-runner.ts';

/** Schedules as the table keeps them: pending until marked fired, listed by due time. */
class ScheduleTable implements DueSchedules {
  readonly items = new Map<
    string,
    { fireAt: number; payload: Record<string, unknown>; state: 'pending' | 'fired' }
  >();

  add(name: string, fireAt: string, payload: Record<string, unknown> = { name }): this {
    this.items.set(name, { fireAt: Date.parse(fireAt), payload, state: 'pending' });
    return this;
  }

  async due(now: Date, limit = 100): Promise<DueSchedule[]> {
    return [...this.items]
      .filter(([, item]) => item.state === 'pending' && item.fireAt <= now.getTime())
      .sort(([, a], [, b]) => a.fireAt - b.fireAt)
      .slice(0, limit)
      .map(([name, item]) => ({ name, payload: item.payload }));
  }

  async markFired(name: string): Promise<boolean> {
    const item = this.items.get(name);
    if (item?.state !== 'pending') return false;
    item.state = 'fired';
    return true;
  }
}

const start = Date.parse('2025-03-14T12:00:00.000Z');

describe('ScheduleRunner', () => {
  it('when the clock passes schedules, each due one fires once, earliest first, and later ones wait', async () => {
    // Arrange
    const table = new ScheduleTable()
      .add('b', '2025-03-20T09:00:00.000Z')
      .add('a', '2025-03-15T09:00:00.000Z')
      .add('later', '2025-06-01T00:00:00.000Z');
    const clock = new AdjustableClock(() => start);
    const fired: unknown[] = [];
    const runner = new ScheduleRunner(table, clock, async (payload) => fired.push(payload.name));
    clock.advance(60 * 24 * 10);

    // Act
    const first = await runner.runDue();
    const second = await runner.runDue();

    // Assert
    expect([first, second]).toEqual([2, 0]);
    expect(fired).toEqual(['a', 'b']);
    expect(table.items.get('later')?.state).toBe('pending');
  });

  it('when a fired schedule arranges another that is due already, the same run fires it too', async () => {
    // Arrange
    const table = new ScheduleTable().add('period-0', '2025-03-15T00:00:00.000Z', { period: 0 });
    const clock = new AdjustableClock(() => start);
    const fired: number[] = [];
    const runner = new ScheduleRunner(table, clock, async (payload) => {
      const period = Number(payload.period);
      fired.push(period);
      if (period < 3)
        table.add(`period-${period + 1}`, `2025-0${period + 4}-01T00:00:00.000Z`, { period: period + 1 });
    });
    clock.setTo(new Date('2026-01-01T00:00:00.000Z'));

    // Act
    const count = await runner.runDue();

    // Assert
    expect(count).toBe(4);
    expect(fired).toEqual([0, 1, 2, 3]);
  });

  it('when two runs start at once, every schedule still fires exactly once', async () => {
    // Arrange
    const table = new ScheduleTable();
    for (let index = 0; index < 30; index += 1) table.add(`s${index}`, '2025-03-14T11:00:00.000Z');
    const clock = new AdjustableClock(() => start);
    const fired: unknown[] = [];
    const fire = async (payload: Record<string, unknown>) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      fired.push(payload.name);
    };
    const one = new ScheduleRunner(table, clock, fire);
    const other = new ScheduleRunner(table, clock, fire);

    // Act
    await Promise.all([one.runDue(), other.runDue(), one.runDue()]);

    // Assert
    expect(fired).toHaveLength(30);
    expect(new Set(fired).size).toBe(30);
  });

  it('when the target keeps failing, it is tried again, then given up and logged, and the run goes on', async () => {
    // Arrange
    const table = new ScheduleTable()
      .add('broken', '2025-03-14T11:00:00.000Z')
      .add('fine', '2025-03-14T11:30:00.000Z');
    const clock = new AdjustableClock(() => start);
    const attempts: unknown[] = [];
    const logged: string[] = [];
    const runner = new ScheduleRunner(
      table,
      clock,
      async (payload) => {
        attempts.push(payload.name);
        if (payload.name === 'broken') throw new Error('target failed');
      },
      { attempts: 2, log: (message) => logged.push(message) },
    );

    // Act
    const count = await runner.runDue();

    // Assert
    expect(count).toBe(2);
    expect(attempts).toEqual(['broken', 'broken', 'fine']);
    expect(logged).toEqual(['A schedule failed every attempt and was given up']);
  });
});
