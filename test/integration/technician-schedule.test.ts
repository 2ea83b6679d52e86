import { beforeAll, describe, expect, it } from 'vitest';
import { aStoredWorkOrder, aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

type Schedule = {
  technicianId: string;
  date: string;
  timeZone: string;
  day: { start: string; end: string };
  workingIntervals: { start: string; end: string }[];
  timeOff: { start: string; end: string; reason?: string }[];
  visits: {
    id: string;
    status: string;
    customerId: string;
    locationId?: string;
    start: string;
    end: string;
  }[];
  errors?: { field: string }[];
};

/** A Tuesday in Chicago (CDT, UTC−5): the fixture's technicians work 06:00–20:00 local. */
const date = '2031-06-10';

describe('a technician’s schedule of a day', () => {
  let tenant: TenantFixture;
  let dispatcher: string;
  let morning: string;
  let afternoon: string;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
    const visit = async (start: string, end: string, status: 'dispatched' | 'cancelled' = 'dispatched') =>
      (
        await aStoredWorkOrder(entities, tenant, {
          status,
          technicianId: tenant.technicianId,
          scheduledStart: start,
          scheduledEnd: end,
          scheduledDate: date,
        })
      ).workOrderId;
    afternoon = await visit('2031-06-10T19:00:00.000Z', '2031-06-10T20:30:00.000Z');
    morning = await visit('2031-06-10T14:00:00.000Z', '2031-06-10T15:00:00.000Z');
    await visit('2031-06-10T16:00:00.000Z', '2031-06-10T17:00:00.000Z', 'cancelled');
    for (const timeOff of [
      { start: '2031-06-10T12:00:00-05:00', end: '2031-06-10T13:00:00-05:00', reason: 'Dentist' },
      { start: '2031-06-12T08:00:00-05:00', end: '2031-06-12T17:00:00-05:00', reason: 'Training' },
    ]) {
      const recorded = await api('POST', `/v1/technicians/${tenant.technicianId}/time-off`, {
        token: dispatcher,
        body: timeOff,
      });
      expect(recorded.status).toBe(201);
    }
  });

  it('when the office asks, it lists the day’s visits in time order with working hours and time off as instants', async () => {
    // Act
    const schedule = await api<Schedule>(
      'GET',
      `/v1/technicians/${tenant.technicianId}/schedule?date=${date}`,
      {
        token: dispatcher,
      },
    );

    // Assert
    expect(schedule.status).toBe(200);
    expect(schedule.body).toMatchObject({
      technicianId: tenant.technicianId,
      date,
      timeZone: 'America/Chicago',
      day: { start: '2031-06-10T05:00:00.000Z', end: '2031-06-11T05:00:00.000Z' },
      workingIntervals: [{ start: '2031-06-10T11:00:00.000Z', end: '2031-06-11T01:00:00.000Z' }],
      timeOff: [{ reason: 'Dentist' }],
    });
    expect(schedule.body.visits).toEqual([
      {
        id: morning,
        status: 'dispatched',
        priority: 'routine',
        description: expect.any(String),
        customerId: tenant.customerId,
        locationId: tenant.locationId,
        start: '2031-06-10T14:00:00.000Z',
        end: '2031-06-10T15:00:00.000Z',
      },
      expect.objectContaining({ id: afternoon, start: '2031-06-10T19:00:00.000Z' }),
    ]);
  });

  it('when a technician asks for their own day, they get it; for a colleague’s, 404', async () => {
    // Arrange
    const technician = await tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId });

    // Act
    const own = await api<Schedule>('GET', `/v1/technicians/${tenant.technicianId}/schedule?date=${date}`, {
      token: technician,
    });
    const colleagues = await api<Schedule>(
      'GET',
      `/v1/technicians/${tenant.unqualifiedTechnicianId}/schedule?date=${date}`,
      { token: technician },
    );

    // Assert
    expect(own.status).toBe(200);
    expect(own.body.visits.map((visit) => visit.id)).toEqual([morning, afternoon]);
    expect(colleagues.status).toBe(404);
  });

  it('when the technician is another tenant’s, it answers 404', async () => {
    // Arrange
    const other = await aTenant(entities);
    const othersDispatcher = await tokenFor('dispatcher', other.tenantId);

    // Act
    const response = await api<Schedule>(
      'GET',
      `/v1/technicians/${tenant.technicianId}/schedule?date=${date}`,
      { token: othersDispatcher },
    );

    // Assert
    expect(response.status).toBe(404);
  });

  it.each(['tomorrow', '2031-02-30', '2031-6-10', ''])(
    'when the date is %j, it answers 400 naming query.date',
    async (bad) => {
      // Act
      const response = await api<Schedule>(
        'GET',
        `/v1/technicians/${tenant.technicianId}/schedule?date=${bad}`,
        { token: dispatcher },
      );

      // Assert
      expect(response.status).toBe(400);
      expect(response.body.errors?.map((problem) => problem.field)).toEqual(['query.date']);
    },
  );
});
