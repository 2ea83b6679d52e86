import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { DirectoryStore, Page } from '../../ports/work-order-store.ts';
import {
  ConflictError,
  type FieldProblem,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
  ValidationError,
} from '../../shared/errors.ts';
import { normalizeEmail, normalizePhone } from '../customers/customer.ts';
import type { PageRequest } from '../customers/customer-directory.ts';
import type { Actor } from '../shared/actor.ts';
import { isLocalTime } from './local-time.ts';

/** Days of the week as `Date.getDay()` numbers them: `0` is Sunday, `6` Saturday. */
export const weekdayNumbers = ['0', '1', '2', '3', '4', '5', '6'] as const;
export type WeekdayNumber = (typeof weekdayNumbers)[number];

/** A stretch of a working day in local time (`HH:mm`, the tenant's time zone). */
export interface WorkingInterval {
  start: string;
  end: string;
}

/** The intervals worked on each weekday; a day that is absent or empty is not worked. */
export type WorkingHours = Partial<Record<WeekdayNumber, WorkingInterval[]>>;

/** Time the technician is away, as instants (ISO 8601 with an offset). */
export interface TimeOff {
  start: string;
  end: string;
  reason?: string;
}

/** Seniority, which prices an hour of the technician's labor (`PricingRules.levelMultipliersBasisPoints`). */
export const technicianLevels = ['apprentice', 'technician', 'senior', 'master'] as const;
export type TechnicianLevel = (typeof technicianLevels)[number];

/** A technician with no level on record is priced as a `technician`. */
export const defaultTechnicianLevel: TechnicianLevel = 'technician';

export interface HomeBase {
  latitude: number;
  longitude: number;
}

export interface Technician {
  tenantId: string;
  technicianId: string;
  name: string;
  phone?: string;
  email?: string;
  /** Lower-cased, each once. */
  skills: string[];
  homeBase?: HomeBase;
  workingHours: WorkingHours;
  /** In start order. */
  timeOff: TimeOff[];
  /** Minor units of the tenant's currency. */
  costRatePerHour?: number;
  level?: TechnicianLevel;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface TechnicianStore {
  get(tenantId: string, technicianId: string): Promise<Technician | undefined>;
  create(technician: Technician): Promise<void>;
  /** Replaces `before` with `after` if it is still at the version read; false if it moved on. */
  update(before: Technician, after: Technician): Promise<boolean>;
  /** One Query on the tenant's technicians, optionally only those with the skill. */
  list(tenantId: string, filter: { skill?: string }, page: PageRequest): Promise<Page<Technician>>;
}

export interface TechnicianDependencies {
  technicians: TechnicianStore;
  tenants: Pick<DirectoryStore, 'getTenant'>;
  clock: Clock;
  ids: IdGenerator;
}

export interface TechnicianInput {
  name: string;
  phone?: string;
  email?: string;
  skills?: string[];
  homeBase?: HomeBase;
  workingHours?: WorkingHours;
  costRatePerHour?: number;
  level?: TechnicianLevel;
  active?: boolean;
}

export type TechnicianChanges = Partial<TechnicianInput>;

/** How many times a write refused by a concurrent one is tried again before answering 503. */
const maxAttempts = 5;

/** Lower-cased, trimmed, each skill once, in the order first given. */
export const normalizeSkills = (skills: string[]): string[] => [
  ...new Set(skills.map((skill) => skill.trim().toLowerCase())),
];

/**
 * The problems of a day's intervals: each `HH:mm`, ending after it starts, and none sharing a
 * minute with another of the day (one ending at 12:00 and the next starting at 12:00 is fine).
 */
function workingDayProblems(intervals: WorkingInterval[], field: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const wellFormed: { index: number; start: string; end: string }[] = [];
  intervals.forEach(({ start, end }, index) => {
    const at = `${field}.${index}`;
    const startValid = isLocalTime(start);
    const endValid = isLocalTime(end);
    if (!startValid) problems.push({ field: `${at}.start`, message: 'must be a local time, HH:mm' });
    if (!endValid) problems.push({ field: `${at}.end`, message: 'must be a local time, HH:mm' });
    if (!startValid || !endValid) return;
    // Zero-padded local times compare as strings.
    if (end <= start) {
      problems.push({ field: `${at}.end`, message: 'must be after the start' });
      return;
    }
    wellFormed.push({ index, start, end });
  });
  const byStart = wellFormed.sort((a, b) => a.start.localeCompare(b.start));
  for (let position = 1; position < byStart.length; position++) {
    const previous = byStart[position - 1];
    const current = byStart[position];
    if (previous && current && current.start < previous.end) {
      problems.push({
        field: `${field}.${current.index}.start`,
        message: `overlaps ${previous.start}–${previous.end} of the same day`,
      });
    }
  }
  return problems;
}

/** Checks the rules of a technician's details; fields are named under `prefix` (`body`). */
export function technicianProblems(input: TechnicianChanges, prefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.skills?.some((skill) => skill.trim() === '')) {
    problems.push({ field: `${prefix}.skills`, message: 'a skill must not be blank' });
  }
  if (input.homeBase) {
    const { latitude, longitude } = input.homeBase;
    if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90) {
      problems.push({ field: `${prefix}.homeBase.latitude`, message: 'must be between -90 and 90' });
    }
    if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180) {
      problems.push({ field: `${prefix}.homeBase.longitude`, message: 'must be between -180 and 180' });
    }
  }
  if (
    input.costRatePerHour !== undefined &&
    !(Number.isSafeInteger(input.costRatePerHour) && input.costRatePerHour >= 0)
  ) {
    problems.push({
      field: `${prefix}.costRatePerHour`,
      message: 'must be a whole number of minor units, 0 or more',
    });
  }
  for (const [day, intervals] of Object.entries(input.workingHours ?? {})) {
    const field = `${prefix}.workingHours.${day}`;
    if (!(weekdayNumbers as readonly string[]).includes(day)) {
      problems.push({ field, message: 'must be a weekday number, 0 (Sunday) to 6 (Saturday)' });
      continue;
    }
    problems.push(...workingDayProblems(intervals ?? [], field));
  }
  return problems;
}

