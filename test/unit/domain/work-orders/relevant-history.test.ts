import { describe, expect, it } from 'vitest';
import {
  rankHistory,
  relevantHistory,
  type WorkOrderHistorySource,
} from '../../../../lambdas/domain/work-orders/relevant-history.ts';
import type { WorkOrder } from '../../../../lambdas/domain/work-orders/work-order.ts';

let sequence = 0;
const aPastWorkOrder = (overrides: Partial<WorkOrder> & { equipmentId?: string } = {}): WorkOrder => {
  sequence += 1;
  const createdAt = `2025-0${(sequence % 9) + 1}-01T10:00:00.000Z`;
  return {
    tenantId: 'ten_a',
    workOrderId: `wo_${String(sequence).padStart(4, '0')}`,
    customerId: 'cus_1',
    locationId: 'loc_home',
    description: 'Furnace makes a banging noise',
    priority: 'routine',
    status: 'completed',
    workflowState: 'Closed',
    workflowStateSince: createdAt,
    createdBy: 'test',
    version: 5,
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
};

const request = { customerId: 'cus_1', locationId: 'loc_home', description: 'Kitchen sink drain is clogged' };

describe('rankHistory', () => {
  it('when a similar problem was fixed at the same location, it comes before unrelated and farther jobs', () => {
    // Arrange
    const unrelatedHere = aPastWorkOrder({ description: 'AC blowing warm air' });
    const similarElsewhere = aPastWorkOrder({
      locationId: 'loc_rental',
      description: 'Bathroom drain clogged',
    });
    const similarHere = aPastWorkOrder({ description: 'Clogged kitchen drain, snaked the line' });

    // Act
    const ranked = rankHistory(request, [unrelatedHere, similarElsewhere, similarHere]);

    // Assert
    expect(ranked.map((entry) => entry.workOrderId)).toEqual([
      similarHere.workOrderId,
      similarElsewhere.workOrderId,
      unrelatedHere.workOrderId,
    ]);
    expect(ranked[0]).toMatchObject({
      relation: 'same_location',
      matchedTerms: expect.arrayContaining(['drain']),
    });
    expect(ranked[1]?.relation).toBe('same_customer');
    expect(ranked[2]?.similarity).toBe(0);
  });

  it('when a work order comes from both the location and the customer reads, it is listed once', () => {
    const once = aPastWorkOrder();

    const ranked = rankHistory(request, [once, once]);

    expect(ranked).toHaveLength(1);
  });

  it('when work orders carry the equipment asked about, those come before the rest of the location', () => {
    const sameEquipment = aPastWorkOrder({ description: 'Annual service', equipmentId: 'eqp_furnace' });
    const sameLocation = aPastWorkOrder({ description: 'Annual service' });

    const ranked = rankHistory({ ...request, equipmentId: 'eqp_furnace', description: 'Annual service' }, [
      sameLocation,
      sameEquipment,
    ]);

    expect(ranked.map((entry) => entry.relation)).toEqual(['same_equipment', 'same_location']);
  });

  it('when work orders carry no equipment, an equipment id matches nothing and nothing fails', () => {
    const ranked = rankHistory({ ...request, equipmentId: 'eqp_furnace' }, [aPastWorkOrder()]);

    expect(ranked[0]?.relation).toBe('same_location');
  });

  it('when relevance ties, the newest comes first', () => {
    const older = aPastWorkOrder({ description: 'Gutter', createdAt: '2024-01-01T00:00:00.000Z' });
    const newer = aPastWorkOrder({ description: 'Gutter', createdAt: '2025-01-01T00:00:00.000Z' });

    const ranked = rankHistory(request, [older, newer]);

    expect(ranked.map((entry) => entry.workOrderId)).toEqual([newer.workOrderId, older.workOrderId]);
  });

  it('when a job is done or cancelled, its date and outcome come from completion or the cancel reason', () => {
    const done = aPastWorkOrder({
      completedAt: '2025-06-01T12:00:00.000Z',
      summary: 'Replaced igniter',
      technicianId: 'tec_1',
    });
    const cancelled = aPastWorkOrder({ status: 'cancelled', cancelReason: 'customer fixed it' });

    const [first, second] = rankHistory(request, [done, cancelled]).sort((a, b) =>
      a.workOrderId.localeCompare(b.workOrderId),
    );

    expect(first).toMatchObject({
      date: '2025-06-01T12:00:00.000Z',
      summary: 'Replaced igniter',
      technician: { technicianId: 'tec_1' },
    });
    expect(second).toMatchObject({ status: 'cancelled', summary: 'Cancelled: customer fixed it' });
  });
});

describe('relevantHistory', () => {
  it('when asked, it reads the location and the customer, keeps `limit` entries and names the technicians', async () => {
    const atLocation = [aPastWorkOrder({ description: 'Drain clogged again', technicianId: 'tec_1' })];
    const ofCustomer = [...atLocation, aPastWorkOrder({ locationId: 'loc_rental', description: 'Roaches' })];
    const reads: string[] = [];
    const history: WorkOrderHistorySource = {
      workOrdersAtLocation: async (_tenant, locationId) => {
        reads.push(locationId);
        return atLocation;
      },
      workOrdersOfCustomer: async (_tenant, customerId) => {
        reads.push(customerId);
        return ofCustomer;
      },
    };

    const entries = await relevantHistory(
      { history, technicianName: async (_tenant, id) => (id === 'tec_1' ? 'Maria' : undefined) },
      'ten_a',
      request,
      1,
    );

    expect(reads.sort()).toEqual(['cus_1', 'loc_home']);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.technician).toEqual({ technicianId: 'tec_1', name: 'Maria' });
  });

  it('when no location is given, only the customer is read', async () => {
    const history: WorkOrderHistorySource = {
      workOrdersAtLocation: async () => {
        throw new Error('not expected');
      },
      workOrdersOfCustomer: async () => [aPastWorkOrder()],
    };

    const entries = await relevantHistory({ history }, 'ten_a', {
      customerId: 'cus_1',
      description: 'noise',
    });

    expect(entries[0]?.relation).toBe('same_customer');
  });
});
