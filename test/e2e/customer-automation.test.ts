import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entities } from '../../lambdas/adapters/dynamodb/entities.ts';
import { addLocalDays, LocalCalendar } from '../../lambdas/domain/scheduling/local-time.ts';
import { instantOfWallClock } from '../../lambdas/domain/shared/schedule-time.ts';
import { addCalendarMonths } from '../../lambdas/domain/work-orders/follow-up-reminders.ts';
import type { Role } from '../../lambdas/shared/roles.ts';
import type { Platform } from '../../lib/local/platform.ts';
import { aTenant, aWorkOrderRequest, type TenantFixture } from '../fixtures/tenants.ts';
import { eventually } from '../helpers/local-platform.ts';
import { callApi, type OwnPlatform, startOwnPlatform, tokenOfRole } from '../helpers/own-platform.ts';

// Customer messages at milestones and reminders, on a platform of its own: the tests move its
// clock days and months ahead, which would move it for every other test. The tests run in order
// and each reckons its days from where the clock stands.

const zone = 'America/Chicago';
const calendar = new LocalCalendar(zone);
const terminalStates = ['Closed', 'WorkOrderCancelled', 'NeedsAttention'];

interface OutboxItem {
  channel: string;
  to: string;
  body: string;
  subject?: string;
  workOrderId?: string;
}

