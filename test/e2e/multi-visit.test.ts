import { beforeAll, describe, expect, it } from 'vitest';
import { aTenant, aWorkOrderRequest, type TenantFixture } from '../fixtures/tenants.ts';
import { api, eventually, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

interface VisitBody {
  id: string;
  status: string;
  description: string;
  hold?: { reason: string; from: string };
  visit?: { jobId: string; number: number; previousVisitId?: string; nextVisitId?: string };
  workflow: { state: string };
  errors?: { field: string }[];
}

/** 15:00Z, two days ahead: 09:00 or 10:00 in Chicago, inside the fixture technicians' day. */
const aMorning = (daysAhead: number) => {
  const day = new Date(Date.now() + daysAhead * 86_400_000);
  day.setUTCHours(15, 0, 0, 0);
  return day.toISOString();
};

describe('a job of several visits', () => {
  let tenant: TenantFixture;
  let office: string;
  let technician: string;
  /** The last visit of the job the first test builds. */
  let lastVisit = '';
  const act = (token: string, id: string, verb: string, body: unknown = {}) =>
    api<VisitBody>('POST', `/v1/work-orders/${id}/${verb}`, { token, body });
  const read = async (id: string) =>
    (await api<VisitBody>('GET', `/v1/work-orders/${id}`, { token: office })).body;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    office = await tokenFor('dispatcher', tenant.tenantId);
    technician = await tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId });
  });

  it('when the first visit completes, the next one (held until then) goes to scheduling, and the job lists its visits in order', async () => {
    const first = (
      await api<VisitBody>('POST', '/v1/work-orders', {
        token: office,
        body: aWorkOrderRequest(tenant, { description: 'Replace the furnace: remove the old unit' }),
      })
    ).body.id;
    const second = await act(office, first, 'visits', {
      description: 'Install and commission the new furnace',
    });
    const third = await act(office, second.body.id, 'visits', {});
    const twice = await act(office, first, 'visits', {});

    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      status: 'on_hold',
      description: 'Install and commission the new furnace',
      visit: { jobId: first, number: 2, previousVisitId: first },
    });
    expect((await read(second.body.id)).visit?.nextVisitId).toBe(third.body.id);
    expect(third.body).toMatchObject({ status: 'on_hold', visit: { jobId: first, number: 3 } });
    expect(twice.status).toBe(409);
    expect((await read(first)).visit).toEqual({ jobId: first, number: 1, nextVisitId: second.body.id });
    // The held visit's execution waits to be scheduled.
    await eventually(async () =>
      (await read(second.body.id)).workflow.state === 'AwaitScheduling' ? true : undefined,
    );

    for (const [verb, body] of [
      ['schedule', { start: aMorning(2), technicianId: tenant.technicianId }],
      ['dispatch', {}],
    ] as const) {
      expect((await act(office, first, verb, body)).status).toBe(200);
    }
    for (const status of ['en_route', 'arrived', 'in_progress']) {
      expect((await act(technician, first, 'field-status', { status })).status).toBe(200);
    }
    await act(technician, first, 'notes', { text: 'Old furnace out, gas capped' });
    await act(technician, first, 'labor', { minutes: 120 });
    const completed = await act(technician, first, 'complete', { noSignatureReason: 'Customer away' });

    const activated = await eventually(async () => {
      const visit = await read(second.body.id);
      return visit.status === 'new' ? visit : undefined;
    }, 15_000);
    const stillHeld = await read(third.body.id);
    const booked = await act(office, second.body.id, 'schedule', {
      start: aMorning(3),
      technicianId: tenant.technicianId,
    });
    const job = await api<{ items: VisitBody[] }>('GET', `/v1/work-orders/${third.body.id}/visits`, {
      token: office,
    });
    const asTechnician = await api<{ items: VisitBody[] }>('GET', `/v1/work-orders/${first}/visits`, {
      token: technician,
    });

    lastVisit = third.body.id;
    expect(completed.status).toBe(200);
    expect(activated.hold).toBeUndefined();
    expect(stillHeld.status).toBe('on_hold');
    expect(booked.status).toBe(200);
    expect(job.body.items.map((visit) => [visit.id, visit.visit?.number])).toEqual([
      [first, 1],
      [second.body.id, 2],
      [third.body.id, 3],
    ]);
    // The technician was given the first visit and the second: not the third.
    expect(asTechnician.body.items.map((visit) => visit.id)).toEqual([first, second.body.id]);
  });

  it('when a visit is added after the last one completed, it is ready to schedule at once; other tenants cannot add one', async () => {
    const other = await aTenant(entities);
    const stranger = await tokenFor('dispatcher', other.tenantId);
    const last = lastVisit;

    const fromStranger = await act(stranger, last, 'visits', {});
    const fromTechnician = await act(technician, last, 'visits', {});

    expect(fromStranger.status).toBe(404);
    expect(fromTechnician.status).toBe(403);
    const standalone = (
      await api<VisitBody>('POST', '/v1/work-orders', { token: office, body: aWorkOrderRequest(tenant) })
    ).body.id;
    // Settled first: the workflow's own writes to the new work order are done.
    await eventually(async () =>
      (await read(standalone)).workflow.state === 'AwaitScheduling' ? true : undefined,
    );
    await entities.workOrder
      .patch({ tenantId: tenant.tenantId, workOrderId: standalone })
      .set({ status: 'completed' })
      .add({ version: 1 })
      .go();
    const afterDone = await act(office, standalone, 'visits', {});
    expect(afterDone.body).toMatchObject({ status: 'new', visit: { jobId: standalone, number: 2 } });
  });
});
