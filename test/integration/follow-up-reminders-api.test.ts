import { beforeAll, describe, expect, it } from 'vitest';
import { addLocalDays, LocalCalendar } from '../../lambdas/domain/scheduling/local-time.ts';
import { aWorkOrderRequest } from '../fixtures/tenants.ts';
import { aCrew, type Crew, freeSlots } from '../helpers/crew.ts';
import { api, eventually, tableEntities } from '../helpers/local-platform.ts';

// Setting, listing and cancelling follow-up reminders through the API. The clock is not moved
// here (the shared platform's clock is everyone's): what fires is in test/e2e/customer-automation.

const entities = tableEntities();
const aFreeSlot = freeSlots();
const today = () => new LocalCalendar('America/Chicago').dayOf(new Date());

interface ReminderBody {
  id: string;
  workOrderId: string;
  dueOn: string;
  remindAt: string;
  note: string;
  status: string;
  recommendationId?: string;
  createTask: boolean;
  messageCustomer: boolean;
}

interface ProblemBody {
  status: number;
  currentStatus?: string;
  errors?: { field: string; message: string }[];
}

const post = <T>(token: string, path: string, body: unknown = {}, headers?: Record<string, string>) =>
  api<T>('POST', path, { token, body, ...(headers ? { headers } : {}) });
const get = <T>(token: string, path: string) => api<T>('GET', path, { token });

/** A new work order of the crew's customer, in progress on site. */
async function aJobInProgress(crew: Crew): Promise<string> {
  const created = await post<{ id: string }>(
    crew.dispatcher,
    '/v1/work-orders',
    aWorkOrderRequest(crew.tenant),
  );
  expect(created.status).toBe(201);
  const id = created.body.id;
  const steps: [string, string, unknown][] = [
    [crew.dispatcher, 'schedule', { start: aFreeSlot() }],
    [crew.dispatcher, 'dispatch', { technicianId: crew.tenant.technicianId }],
    [crew.technician, 'field-status', { status: 'en_route' }],
    [crew.technician, 'field-status', { status: 'arrived' }],
    [crew.technician, 'field-status', { status: 'in_progress' }],
  ];
  for (const [token, verb, body] of steps) {
    const response = await post(token, `/v1/work-orders/${id}/${verb}`, body);
    expect(response.status, `${verb} ${JSON.stringify(body)}`).toBe(200);
  }
  return id;
}

