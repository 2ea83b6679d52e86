import { describe, expect, it } from 'vitest';
import { StraightLineTravel } from '../../../../lambdas/adapters/travel/straight-line-travel.ts';
import type { Visit } from '../../../../lambdas/domain/scheduling/agenda.ts';
import { LocalCalendar } from '../../../../lambdas/domain/scheduling/local-time.ts';
import { findSlots, type SlotSearch } from '../../../../lambdas/domain/scheduling/slot-finder.ts';
import type { Technician } from '../../../../lambdas/domain/scheduling/technicians.ts';

const zone = 'America/New_York';
const calendar = new LocalCalendar(zone);
const travel = new StraightLineTravel(40);
const lookup = travel.minutesBetween.bind(travel);
const at = (local: string) => calendar.instantOf(local.slice(0, 10), local.slice(11, 16));
const iso = (instant: number) => new Date(instant).toISOString();

const weekdays = Object.fromEntries(
  ['1', '2', '3', '4', '5'].map((day) => [day, [{ start: '08:00', end: '17:00' }]]),
);
const downtown = { latitude: 42.3601, longitude: -71.0589 };
const nextDoor = { latitude: 42.3611, longitude: -71.0579 };
const farAway = { latitude: 42.7, longitude: -71.6 };

const aTechnician = (overrides: Partial<Technician> = {}): Technician => ({
  tenantId: 'ten_acme',
  technicianId: 'tec_ana',
  name: 'Ana Reyes',
  skills: ['hvac'],
  homeBase: downtown,
  workingHours: weekdays,
  timeOff: [],
  active: true,
  version: 1,
  createdAt: '2027-01-01T00:00:00.000Z',
  updatedAt: '2027-01-01T00:00:00.000Z',
  ...overrides,
});

const aSearch = (overrides: Partial<SlotSearch> = {}): SlotSearch => ({
  calendar,
  from: at('2027-06-14T00:00'),
  to: at('2027-06-15T00:00'),
  now: at('2027-06-13T12:00'),
  durationMinutes: 60,
  requiredSkills: ['hvac'],
  location: downtown,
  arrivalWindows: [],
  stepMinutes: 60,
  ...overrides,
});

const aVisit = (workOrderId: string, start: string, end: string, location = downtown): Visit => ({
  workOrderId,
  start: at(start),
  end: at(end),
  location,
});

