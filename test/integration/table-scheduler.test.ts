import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { TableScheduler } from '../../lambdas/adapters/local/table-scheduler.ts';
import { tableEntities } from '../helpers/local-platform.ts';

const entities = tableEntities();
const scheduler = new TableScheduler(entities);
// Far ahead, so the running platform's own runner never fires what these tests put.
const future = '2099-06-01';
const mine = (names: string[]) => async (now: Date) =>
  (await scheduler.due(now, 1_000))
    .filter((schedule) => names.includes(schedule.name))
    .map((schedule) => schedule.name);

describe('TableScheduler (DynamoDB Local)', () => {
  it('when a schedule is put, it fires at its wall-clock time in its own zone, not the machine’s', async () => {
    // Arrange
    const name = `test-${ulid()}`;

    // Act
    await scheduler.put({
      name,
      at: `${future}T09:00:00`,
      timeZone: 'America/New_York',
      payload: { kind: 'x' },
    });

    // Assert
    const { data } = await entities.localSchedule.get({ name }).go();
    expect(data?.fireAt).toBe(`${future}T13:00:00.000Z`);
  });

  it('when the clock reaches schedules, they are due earliest first; fired or deleted ones are not', async () => {
    // Arrange
    const [early, late, deleted] = [`test-${ulid()}`, `test-${ulid()}`, `test-${ulid()}`];
    await scheduler.put({ name: late, at: `${future}T10:00:00`, timeZone: 'UTC', payload: { n: 2 } });
    await scheduler.put({ name: early, at: `${future}T08:00:00`, timeZone: 'UTC', payload: { n: 1 } });
    await scheduler.put({ name: deleted, at: `${future}T07:00:00`, timeZone: 'UTC', payload: { n: 0 } });
    await scheduler.delete(deleted);
    const dueAt = mine([early, late, deleted]);

    // Act
    const before = await dueAt(new Date(`${future}T07:59:59.000Z`));
    const between = await dueAt(new Date(`${future}T09:00:00.000Z`));
    const after = await dueAt(new Date(`${future}T10:00:00.000Z`));

    // Assert
    expect(before).toEqual([]);
    expect(between).toEqual([early]);
    expect(after).toEqual([early, late]);
  });

  it('when two runners mark one schedule fired at once, exactly one of them fires it', async () => {
    // Arrange
    const name = `test-${ulid()}`;
    await scheduler.put({ name, at: `${future}T08:00:00`, timeZone: 'UTC', payload: {} });

    // Act
    const claims = await Promise.all(Array.from({ length: 5 }, () => scheduler.markFired(name)));

    // Assert
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await mine([name])(new Date(`${future}T09:00:00.000Z`))).toEqual([]);
    expect(await scheduler.markFired(`test-${ulid()}`)).toBe(false);
  });

  it('when a schedule is put again under its name, it moves to the new time and is pending again', async () => {
    // Arrange
    const name = `test-${ulid()}`;
    await scheduler.put({ name, at: `${future}T08:00:00`, timeZone: 'UTC', payload: { v: 1 } });
    await scheduler.markFired(name);

    // Act
    await scheduler.put({ name, at: `${future}T12:00:00`, timeZone: 'UTC', payload: { v: 2 } });

    // Assert
    const due = (await scheduler.due(new Date(`${future}T12:00:00.000Z`), 1_000)).find(
      (schedule) => schedule.name === name,
    );
    expect(due).toEqual({ name, payload: { v: 2 } });
  });
});
