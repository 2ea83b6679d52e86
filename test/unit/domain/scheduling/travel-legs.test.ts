import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StraightLineTravel } from '../../../../lambdas/adapters/travel/straight-line-travel.ts';
import type { Visit } from '../../../../lambdas/domain/scheduling/agenda.ts';
import { LocalCalendar } from '../../../../lambdas/domain/scheduling/local-time.ts';
import { findSlots } from '../../../../lambdas/domain/scheduling/slot-finder.ts';
import { travelFor } from '../../../../lambdas/domain/scheduling/slots.ts';
import type { Technician } from '../../../../lambdas/domain/scheduling/technicians.ts';
import { TravelMatrix } from '../../../../lambdas/domain/scheduling/travel-matrix.ts';
import type { Coordinates, Leg, TravelTimes } from '../../../../lambdas/ports/travel-times.ts';

const textOf = ({ latitude, longitude }: Coordinates) => `${latitude},${longitude}`;

/** A port whose answer names the leg, noting every leg it is asked for. */
class RecordingPort implements TravelTimes {
  readonly asked: string[] = [];
  private readonly answers = new Map<string, number>();

  answerFor(from: Coordinates, to: Coordinates): number {
    const leg = `${textOf(from)}>${textOf(to)}`;
    let answer = this.answers.get(leg);
    if (answer === undefined) {
      answer = this.answers.size + 1;
      this.answers.set(leg, answer);
    }
    return answer;
  }

  async minutes(legs: Leg[]): Promise<number[]> {
    return legs.map(({ from, to }) => {
      this.asked.push(`${textOf(from)}>${textOf(to)}`);
      return this.answerFor(from, to);
    });
  }
}

// Few distinct coordinates, so that the same place comes up again in another object; 0 and -0
// (and two not-a-numbers) are the same coordinate, as their text is.
const coordinate = fc.constantFrom(
  42.1,
  42.2,
  42.3,
  42.4,
  42.5,
  0,
  -0,
  Number.NaN,
  -71.1,
  -71.2,
  -71.3,
  -71.4,
);
const place = fc.record({ latitude: coordinate, longitude: coordinate });

describe('TravelMatrix', () => {
  it('when legs are announced and resolved, each distinct leg is asked of the port once and looked up as answered', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(place, place), { maxLength: 400, size: 'large' }),
        fc.array(fc.tuple(place, place), { maxLength: 100, size: 'large' }),
        fc.integer({ min: 1, max: 64 }),
        async (first, second, expectedLegs) => {
          // Arrange: a matrix made too small, so that it has to grow; legs announced in two rounds.
          const port = new RecordingPort();
          const matrix = new TravelMatrix({ places: expectedLegs, legs: expectedLegs });
          for (const [from, to] of first) matrix.add(from, to);
          await matrix.resolve(port);
          const askedFirst = port.asked.length;
          for (const [from, to] of second) matrix.add({ ...from }, { ...to });

          // Act
          await matrix.resolve(port);

          // Assert: a leg within one place (0 and -0 are one coordinate) is never asked.
          const distinct = (legs: [Coordinates, Coordinates][]) =>
            new Set(
              legs
                .filter(([from, to]) => textOf(from) !== textOf(to))
                .map(([from, to]) => `${textOf(from)}>${textOf(to)}`),
            );
          const firstLegs = distinct(first);
          expect(port.asked.slice(0, askedFirst).sort()).toEqual([...firstLegs].sort());
          expect(port.asked.slice(askedFirst).sort()).toEqual(
            [...distinct(second)].filter((leg) => !firstLegs.has(leg)).sort(),
          );
          for (const [from, to] of [...first, ...second]) {
            const expected = textOf(from) === textOf(to) ? 0 : port.answerFor(from, to);
            expect(matrix.lookup({ ...from }, { ...to })).toBe(expected);
          }
        },
      ),
    );
  });

  it('when a leg was never announced, looking it up is refused', async () => {
    // Arrange
    const matrix = new TravelMatrix();
    const a = { latitude: 42.1, longitude: -71.1 };
    const b = { latitude: 42.2, longitude: -71.2 };
    matrix.add(a, b);
    await matrix.resolve(new RecordingPort());

    // Act & Assert: only the direction announced is known.
    expect(matrix.lookup(a, b)).toBe(1);
    expect(() => matrix.lookup(b, a)).toThrow('was not asked for');
  });

  it('when a leg is announced but not yet resolved, looking it up is refused', () => {
    // Arrange
    const matrix = new TravelMatrix();
    const a = { latitude: 42.1, longitude: -71.1 };
    const b = { latitude: 42.2, longitude: -71.2 };
    matrix.add(a, b);

    // Act & Assert
    expect(() => matrix.lookup(a, b)).toThrow('was not asked for');
  });
});

describe('travelFor and a work order being rebooked', () => {
  const calendar = new LocalCalendar('America/New_York');
  const at = (time: string) => calendar.instantOf('2027-06-14', time);
  const north = (kilometres: number) => ({ latitude: 42.3 + kilometres / 111, longitude: -71.06 });
  const technician: Technician = {
    tenantId: 'ten_acme',
    technicianId: 'tec_ana',
    name: 'Ana Reyes',
    skills: ['hvac'],
    homeBase: north(0),
    workingHours: { '1': [{ start: '08:00', end: '17:00' }] },
    timeOff: [],
    active: true,
    version: 1,
    createdAt: '2027-01-01T00:00:00.000Z',
    updatedAt: '2027-01-01T00:00:00.000Z',
  };
  const visit = (workOrderId: string, start: string, end: string, kilometres: number): Visit => ({
    workOrderId,
    start: at(start),
    end: at(end),
    location: north(kilometres),
  });

  it("when the work order's own visit sits between two others, its time is offered and measured against the drive between them", async () => {
    // Arrange: Monday 14 June 2027; the work order is booked 10:00–11:00 between two other jobs.
    const bookings = [
      {
        technician,
        visits: [
          visit('wo_before', '08:00', '09:00', 2),
          visit('wo_rebooked', '10:00', '11:00', 4),
          visit('wo_after', '14:00', '15:00', 6),
        ],
      },
    ];
    const location = north(8);
    const travel = await travelFor(bookings, location, new StraightLineTravel(40), 'wo_rebooked');

    // Act
    const slots = findSlots(
      {
        calendar,
        from: calendar.dayBounds('2027-06-14').start,
        to: calendar.dayBounds('2027-06-14').end,
        now: calendar.dayBounds('2027-06-13').start,
        durationMinutes: 60,
        requiredSkills: ['hvac'],
        location,
        arrivalWindows: [],
        stepMinutes: 60,
        workOrderId: 'wo_rebooked',
      },
      bookings,
      travel.lookup,
    );

    // Assert: 10:00 is open again, between wo_before and wo_after.
    const ten = slots.find((slot) => slot.start === at('10:00'));
    expect(ten?.reasons.find((reason) => reason.factor === 'travel')?.detail).toMatch(
      /from wo_before, \d+ min on to wo_after/,
    );
  });
});