/** The working hours with each day's intervals in start order and days not worked left out. */
function normalizeWorkingHours(workingHours: WorkingHours): WorkingHours {
  const days = weekdayNumbers
    .map(
      (day) => [day, [...(workingHours[day] ?? [])].sort((a, b) => a.start.localeCompare(b.start))] as const,
    )
    .filter(([, intervals]) => intervals.length > 0)
    .map(([day, intervals]) => [day, intervals.map(({ start, end }) => ({ start, end }))]);
  return Object.fromEntries(days) as WorkingHours;
}

/**
 * The phone in E.164 (read in the tenant's country) and the email lower-cased; reads the tenant
 * only when there is a phone to read.
 */
async function normalizedContacts(
  dependencies: TechnicianDependencies,
  actor: Actor,
  input: { phone?: string; email?: string },
  problems: FieldProblem[],
): Promise<{ phone?: string; email?: string }> {
  let phone: string | undefined;
  if (input.phone !== undefined) {
    const tenant = await dependencies.tenants.getTenant(actor.tenantId);
    if (!tenant) throw new ForbiddenError('This tenant is not provisioned');
    phone = normalizePhone(input.phone, tenant.country);
    if (!phone) {
      problems.push({ field: 'body.phone', message: `not a valid phone number for ${tenant.country}` });
    }
  }
  return {
    ...(phone ? { phone } : {}),
    ...(input.email !== undefined ? { email: normalizeEmail(input.email) } : {}),
  };
}

/**
 * Adds a technician.
 * 1. Checks the working hours, home base and cost rate; 400 naming the field.
 * 2. Normalizes phone, email and skills.
 * 3. Writes the technician, active unless told otherwise, at version 1.
 */
