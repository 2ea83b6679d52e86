import * as rruleExports from 'rrule';
import type { FieldProblem } from '../../shared/errors.ts';
import { addLocalDays, isLocalDay } from '../scheduling/local-time.ts';
import { derivedUlid } from './agreement.ts';

// Node loads the package's CommonJS build, which offers its API as the default export; the
// bundler takes its ES build, which offers named exports. Either way this is the same `RRule`.
const loaded: Record<string, unknown> = rruleExports;
const { RRule } = (loaded.RRule ? loaded : loaded.default) as typeof rruleExports;

/**
 * The maintenance visits an agreement brings (quarterly HVAC, monthly pest control): the days are
 * the occurrences of an RFC 5545 recurrence rule over the tenant's local days, anchored at the
 * term's first day; each visit's work order is created `leadDays` ahead for the office to book.
 */
export interface VisitPlan {
  /** The RRULE's parts, upper case, without `RRULE:` (`FREQ=MONTHLY;INTERVAL=3`). */
  rrule: string;
  leadDays: number;
  serviceTypeId: string;
  locationId: string;
  /** The work order's description. */
  description: string;
  /** Local times the customer would like the technician to arrive within: the suggested slot favours them. */
  preferredTime?: { start: string; end: string };
  /**
   * The first local day the plan covers: the term's first day for a plan entered with the
   * agreement, the day it was set for one given to a running agreement (no work order for
   * visits that were already past).
   */
  since: string;
}

export type VisitPlanInput = Omit<VisitPlan, 'since'>;

/** `nextVisitOn` of an agreement whose plan has no visit left to arrange. */
export const noVisitDay = '-';

/** What the schedule of a visit fires at, `leadDays` before the visit, in the tenant's zone. */
export const visitPlanningTime = '07:00';

/** Occurrences listed or walked at most at once (a daily plan over three years). */
export const maxOccurrences = 1_100;

/** The one-time schedule that creates the work order of the visit on `day`. */
export const visitScheduleName = (agreementId: string, day: string): string =>
  `agreement-visit-${agreementId}-${day}`;

/**
 * The id of the work order of an agreement's visit on a day, the same every time it is asked (a
 * ULID whose time is the day and whose other bits come from the agreement and the day): a
 * schedule delivered twice, or two runs at once, create one work order.
 */
export const visitWorkOrderId = (agreementId: string, day: string): string =>
  `wo_${derivedUlid(day, `${agreementId}#visit#${day}`)}`;

/** The day the visit on `day` has its work order created: `leadDays` before. */
export const planningDayOf = (plan: Pick<VisitPlan, 'leadDays'>, day: string): string =>
  addLocalDays(day, -plan.leadDays);

// --- The rule: RFC 5545 §3.3.10, for local days ---------------------------------------------

const weekdays = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const frequencies = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
const subDaily = ['SECONDLY', 'MINUTELY', 'HOURLY'];
const timeParts = ['BYSECOND', 'BYMINUTE', 'BYHOUR'];

const integerIn =
  (low: number, high: number, signed: boolean) =>
  (value: string): boolean => {
    if (!(signed ? /^[+-]?\d{1,4}$/ : /^\d{1,4}$/).test(value)) return false;
    const magnitude = Math.abs(Number(value));
    return magnitude >= low && magnitude <= high;
  };

/** The list parts and what each of their values may be. */
const listParts: Record<string, (value: string) => boolean> = {
  BYMONTHDAY: integerIn(1, 31, true),
  BYYEARDAY: integerIn(1, 366, true),
  BYWEEKNO: integerIn(1, 53, true),
  BYMONTH: integerIn(1, 12, false),
  BYSETPOS: integerIn(1, 366, true),
  BYDAY: (value) => {
    const match = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(value);
    return (
      match !== null && weekdays.includes(match[2] ?? '') && (!match[1] || integerIn(1, 53, true)(match[1]))
    );
  },
};

const compactDay = (day: string) => day.replaceAll('-', '');

/**
 * What is wrong with a recurrence rule for a visit plan, each named `field`: not RFC 5545, more
 * often than daily or at times of day, its own DTSTART or time zone (the term's first day anchors
 * it, in the tenant's zone), an UNTIL that is not a date (with a day as its start, RFC 5545 wants
 * a date) or falls before the term, or COUNT together with UNTIL. None: the rule is usable.
 */