describe('findSlots', () => {
  it('when the tenant offers exact times, each technician offers every start on the step that fits their working day', () => {
    // Act
    const slots = findSlots(aSearch(), [{ technician: aTechnician(), visits: [] }], lookup);

    // Assert: 08:00 to 16:00 starts for a one-hour visit in an 08:00–17:00 day, Monday 14 June.
    expect(slots.map((slot) => calendar.timeOf(slot.start)).sort()).toEqual([
      '08:00',
      '09:00',
      '10:00',
      '11:00',
      '12:00',
      '13:00',
      '14:00',
      '15:00',
      '16:00',
    ]);
    expect(slots.every((slot) => slot.end - slot.start === 3_600_000)).toBe(true);
  });

  it('when a technician lacks a required skill or is inactive, none of their time is offered', () => {
    // Arrange
    const bookings = [
      { technician: aTechnician({ technicianId: 'tec_bo', skills: ['plumbing'] }), visits: [] },
      { technician: aTechnician({ technicianId: 'tec_cy', active: false }), visits: [] },
      { technician: aTechnician({ technicianId: 'tec_di', skills: ['hvac', 'electrical'] }), visits: [] },
    ];

    // Act
    const slots = findSlots(aSearch(), bookings, lookup);

    // Assert
    expect(new Set(slots.map((slot) => slot.technicianId))).toEqual(new Set(['tec_di']));
    expect(slots[0]?.reasons[0]).toMatchObject({ factor: 'skills', detail: 'has hvac' });
  });

  it('when a visit is booked, the slots keep clear of it and leave the drive to and from it', () => {
    // Arrange: a job far away from 10:00 to 11:00; the drive is about 70 minutes each way.
    const visits = [aVisit('wo_far', '2027-06-14T10:00', '2027-06-14T11:00', farAway)];
    const drive = lookup(farAway, downtown);

    // Act
    const slots = findSlots(aSearch({ stepMinutes: 15 }), [{ technician: aTechnician(), visits }], lookup);

    // Assert
    expect(drive).toBeGreaterThan(60);
    for (const slot of slots) {
      const endsBeforeWithDrive = slot.end + drive * 60_000 <= at('2027-06-14T10:00');
      const startsAfterWithDrive = slot.start >= at('2027-06-14T11:00') + drive * 60_000;
      expect(endsBeforeWithDrive || startsAfterWithDrive).toBe(true);
    }
    const quarter = 15 * 60_000;
    const firstAfter = Math.ceil((at('2027-06-14T11:00') + drive * 60_000) / quarter) * quarter;
    expect(Math.min(...slots.map((slot) => slot.start))).toBe(firstAfter);
  });

  it('when a job is booked next door, the slot beside it ranks above one that adds a long drive', () => {
    // Arrange: the customer lives next door to Ana's 09:00 job; Bo's day is across the region.
    const bookings = [
      {
        technician: aTechnician({ technicianId: 'tec_ana', homeBase: farAway }),
        visits: [aVisit('wo_next_door', '2027-06-14T09:00', '2027-06-14T10:00', nextDoor)],
      },
      {
        technician: aTechnician({ technicianId: 'tec_bo', name: 'Bo Lind', homeBase: farAway }),
        visits: [aVisit('wo_far', '2027-06-14T09:00', '2027-06-14T10:00', farAway)],
      },
    ];

    // Act
    const [best] = findSlots(aSearch(), bookings, lookup);

    // Assert
    expect(best?.technicianId).toBe('tec_ana');
    const travelReason = best?.reasons.find((reason) => reason.factor === 'travel');
    expect(travelReason?.detail).toContain('from wo_next_door');
    expect(best?.score).toBeCloseTo(best?.reasons.reduce((sum, reason) => sum + reason.points, 0) ?? 0, 5);
  });

  it('when the tenant has arrival windows, each technician offers the earliest arrival that fits in each window', () => {
    // Arrange: Ana is busy 08:00–10:00 next door.
    const visits = [aVisit('wo_early', '2027-06-14T08:00', '2027-06-14T10:00', nextDoor)];
    const arrivalWindows = [
      { start: '08:00', end: '12:00' },
      { start: '12:00', end: '16:00' },
    ];

    // Act
    const slots = findSlots(aSearch({ arrivalWindows }), [{ technician: aTechnician(), visits }], lookup);

    // Assert
    const byWindow = slots
      .map((slot) => [
        calendar.timeOf(slot.arrival.start),
        calendar.timeOf(slot.arrival.end),
        calendar.timeOf(slot.start),
      ])
      .sort();
    expect(byWindow).toEqual([
      ['08:00', '12:00', '10:15'],
      ['12:00', '16:00', '12:00'],
    ]);
  });

  it('when the technician has time off, no slot touches it', () => {
    // Arrange
    const technician = aTechnician({
      timeOff: [{ start: iso(at('2027-06-14T11:30')), end: iso(at('2027-06-14T14:00')), reason: 'dentist' }],
    });

    // Act
    const slots = findSlots(aSearch(), [{ technician, visits: [] }], lookup);

    // Assert: 11:00 (ends 12:00), 12:00 and 13:00 would overlap.
    expect(slots.map((slot) => calendar.timeOf(slot.start)).sort()).toEqual([
      '08:00',
      '09:00',
      '10:00',
      '14:00',
      '15:00',
      '16:00',
    ]);
  });

  it("when the customer prefers afternoons, afternoon slots rank above the morning's", () => {
    // Arrange
    const preferences = { timeWindows: [{ start: '13:00', end: '17:00' }] };

    // Act
    const slots = findSlots(aSearch({ preferences }), [{ technician: aTechnician(), visits: [] }], lookup);

    // Assert
    expect(calendar.timeOf(slots[0]?.start ?? 0) >= '13:00').toBe(true);
    const morning = slots.find((slot) => calendar.timeOf(slot.start) === '09:00');
    expect(morning?.reasons.find((reason) => reason.factor === 'preference')).toMatchObject({
      points: 0,
      detail: 'arrival outside preferred times',
    });
  });

  it('when one technician is already busy that day, the idle one ranks higher, other things equal', () => {
    // Arrange: same home, same place; Ana has two jobs at the same address in the afternoon.
    const bookings = [
      {
        technician: aTechnician({ technicianId: 'tec_ana' }),
        visits: [
          aVisit('wo_1', '2027-06-14T13:00', '2027-06-14T15:00'),
          aVisit('wo_2', '2027-06-14T15:00', '2027-06-14T17:00'),
        ],
      },
      { technician: aTechnician({ technicianId: 'tec_bo' }), visits: [] },
    ];

    // Act
    const slots = findSlots(aSearch(), bookings, lookup);

    // Assert
    const nine = (technicianId: string) =>
      slots.find((slot) => slot.technicianId === technicianId && calendar.timeOf(slot.start) === '09:00');
    expect(nine('tec_bo')?.score).toBeGreaterThan(nine('tec_ana')?.score ?? 100);
    expect(nine('tec_ana')?.reasons.find((reason) => reason.factor === 'workload')?.detail).toBe(
      '56% of the day still free',
    );
  });

  it('when nothing is searched before now, no slot starts in the past', () => {
    // Act
    const slots = findSlots(
      aSearch({ now: at('2027-06-14T12:10') }),
      [{ technician: aTechnician(), visits: [] }],
      lookup,
    );

    // Assert
    expect(slots.map((slot) => calendar.timeOf(slot.start)).sort()).toEqual([
      '13:00',
      '14:00',
      '15:00',
      '16:00',
    ]);
  });
});

