import { describe, expect, it } from 'vitest';
import { StraightLineTravel } from '../../../../lambdas/adapters/travel/straight-line-travel.ts';
import type { Visit } from '../../../../lambdas/domain/scheduling/agenda.ts';
import { type AsapSearch, earliestArrivals } from '../../../../lambdas/domain/scheduling/asap.ts';
import { LocalCalendar } from '../../../../lambdas/domain/scheduling/local-time.ts';
import type { Technician } from '../../../../lambdas/domain/scheduling/technicians.ts';

const calendar = new LocalCalendar('America/New_York');
const travel = new StraightLineTravel(40);
const lookup = travel.minutesBetween.bind(travel);
const at = (local: string) => calendar.instantOf(local.slice(0, 10), local.slice(11, 16));

// The emergency is in Back Bay; places around Boston.
const backBay = { latitude: 42.3503, longitude: -71.081 };
const southEnd = { latitude: 42.3414, longitude: -71.0746 };
const cambridge = { latitude: 42.3736, longitude: -71.1097 };
const worcester = { latitude: 42.2626, longitude: -71.8023 };

const weekdays = Object.fromEntries(
  ['1', '2', '3', '4', '5'].map((day) => [day, [{ start: '08:00', end: '18:00' }]]),
);

const aTechnician = (technicianId: string, overrides: Partial<Technician> = {}): Technician => ({
  tenantId: 'ten_acme',
  technicianId,
  name: technicianId.replace('tec_', ''),
  skills: ['plumbing'],
  workingHours: weekdays,
  timeOff: [],
  active: true,
  version: 1,
  createdAt: '2027-01-01T00:00:00.000Z',
  updatedAt: '2027-01-01T00:00:00.000Z',
  ...overrides,
});

const aVisit = (
  workOrderId: string,
  start: string,
  end: string,
  location = southEnd,
  underway = false,
): Visit => ({
  workOrderId,
  start: at(start),
  end: at(end),
  location,
  ...(underway ? { underway } : {}),
});

// Tuesday 15 June 2027, 09:00 in Boston: a burst pipe, 90 minutes.
const aSearch = (overrides: Partial<AsapSearch> = {}): AsapSearch => ({
  calendar,
  now: at('2027-06-15T09:00'),
  until: at('2027-06-22T09:00'),
  durationMinutes: 90,
  requiredSkills: ['plumbing'],
  location: backBay,
  ...overrides,
});

describe('earliestArrivals', () => {
  it('when some technicians are busy and some idle, the earliest qualified one who can get there comes first', () => {
    // Arrange
    const bookings = [
      // Busy until 11:00 a few minutes away.
      {
        technician: aTechnician('tec_busy', { homeBase: backBay }),
        visits: [aVisit('wo_now', '2027-06-15T08:00', '2027-06-15T11:00', southEnd, true)],
      },
      // Idle, but starts from Worcester, an hour and more away.
      { technician: aTechnician('tec_far', { homeBase: worcester }), visits: [] },
      // Idle in Cambridge, about ten minutes away.
      { technician: aTechnician('tec_near', { homeBase: cambridge }), visits: [] },
      // Idle next door but an electrician.
      { technician: aTechnician('tec_sparky', { homeBase: backBay, skills: ['electrical'] }), visits: [] },
      // Next door and qualified, but off today.
      {
        technician: aTechnician('tec_off', {
          homeBase: backBay,
          timeOff: [{ start: '2027-06-15T04:00:00.000Z', end: '2027-06-16T04:00:00.000Z' }],
        }),
        visits: [],
      },
    ];

    // Act
    const arrivals = earliestArrivals(aSearch(), bookings, lookup);

    // Assert
    const drive = lookup(cambridge, backBay);
    expect(arrivals[0]).toMatchObject({
      technicianId: 'tec_near',
      comingFrom: 'home base',
      travelMinutes: drive,
    });
    expect(arrivals[0]?.start).toBe(Math.ceil((at('2027-06-15T09:00') + drive * 60_000) / 900_000) * 900_000);
    // Worcester is about two hours' drive: there by 11:00, before the busy one (free at 11:00, then driving).
    expect(arrivals.map((arrival) => arrival.technicianId)).toEqual([
      'tec_near',
      'tec_far',
      'tec_busy',
      'tec_off',
    ]);
    expect(arrivals[2]).toMatchObject({
      comingFrom: { workOrderId: 'wo_now', freeAt: at('2027-06-15T11:00') },
    });
    // The one off today comes tomorrow morning.
    expect(calendar.dayOf(arrivals[3]?.start ?? 0)).toBe('2027-06-16');
  });

  it('when the only idle technician is far away, the busy one finishing soon nearby gets there first', () => {
    // Arrange
    const bookings = [
      {
        technician: aTechnician('tec_busy', { homeBase: backBay }),
        visits: [aVisit('wo_now', '2027-06-15T08:30', '2027-06-15T09:30')],
      },
      { technician: aTechnician('tec_far', { homeBase: worcester }), visits: [] },
    ];

    // Act
    const [first] = earliestArrivals(aSearch(), bookings, lookup);

    // Assert: free at 09:30, a few minutes' drive: there at 09:45.
    expect(first).toMatchObject({ technicianId: 'tec_busy', start: at('2027-06-15T09:45') });
  });

  it('when the current job runs over its booked end, the technician is counted busy until now', () => {
    // Arrange: the 07:00–08:30 job is still in progress at 09:00.
    const bookings = [
      {
        technician: aTechnician('tec_late', { homeBase: backBay }),
        visits: [aVisit('wo_late', '2027-06-15T07:00', '2027-06-15T08:30', southEnd, true)],
      },
    ];

    // Act
    const [first] = earliestArrivals(aSearch(), bookings, lookup);

    // Assert
    expect(first?.start).toBeGreaterThanOrEqual(at('2027-06-15T09:00') + lookup(southEnd, backBay) * 60_000);
  });

  it('when the next booking leaves no room for the emergency, the technician is offered after it instead', () => {
    // Arrange: free now, but booked 10:00–12:00 far away; 90 minutes plus the drive do not fit before.
    const bookings = [
      {
        technician: aTechnician('tec_booked', { homeBase: backBay }),
        visits: [aVisit('wo_later', '2027-06-15T10:00', '2027-06-15T12:00', worcester)],
      },
    ];

    // Act
    const [first] = earliestArrivals(aSearch(), bookings, lookup);

    // Assert
    expect(first?.start).toBeGreaterThanOrEqual(at('2027-06-15T12:00') + lookup(worcester, backBay) * 60_000);
    expect(first?.comingFrom).toMatchObject({ workOrderId: 'wo_later' });
  });

  it('when nobody qualified works in the coming week, there is no arrival', () => {
    // Act
    const arrivals = earliestArrivals(
      aSearch(),
      [{ technician: aTechnician('tec_sparky', { skills: ['electrical'] }), visits: [] }],
      lookup,
    );

    // Assert
    expect(arrivals).toEqual([]);
  });
});