describe('customer messages and reminders (a platform of its own)', () => {
  let platform: Platform;
  let own: OwnPlatform | undefined;
  let entities: Entities;

  const call = <T = Record<string, unknown>>(method: string, path: string, token: string, body?: unknown) =>
    callApi<T>(platform, method, path, token, body);
  const tokenOf = (role: Role, tenant: TenantFixture) => tokenOfRole(platform, role, tenant);
  const post = async (token: string, path: string, body: unknown = {}) => {
    const response = await call('POST', path, token, body);
    expect(response.status, `POST ${path} ${JSON.stringify(response.body)}`).toBeLessThan(300);
    return response.body;
  };
  /** What the customer's phone received for a work order, oldest first (`GET /local/outbox`). */
  const messagesTo = async (token: string, workOrderId: string, containing: string) => {
    const { body } = await call<{ items: OutboxItem[] }>('GET', '/local/outbox', token);
    return body.items
      .filter((item) => item.workOrderId === workOrderId && item.body.includes(containing))
      .reverse();
  };
  const clockNow = async (admin: string) =>
    new Date((await call<{ now: string }>('GET', '/local/clock', admin)).body.now);
  const moveClockTo = async (admin: string, day: string, time: string) => {
    const moved = await call<{ fired: number }>('POST', '/local/clock', admin, {
      to: instantOfWallClock(`${day}T${time}:00`, zone).toISOString(),
    });
    expect(moved.status).toBe(200);
    return moved.body;
  };
  const at = (day: string, time: string) => instantOfWallClock(`${day}T${time}:00`, zone).toISOString();
  const reminderSchedule = async (workOrderId: string) =>
    (await entities.localSchedule.get({ name: `appointment-reminder-${workOrderId}` }).go()).data ??
    undefined;

  async function workflowIn(token: string, id: string, state: string) {
    const seen = await eventually(async () => {
      const { body } = await call<{ workflow: { state: string } }>('GET', `/v1/work-orders/${id}`, token);
      return body.workflow.state === state || terminalStates.includes(body.workflow.state) ? body : undefined;
    }, 20_000);
    expect(seen.workflow.state, `the workflow of ${id}`).toBe(state);
  }

  /** A work order created and booked at `start` with the fixture's technician, its confirmation sent. */
  async function aBookedJob(tenant: TenantFixture, dispatcher: string, start: string) {
    const created = await call<{ id: string }>(
      'POST',
      '/v1/work-orders',
      dispatcher,
      aWorkOrderRequest(tenant),
    );
    expect(created.status).toBe(201);
    const id = created.body.id;
    await workflowIn(dispatcher, id, 'AwaitScheduling');
    await post(dispatcher, `/v1/work-orders/${id}/schedule`, { start, technicianId: tenant.technicianId });
    await workflowIn(dispatcher, id, 'AwaitDispatch');
    return id;
  }

  beforeAll(async () => {
    own = await startOwnPlatform('automation');
    ({ platform, entities } = own);
  }, 120_000);

  afterAll(async () => {
    await own?.stop();
  });

  it('when a booked job is rescheduled, its day-before reminder moves: the old time sends nothing, the new time sends one', async () => {
    // Arrange: booked three days out at 10:00 local.
    const tenant = await aTenant(entities);
    const [admin, dispatcher] = await Promise.all([tokenOf('admin', tenant), tokenOf('dispatcher', tenant)]);
    const day = addLocalDays(calendar.dayOf(await clockNow(admin)), 3);
    const id = await aBookedJob(tenant, dispatcher, at(day, '10:00'));
    const confirmations = await eventually(async () => {
      const found = await messagesTo(dispatcher, id, 'has booked your');
      return found.length === 1 ? found : undefined;
    });
    expect(confirmations[0]).toMatchObject({ channel: 'sms', to: '+13125550100' });
    expect(await reminderSchedule(id)).toMatchObject({
      state: 'pending',
      fireAt: at(addLocalDays(day, -1), '17:00'),
    });

    // Act: back to scheduling, booked two days later, then the clock passes both reminder times.
    await post(dispatcher, `/v1/work-orders/${id}/reschedule`, { reason: 'Customer away that day' });
    await workflowIn(dispatcher, id, 'AwaitScheduling');
    const newDay = addLocalDays(day, 2);
    await post(dispatcher, `/v1/work-orders/${id}/schedule`, {
      start: at(newDay, '10:00'),
      technicianId: tenant.technicianId,
    });
    await workflowIn(dispatcher, id, 'AwaitDispatch');
    const moved = await eventually(async () => {
      const schedule = await reminderSchedule(id);
      return schedule?.fireAt === at(addLocalDays(newDay, -1), '17:00') ? schedule : undefined;
    });
    await moveClockTo(admin, addLocalDays(day, -1), '17:30');
    const atOldTime = await messagesTo(dispatcher, id, 'a reminder from');
    await moveClockTo(admin, addLocalDays(newDay, -1), '17:30');
    const atNewTime = await messagesTo(dispatcher, id, 'a reminder from');

    // Assert
    expect(moved.state).toBe('pending');
    expect(await messagesTo(dispatcher, id, 'has booked your')).toHaveLength(2);
    expect(atOldTime).toEqual([]);
    expect(atNewTime).toHaveLength(1);
    expect(atNewTime[0]).toMatchObject({ channel: 'sms', to: '+13125550100' });
    expect(atNewTime[0]?.body).toContain('AC repair');
    expect(atNewTime[0]?.body).toContain('10:00 AM');
    expect(atNewTime[0]?.body).toContain('Alex will be your technician.');
  }, 120_000);

  it('when a booked job is cancelled, its reminder is deleted and nothing fires', async () => {
    // Arrange
    const tenant = await aTenant(entities);
    const [admin, dispatcher] = await Promise.all([tokenOf('admin', tenant), tokenOf('dispatcher', tenant)]);
    const day = addLocalDays(calendar.dayOf(await clockNow(admin)), 2);
    const id = await aBookedJob(tenant, dispatcher, at(day, '10:00'));
    await eventually(async () => ((await reminderSchedule(id))?.state === 'pending' ? true : undefined));

    // Act
    await post(dispatcher, `/v1/work-orders/${id}/cancel`, { reason: 'Customer fixed it' });
    await workflowIn(dispatcher, id, 'WorkOrderCancelled');
    await eventually(async () => ((await reminderSchedule(id)) ? undefined : true));
    await moveClockTo(admin, addLocalDays(day, -1), '17:30');

    // Assert
    expect(await reminderSchedule(id)).toBeUndefined();
    expect(await messagesTo(dispatcher, id, 'a reminder from')).toEqual([]);
  }, 120_000);

  it('when the technician sets off and later completes, the customer hears the ETA, then thanks with what was done; a follow-up in 3 months fires once', async () => {
    // Arrange
    const tenant = await aTenant(entities);
    const [admin, dispatcher, technician] = await Promise.all([
      tokenOf('admin', tenant),
      tokenOf('dispatcher', tenant),
      tokenOf('technician', tenant),
    ]);
    const day = addLocalDays(calendar.dayOf(await clockNow(admin)), 1);
    const id = await aBookedJob(tenant, dispatcher, at(day, '14:00'));
    await post(dispatcher, `/v1/work-orders/${id}/dispatch`, { technicianId: tenant.technicianId });
    await workflowIn(dispatcher, id, 'AwaitFieldWork');

    // Act: on the way with an ETA of 14:20 local.
    await post(technician, `/v1/work-orders/${id}/field-status`, {
      status: 'en_route',
      eta: at(day, '14:20'),
    });
    const onTheWay = await eventually(async () => {
      const found = await messagesTo(dispatcher, id, 'is on the way');
      return found.length > 0 ? found : undefined;
    });

    // Assert
    expect(onTheWay).toHaveLength(1);
    expect(onTheWay[0]?.body).toContain(
      'Alex from Test Heating & Air is on the way and should arrive around 2:20 PM',
    );

    // Act: the work, and the sign-off.
    for (const [path, body] of [
      ['field-status', { status: 'arrived' }],
      ['field-status', { status: 'in_progress' }],
      ['notes', { text: 'Replaced the run capacitor' }],
      ['labor', { minutes: 90 }],
    ] as const) {
      await post(technician, `/v1/work-orders/${id}/${path}`, body);
    }
    const shown = await call<{ summaryHash: string }>('GET', `/v1/work-orders/${id}/summary`, technician);
    await post(technician, `/v1/work-orders/${id}/complete`, {
      signature: { signerName: 'Pat Doe', summaryHash: shown.body.summaryHash },
    });
    const thanks = await eventually(async () => {
      const found = await messagesTo(dispatcher, id, 'has completed your');
      return found.length > 0 ? found : undefined;
    });

    // Assert
    expect(thanks).toHaveLength(1);
    expect(thanks[0]?.body).toContain('has completed your AC repair');
    expect(thanks[0]?.body).toContain('Work done: 1 hour 30 minutes of labor. Thank you!');

    // Act: a follow-up reminder in 3 months, then the clock passes its day, and it is delivered twice.
    const note = 'Time to look at the ageing condenser again';
    const today = calendar.dayOf(await clockNow(admin));
    const invalid = await call<{ errors: { field: string }[] }>(
      'POST',
      `/v1/work-orders/${id}/reminders`,
      dispatcher,
      {
        in: { months: 3 },
        on: day,
        note,
      },
    );
    const set = await call<{ id: string; dueOn: string; status: string }>(
      'POST',
      `/v1/work-orders/${id}/reminders`,
      dispatcher,
      { in: { months: 3 }, note, createTask: true, messageCustomer: true },
    );
    const fired = await moveClockTo(admin, set.body.dueOn, '09:30');
    const tasks = await call<{ items: { id: string; description: string; dueDate: string }[] }>(
      'GET',
      '/v1/tasks',
      dispatcher,
    );
    await entities.localSchedule
      .patch({ name: `follow-up-reminder-${set.body.id}` })
      .set({ state: 'pending' })
      .go();
    await moveClockTo(admin, set.body.dueOn, '09:31');
    const reminders = await call<{ items: { id: string; status: string; taskId?: string }[] }>(
      'GET',
      `/v1/work-orders/${id}/reminders`,
      dispatcher,
    );

    // Assert
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((error) => error.field).sort()).toEqual([
      'body.createTask',
      'body.in',
      'body.messageCustomer',
      'body.on',
    ]);
    expect(set.status).toBe(201);
    expect(set.body).toMatchObject({ status: 'pending', dueOn: addCalendarMonths(today, 3) });
    expect(fired.fired).toBeGreaterThanOrEqual(1);
    const followUpTasks = tasks.body.items.filter((task) => task.description === note);
    expect(followUpTasks).toEqual([expect.objectContaining({ dueDate: set.body.dueOn })]);
    expect((await call<{ items: unknown[] }>('GET', '/v1/tasks', dispatcher)).body.items).toHaveLength(1);
    expect(await messagesTo(dispatcher, id, note)).toHaveLength(1);
    expect(reminders.body.items).toEqual([
      expect.objectContaining({ id: set.body.id, status: 'done', taskId: followUpTasks[0]?.id }),
    ]);
  }, 120_000);
});
