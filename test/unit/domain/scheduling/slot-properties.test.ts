import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StraightLineTravel } from '../../../../lambdas/adapters/travel/straight-line-travel.ts';
import type { ServiceLocation } from '../../../../lambdas/domain/customers/customer.ts';
import type { Visit } from '../../../../lambdas/domain/scheduling/agenda.ts';
import { checkBooking } from '../../../../lambdas/domain/scheduling/booking-check.ts';
import { LocalCalendar } from '../../../../lambdas/domain/scheduling/local-time.ts';
import { findSlots } from '../../../../lambdas/domain/scheduling/slot-finder.ts';
import type { Technician, WorkingHours } from '../../../../lambdas/domain/scheduling/technicians.ts';
import { ceilToSlice, floorToSlice } from '../../../../lambdas/domain/scheduling/time-slices.ts';
import type { WorkOrder } from '../../../../lambdas/domain/work-orders/work-order.ts';

// A tenant in New York over ten days that include the clocks going forward (Sunday 14 March 2027).
const zone = 'America/New_York';
const calendar = new LocalCalendar(zone);
const searchFrom = Date.parse('2027-03-10T05:00:00.000Z');
const searchTo = Date.parse('2027-03-20T04:00:00.000Z');
const speedKmh = 40;
const travel = new StraightLineTravel(speedKmh);
const minutesBetween = travel.minutesBetween.bind(travel);
const quarter = 15 * 60_000;

// Checked independently of the code under test: local wall-clock times read back from instants.
const localDay = (instant: number) => format(new TZDate(instant, zone), 'yyyy-MM-dd');
const localTime = (instant: number) => format(new TZDate(instant, zone), 'HH:mm');
const localWeekday = (instant: number) => String(new TZDate(instant, zone).getDay());

const point = fc.record({
  latitude: fc.double({ min: 42.2, max: 42.5, noNaN: true }),
  longitude: fc.double({ min: -71.3, max: -70.9, noNaN: true }),
});

const shifts = [
  [],
  [{ start: '08:00', end: '17:00' }],
  [
    { start: '07:00', end: '11:30' },
    { start: '12:30', end: '16:00' },
  ],
  [{ start: '00:00', end: '06:00' }],
  [{ start: '10:00', end: '20:00' }],
];
const workingHours: fc.Arbitrary<WorkingHours> = fc
  .array(fc.integer({ min: 0, max: shifts.length - 1 }), { minLength: 7, maxLength: 7 })
  .map((picks) => Object.fromEntries(picks.map((pick, day) => [String(day), shifts[pick] ?? []])));

const stretch = (minMinutes: number, maxMinutes: number) =>
  fc
    .record({
      startQuarter: fc.integer({ min: 0, max: Math.floor((searchTo - searchFrom) / quarter) }),
      minutes: fc.integer({ min: minMinutes, max: maxMinutes }),
    })
    .map(({ startQuarter, minutes }) => {
      // Not only on the quarter hour: existing bookings may start at any minute.
      const start = searchFrom + startQuarter * quarter + (startQuarter % 7) * 60_000;
      return { start, end: start + minutes * 60_000 };
    });

const aTechnician = fc.record({
  skills: fc.subarray(['hvac', 'plumbing', 'electrical'], { minLength: 1 }),
  workingHours,
  home: fc.option(point, { nil: undefined }),
  timeOff: fc.array(stretch(60, 3 * 24 * 60), { maxLength: 2 }),
  visits: fc.array(fc.record({ when: stretch(30, 240), place: fc.option(point, { nil: undefined }) }), {
    maxLength: 12,
  }),
});

/** Keeps the visits whose quarter hours do not clash with one kept before: what the table can hold. */
function bookable(
  technicianIndex: number,
  candidates: { when: { start: number; end: number }; place?: { latitude: number; longitude: number } }[],
) {
  const kept: Visit[] = [];
  candidates.forEach(({ when, place }, index) => {
    const clash = kept.some(
      (visit) =>
        floorToSlice(visit.start) < ceilToSlice(when.end) &&
        floorToSlice(when.start) < ceilToSlice(visit.end),
    );
    if (!clash)
      kept.push({
        workOrderId: `wo_${technicianIndex}_${index}`,
        ...when,
        ...(place ? { location: place } : {}),
      });
  });
  return kept.sort((a, b) => a.start - b.start);
}