export function ruleProblems(rrule: string, termStart: string, field: string): FieldProblem[] {
  const problem = (message: string): FieldProblem[] => [{ field, message }];
  const text = rrule.trim().replace(/^RRULE:/i, '');
  if (text === '' || /[\r\n]/.test(text)) return problem('one RRULE, such as FREQ=MONTHLY;INTERVAL=3');
  const parts = new Map<string, string>();
  for (const part of text.split(';')) {
    const [name = '', value, ...rest] = part.split('=');
    const key = name.toUpperCase();
    if (value === undefined || value === '' || rest.length > 0)
      return problem(`"${part}" is not a NAME=VALUE rule part`);
    if (parts.has(key)) return problem(`${key} is given twice`);
    parts.set(key, value.toUpperCase());
  }
  const frequency = parts.get('FREQ');
  if (!frequency) return problem('FREQ is required (DAILY, WEEKLY, MONTHLY or YEARLY)');
  if (subDaily.includes(frequency)) return problem(`FREQ=${frequency} is more often than daily`);
  if (!frequencies.includes(frequency)) return problem(`FREQ=${frequency} is not a frequency`);
  for (const [name, value] of parts) {
    if (name === 'FREQ') continue;
    if (name === 'DTSTART') return problem("DTSTART is not given: the term's first day anchors the plan");
    if (name === 'TZID') return problem("TZID is not given: the days are the tenant's local days");
    if (timeParts.includes(name))
      return problem(`${name}: visits are planned by the day; the time of day is preferredTime`);
    if (name === 'INTERVAL' || name === 'COUNT') {
      if (!integerIn(1, 1000, false)(value)) return problem(`${name} must be a whole number from 1 to 1000`);
    } else if (name === 'UNTIL') {
      if (/^\d{8}T\d{6}Z?$/.test(value)) {
        return problem(
          "UNTIL must be a date (YYYYMMDD), not a date-time: the plan starts on a day, the term's first",
        );
      }
      const day = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
      if (!day || !isLocalDay(`${day[1]}-${day[2]}-${day[3]}`))
        return problem('UNTIL must be a date, YYYYMMDD');
      if (value < compactDay(termStart))
        return problem(`UNTIL ${value} is before the term starts, ${termStart}`);
    } else if (name === 'WKST') {
      if (!weekdays.includes(value)) return problem(`WKST must be one of ${weekdays.join(', ')}`);
    } else if (listParts[name]) {
      const valid = listParts[name];
      if (!value.split(',').every((item) => valid(item)))
        return problem(`${name}=${value} has a value out of range`);
    } else {
      return problem(`${name} is not an RRULE part`);
    }
  }
  if (parts.has('COUNT') && parts.has('UNTIL')) return problem('COUNT and UNTIL exclude each other');
  // RFC 5545's limits on which parts go with which frequency.
  const numberedDay = parts
    .get('BYDAY')
    ?.split(',')
    .some((day) => /\d/.test(day));
  if (numberedDay && frequency !== 'MONTHLY' && frequency !== 'YEARLY')
    return problem('a numbered BYDAY (1MO, -1FR) needs FREQ=MONTHLY or YEARLY');
  if (numberedDay && frequency === 'YEARLY' && parts.has('BYWEEKNO'))
    return problem('a numbered BYDAY does not go with BYWEEKNO');
  if (parts.has('BYWEEKNO') && frequency !== 'YEARLY') return problem('BYWEEKNO needs FREQ=YEARLY');
  if (parts.has('BYYEARDAY') && frequency !== 'YEARLY') return problem('BYYEARDAY needs FREQ=YEARLY');
  if (parts.has('BYMONTHDAY') && frequency === 'WEEKLY')
    return problem('BYMONTHDAY does not go with FREQ=WEEKLY');
  return [];
}

/** The rule as stored: upper case, without the `RRULE:` prefix. */
export const normalizedRule = (rrule: string): string =>
  rrule
    .trim()
    .replace(/^RRULE:/i, '')
    .toUpperCase();

// Local days are handled as midnight UTC ("floating" times): the rule walks the calendar, never a
// time zone, so a visit stays on its day whatever the clocks do; the tenant's zone only decides
// when each work order is created.
const floating = (day: string): Date => new Date(`${day}T00:00:00.000Z`);
const dayOfFloating = (date: Date): string => date.toISOString().slice(0, 10);

const ruleOf = (plan: Pick<VisitPlan, 'rrule'>, termStart: string) =>
  new RRule({ ...RRule.parseString(normalizedRule(plan.rrule)), dtstart: floating(termStart) });

export interface Term {
  termStart: string;
  termEnd: string;
}

/**
 * The visit days of a plan within the term and from the day the plan covers, in order, further
 * bounded by `range` (local days, both included); at most `limit`.
 */
export function occurrencesOf(
  plan: Pick<VisitPlan, 'rrule' | 'since'>,
  term: Term,
  range: { from?: string; to?: string } = {},
  limit = maxOccurrences,
): string[] {
  const from = [term.termStart, plan.since, range.from ?? term.termStart].sort().at(-1) ?? term.termStart;
  const to = [term.termEnd, range.to ?? term.termEnd].sort()[0] ?? term.termEnd;
  if (from > to || limit <= 0) return [];
  return ruleOf(plan, term.termStart)
    .between(floating(from), floating(to), true, (_, count) => count < limit)
    .map(dayOfFloating);
}

/** The first visit day on or after `day` (after it, if `after`) in the term and the plan's days; none: `noVisitDay`. */
export function nextVisitDay(
  plan: Pick<VisitPlan, 'rrule' | 'since'>,
  term: Term,
  day: string,
  after = false,
): string {
  const from = after ? addLocalDays(day, 1) : day;
  return occurrencesOf(plan, term, { from }, 1)[0] ?? noVisitDay;
}

/** Whether `day` is one of the plan's visit days in the term. */
export const isVisitDay = (plan: Pick<VisitPlan, 'rrule' | 'since'>, term: Term, day: string): boolean =>
  nextVisitDay(plan, term, day) === day;
