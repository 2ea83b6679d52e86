import { describe, expect, it } from 'vitest';
import { bookedSlices, bookingChange, slicesOf } from '../../../../lambdas/domain/scheduling/time-slices.ts';
import type { WorkOrder } from '../../../../lambdas/domain/work-orders/work-order.ts';

const visit = (overrides: Partial<WorkOrder>): WorkOrder =>
  ({
    tenantId: 'ten_a',
    workOrderId: 'wo_1',
    status: 'scheduled',
    technicianId: 'tec_1',
    scheduledStart: '2026-12-01T14:00:00.000Z',
    scheduledEnd: '2026-12-01T15:00:00.000Z',
    ...overrides,
  }) as WorkOrder;

describe('slicesOf', () => {
  it('when a visit is aligned to quarter hours, it holds exactly the quarters it spans', () => {
    const slices = slicesOf('tec_1', '2026-12-01T14:00:00Z', '2026-12-01T15:00:00Z');

    expect(slices.map((slice) => slice.start)).toEqual([
      '2026-12-01T14:00:00.000Z',
      '2026-12-01T14:15:00.000Z',
      '2026-12-01T14:30:00.000Z',
      '2026-12-01T14:45:00.000Z',
    ]);
  });

  it('when a visit starts or ends inside a quarter, that whole quarter is held', () => {
    const slices = slicesOf('tec_1', '2026-12-01T14:10:00Z', '2026-12-01T14:20:00Z');

    expect(slices.map((slice) => slice.start)).toEqual([
      '2026-12-01T14:00:00.000Z',
      '2026-12-01T14:15:00.000Z',
    ]);
  });

  it('when one visit ends as the next begins, they share no slice', () => {
    const first = slicesOf('tec_1', '2026-12-01T14:00:00Z', '2026-12-01T15:00:00Z').map(
      (slice) => slice.start,
    );
    const next = slicesOf('tec_1', '2026-12-01T15:00:00Z', '2026-12-01T16:00:00Z').map(
      (slice) => slice.start,
    );

    expect(first.filter((start) => next.includes(start))).toEqual([]);
  });
});

describe('bookedSlices and bookingChange', () => {
  it('when a work order has no technician, or is cancelled or completed, it holds no time', () => {
    expect(bookedSlices(visit({ technicianId: undefined }))).toEqual([]);
    expect(bookedSlices(visit({ status: 'cancelled' }))).toEqual([]);
    expect(bookedSlices(visit({ status: 'completed' }))).toEqual([]);
    expect(bookedSlices(visit({ status: 'dispatched' }))).toHaveLength(4);
  });

  it('when a visit moves by half an hour, only the quarters that differ are claimed and released', () => {
    const change = bookingChange(
      visit({}),
      visit({ scheduledStart: '2026-12-01T14:30:00Z', scheduledEnd: '2026-12-01T15:30:00Z' }),
    );

    expect(change.claim.map((slice) => slice.start)).toEqual([
      '2026-12-01T15:00:00.000Z',
      '2026-12-01T15:15:00.000Z',
    ]);
    expect(change.release.map((slice) => slice.start)).toEqual([
      '2026-12-01T14:00:00.000Z',
      '2026-12-01T14:15:00.000Z',
    ]);
  });

  it('when another technician takes the visit, all of the first one’s time is released and the other’s claimed', () => {
    const change = bookingChange(visit({}), visit({ technicianId: 'tec_2' }));

    expect(change.release.every((slice) => slice.technicianId === 'tec_1')).toBe(true);
    expect(change.claim.every((slice) => slice.technicianId === 'tec_2')).toBe(true);
    expect([change.claim.length, change.release.length]).toEqual([4, 4]);
  });
});