const technicians = fc.array(aTechnician, { minLength: 1, maxLength: 4 }).map((generated) =>
  generated.map(({ skills, workingHours, home, timeOff, visits }, index) => ({
    technician: {
      tenantId: 'ten_props',
      technicianId: `tec_${index}`,
      name: `Technician ${index}`,
      skills,
      ...(home ? { homeBase: home } : {}),
      workingHours,
      timeOff: timeOff
        .map(({ start, end }) => ({ start: new Date(start).toISOString(), end: new Date(end).toISOString() }))
        .sort((a, b) => a.start.localeCompare(b.start)),
      active: true,
      version: 1,
      createdAt: '2027-01-01T00:00:00.000Z',
      updatedAt: '2027-01-01T00:00:00.000Z',
    } satisfies Technician,
    visits: bookable(index, visits),
  })),
);

/** The ways a visit can break a technician's day, checked from first principles. */
function violations(
  technician: Technician,
  visits: Visit[],
  candidate: { start: number; end: number; location?: { latitude: number; longitude: number } },
): string[] {
  const found: string[] = [];
  const day = localDay(candidate.start);
  const intervals = technician.workingHours[localWeekday(candidate.start) as '0'] ?? [];
  const endTime = localDay(candidate.end) === day ? localTime(candidate.end) : '24:00';
  const inside = intervals.some(({ start, end }) => start <= localTime(candidate.start) && endTime <= end);
  if (!inside) found.push(`outside working hours ${localTime(candidate.start)}–${endTime} on ${day}`);
  for (const off of technician.timeOff) {
    if (Date.parse(off.start) < candidate.end && candidate.start < Date.parse(off.end))
      found.push('in time off');
  }
  for (const visit of visits) {
    if (
      floorToSlice(visit.start) < ceilToSlice(candidate.end) &&
      floorToSlice(candidate.start) < ceilToSlice(visit.end)
    ) {
      found.push(`overlaps ${visit.workOrderId}`);
    }
  }
  const before = visits.filter((visit) => visit.end <= candidate.start).at(-1);
  const after = visits.find((visit) => visit.start >= candidate.end);
  if (before?.location && candidate.location) {
    const drive = minutesBetween(before.location, candidate.location);
    if (before.end + drive * 60_000 > candidate.start)
      found.push(`no time to drive from ${before.workOrderId}`);
  }
  if (after?.location && candidate.location) {
    const drive = minutesBetween(candidate.location, after.location);
    if (candidate.end + drive * 60_000 > after.start) found.push(`no time to drive to ${after.workOrderId}`);
  }
  return found;
}