describe('findSlots across a change of the clocks (America/New_York)', () => {
  it('when the clocks go forward overnight, 08:00 local is 13:00Z on Saturday and 12:00Z on Sunday', () => {
    // Arrange: works weekends 08:00–10:00; the clocks go forward on Sunday 14 March 2027.
    const technician = aTechnician({
      workingHours: { 6: [{ start: '08:00', end: '10:00' }], 0: [{ start: '08:00', end: '10:00' }] },
    });
    const search = aSearch({
      from: at('2027-03-13T00:00'),
      to: at('2027-03-15T00:00'),
      now: at('2027-03-01T00:00'),
    });

    // Act
    const slots = findSlots(search, [{ technician, visits: [] }], lookup);

    // Assert
    expect(slots.map((slot) => iso(slot.start)).sort()).toEqual([
      '2027-03-13T13:00:00.000Z',
      '2027-03-13T14:00:00.000Z',
      '2027-03-14T12:00:00.000Z',
      '2027-03-14T13:00:00.000Z',
    ]);
    expect(slots.map((slot) => slot.date).sort()).toEqual([
      '2027-03-13',
      '2027-03-13',
      '2027-03-14',
      '2027-03-14',
    ]);
  });

  it('when the clocks go back overnight, a shift from 00:00 to 03:00 lasts four real hours and offers four starts', () => {
    // Arrange: a night shift on Sunday 7 November 2027, when 01:00–02:00 happens twice.
    const technician = aTechnician({ workingHours: { 0: [{ start: '00:00', end: '03:00' }] } });
    const search = aSearch({
      from: at('2027-11-07T00:00'),
      to: at('2027-11-08T00:00'),
      now: at('2027-11-01T00:00'),
    });

    // Act
    const slots = findSlots(search, [{ technician, visits: [] }], lookup);

    // Assert: local midnight is 04:00Z and 03:00 EST is 08:00Z: four real hours.
    expect(slots.map((slot) => iso(slot.start)).sort()).toEqual([
      '2027-11-07T04:00:00.000Z',
      '2027-11-07T05:00:00.000Z',
      '2027-11-07T06:00:00.000Z',
      '2027-11-07T07:00:00.000Z',
    ]);
  });
});
