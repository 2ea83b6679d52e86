import { beforeAll, describe, expect, it } from 'vitest';
import { aTenant, aWorkOrderRequest, fixtureWorkingHours, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

type Body = { id: string; status: string; errors?: { field: string }[]; detail?: string };

/** A quarter-hour-aligned time a few days ahead, distinct per call. */
let offsetDays = 3;
const aFutureMorning = () => {
  const day = new Date(Date.now() + offsetDays++ * 86_400_000);
  day.setUTCHours(14, 0, 0, 0);
  return day;
};
const plusMinutes = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000).toISOString();

describe("a technician's time", () => {
  let tenant: TenantFixture;
  let dispatcher: string;
  const newWorkOrder = async () =>
    (await api<Body>('POST', '/v1/work-orders', { token: dispatcher, body: aWorkOrderRequest(tenant) })).body
      .id;
  const schedule = (id: string, start: string, end: string, technicianId = tenant.technicianId) =>
    api<Body>('POST', `/v1/work-orders/${id}/schedule`, {
      token: dispatcher,
      body: { start, end, technicianId },
    });

  beforeAll(async () => {
    tenant = await aTenant(entities);
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
  });

  it('when a second visit overlaps the first for the same technician, it is refused with 409 and nothing changes', async () => {
    const morning = aFutureMorning();
    const [first, second] = [await newWorkOrder(), await newWorkOrder()];

    const booked = await schedule(first, morning.toISOString(), plusMinutes(morning, 120));
    const overlapping = await schedule(second, plusMinutes(morning, 90), plusMinutes(morning, 150));
    const after = await api<Body>('GET', `/v1/work-orders/${second}`, { token: dispatcher });

    expect(booked.status).toBe(200);
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.errors?.[0]?.field).toBe('body.start');
    expect(after.body.status).toBe('new');
  });

  it('when visits only touch end to start, or belong to other technicians, both are booked', async () => {
    const colleague = await api<{ id: string }>('POST', '/v1/technicians', {
      token: await tokenFor('admin', tenant.tenantId),
      body: { name: 'Casey Park', skills: ['hvac'], workingHours: fixtureWorkingHours },
    });
    const morning = aFutureMorning();
    const [first, next, elsewhere] = [await newWorkOrder(), await newWorkOrder(), await newWorkOrder()];

    const a = await schedule(first, morning.toISOString(), plusMinutes(morning, 60));
    const b = await schedule(next, plusMinutes(morning, 60), plusMinutes(morning, 120));
    const c = await schedule(elsewhere, morning.toISOString(), plusMinutes(morning, 60), colleague.body.id);

    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
  });

  it('when ten work orders race for the same time of one technician, exactly one gets it', async () => {
    const morning = aFutureMorning();
    const ids = await Promise.all(Array.from({ length: 10 }, () => newWorkOrder()));

    const answers = await Promise.all(
      ids.map((id) => schedule(id, morning.toISOString(), plusMinutes(morning, 90))),
    );

    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(9);
  });

  it('when a booked visit is rescheduled or cancelled, its time is free for another work order', async () => {
    const morning = aFutureMorning();
    const [first, second, third] = [await newWorkOrder(), await newWorkOrder(), await newWorkOrder()];
    await schedule(first, morning.toISOString(), plusMinutes(morning, 60));
    await schedule(second, plusMinutes(morning, 60), plusMinutes(morning, 120));

    await api('POST', `/v1/work-orders/${first}/reschedule`, {
      token: dispatcher,
      body: { reason: 'Customer away' },
    });
    await api('POST', `/v1/work-orders/${second}/cancel`, {
      token: dispatcher,
      body: { reason: 'Fixed it themselves' },
    });
    const taken = await schedule(third, morning.toISOString(), plusMinutes(morning, 120));

    expect(taken.status).toBe(200);
  });

  it('when a visit would last more than twelve hours, it answers 400 naming the end', async () => {
    const morning = aFutureMorning();
    const id = await newWorkOrder();

    const refused = await schedule(id, morning.toISOString(), plusMinutes(morning, 13 * 60));

    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.field).toBe('body.end');
  });
});