describe('follow-up reminders API', () => {
  let crew: Crew;

  beforeAll(async () => {
    crew = await aCrew(entities);
  });

  it('when the office sets one from a recommendation, it is pending, listed, and cancelling it deletes its schedule', async () => {
    // Arrange
    const id = await aJobInProgress(crew);
    const recommendation = await post<{ id: string }>(
      crew.technician,
      `/v1/work-orders/${id}/recommendations`,
      {
        description: 'Replace the 15-year-old condenser before summer',
        urgency: 'medium',
        estimatedPrice: 420_000,
      },
    );
    expect(recommendation.status).toBe(201);
    const on = addLocalDays(today(), 30);

    // Act
    const set = await post<ReminderBody>(crew.dispatcher, `/v1/work-orders/${id}/reminders`, {
      on,
      createTask: true,
      recommendationId: recommendation.body.id,
    });
    const ofWorkOrder = await get<{ items: ReminderBody[] }>(
      crew.dispatcher,
      `/v1/work-orders/${id}/reminders`,
    );
    const pending = await eventually(async () => {
      const listed = await get<{ items: ReminderBody[] }>(crew.dispatcher, '/v1/reminders');
      return listed.body.items.some((item) => item.id === set.body.id) ? listed.body.items : undefined;
    });
    const scheduleBefore = await entities.localSchedule
      .get({ name: `follow-up-reminder-${set.body.id}` })
      .go();
    const cancelled = await post<ReminderBody>(crew.dispatcher, `/v1/reminders/${set.body.id}/cancel`);
    const again = await post<ProblemBody>(crew.dispatcher, `/v1/reminders/${set.body.id}/cancel`);
    const scheduleAfter = await entities.localSchedule
      .get({ name: `follow-up-reminder-${set.body.id}` })
      .go();
    const listedCancelled = await eventually(async () => {
      const listed = await get<{ items: ReminderBody[] }>(crew.dispatcher, '/v1/reminders?status=cancelled');
      return listed.body.items.some((item) => item.id === set.body.id) ? listed.body.items : undefined;
    });
    const timeline = await get<{ items: { action: string }[] }>(
      crew.dispatcher,
      `/v1/work-orders/${id}/timeline`,
    );

    // Assert
    expect(set.status).toBe(201);
    expect(set.body).toMatchObject({
      workOrderId: id,
      dueOn: on,
      note: 'Replace the 15-year-old condenser before summer',
      recommendationId: recommendation.body.id,
      createTask: true,
      messageCustomer: false,
      status: 'pending',
    });
    expect(new LocalCalendar('America/Chicago').timeOf(set.body.remindAt)).toBe('09:00');
    expect(ofWorkOrder.body.items.map((item) => item.id)).toEqual([set.body.id]);
    expect(pending.map((item) => item.id)).toEqual([set.body.id]);
    expect(scheduleBefore.data).toMatchObject({ state: 'pending', fireAt: set.body.remindAt });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(again.status).toBe(409);
    expect(again.body.currentStatus).toBe('cancelled');
    expect(scheduleAfter.data).toBeNull();
    expect(listedCancelled.map((item) => item.id)).toEqual([set.body.id]);
    expect(timeline.body.items.map((event) => event.action)).toEqual(
      expect.arrayContaining(['follow_up_reminder_set', 'follow_up_reminder_cancelled']),
    );
  });

  it('when the same request is sent twice with one Idempotency-Key, one reminder is set', async () => {
    // Arrange
    const id = await aJobInProgress(crew);
    const recommendation = await post<{ id: string }>(
      crew.technician,
      `/v1/work-orders/${id}/recommendations`,
      {
        description: 'Flush the water heater next spring',
        urgency: 'low',
        estimatedPrice: 15_000,
      },
    );
    const body = { in: { months: 6 }, messageCustomer: true, recommendationId: recommendation.body.id };

    // Act
    const first = await post<ReminderBody>(crew.dispatcher, `/v1/work-orders/${id}/reminders`, body, {
      'idempotency-key': `reminder-${id}`,
    });
    const second = await post<ReminderBody>(crew.dispatcher, `/v1/work-orders/${id}/reminders`, body, {
      'idempotency-key': `reminder-${id}`,
    });
    const listed = await get<{ items: ReminderBody[] }>(crew.dispatcher, `/v1/work-orders/${id}/reminders`);

    // Assert
    expect(first.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(listed.body.items).toHaveLength(1);
  });

  it('when the request is refused, it says why and sets nothing', async () => {
    // Arrange
    const id = await aJobInProgress(crew);
    const other = await aCrew(entities);
    const path = `/v1/work-orders/${id}/reminders`;
    const valid = { in: { months: 3 }, note: 'Call back', createTask: true };

    // Act
    const bothWhens = await post<ProblemBody>(crew.dispatcher, path, {
      ...valid,
      on: addLocalDays(today(), 5),
    });
    const nothingToDo = await post<ProblemBody>(crew.dispatcher, path, {
      in: { months: 3 },
      note: 'Call back',
    });
    const past = await post<ProblemBody>(crew.dispatcher, path, {
      on: addLocalDays(today(), -2),
      note: 'Call back',
      createTask: true,
    });
    const notDone = await post<ProblemBody>(crew.dispatcher, path, valid);
    const unknownRecommendation = await post<ProblemBody>(crew.dispatcher, path, {
      ...valid,
      recommendationId: 'rec_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3',
    });
    const byTechnician = await post<ProblemBody>(crew.technician, path, valid);
    const otherTenant = await post<ProblemBody>(other.dispatcher, path, valid);
    const unknownReminder = await post<ProblemBody>(
      crew.dispatcher,
      '/v1/reminders/rmd_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3/cancel',
    );
    const listed = await get<{ items: ReminderBody[] }>(crew.dispatcher, path);

    // Assert
    expect(bothWhens.status).toBe(400);
    expect(bothWhens.body.errors?.map((error) => error.field)).toEqual(['body.in', 'body.on']);
    expect(nothingToDo.status).toBe(400);
    expect(nothingToDo.body.errors?.map((error) => error.field)).toEqual([
      'body.createTask',
      'body.messageCustomer',
    ]);
    expect(past.status).toBe(400);
    expect(past.body.errors?.map((error) => error.field)).toEqual(['body.on']);
    expect(notDone.status).toBe(409);
    expect(notDone.body.currentStatus).toBe('in_progress');
    expect(unknownRecommendation.status).toBe(400);
    expect(unknownRecommendation.body.errors?.map((error) => error.field)).toEqual(['body.recommendationId']);
    expect(byTechnician.status).toBe(403);
    expect(otherTenant.status).toBe(404);
    expect(unknownReminder.status).toBe(404);
    expect(listed.body.items).toEqual([]);
  });
});
