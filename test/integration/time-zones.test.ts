import { beforeAll, describe, expect, it } from 'vitest';
import { aStoredWorkOrder, aTenant, aWorkOrderRequest, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

type Board = {
  lanes: {
    technician: { technicianId: string };
    workOrders: { id: string; schedule?: { start: string } }[];
  }[];
  unassigned: { id: string }[];
};

type Schedule = {
  day: { start: string; end: string };
  workingIntervals: { start: string; end: string }[];
  visits: { id: string; start: string }[];
};

interface ChangeDay {
  change: string;
  date: string;
  hours: number;
  /** Local times of the day and the instants they are; on the fall-back day 01:30 happens twice. */
  visits: [local: string, instant: string][];
  /** 23:30 of the evening before and 00:30 of the morning after: on the neighbouring days. */
  neighbours: [date: string, instant: string][];
  /** Booked through the API, unassigned: the API works out the local day itself. */
  bookedThroughTheApi: string;
  dayBefore: string;
  /** 08:00–17:00 local on the day before and on the day itself. */
  workingBefore: { start: string; end: string };
  workingOn: { start: string; end: string };
}

const changeDays: ChangeDay[] = [
  {
    change: 'go forward (a 23-hour day)',
    date: '2027-03-14',
    hours: 23,
    visits: [
      ['00:30 EST', '2027-03-14T05:30:00.000Z'],
      ['01:30 EST', '2027-03-14T06:30:00.000Z'],
      ['03:30 EDT', '2027-03-14T07:30:00.000Z'],
      ['23:30 EDT', '2027-03-15T03:30:00.000Z'],
    ],
    neighbours: [
      ['2027-03-13', '2027-03-14T04:30:00.000Z'],
      ['2027-03-15', '2027-03-15T04:30:00.000Z'],
    ],
    bookedThroughTheApi: '2027-03-15T03:45:00.000Z',
    dayBefore: '2027-03-13',
    workingBefore: { start: '2027-03-13T13:00:00.000Z', end: '2027-03-13T22:00:00.000Z' },
    workingOn: { start: '2027-03-14T12:00:00.000Z', end: '2027-03-14T21:00:00.000Z' },
  },
  {
    change: 'go back (a 25-hour day)',
    date: '2027-11-07',
    hours: 25,
    visits: [
      ['00:30 EDT', '2027-11-07T04:30:00.000Z'],
      ['01:30 EDT', '2027-11-07T05:30:00.000Z'],
      ['01:30 EST', '2027-11-07T06:30:00.000Z'],
      ['03:30 EST', '2027-11-07T08:30:00.000Z'],
      ['23:30 EST', '2027-11-08T04:30:00.000Z'],
    ],
    neighbours: [
      ['2027-11-06', '2027-11-07T03:30:00.000Z'],
      ['2027-11-08', '2027-11-08T05:30:00.000Z'],
    ],
    bookedThroughTheApi: '2027-11-08T04:45:00.000Z',
    dayBefore: '2027-11-06',
    workingBefore: { start: '2027-11-06T12:00:00.000Z', end: '2027-11-06T21:00:00.000Z' },
    workingOn: { start: '2027-11-07T13:00:00.000Z', end: '2027-11-07T22:00:00.000Z' },
  },
];

const plusMinutes = (instant: string, minutes: number) =>
  new Date(Date.parse(instant) + minutes * 60_000).toISOString();

describe('Time-zone correctness for a tenant in America/New_York across a DST change', () => {
  let tenant: TenantFixture;
  let dispatcher: string;
  /** Ids of the stored visits of each change day, in time order, and of the one booked through the API. */
  const visitIds = new Map<string, string[]>();
  const bookedIds = new Map<string, string>();

  beforeAll(async () => {
    tenant = await aTenant(entities, { timeZone: 'America/New_York' });
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
    const admin = await tokenFor('admin', tenant.tenantId);
    const everyDay = Object.fromEntries(
      ['0', '1', '2', '3', '4', '5', '6'].map((day) => [day, [{ start: '08:00', end: '17:00' }]]),
    );
    const changed = await api('PATCH', `/v1/technicians/${tenant.technicianId}`, {
      token: admin,
      body: { workingHours: everyDay },
    });
    expect(changed.status).toBe(200);
    const visitAt = (date: string, start: string) =>
      aStoredWorkOrder(entities, tenant, {
        status: 'dispatched',
        technicianId: tenant.technicianId,
        scheduledStart: start,
        scheduledEnd: plusMinutes(start, 45),
        scheduledDate: date,
      });
    for (const day of changeDays) {
      const stored = await Promise.all(day.visits.map(([, instant]) => visitAt(day.date, instant)));
      visitIds.set(
        day.date,
        stored.map((workOrder) => workOrder.workOrderId),
      );
      await Promise.all(day.neighbours.map(([date, instant]) => visitAt(date, instant)));
      const created = await api<{ id: string }>('POST', '/v1/work-orders', {
        token: dispatcher,
        body: aWorkOrderRequest(tenant),
      });
      const booked = await api('POST', `/v1/work-orders/${created.body.id}/schedule`, {
        token: dispatcher,
        body: { start: day.bookedThroughTheApi },
      });
      expect(booked.status).toBe(200);
      bookedIds.set(day.date, created.body.id);
    }
  });

  it.each(changeDays)(
    'on the day the clocks $change, the dispatch board holds exactly that day’s visits in time order',
    async (day) => {
      // Act
      const board = await api<Board>('GET', `/v1/dispatch-board?date=${day.date}`, { token: dispatcher });

      // Assert
      expect(board.status).toBe(200);
      const lane = board.body.lanes.find(
        (candidate) => candidate.technician.technicianId === tenant.technicianId,
      );
      expect(lane?.workOrders.map((workOrder) => workOrder.id)).toEqual(visitIds.get(day.date));
      expect(lane?.workOrders.map((workOrder) => workOrder.schedule?.start)).toEqual(
        day.visits.map(([, instant]) => instant),
      );
      expect(board.body.unassigned.map((workOrder) => workOrder.id)).toEqual([bookedIds.get(day.date)]);
    },
  );

  it.each(changeDays)(
    'on the day the clocks $change, the technician’s schedule holds exactly that day’s visits',
    async (day) => {
      // Act
      const schedule = await api<Schedule>(
        'GET',
        `/v1/technicians/${tenant.technicianId}/schedule?date=${day.date}`,
        { token: dispatcher },
      );

      // Assert
      expect(schedule.status).toBe(200);
      expect(schedule.body.visits.map((visit) => visit.id)).toEqual(visitIds.get(day.date));
      expect(schedule.body.visits.map((visit) => visit.start)).toEqual(
        day.visits.map(([, instant]) => instant),
      );
      const { start, end } = schedule.body.day;
      expect((Date.parse(end) - Date.parse(start)) / 3_600_000).toBe(day.hours);
    },
  );

  it.each(changeDays)(
    'when the clocks $change, working hours of 08:00–17:00 are at the right UTC instants on both sides',
    async (day) => {
      // Act
      const [before, on] = await Promise.all(
        [day.dayBefore, day.date].map((date) =>
          api<Schedule>('GET', `/v1/technicians/${tenant.technicianId}/schedule?date=${date}`, {
            token: dispatcher,
          }),
        ),
      );

      // Assert
      expect(before?.body.workingIntervals).toEqual([day.workingBefore]);
      expect(on?.body.workingIntervals).toEqual([day.workingOn]);
    },
  );

  it('when the neighbouring days are read, each holds only its own visit', async () => {
    // Act
    const neighbours = changeDays.flatMap((day) => day.neighbours);
    const schedules = await Promise.all(
      neighbours.map(([date]) =>
        api<Schedule>('GET', `/v1/technicians/${tenant.technicianId}/schedule?date=${date}`, {
          token: dispatcher,
        }),
      ),
    );

    // Assert
    expect(schedules.map((schedule) => schedule.body.visits.map((visit) => visit.start))).toEqual(
      neighbours.map(([, instant]) => [instant]),
    );
  });
});
