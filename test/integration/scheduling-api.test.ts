import { beforeAll, describe, expect, it } from 'vitest';
import { aTenant, aWorkOrderRequest, fixtureWorkingHours, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

interface SlotBody {
  technicianId: string;
  date: string;
  start: string;
  end: string;
  arrivalWindow: { start: string; end: string };
  score: number;
  reasons: { factor: string; points: number; detail: string }[];
}
interface SlotsBody {
  durationMinutes: number;
  total: number;
  slots: SlotBody[];
}
interface WorkOrderBody {
  id: string;
  status: string;
  technicianId?: string;
  schedule?: { start: string; end: string; arrivalWindow?: { start: string; end: string } };
}
interface ProblemBody {
  status: number;
  errors?: { field: string; message: string }[];
  missing?: string[];
}
interface AvailabilityBody {
  qualifiedTechnicians: number;
  days: {
    date: string;
    technicians: number;
    slots: number;
    openMinutes: number;
    windows?: { technicians: number }[];
  }[];
}

/** A local day in Chicago a few days ahead, distinct per call so tests do not share a day. */
let dayOffset = 4;
const aFutureDay = () => new Date(Date.now() + dayOffset++ * 86_400_000).toISOString().slice(0, 10);

describe('finding and booking time through the API', () => {
  let tenant: TenantFixture;
  let admin: string;
  let dispatcher: string;
  const newWorkOrder = async () =>
    (
      await api<WorkOrderBody>('POST', '/v1/work-orders', {
        token: dispatcher,
        body: aWorkOrderRequest(tenant),
      })
    ).body.id;
  const slotsFor = (id: string, day: string, extra = '') =>
    api<SlotsBody & ProblemBody>('GET', `/v1/work-orders/${id}/slots?from=${day}&to=${day}${extra}`, {
      token: dispatcher,
    });
  const schedule = (id: string, body: Record<string, unknown>) =>
    api<WorkOrderBody & ProblemBody>('POST', `/v1/work-orders/${id}/schedule`, { token: dispatcher, body });

  beforeAll(async () => {
    tenant = await aTenant(entities);
    admin = await tokenFor('admin', tenant.tenantId);
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
    await entities.location
      .patch({ tenantId: tenant.tenantId, locationId: tenant.locationId })
      .set({ latitude: 41.8781, longitude: -87.6298 })
      .go();
  });

  it('when slots are asked for, only the qualified technician is offered, in working hours, each with its reasons', async () => {
    const id = await newWorkOrder();
    const day = aFutureDay();

    const { status, body } = await slotsFor(id, day, '&limit=100');

    expect(status).toBe(200);
    expect(body.durationMinutes).toBe(90);
    expect(body.slots.length).toBeGreaterThan(10);
    expect(new Set(body.slots.map((slot) => slot.technicianId))).toEqual(new Set([tenant.technicianId]));
    for (const slot of body.slots) {
      expect(slot.date).toBe(day);
      // 06:00–20:00 in Chicago is 11:00Z (CDT) or 12:00Z (CST) to 01:00Z or 02:00Z the next day.
      const localStart = new Date(slot.start).toLocaleTimeString('en-GB', {
        timeZone: 'America/Chicago',
        hour12: false,
      });
      const localEnd = new Date(slot.end).toLocaleTimeString('en-GB', {
        timeZone: 'America/Chicago',
        hour12: false,
      });
      expect(localStart >= '06:00:00' && localEnd <= '20:00:00').toBe(true);
      expect(slot.reasons.map((reason) => reason.factor)).toEqual([
        'skills',
        'travel',
        'preference',
        'workload',
        'soonness',
      ]);
      expect(slot.score).toBeCloseTo(
        slot.reasons.reduce((sum, reason) => sum + reason.points, 0),
        0,
      );
    }
  });

  it('when a slot is booked, it is no longer offered to another work order, and the customer is told', async () => {
    const [first, second] = [await newWorkOrder(), await newWorkOrder()];
    const day = aFutureDay();
    const offered = (await slotsFor(first, day, '&limit=100')).body.slots;
    const chosen = offered[0];
    if (!chosen) throw new Error('no slot offered');

    const booked = await schedule(first, { start: chosen.start, technicianId: chosen.technicianId });
    const offeredAfter = (await slotsFor(second, day, '&limit=100')).body.slots;

    expect(booked.status).toBe(200);
    expect(booked.body).toMatchObject({ status: 'scheduled', technicianId: chosen.technicianId });
    expect(booked.body.schedule).toMatchObject({ start: chosen.start, end: chosen.end });
    const clashes = offeredAfter.filter(
      (slot) =>
        Date.parse(slot.start) < Date.parse(chosen.end) && Date.parse(chosen.start) < Date.parse(slot.end),
    );
    expect(clashes).toEqual([]);
    const outbox = await api<{ items: { workOrderId?: string; subject?: string }[] }>(
      'GET',
      '/local/outbox',
      {
        token: dispatcher,
      },
    );
    await expect
      .poll(
        async () =>
          (
            await api<{ items: { workOrderId?: string; subject?: string }[] }>('GET', '/local/outbox', {
              token: dispatcher,
            })
          ).body.items.filter(
            (message) => message.workOrderId === first && message.subject?.startsWith('Your'),
          ),
        { timeout: 10_000 },
      )
      .toHaveLength(1);
    expect(outbox.status).toBe(200);
  });

  it('when a booking falls outside working hours, in time off, or with a technician without the skills, it is refused and nothing changes', async () => {
    const id = await newWorkOrder();
    const day = aFutureDay();
    await api('POST', `/v1/technicians/${tenant.technicianId}/time-off`, {
      token: dispatcher,
      body: { start: `${day}T15:00:00-06:00`, end: `${day}T17:00:00-06:00`, reason: 'Training' },
    });

    const night = await schedule(id, { start: `${day}T03:00:00-06:00`, technicianId: tenant.technicianId });
    const off = await schedule(id, { start: `${day}T15:30:00-06:00`, technicianId: tenant.technicianId });
    const unqualified = await schedule(id, {
      start: `${day}T09:00:00-06:00`,
      technicianId: tenant.unqualifiedTechnicianId,
    });
    const after = await api<WorkOrderBody>('GET', `/v1/work-orders/${id}`, { token: dispatcher });

    expect(night.status).toBe(409);
    expect(night.body.errors?.[0]).toMatchObject({ field: 'body.start' });
    expect(night.body.errors?.[0]?.message).toContain('working hours');
    expect(off.status).toBe(409);
    expect(off.body.errors?.[0]?.message).toContain('off');
    expect(unqualified.status).toBe(422);
    expect(unqualified.body.missing).toEqual(['technician skill: hvac']);
    expect(after.body.status).toBe('new');
  });

  it('when an emergency is booked ASAP, the earliest qualified technician gets it, and the same key answers the same', async () => {
    const id = await newWorkOrder();
    const key = `asap-${id}`;

    const booked = await api<{ workOrder: WorkOrderBody; booked: { technicianId: string; start: string } }>(
      'POST',
      `/v1/work-orders/${id}/asap`,
      { token: dispatcher, body: {}, headers: { 'idempotency-key': key } },
    );
    const again = await api<{ workOrder: WorkOrderBody; booked: { technicianId: string; start: string } }>(
      'POST',
      `/v1/work-orders/${id}/asap`,
      { token: dispatcher, body: {}, headers: { 'idempotency-key': key } },
    );

    expect(booked.status).toBe(200);
    expect(booked.body.booked.technicianId).toBe(tenant.technicianId);
    expect(booked.body.workOrder).toMatchObject({ status: 'scheduled', technicianId: tenant.technicianId });
    expect(Date.parse(booked.body.booked.start)).toBeGreaterThanOrEqual(Date.now() - 60_000);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(booked.body);
  });

  it('when capacity is asked for a service type, each day counts the qualified technicians and drops as time is booked', async () => {
    const day = aFutureDay();
    const read = () =>
      api<AvailabilityBody & ProblemBody>(
        'GET',
        `/v1/availability?serviceTypeId=${tenant.serviceTypeId}&from=${day}&to=${day}`,
        { token: dispatcher },
      );
    const before = await read();
    const id = await newWorkOrder();
    await schedule(id, { start: `${day}T10:00:00-06:00`, technicianId: tenant.technicianId });

    const after = await read();

    expect(before.status).toBe(200);
    expect(before.body.qualifiedTechnicians).toBe(1);
    expect(before.body.days).toHaveLength(1);
    expect(before.body.days[0]).toMatchObject({ date: day, technicians: 1, openMinutes: 14 * 60 });
    expect(after.body.days[0]?.openMinutes).toBe(14 * 60 - 90);
    expect(after.body.days[0]?.slots).toBeLessThan(before.body.days[0]?.slots ?? 0);
  });

  it('when the tenant sets arrival windows, slots are promised as windows and a booking records its window', async () => {
    const settings = await api<{ arrivalWindows: unknown[] }>('PATCH', '/v1/settings/scheduling', {
      token: admin,
      body: {
        arrivalWindows: [
          { start: '12:00', end: '16:00' },
          { start: '08:00', end: '12:00' },
        ],
      },
    });
    const id = await newWorkOrder();
    const day = aFutureDay();

    const offered = (await slotsFor(id, day)).body.slots;
    const booked = await schedule(id, { start: offered[0]?.start, technicianId: offered[0]?.technicianId });

    expect(settings.status).toBe(200);
    expect(settings.body.arrivalWindows).toEqual([
      { start: '08:00', end: '12:00' },
      { start: '12:00', end: '16:00' },
    ]);
    expect(offered).toHaveLength(2);
    expect(offered.map((slot) => slot.arrivalWindow.end !== slot.arrivalWindow.start)).toEqual([true, true]);
    expect(booked.body.schedule?.arrivalWindow).toEqual(offered[0]?.arrivalWindow);
    await api('PATCH', '/v1/settings/scheduling', { token: admin, body: { arrivalWindows: [] } });
  });

  it('when the settings or the query are wrong, the answer is 400 naming the field, and a dispatcher cannot change settings', async () => {
    const id = await newWorkOrder();

    const overlapping = await api<ProblemBody>('PATCH', '/v1/settings/scheduling', {
      token: admin,
      body: {
        arrivalWindows: [
          { start: '08:00', end: '12:00' },
          { start: '11:00', end: '15:00' },
        ],
      },
    });
    const byDispatcher = await api<ProblemBody>('PATCH', '/v1/settings/scheduling', {
      token: dispatcher,
      body: { slotStepMinutes: 15 },
    });
    const badRange = await api<ProblemBody>('GET', `/v1/work-orders/${id}/slots?from=soon`, {
      token: dispatcher,
    });
    const tooLong = await api<ProblemBody>(
      'GET',
      `/v1/work-orders/${id}/slots?from=2031-01-01&to=2031-03-01`,
      {
        token: dispatcher,
      },
    );
    const settings = await api<{ slotStepMinutes: number }>('GET', '/v1/settings/scheduling', {
      token: dispatcher,
    });

    expect(overlapping.status).toBe(400);
    expect(overlapping.body.errors?.[0]?.field).toBe('body.arrivalWindows.1.start');
    expect(byDispatcher.status).toBe(403);
    expect(badRange.status).toBe(400);
    expect(badRange.body.errors?.[0]?.field).toBe('query.from');
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors?.[0]?.field).toBe('query.to');
    expect(settings.body.slotStepMinutes).toBe(30);
  });

  it("when another tenant asks for a work order's slots, it does not exist for them", async () => {
    const id = await newWorkOrder();
    const other = await aTenant(entities);
    const otherDispatcher = await tokenFor('dispatcher', other.tenantId);

    const slots = await api<ProblemBody>('GET', `/v1/work-orders/${id}/slots`, { token: otherDispatcher });
    const asap = await api<ProblemBody>('POST', `/v1/work-orders/${id}/asap`, {
      token: otherDispatcher,
      body: {},
    });

    expect(slots.status).toBe(404);
    expect(asap.status).toBe(404);
  });

  it('when a technician joins with the skills, they are offered too, and the busier one scores lower on workload', async () => {
    const colleague = await api<{ id: string }>('POST', '/v1/technicians', {
      token: admin,
      body: { name: 'Casey Park', skills: ['hvac'], workingHours: fixtureWorkingHours },
    });
    const day = aFutureDay();
    const busy = await newWorkOrder();
    await schedule(busy, { start: `${day}T07:00:00-06:00`, technicianId: tenant.technicianId });
    const id = await newWorkOrder();

    const { body } = await slotsFor(id, day, '&limit=100');

    expect(new Set(body.slots.map((slot) => slot.technicianId))).toEqual(
      new Set([tenant.technicianId, colleague.body.id]),
    );
    const atThree = (technicianId: string) =>
      body.slots.find(
        (slot) =>
          slot.technicianId === technicianId &&
          slot.start === new Date(`${day}T15:00:00-06:00`).toISOString(),
      );
    const workload = (technicianId: string) =>
      atThree(technicianId)?.reasons.find((reason) => reason.factor === 'workload')?.points ?? -1;
    expect(workload(colleague.body.id)).toBe(20);
    expect(workload(tenant.technicianId)).toBeCloseTo(20 * (1 - 90 / 840), 1);
  });
});
