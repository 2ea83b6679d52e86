import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { addLocalDays } from '../../lambdas/domain/scheduling/local-time.ts';
import { aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { api, eventually, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();
const zone = 'America/Chicago';

interface ProblemBody {
  status: number;
  errors?: { field: string; message: string }[];
}

interface VisitsBody {
  agreementId: string;
  nextVisitOn: string | null;
  items: { day: string; status: string; workOrderId?: string; reason?: string }[];
}

/** A local day of the fixture tenant, `days` from today. */
const dayFromToday = (days: number) => addLocalDays(format(new TZDate(Date.now(), zone), 'yyyy-MM-dd'), days);

describe('visit plans of service agreements through the API', () => {
  let tenant: TenantFixture;
  let dispatcher: string;

  /** Weekly visits from tomorrow, each work order on its own day (lead time none): nothing fires during a test. */
  const aPlan = (overrides: Record<string, unknown> = {}) => ({
    rrule: 'FREQ=WEEKLY',
    leadDays: 0,
    serviceTypeId: tenant.serviceTypeId,
    locationId: tenant.locationId,
    description: 'Weekly pest treatment',
    ...overrides,
  });
  const anAgreementRequest = (visits: unknown, name = 'Pest Shield') => ({
    customerId: tenant.customerId,
    name,
    serviceTypeIds: [tenant.serviceTypeId],
    billing: { frequency: 'monthly', amount: 3_900 },
    termStart: dayFromToday(1),
    termEnd: dayFromToday(29),
    visits,
  });
  const visitsOf = async (agreementId: string) =>
    api<VisitsBody>('GET', `/v1/agreements/${agreementId}/visits`, { token: dispatcher });
  /** What EventBridge Scheduler would do at its time: the visit's schedule made due now, so the runner fires it. */
  const fireVisitSchedule = (agreementId: string, day: string) =>
    entities.localSchedule
      .patch({ name: `agreement-visit-${agreementId}-${day}` })
      .set({ state: 'pending', fireAt: new Date(Date.now() - 1_000).toISOString() })
      .go();

  beforeAll(async () => {
    tenant = await aTenant(entities);
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
  });

  it('when an agreement is entered with a visit plan, it answers the plan and its days are planned, the first one’s schedule pending', async () => {
    // Act
    const created = await api<{ id: string; nextVisitOn: string; visits: Record<string, unknown> }>(
      'POST',
      '/v1/agreements',
      { token: dispatcher, body: anAgreementRequest(aPlan({ rrule: 'rrule:freq=weekly' })) },
    );
    const visits = await visitsOf(created.body.id);

    // Assert
    expect(created.status).toBe(201);
    expect(created.body.visits).toEqual({ ...aPlan(), rrule: 'FREQ=WEEKLY', since: dayFromToday(1) });
    expect(created.body.nextVisitOn).toBe(dayFromToday(1));
    expect(visits.body).toEqual({
      agreementId: created.body.id,
      nextVisitOn: dayFromToday(1),
      items: [1, 8, 15, 22, 29].map((days) => ({ day: dayFromToday(days), status: 'planned' })),
    });
    const { data: schedule } = await entities.localSchedule
      .get({ name: `agreement-visit-${created.body.id}-${dayFromToday(1)}` })
      .go();
    expect(schedule).toMatchObject({ state: 'pending', timeZone: zone });
    expect(JSON.parse(schedule?.payload ?? '{}')).toEqual({
      kind: 'agreement-visit',
      tenantId: tenant.tenantId,
      agreementId: created.body.id,
      day: dayFromToday(1),
    });
  });

  it.each([
    ['a sub-daily rule', { rrule: 'FREQ=HOURLY' }, 'body.visits.rrule'],
    ['a rule with its own DTSTART', { rrule: 'FREQ=MONTHLY;DTSTART=20250101' }, 'body.visits.rrule'],
    ['an UNTIL that is a date-time', { rrule: 'FREQ=MONTHLY;UNTIL=20301231T000000Z' }, 'body.visits.rrule'],
    ['not a rule at all', { rrule: 'every other Tuesday' }, 'body.visits.rrule'],
    ['a lead time over 90 days', { leadDays: 91 }, 'body.visits.leadDays'],
    ['a negative lead time', { leadDays: -1 }, 'body.visits.leadDays'],
    ['an unknown service type', { serviceTypeId: `svc_${ulid()}` }, 'body.visits.serviceTypeId'],
    ['another customer’s location', { locationId: 'other' }, 'body.visits.locationId'],
  ])('when the plan has %s, it is 400 naming %s and no agreement is written', async (_, overrides, field) => {
    // Arrange
    const plan = aPlan(
      'locationId' in overrides ? { locationId: tenant.otherCustomersLocationId } : overrides,
    );
    const name = `Refused plan ${ulid()}`;

    // Act
    const refused = await api<ProblemBody>('POST', '/v1/agreements', {
      token: dispatcher,
      body: anAgreementRequest(plan, name),
    });
    const listed = await api<{ items: { name: string }[] }>(
      'GET',
      `/v1/agreements?customerId=${tenant.customerId}&limit=100`,
      { token: dispatcher },
    );

    // Assert
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.map((error) => error.field)).toEqual([field]);
    expect(listed.status).toBe(200);
    expect(listed.body.items.filter((agreement) => agreement.name === name)).toEqual([]);
  });

  it('when a visit’s schedule fires, its work order appears with the agreement, the day and a suggested slot on that day; skipping that day is then 409', async () => {
    // Arrange
    const created = await api<{ id: string }>('POST', '/v1/agreements', {
      token: dispatcher,
      body: anAgreementRequest(aPlan()),
    });
    const agreementId = created.body.id;
    const day = dayFromToday(1);

    // Act
    await fireVisitSchedule(agreementId, day);
    const visits = await eventually(async () => {
      const { body } = await visitsOf(agreementId);
      // Created, suggested and moved on: the run is over.
      return body.items[0]?.status === 'created' && body.nextVisitOn === dayFromToday(8) ? body : undefined;
    }, 20_000);
    const workOrderId = visits.items[0]?.workOrderId ?? '';
    const workOrder = await eventually(async () => {
      const { body } = await api<{ suggestedSlot?: { start: string } }>(
        'GET',
        `/v1/work-orders/${workOrderId}`,
        {
          token: dispatcher,
        },
      );
      return body.suggestedSlot ? body : undefined;
    }, 20_000);
    const skipCreated = await api<ProblemBody & { workOrderId?: string }>(
      'POST',
      `/v1/agreements/${agreementId}/visits/skip`,
      { token: dispatcher, body: { day } },
    );

    // Assert
    expect(visits.nextVisitOn).toBe(dayFromToday(8));
    expect(workOrder).toMatchObject({
      agreementId,
      occurrence: day,
      serviceTypeId: tenant.serviceTypeId,
      locationId: tenant.locationId,
      description: 'Weekly pest treatment',
      priority: 'routine',
      createdBy: 'agreement',
      suggestedSlot: { technicianId: tenant.technicianId, score: expect.any(Number) },
    });
    expect(format(new TZDate(workOrder.suggestedSlot?.start ?? '', zone), 'yyyy-MM-dd')).toBe(day);
    expect(skipCreated.status).toBe(409);
    expect(skipCreated.body.workOrderId).toBe(workOrderId);
  }, 60_000);

  it('when the office skips the next visit, it is listed skipped and its schedule creates no work order; a day off the plan is 400', async () => {
    // Arrange
    const created = await api<{ id: string }>('POST', '/v1/agreements', {
      token: dispatcher,
      body: anAgreementRequest(aPlan()),
    });
    const agreementId = created.body.id;
    const day = dayFromToday(1);

    // Act
    const skipped = await api('POST', `/v1/agreements/${agreementId}/visits/skip`, {
      token: dispatcher,
      body: { day, reason: 'Customer away' },
      headers: { 'idempotency-key': `skip-${ulid()}` },
    });
    const offPlan = await api<ProblemBody>('POST', `/v1/agreements/${agreementId}/visits/skip`, {
      token: dispatcher,
      body: { day: dayFromToday(2) },
    });
    await fireVisitSchedule(agreementId, day);
    const moved = await eventually(async () => {
      const { body } = await visitsOf(agreementId);
      return body.nextVisitOn === dayFromToday(8) ? body : undefined;
    }, 20_000);
    const workOrders = await api<{ items: { agreementId?: string }[] }>(
      'GET',
      `/v1/work-orders?customerId=${tenant.customerId}&limit=100`,
      { token: dispatcher },
    );

    // Assert
    expect(skipped).toMatchObject({ status: 200, body: { day, status: 'skipped', reason: 'Customer away' } });
    expect(offPlan.status).toBe(400);
    expect(offPlan.body.errors?.map((error) => error.field)).toEqual(['body.day']);
    expect(moved.items[0]).toEqual({ day, status: 'skipped', reason: 'Customer away' });
    expect(workOrders.body.items.filter((workOrder) => workOrder.agreementId === agreementId)).toEqual([]);
  }, 60_000);

  it('when the office pauses the agreement, a visit whose time comes passes without a work order', async () => {
    // Arrange
    const created = await api<{ id: string; version: number }>('POST', '/v1/agreements', {
      token: dispatcher,
      body: anAgreementRequest(aPlan()),
    });
    const agreementId = created.body.id;
    const paused = await api('PATCH', `/v1/agreements/${agreementId}`, {
      token: dispatcher,
      body: { status: 'paused' },
    });

    // Act
    await fireVisitSchedule(agreementId, dayFromToday(1));
    const visits = await eventually(async () => {
      const { body } = await visitsOf(agreementId);
      return body.items[0]?.status === 'paused' && body.nextVisitOn === dayFromToday(8) ? body : undefined;
    }, 20_000);

    // Assert
    expect(paused.status).toBe(200);
    expect(visits.items.slice(0, 2)).toEqual([
      { day: dayFromToday(1), status: 'paused' },
      { day: dayFromToday(8), status: 'planned' },
    ]);
    expect(visits.nextVisitOn).toBe(dayFromToday(8));
  }, 60_000);

  it('when the plan is changed by PATCH, the new one answers and its first day waits in the schedules; a bad rule is 400', async () => {
    // Arrange
    const created = await api<{ id: string }>('POST', '/v1/agreements', {
      token: dispatcher,
      body: anAgreementRequest(aPlan()),
    });
    const agreementId = created.body.id;

    // Act
    const changed = await api<{ nextVisitOn: string; visits: { rrule: string } }>(
      'PATCH',
      `/v1/agreements/${agreementId}`,
      { token: dispatcher, body: { visits: aPlan({ rrule: 'FREQ=DAILY;INTERVAL=10' }) } },
    );
    const refused = await api<ProblemBody>('PATCH', `/v1/agreements/${agreementId}`, {
      token: dispatcher,
      body: { visits: aPlan({ rrule: 'FREQ=MINUTELY' }) },
    });

    // Assert
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      nextVisitOn: dayFromToday(1),
      visits: { rrule: 'FREQ=DAILY;INTERVAL=10' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.map((error) => error.field)).toEqual(['body.visits.rrule']);
    const { data: schedule } = await entities.localSchedule
      .get({ name: `agreement-visit-${agreementId}-${dayFromToday(1)}` })
      .go();
    expect(schedule?.state).toBe('pending');
  });
});
