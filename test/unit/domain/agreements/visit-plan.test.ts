import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isVisitDay,
  nextVisitDay,
  noVisitDay,
  occurrencesOf,
  ruleProblems,
  visitWorkOrderId,
} from '../../../../lambdas/domain/agreements/visit-plan.ts';
import { addLocalDays } from '../../../../lambdas/domain/scheduling/local-time.ts';

const aYearFrom = (termStart: string) => ({
  termStart,
  termEnd: addLocalDays(`${Number(termStart.slice(0, 4)) + 1}${termStart.slice(4)}`, -1),
});
const planOf = (rrule: string, since: string) => ({ rrule, since });
const messagesOf = (rrule: string, termStart = '2025-01-15') =>
  ruleProblems(rrule, termStart, 'body.visits.rrule').map((problem) => problem.message);

describe('the days of a visit plan', () => {
  it('when the rule is quarterly over a twelve-month term, there are exactly four visit days, three months apart from the term start', () => {
    // Arrange
    const term = aYearFrom('2025-01-15');

    // Act
    const days = occurrencesOf(planOf('FREQ=MONTHLY;INTERVAL=3', term.termStart), term);

    // Assert
    expect(days).toEqual(['2025-01-15', '2025-04-15', '2025-07-15', '2025-10-15']);
  });

  it('when the rule is monthly, every month of the term has its visit on the term start’s day of the month', () => {
    // Arrange
    const term = aYearFrom('2025-03-05');

    // Act
    const days = occurrencesOf(planOf('FREQ=MONTHLY', term.termStart), term);

    // Assert
    expect(days).toHaveLength(12);
    expect(days[0]).toBe('2025-03-05');
    expect(days.at(-1)).toBe('2026-02-05');
    expect(days.every((day) => day.endsWith('-05'))).toBe(true);
  });

  it('when the rule is spring and fall (April and October 1st), a year gives those two days, whichever day the term starts', () => {
    // Arrange
    const term = aYearFrom('2025-06-20');

    // Act
    const days = occurrencesOf(planOf('FREQ=YEARLY;BYMONTH=4,10;BYMONTHDAY=1', term.termStart), term);

    // Assert
    expect(days).toEqual(['2025-10-01', '2026-04-01']);
  });

  it('when the rule asks for the 31st of every month, months without one have no visit (RRULE semantics); the last day is BYMONTHDAY=-1', () => {
    // Arrange
    const term = aYearFrom('2025-01-01');

    // Act
    const the31st = occurrencesOf(planOf('FREQ=MONTHLY;BYMONTHDAY=31', term.termStart), term);
    const lastDays = occurrencesOf(planOf('FREQ=MONTHLY;BYMONTHDAY=-1', term.termStart), term);

    // Assert
    expect(the31st).toEqual([
      '2025-01-31',
      '2025-03-31',
      '2025-05-31',
      '2025-07-31',
      '2025-08-31',
      '2025-10-31',
      '2025-12-31',
    ]);
    expect(lastDays.slice(0, 3)).toEqual(['2025-01-31', '2025-02-28', '2025-03-31']);
    expect(lastDays).toHaveLength(12);
  });

  it('when the clocks change during a weekly plan, the visits stay on consecutive Sundays (local days, not 24-hour steps)', () => {
    // Arrange: the United States go to summer time on 9 March 2025 and back on 2 November.
    const term = { termStart: '2025-03-02', termEnd: '2025-03-23' };
    const autumn = { termStart: '2025-10-26', termEnd: '2025-11-09' };

    // Act
    const spring = occurrencesOf(planOf('FREQ=WEEKLY;BYDAY=SU', term.termStart), term);
    const fall = occurrencesOf(planOf('FREQ=WEEKLY', autumn.termStart), autumn);

    // Assert
    expect(spring).toEqual(['2025-03-02', '2025-03-09', '2025-03-16', '2025-03-23']);
    expect(fall).toEqual(['2025-10-26', '2025-11-02', '2025-11-09']);
  });

  it('when the term ends, or UNTIL or COUNT does, the visits stop there; and none come before the day the plan covers from', () => {
    // Arrange
    const term = { termStart: '2025-01-01', termEnd: '2025-05-31' };

    // Act
    const monthly = occurrencesOf(planOf('FREQ=MONTHLY', '2025-01-01'), term);
    const until = occurrencesOf(planOf('FREQ=MONTHLY;UNTIL=20250301', '2025-01-01'), term);
    const count = occurrencesOf(planOf('FREQ=MONTHLY;COUNT=2', '2025-01-01'), term);
    const setLater = occurrencesOf(planOf('FREQ=MONTHLY', '2025-03-10'), term);

    // Assert
    expect(monthly).toEqual(['2025-01-01', '2025-02-01', '2025-03-01', '2025-04-01', '2025-05-01']);
    expect(until).toEqual(['2025-01-01', '2025-02-01', '2025-03-01']);
    expect(count).toEqual(['2025-01-01', '2025-02-01']);
    // A plan given on 10 March keeps the term's rhythm (the 1st) from then on.
    expect(setLater).toEqual(['2025-04-01', '2025-05-01']);
  });

  it('when the next visit day is asked for, it is on or after the day (or strictly after), and none past the last', () => {
    // Arrange
    const term = aYearFrom('2025-01-15');
    const plan = planOf('FREQ=MONTHLY;INTERVAL=3', term.termStart);

    // Act & Assert
    expect(nextVisitDay(plan, term, '2025-01-15')).toBe('2025-01-15');
    expect(nextVisitDay(plan, term, '2025-01-15', true)).toBe('2025-04-15');
    expect(nextVisitDay(plan, term, '2025-10-15', true)).toBe(noVisitDay);
    expect(isVisitDay(plan, term, '2025-07-15')).toBe(true);
    expect(isVisitDay(plan, term, '2025-07-16')).toBe(false);
  });

  it('for any monthly or weekly rule and term, the days are in order, distinct, inside the term, and each is its own next day', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2024-01-01T00:00:00Z'),
          max: new Date('2030-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 700 }),
        fc.constantFrom(
          'FREQ=MONTHLY',
          'FREQ=MONTHLY;INTERVAL=3',
          'FREQ=WEEKLY;INTERVAL=2',
          'FREQ=MONTHLY;BYMONTHDAY=31',
        ),
        (start, length, rrule) => {
          const termStart = start.toISOString().slice(0, 10);
          const term = { termStart, termEnd: addLocalDays(termStart, length) };
          const days = occurrencesOf(planOf(rrule, termStart), term);
          expect([...new Set(days)].sort()).toEqual(days);
          for (const day of days) {
            expect(day >= term.termStart && day <= term.termEnd).toBe(true);
            expect(nextVisitDay(planOf(rrule, termStart), term, day)).toBe(day);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('the rule of a visit plan', () => {
  it.each([
    ['FREQ=MONTHLY;INTERVAL=3'],
    ['RRULE:FREQ=MONTHLY'],
    ['FREQ=YEARLY;BYMONTH=4,10;BYMONTHDAY=1'],
    ['freq=weekly;byday=mo,th'],
    ['FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20251231'],
    ['FREQ=DAILY;COUNT=5'],
  ])('when the rule is %s, it is accepted', (rrule) => {
    // Act & Assert
    expect(messagesOf(rrule)).toEqual([]);
  });

  it.each([
    ['FREQ=HOURLY', 'more often than daily'],
    ['FREQ=MINUTELY;INTERVAL=30', 'more often than daily'],
    ['FREQ=SOMETIMES', 'not a frequency'],
    ['INTERVAL=2', 'FREQ is required'],
    ['FREQ=MONTHLY;FOO=1', 'FOO is not an RRULE part'],
    ['FREQ=MONTHLY;;', 'not a NAME=VALUE rule part'],
    ['FREQ=MONTHLY;INTERVAL=0', 'INTERVAL must be a whole number'],
    ['FREQ=MONTHLY;BYMONTHDAY=40', 'BYMONTHDAY=40 has a value out of range'],
    ['FREQ=MONTHLY;BYHOUR=9', 'the time of day is preferredTime'],
    ['FREQ=MONTHLY;DTSTART=20250101', "the term's first day anchors the plan"],
    ['DTSTART:20250101T000000Z\nRRULE:FREQ=MONTHLY', 'one RRULE'],
    ['FREQ=MONTHLY;UNTIL=20251231T000000Z', 'UNTIL must be a date (YYYYMMDD), not a date-time'],
    ['FREQ=MONTHLY;UNTIL=20250101', 'UNTIL 20250101 is before the term starts, 2025-01-15'],
    ['FREQ=MONTHLY;UNTIL=20250230', 'UNTIL must be a date'],
    ['FREQ=MONTHLY;COUNT=3;UNTIL=20251231', 'COUNT and UNTIL exclude each other'],
    ['FREQ=WEEKLY;BYDAY=1MO', 'a numbered BYDAY'],
    ['FREQ=MONTHLY;FREQ=YEARLY', 'FREQ is given twice'],
  ])('when the rule is %j, it is refused naming the field: %s', (rrule, message) => {
    // Act
    const problems = ruleProblems(rrule, '2025-01-15', 'body.visits.rrule');

    // Assert
    expect(problems).toEqual([{ field: 'body.visits.rrule', message: expect.stringContaining(message) }]);
  });
});

describe('the work order id of a visit', () => {
  it('when asked twice for the same agreement and day, it is the same ULID; another day or agreement gives another', () => {
    // Act
    const first = visitWorkOrderId('agr_01JQ0000000000000000000001', '2025-04-15');
    const again = visitWorkOrderId('agr_01JQ0000000000000000000001', '2025-04-15');
    const otherDay = visitWorkOrderId('agr_01JQ0000000000000000000001', '2025-07-15');
    const otherAgreement = visitWorkOrderId('agr_01JQ0000000000000000000002', '2025-04-15');

    // Assert
    expect(first).toMatch(/^wo_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(again).toBe(first);
    expect(new Set([first, otherDay, otherAgreement]).size).toBe(3);
  });
});