export async function createTechnician(
  dependencies: TechnicianDependencies,
  actor: Actor,
  input: TechnicianInput,
): Promise<Technician> {
  const problems = technicianProblems(input, 'body');
  const contacts = await normalizedContacts(dependencies, actor, input, problems);
  if (problems.length > 0) throw new ValidationError(problems);
  const now = dependencies.clock.now().toISOString();
  const technician: Technician = {
    tenantId: actor.tenantId,
    technicianId: dependencies.ids.next('tec'),
    name: input.name,
    ...contacts,
    skills: normalizeSkills(input.skills ?? []),
    ...(input.homeBase ? { homeBase: input.homeBase } : {}),
    workingHours: normalizeWorkingHours(input.workingHours ?? {}),
    timeOff: [],
    ...(input.costRatePerHour !== undefined ? { costRatePerHour: input.costRatePerHour } : {}),
    ...(input.level !== undefined ? { level: input.level } : {}),
    active: input.active ?? true,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await dependencies.technicians.create(technician);
  return technician;
}

/** A technician of the actor's tenant; a technician user sees only their own record (any other is 404). */
export async function getTechnician(
  technicians: Pick<TechnicianStore, 'get'>,
  actor: Actor,
  technicianId: string,
): Promise<Technician> {
  if (actor.role === 'technician' && actor.technicianId !== technicianId) {
    throw new NotFoundError('Technician', technicianId);
  }
  const technician = await technicians.get(actor.tenantId, technicianId);
  if (!technician) throw new NotFoundError('Technician', technicianId);
  return technician;
}

/** The tenant's technicians in creation order, optionally only those with the skill (any case). */
export async function listTechnicians(
  technicians: Pick<TechnicianStore, 'list'>,
  actor: Actor,
  filter: { skill?: string },
  page: PageRequest,
): Promise<Page<Technician>> {
  const skill = filter.skill?.trim().toLowerCase();
  return technicians.list(actor.tenantId, skill ? { skill } : {}, page);
}

/**
 * Changes a technician's details.
 * 1. Reads it (404 if not the tenant's) and checks the version the caller read, if given (409).
 * 2. Checks and normalizes the changes as at creation (400 naming the field).
 * 3. Replaces it on the version read; a refusal is a concurrent change (409).
 */
export async function updateTechnician(
  dependencies: TechnicianDependencies,
  actor: Actor,
  technicianId: string,
  changes: TechnicianChanges,
  expectedVersion?: number,
): Promise<Technician> {
  const before = await getTechnician(dependencies.technicians, actor, technicianId);
  if (expectedVersion !== undefined && expectedVersion !== before.version) {
    throw new ConflictError(`Technician ${technicianId} is at version ${before.version}`, {
      currentVersion: before.version,
    });
  }
  const problems = technicianProblems(changes, 'body');
  const contacts = await normalizedContacts(dependencies, actor, changes, problems);
  if (problems.length > 0) throw new ValidationError(problems);
  const after: Technician = {
    ...before,
    ...(changes.name !== undefined ? { name: changes.name } : {}),
    ...contacts,
    ...(changes.skills !== undefined ? { skills: normalizeSkills(changes.skills) } : {}),
    ...(changes.homeBase !== undefined ? { homeBase: changes.homeBase } : {}),
    ...(changes.workingHours !== undefined
      ? { workingHours: normalizeWorkingHours(changes.workingHours) }
      : {}),
    ...(changes.costRatePerHour !== undefined ? { costRatePerHour: changes.costRatePerHour } : {}),
    ...(changes.level !== undefined ? { level: changes.level } : {}),
    ...(changes.active !== undefined ? { active: changes.active } : {}),
    version: before.version + 1,
    updatedAt: dependencies.clock.now().toISOString(),
  };
  if (await dependencies.technicians.update(before, after)) return after;
  throw new ConflictError(`Technician ${technicianId} was changed meanwhile; read it again`);
}

/** Two stretches of time share an instant; one ending when the other starts does not. */
const overlaps = (a: TimeOff, b: TimeOff) =>
  Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end);

/**
 * Records time off for a technician.
 * 1. Checks that it ends after it starts (400 naming `body.end`).
 * 2. Reads the technician (404 if not the tenant's) and refuses with 409 time off that overlaps
 *    time off already recorded.
 * 3. Writes it on the version read; when a concurrent change wins, reads again and repeats, so
 *    two overlapping requests at once cannot both be recorded.
 */
export async function addTimeOff(
  dependencies: TechnicianDependencies,
  actor: Actor,
  technicianId: string,
  timeOff: TimeOff,
): Promise<Technician> {
  if (Date.parse(timeOff.end) <= Date.parse(timeOff.start)) {
    throw new ValidationError([{ field: 'body.end', message: 'must be after the start' }]);
  }
  const entry: TimeOff = {
    start: timeOff.start,
    end: timeOff.end,
    ...(timeOff.reason !== undefined ? { reason: timeOff.reason } : {}),
  };
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const before = await getTechnician(dependencies.technicians, actor, technicianId);
    const clash = before.timeOff.find((existing) => overlaps(existing, entry));
    if (clash) {
      throw new ConflictError(`The technician is already off from ${clash.start} to ${clash.end}`, {
        field: 'body.start',
        conflictingTimeOff: clash,
      });
    }
    const after: Technician = {
      ...before,
      timeOff: [...before.timeOff, entry].sort((a, b) => Date.parse(a.start) - Date.parse(b.start)),
      version: before.version + 1,
      updatedAt: dependencies.clock.now().toISOString(),
    };
    if (await dependencies.technicians.update(before, after)) return after;
  }
  throw new ServiceUnavailableError('The time off could not be written for concurrent changes; retry');
}