describe('slots and bookings, for any technicians, working hours, time off and bookings (property)', () => {
  it('when slots are recommended, none overlaps a booking of its technician, falls outside working hours or in time off, or cuts the drive between jobs', () => {
    let slotsChecked = 0;
    fc.assert(
      fc.property(
        technicians,
        fc.option(point, { nil: undefined }),
        fc.constantFrom(30, 60, 90, 150),
        fc.boolean(),
        fc.constantFrom(15, 30, 60),
        fc.constantFrom<string[]>(['hvac'], [], ['plumbing', 'electrical']),
        (bookings, location, durationMinutes, windowed, stepMinutes, requiredSkills) => {
          const slots = findSlots(
            {
              calendar,
              from: searchFrom,
              to: searchTo,
              now: searchFrom,
              durationMinutes,
              requiredSkills,
              ...(location ? { location } : {}),
              arrivalWindows: windowed
                ? [
                    { start: '08:00', end: '12:00' },
                    { start: '12:00', end: '16:00' },
                  ]
                : [],
              stepMinutes,
            },
            bookings,
            minutesBetween,
          );
          slotsChecked += slots.length;
          for (const slot of slots) {
            const own = bookings.find((booking) => booking.technician.technicianId === slot.technicianId);
            if (!own) throw new Error(`slot for unknown technician ${slot.technicianId}`);
            expect(requiredSkills.every((skill) => own.technician.skills.includes(skill))).toBe(true);
            expect(slot.end - slot.start).toBe(durationMinutes * 60_000);
            expect(
              violations(own.technician, own.visits, { ...slot, ...(location ? { location } : {}) }),
            ).toEqual([]);
            if (windowed)
              expect(slot.arrival.start <= slot.start && slot.start < slot.arrival.end).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
    // The property held over real slots, not over empty answers.
    expect(slotsChecked).toBeGreaterThan(1000);
  });

  it('when bookings are made one after another through the booking check, every accepted booking keeps the technician’s day sound', async () => {
    const outcomes = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        technicians,
        fc.array(fc.record({ who: fc.nat(), when: stretch(30, 180), place: point }), {
          minLength: 1,
          maxLength: 25,
        }),
        async (bookings, attempts) => {
          const tenant = {
            tenantId: 'ten_props',
            name: 'Props',
            timeZone: zone,
            currency: 'USD',
            country: 'US',
          };
          const booked = new Map(
            bookings.map(({ technician, visits }) => [technician.technicianId, [...visits]]),
          );
          const places = new Map<string, ServiceLocation>();
          const dependencies = {
            workOrders: {
              visitsOf: async (_tenantId: string, technicianId: string) =>
                (booked.get(technicianId) ?? []).map(
                  (visit): WorkOrder => ({
                    tenantId: 'ten_props',
                    workOrderId: visit.workOrderId,
                    customerId: 'cus_x',
                    locationId: `loc_${visit.workOrderId}`,
                    description: 'x',
                    priority: 'routine',
                    status: 'scheduled',
                    scheduledStart: new Date(visit.start).toISOString(),
                    scheduledEnd: new Date(visit.end).toISOString(),
                    technicianId,
                    workflowState: 'AwaitDispatch',
                    workflowStateSince: '2027-01-01T00:00:00.000Z',
                    createdBy: 'test',
                    version: 1,
                    createdAt: '2027-01-01T00:00:00.000Z',
                    updatedAt: '2027-01-01T00:00:00.000Z',
                  }),
                ),
            },
            directory: {
              getLocations: async (_tenantId: string, ids: string[]) =>
                ids.flatMap((id) => {
                  const place = places.get(id);
                  return place ? [place] : [];
                }),
            },
            travelTimes: () => travel,
          };
          for (const { visits } of bookings) {
            for (const visit of visits) {
              if (visit.location)
                places.set(`loc_${visit.workOrderId}`, aPlace(`loc_${visit.workOrderId}`, visit.location));
            }
          }
          const accepted: { technicianId: string; visit: Visit }[] = [];
          for (const [index, attempt] of attempts.entries()) {
            const own = bookings[attempt.who % bookings.length];
            if (!own) continue;
            const workOrderId = `wo_new_${index}`;
            places.set(`loc_${workOrderId}`, aPlace(`loc_${workOrderId}`, attempt.place));
            const visit = { workOrderId, ...attempt.when, location: attempt.place };
            const ok = await checkBooking(
              dependencies,
              tenant,
              own.technician,
              { workOrderId, locationId: `loc_${workOrderId}`, requiredSkills: [] },
              { ...attempt.when, now: searchFrom },
            ).then(
              () => true,
              () => false,
            );
            const problems = violations(own.technician, booked.get(own.technician.technicianId) ?? [], visit);
            // The check accepts exactly the bookings that break nothing.
            expect(ok).toBe(problems.length === 0);
            outcomes[ok ? 'accepted' : 'refused'] += 1;
            if (ok) {
              const list = booked.get(own.technician.technicianId) ?? [];
              list.push(visit);
              list.sort((a, b) => a.start - b.start);
              accepted.push({ technicianId: own.technician.technicianId, visit });
            }
          }
          // Every accepted booking still fits among everything the technician ended up with.
          for (const { technicianId, visit } of accepted) {
            const own = bookings.find((booking) => booking.technician.technicianId === technicianId);
            const others = (booked.get(technicianId) ?? []).filter(
              (other) => other.workOrderId !== visit.workOrderId,
            );
            if (own) expect(violations(own.technician, others, visit)).toEqual([]);
          }
        },
      ),
      { numRuns: 60 },
    );
    expect(outcomes.accepted).toBeGreaterThan(20);
    expect(outcomes.refused).toBeGreaterThan(20);
  });
});

const aPlace = (locationId: string, place: { latitude: number; longitude: number }): ServiceLocation => ({
  tenantId: 'ten_props',
  locationId,
  customerId: 'cus_x',
  address: { line1: '1 Main St', city: 'Boston', postalCode: '02118', country: 'US' },
  ...place,
  createdAt: '2027-01-01T00:00:00.000Z',
  updatedAt: '2027-01-01T00:00:00.000Z',
});
