import { describe, expect, it } from 'vitest';
import { aStoredWorkOrder, aTenant, aWorkOrderRequest, fixtureWorkingHours } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

type Board = {
  date: string;
  lanes: { technician: { technicianId: string }; workOrders: { id: string; status: string }[] }[];
  unassigned: { id: string }[];
  errors?: { field: string }[];
};

describe('the dispatch board', () => {
  it("when a day has visits, each technician's lane lists theirs in time order, and the unassigned ones stand apart", async () => {
    const tenant = await aTenant(entities);
    const dispatcher = await tokenFor('dispatcher', tenant.tenantId);
    const day = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const at = (hour: number) => `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;
    const book = async (hour: number, technicianId?: string) => {
      const created = await api<{ id: string }>('POST', '/v1/work-orders', {
        token: dispatcher,
        body: aWorkOrderRequest(tenant),
      });
      const scheduled = await api('POST', `/v1/work-orders/${created.body.id}/schedule`, {
        token: dispatcher,
        body: { start: at(hour), ...(technicianId ? { technicianId } : {}) },
      });
      // Every visit of the day must really be booked, or the board has nothing to leave out.
      if (scheduled.status !== 200) throw new Error(`booking at ${hour}:00 answered ${scheduled.status}`);
      return created.body.id;
    };
    const colleague = await api<{ id: string }>('POST', '/v1/technicians', {
      token: await tokenFor('admin', tenant.tenantId),
      body: { name: 'Casey Park', skills: ['hvac'], workingHours: fixtureWorkingHours },
    });
    const afternoon = await book(19, tenant.technicianId);
    const morning = await book(15, tenant.technicianId);
    const nobody = await book(16);
    const called = await book(17, tenant.technicianId);
    await api('POST', `/v1/work-orders/${called}/cancel`, {
      token: dispatcher,
      body: { reason: 'Customer called it off' },
    });
    await book(15, colleague.body.id);

    const board = await api<Board>('GET', `/v1/dispatch-board?date=${day}`, { token: dispatcher });

    expect(board.status).toBe(200);
    const lane = board.body.lanes.find(
      (candidate) => candidate.technician.technicianId === tenant.technicianId,
    );
    expect(lane?.workOrders.map((workOrder) => workOrder.id)).toEqual([morning, afternoon]);
    expect(lane?.workOrders.map((workOrder) => workOrder.status)).toEqual(['scheduled', 'scheduled']);
    expect(board.body.unassigned.map((workOrder) => workOrder.id)).toEqual([nobody]);
    const everything = board.body.lanes.flatMap((candidate) =>
      candidate.workOrders.map((workOrder) => workOrder.id),
    );
    expect(everything).not.toContain(called);
  });

  it('when a job is running late, its lane shows its status, the delay and the ETA', async () => {
    // Arrange
    const tenant = await aTenant(entities);
    const dispatcher = await tokenFor('dispatcher', tenant.tenantId);
    const late = await aStoredWorkOrder(entities, tenant, {
      status: 'en_route',
      technicianId: tenant.technicianId,
      scheduledStart: '2031-07-01T14:00:00.000Z',
      scheduledEnd: '2031-07-01T15:30:00.000Z',
      scheduledDate: '2031-07-01',
    });
    const delay = {
      reason: 'Stuck in traffic',
      newEta: '2031-07-01T14:40:00.000Z',
      at: '2031-07-01T13:50:00.000Z',
    };
    await entities.workOrder
      .patch({ tenantId: tenant.tenantId, workOrderId: late.workOrderId })
      .set({ eta: '2031-07-01T14:10:00.000Z', delay })
      .go();

    // Act
    const board = await api<Board>('GET', '/v1/dispatch-board?date=2031-07-01', { token: dispatcher });

    // Assert
    const lane = board.body.lanes.find(
      (candidate) => candidate.technician.technicianId === tenant.technicianId,
    );
    expect(lane?.workOrders).toEqual([
      expect.objectContaining({
        id: late.workOrderId,
        status: 'en_route',
        eta: '2031-07-01T14:10:00.000Z',
        delay,
      }),
    ]);
  });

  it('when the day is malformed or a technician asks, it is refused', async () => {
    const tenant = await aTenant(entities);
    const dispatcher = await tokenFor('dispatcher', tenant.tenantId);
    const technician = await tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId });

    const malformed = await api<Board>('GET', '/v1/dispatch-board?date=tomorrow', { token: dispatcher });
    const forbidden = await api<Board>('GET', '/v1/dispatch-board?date=2030-01-01', { token: technician });

    expect(malformed.status).toBe(400);
    expect(malformed.body.errors?.[0]?.field).toBe('query.date');
    expect(forbidden.status).toBe(403);
  });
});
