import { beforeEach, describe, expect, it } from 'vitest';
import {
  type TechnicianScheduleDependencies,
  technicianSchedule,
} from '../../../../lambdas/domain/scheduling/technician-schedule.ts';
import type { Technician } from '../../../../lambdas/domain/scheduling/technicians.ts';
import { NotFoundError } from '../../../../lambdas/shared/errors.ts';
import { aDispatcher, aTechnicianUser, aTenant, aWorkOrderAt } from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryTechnicians } from '../../fakes/in-memory-technicians.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

describe('technicianSchedule', () => {
  const springForward = '2027-03-14';
  let workOrders: InMemoryWorkOrderStore;
  let technicians: InMemoryTechnicians;
  let dependencies: TechnicianScheduleDependencies;

  const aStoredTechnician = (overrides: Partial<Technician> = {}): Technician => ({
    tenantId: 'ten_acme',
    technicianId: 'tec_ana',
    name: 'Ana Reyes',
    skills: ['hvac'],
    workingHours: {
      0: [
        { start: '08:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
    },
    timeOff: [
      { start: '2027-03-13T14:00:00.000Z', end: '2027-03-13T18:00:00.000Z', reason: 'Day before' },
      { start: '2027-03-14T03:00:00.000Z', end: '2027-03-14T06:00:00.000Z', reason: 'Into the morning' },
      { start: '2027-03-15T04:00:00.000Z', end: '2027-03-15T08:00:00.000Z', reason: 'Next day' },
    ],
    active: true,
    version: 1,
    createdAt: '2027-01-01T00:00:00.000Z',
    updatedAt: '2027-01-01T00:00:00.000Z',
    ...overrides,
  });

  const aVisit = (workOrderId: string, start: string, overrides = {}) =>
    aWorkOrderAt('dispatched', {
      workOrderId,
      scheduledStart: start,
      scheduledEnd: new Date(Date.parse(start) + 90 * 60_000).toISOString(),
      scheduledDate: springForward,
      ...overrides,
    });

  beforeEach(() => {
    workOrders = new InMemoryWorkOrderStore();
    technicians = new InMemoryTechnicians()
      .add(aStoredTechnician())
      .add(aStoredTechnician({ technicianId: 'tec_ben', name: 'Ben Ode' }));
    dependencies = {
      workOrders,
      technicians,
      tenants: new InMemoryDirectory()
        .addTenant(aTenant({ timeZone: 'America/New_York' }))
        .addTenant(aTenant({ tenantId: 'ten_other', timeZone: 'America/New_York' })),
    };
  });

  it('when the day has visits, it lists those starting in the local day in time order, and none of the days around', async () => {
    // Arrange: 23:30 the evening before (EST), 00:30 and 03:30 (EDT after the jump), 23:30, and 00:30 the next day.
    workOrders
      .put(aVisit('wo_evening_before', '2027-03-14T04:30:00.000Z'))
      .put(aVisit('wo_late', '2027-03-15T03:30:00.000Z'))
      .put(aVisit('wo_after_jump', '2027-03-14T07:30:00.000Z'))
      .put(aVisit('wo_first', '2027-03-14T05:30:00.000Z'))
      .put(aVisit('wo_next_day', '2027-03-15T04:30:00.000Z'))
      .put(aVisit('wo_called_off', '2027-03-14T15:00:00.000Z', { status: 'cancelled' }))
      .put(aVisit('wo_bens', '2027-03-14T14:00:00.000Z', { technicianId: 'tec_ben' }));

    // Act
    const schedule = await technicianSchedule(dependencies, aDispatcher(), 'tec_ana', springForward);

    // Assert
    expect(schedule.day).toEqual({ start: '2027-03-14T05:00:00.000Z', end: '2027-03-15T04:00:00.000Z' });
    expect(schedule.visits.map((visit) => visit.workOrderId)).toEqual([
      'wo_first',
      'wo_after_jump',
      'wo_late',
    ]);
  });

  it('when the day is worked, its intervals are the weekday’s local hours as instants after the change', async () => {
    // Act
    const schedule = await technicianSchedule(dependencies, aDispatcher(), 'tec_ana', springForward);

    // Assert
    expect(schedule.timeZone).toBe('America/New_York');
    expect(schedule.workingIntervals).toEqual([
      { start: '2027-03-14T12:00:00.000Z', end: '2027-03-14T16:00:00.000Z' },
      { start: '2027-03-14T17:00:00.000Z', end: '2027-03-14T21:00:00.000Z' },
    ]);
  });

  it('when the weekday is not worked, there are no intervals', async () => {
    // Act
    const schedule = await technicianSchedule(dependencies, aDispatcher(), 'tec_ana', '2027-03-15');

    // Assert
    expect(schedule.workingIntervals).toEqual([]);
  });

  it('when time off touches the day, it is listed whole; time off of other days is not', async () => {
    // Act
    const schedule = await technicianSchedule(dependencies, aDispatcher(), 'tec_ana', springForward);

    // Assert
    expect(schedule.timeOff.map((timeOff) => timeOff.reason)).toEqual(['Into the morning']);
  });

  it('when a technician asks for their own day, they get it; for a colleague’s, 404', async () => {
    // Act
    const own = await technicianSchedule(dependencies, aTechnicianUser(), 'tec_ana', springForward);
    const colleagues = await rejectionOf(
      technicianSchedule(dependencies, aTechnicianUser(), 'tec_ben', springForward),
    );

    // Assert
    expect(own.technicianId).toBe('tec_ana');
    expect(colleagues).toBeInstanceOf(NotFoundError);
  });

  it('when the technician is another tenant’s, it answers 404', async () => {
    // Act
    const error = await rejectionOf(
      technicianSchedule(dependencies, aDispatcher({ tenantId: 'ten_other' }), 'tec_ana', springForward),
    );

    // Assert
    expect(error).toBeInstanceOf(NotFoundError);
  });
});
