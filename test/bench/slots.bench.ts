/**
 * Slot ranking at scale: 200 technicians over 14 days with 6 bookings per technician-day
 * (16,800 visits), the way `GET /v1/work-orders/{id}/slots` and `POST …/asap` compute once the
 * reads are done: announcing and resolving the travel legs, finding and scoring every open
 * slot, and keeping the best 20. Exact start times (every 30 minutes) and arrival windows are
 * measured separately. Prints one JSON object.
 *
 *     npx tsx test/bench/slots.bench.ts
 */
import { StraightLineTravel } from '../../lambdas/adapters/travel/straight-line-travel.ts';
import type { Visit } from '../../lambdas/domain/scheduling/agenda.ts';
import { earliestArrivals } from '../../lambdas/domain/scheduling/asap.ts';
import { addLocalDays, daysBetween, LocalCalendar } from '../../lambdas/domain/scheduling/local-time.ts';
import {
  findSlots,
  type SlotSearch,
  type TechnicianBookings,
} from '../../lambdas/domain/scheduling/slot-finder.ts';
import { toSlotView, travelFor } from '../../lambdas/domain/scheduling/slots.ts';
import type { Technician } from '../../lambdas/domain/scheduling/technicians.ts';
import { seededRandom } from './seeded-random.ts';

const TECHNICIANS = 200;
const DAYS = 14;
const BOOKINGS_PER_DAY = 6;
const ROUNDS = 40;
const WARM_UP = 5;
const SEED = 20_270_614;

const random = seededRandom(SEED);
const calendar = new LocalCalendar('America/New_York');
const firstDay = '2027-06-14';
const days = daysBetween(firstDay, addLocalDays(firstDay, DAYS - 1));
/** Somewhere within about 30 km of downtown Boston. */
const aPlace = () => ({
  latitude: 42.36 + (random() - 0.5) * 0.5,
  longitude: -71.06 + (random() - 0.5) * 0.7,
});
const everyDay = Object.fromEntries(
  ['0', '1', '2', '3', '4', '5', '6'].map((day) => [day, [{ start: '07:00', end: '19:00' }]]),
);
// Six visits a day at about these local times, 45 to 90 minutes each.
const visitTimes = ['07:30', '09:15', '11:00', '13:00', '14:45', '16:30'];

const bookings: TechnicianBookings[] = Array.from({ length: TECHNICIANS }, (_, index) => {
  const technician: Technician = {
    tenantId: 'ten_bench',
    technicianId: `tec_${String(index).padStart(3, '0')}`,
    name: `Technician ${index}`,
    skills: index % 4 === 0 ? ['plumbing'] : ['hvac', 'refrigerant'],
    homeBase: aPlace(),
    workingHours: everyDay,
    timeOff: [],
    active: true,
    version: 1,
    createdAt: '2027-01-01T00:00:00.000Z',
    updatedAt: '2027-01-01T00:00:00.000Z',
  };
  const visits: Visit[] = days.flatMap((day) =>
    visitTimes.slice(0, BOOKINGS_PER_DAY).map((time, slot) => {
      const start = calendar.instantOf(day, time) + Math.floor(random() * 3) * 5 * 60_000;
      return {
        workOrderId: `wo_${index}_${day}_${slot}`,
        start,
        end: start + (45 + Math.floor(random() * 4) * 15) * 60_000,
        location: aPlace(),
      };
    }),
  );
  return { technician, visits };
});

const travelPort = new StraightLineTravel(40);
const location = aPlace();
const baseSearch: SlotSearch = {
  calendar,
  from: calendar.dayBounds(firstDay).start,
  to: calendar.dayBounds(days.at(-1) ?? firstDay).end,
  now: calendar.dayBounds(firstDay).start,
  durationMinutes: 60,
  requiredSkills: ['hvac'],
  location,
  arrivalWindows: [],
  stepMinutes: 30,
  preferences: { timeWindows: [{ start: '12:00', end: '17:00' }] },
};

async function rank(search: SlotSearch) {
  const travel = await travelFor(bookings, search.location, travelPort);
  const slots = findSlots(search, bookings, travel.lookup);
  return { total: slots.length, best: slots.slice(0, 20).map(toSlotView) };
}

async function asap() {
  const travel = await travelFor(bookings, location, travelPort);
  return earliestArrivals(
    {
      calendar,
      now: baseSearch.from + 9.5 * 3_600_000,
      until: baseSearch.from + 7 * 86_400_000,
      durationMinutes: 90,
      requiredSkills: ['hvac'],
      location,
    },
    bookings,
    travel.lookup,
  );
}

const percentile = (sorted: number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;

async function measure<T>(run: () => Promise<T>) {
  let last: T | undefined;
  for (let round = 0; round < WARM_UP; round++) last = await run();
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    last = await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    p50Ms: Number(percentile(times, 0.5).toFixed(1)),
    p95Ms: Number(percentile(times, 0.95).toFixed(1)),
    maxMs: Number((times.at(-1) ?? Number.NaN).toFixed(1)),
    last: last as T,
  };
}

const exact = await measure(() => rank(baseSearch));
const windows = await measure(() =>
  rank({
    ...baseSearch,
    arrivalWindows: [
      { start: '08:00', end: '12:00' },
      { start: '12:00', end: '16:00' },
      { start: '16:00', end: '19:00' },
    ],
  }),
);
const emergency = await measure(asap);
const heapUsedMb = Number((process.memoryUsage().heapUsed / 1_048_576).toFixed(1));

console.log(
  JSON.stringify(
    {
      benchmark: 'slot ranking',
      technicians: TECHNICIANS,
      qualifiedTechnicians: bookings.filter(({ technician }) => technician.skills.includes('hvac')).length,
      days: DAYS,
      bookings: TECHNICIANS * DAYS * BOOKINGS_PER_DAY,
      rounds: ROUNDS,
      exactTimesEvery30Min: {
        p50Ms: exact.p50Ms,
        p95Ms: exact.p95Ms,
        maxMs: exact.maxMs,
        openSlots: exact.last.total,
      },
      arrivalWindows: {
        p50Ms: windows.p50Ms,
        p95Ms: windows.p95Ms,
        maxMs: windows.maxMs,
        openSlots: windows.last.total,
      },
      asap: {
        p50Ms: emergency.p50Ms,
        p95Ms: emergency.p95Ms,
        maxMs: emergency.maxMs,
        candidates: emergency.last.length,
      },
      goalP95Ms: 100,
      heapUsedMb,
    },
    null,
    2,
  ),
);
