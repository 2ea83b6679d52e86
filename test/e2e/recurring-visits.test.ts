import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entities } from '../../lambdas/adapters/dynamodb/entities.ts';
import { addLocalDays } from '../../lambdas/domain/scheduling/local-time.ts';
import { instantOfWallClock } from '../../lambdas/domain/shared/schedule-time.ts';
import type { Role } from '../../lambdas/shared/roles.ts';
import type { Platform } from '../../lib/local/platform.ts';
import { aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { callApi, type OwnPlatform, startOwnPlatform, tokenOfRole } from '../helpers/own-platform.ts';

// The visits of a year are created as the local clock passes their days, and moving the clock a
// year ahead would move it for every other test: this file runs a platform of its own.

const zone = 'America/Chicago';
const leadDays = 14;

interface ClockBody {
  now: string;
  fired?: number;
}

interface VisitsBody {
  nextVisitOn: string | null;
  items: { day: string; status: string; workOrderId?: string }[];
}

interface WorkOrderBody {
  id: string;
  status: string;
  agreementId?: string;
  occurrence?: string;
  suggestedSlot?: { start: string; technicianId: string; score: number };
  schedule?: { start: string; technicianId?: string };
}

/** A day `months` calendar months after `day` (whose day of the month is at most 28). */
const monthsAfter = (day: string, months: number): string => {
  const [year, month] = day.split('-').map(Number) as [number, number];
  const index = year * 12 + (month - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-${day.slice(8)}`;
};

describe('recurring visits of a service agreement over a year of the local clock (a platform of its own)', () => {
  let platform: Platform;
  let own: OwnPlatform | undefined;
  let entities: Entities;

  const call = <T = Record<string, unknown>>(method: string, path: string, token: string, body?: unknown) =>
    callApi<T>(platform, method, path, token, body);
  const tokenOf = (role: Role, tenant: TenantFixture) => tokenOfRole(platform, role, tenant);
  const moveClock = async (admin: string, body: unknown) => {
    const moved = await call<ClockBody>('POST', '/local/clock', admin, body);
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    return moved.body;
  };

  beforeAll(async () => {
    own = await startOwnPlatform('visits');
    ({ platform, entities } = own);
  }, 120_000);

  afterAll(async () => {
    await own?.stop();
  });

  it('when a quarterly plan’s year passes on the clock, exactly its four work orders are created, each once, each with a slot suggested on its day', async () => {
    // Arrange: the term starts tomorrow (or on the 1st after it, so that every quarter has the day).
    const tenant = await aTenant(entities);
    const [admin, dispatcher] = await Promise.all([tokenOf('admin', tenant), tokenOf('dispatcher', tenant)]);
    const { body: clock } = await call<ClockBody>('GET', '/local/clock', admin);
    const tomorrow = addLocalDays(format(new TZDate(clock.now, zone), 'yyyy-MM-dd'), 1);
    const termStart =
      Number(tomorrow.slice(8)) <= 28 ? tomorrow : `${monthsAfter(tomorrow, 1).slice(0, 8)}01`;
    const expectedDays = [0, 3, 6, 9].map((months) => monthsAfter(termStart, months));
    const created = await call<{ id: string; nextVisitOn: string; visits: { rrule: string } }>(
      'POST',
      '/v1/agreements',
      dispatcher,
      {
        customerId: tenant.customerId,
        name: 'Comfort Club',
        serviceTypeIds: [tenant.serviceTypeId],
        billing: { frequency: 'quarterly', amount: 8_900 },
        termStart,
        visits: {
          rrule: 'FREQ=MONTHLY;INTERVAL=3',
          leadDays,
          serviceTypeId: tenant.serviceTypeId,
          locationId: tenant.locationId,
          description: 'Seasonal HVAC tune-up',
        },
      },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      nextVisitOn: termStart,
      visits: { rrule: 'FREQ=MONTHLY;INTERVAL=3' },
    });
    const agreementId = created.body.id;
    const visitsOf = async () =>
      (await call<VisitsBody>('GET', `/v1/agreements/${agreementId}/visits`, dispatcher)).body;
    const planned = await visitsOf();

    // Act: the first visit's time has come already (a minute on); then to just past each next
    // visit's time, two weeks before its day at 07:00.
    await moveClock(admin, { advanceMinutes: 2 });
    const afterFirst = await visitsOf();
    for (const day of expectedDays.slice(1)) {
      const due = instantOfWallClock(`${addLocalDays(day, -leadDays)}T07:05`, zone);
      await moveClock(admin, { to: due.toISOString() });
    }
    const workOrders = await Promise.all(
      (await visitsOf()).items.map(
        async (visit) =>
          (await call<WorkOrderBody>('GET', `/v1/work-orders/${visit.workOrderId}`, dispatcher)).body,
      ),
    );
    // Past the term's end; then the second visit's schedule is delivered once more.
    await moveClock(admin, {
      to: instantOfWallClock(`${monthsAfter(termStart, 12)}T12:00`, zone).toISOString(),
    });
    await entities.localSchedule
      .patch({ name: `agreement-visit-${agreementId}-${expectedDays[1]}` })
      .set({ state: 'pending' })
      .go();
    const again = await moveClock(admin, { advanceMinutes: 1 });
    const final = await visitsOf();
    const listed = await call<{ items: WorkOrderBody[] }>(
      'GET',
      `/v1/work-orders?customerId=${tenant.customerId}&limit=100`,
      dispatcher,
    );

    // Assert
    expect(planned.items).toEqual(expectedDays.map((day) => ({ day, status: 'planned' })));
    expect(afterFirst.items.map((visit) => visit.status)).toEqual([
      'created',
      'planned',
      'planned',
      'planned',
    ]);
    expect(again.fired).toBeGreaterThanOrEqual(1);
    expect(final.nextVisitOn).toBeNull();
    expect(final.items.map((visit) => [visit.day, visit.status])).toEqual(
      expectedDays.map((day) => [day, 'created']),
    );
    const fromAgreement = listed.body.items.filter((workOrder) => workOrder.agreementId === agreementId);
    expect(fromAgreement.map((workOrder) => workOrder.occurrence).sort()).toEqual(expectedDays);
    expect(new Set(fromAgreement.map((workOrder) => workOrder.id)).size).toBe(4);
    for (const [index, workOrder] of workOrders.entries()) {
      expect(workOrder).toMatchObject({ agreementId, occurrence: expectedDays[index] });
      expect(workOrder.suggestedSlot?.technicianId).toBe(tenant.technicianId);
      expect(format(new TZDate(workOrder.suggestedSlot?.start ?? '', zone), 'yyyy-MM-dd')).toBe(
        expectedDays[index],
      );
    }
  }, 240_000);

  it('when the office books the suggested slot, the work order is scheduled there; its timeline shows the agreement created it', async () => {
    // Arrange: a monthly plan whose first visit's time comes at once.
    const tenant = await aTenant(entities);
    const [admin, dispatcher] = await Promise.all([tokenOf('admin', tenant), tokenOf('dispatcher', tenant)]);
    const { body: clock } = await call<ClockBody>('GET', '/local/clock', admin);
    const termStart = addLocalDays(format(new TZDate(clock.now, zone), 'yyyy-MM-dd'), 2);
    const created = await call<{ id: string }>('POST', '/v1/agreements', dispatcher, {
      customerId: tenant.customerId,
      name: 'Pest Shield',
      serviceTypeIds: [tenant.serviceTypeId],
      billing: { frequency: 'monthly', amount: 3_900 },
      termStart,
      visits: {
        rrule: 'FREQ=MONTHLY',
        leadDays: 7,
        serviceTypeId: tenant.serviceTypeId,
        locationId: tenant.locationId,
        description: 'Monthly pest treatment',
        preferredTime: { start: '13:00', end: '16:00' },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await moveClock(admin, { advanceMinutes: 2 });
    const [first] = (await call<VisitsBody>('GET', `/v1/agreements/${created.body.id}/visits`, dispatcher))
      .body.items;
    const workOrderId = first?.workOrderId ?? '';
    const { body: suggested } = await call<WorkOrderBody>(
      'GET',
      `/v1/work-orders/${workOrderId}`,
      dispatcher,
    );

    // Act
    const booked = await call<WorkOrderBody>('POST', `/v1/work-orders/${workOrderId}/schedule`, dispatcher, {
      start: suggested.suggestedSlot?.start,
      technicianId: suggested.suggestedSlot?.technicianId,
    });
    const timeline = await call<{
      items: { action: string; actorId: string; changes: Record<string, { after?: unknown }> }[];
    }>('GET', `/v1/work-orders/${workOrderId}/timeline`, dispatcher);

    // Assert
    expect(format(new TZDate(suggested.suggestedSlot?.start ?? '', zone), 'HH:mm') >= '13:00').toBe(true);
    expect(booked.status, JSON.stringify(booked.body)).toBe(200);
    expect(booked.body).toMatchObject({
      status: 'scheduled',
      schedule: {
        start: suggested.suggestedSlot?.start,
        technicianId: suggested.suggestedSlot?.technicianId,
      },
    });
    const [creation] = timeline.body.items;
    expect(creation).toMatchObject({
      action: 'created',
      actorId: 'agreement',
      changes: { agreementId: { after: created.body.id }, occurrence: { after: termStart } },
    });
    expect(timeline.body.items.map((event) => event.action)).toContain('slot_suggested');
  }, 120_000);
});
