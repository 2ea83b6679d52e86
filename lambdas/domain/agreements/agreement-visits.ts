import type { AgreementStore } from '../../ports/agreement-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { PlannedVisitStore } from '../../ports/planned-visit-store.ts';
import type { Scheduler } from '../../ports/scheduler.ts';
import type { DirectoryStore } from '../../ports/work-order-store.ts';
import type { AgreementVisitPayload } from '../../schemas/schedule-payloads.ts';
import {
  ConflictError,
  type FieldProblem,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
} from '../../shared/errors.ts';
import type { Tenant } from '../customers/customer.ts';
import { addLocalDays, LocalCalendar } from '../scheduling/local-time.ts';
import { rankedSlots, type SlotDependencies } from '../scheduling/slots.ts';
import type { Actor } from '../shared/actor.ts';
import { instantOfWallClock, scheduleTimeFor } from '../shared/schedule-time.ts';
import { type CreateWorkOrderDependencies, createWorkOrder } from '../work-orders/create-work-order.ts';
import { isOffice } from '../work-orders/lifecycle.ts';
import { auditEvent, type SuggestedSlot, type WorkOrder } from '../work-orders/work-order.ts';
import type { Agreement, PlannedVisitStatus } from './agreement.ts';
import {
  isVisitDay,
  nextVisitDay,
  normalizedRule,
  noVisitDay,
  occurrencesOf,
  planningDayOf,
  ruleProblems,
  type Term,
  type VisitPlan,
  type VisitPlanInput,
  visitPlanningTime,
  visitScheduleName,
  visitWorkOrderId,
} from './visit-plan.ts';

/** What became of one visit day of an agreement's plan (a day with no record is still planned). */
export interface PlannedVisit {
  tenantId: string;
  agreementId: string;
  /** The visit's local day. */
  day: string;
  /** `created`: its work order exists (or is being written); `skipped` by the office; `paused`: passed while paused. */
  status: PlannedVisitStatus;
  workOrderId?: string;
  /** Why the office skipped it. */
  reason?: string;
  recordedBy: string;
  recordedAt: string;
}

/** A visit day as the office sees it. */
export interface VisitDay {
  day: string;
  status: 'planned' | PlannedVisitStatus;
  workOrderId?: string;
  reason?: string;
}

/** Who creates a plan's work orders: the agreement itself, as their audit trail shows (`createdBy`). */
export const agreementActor = (tenantId: string): Actor => ({ tenantId, id: 'agreement', role: 'system' });

/** How many days either side of the visit day the suggested slot may fall on, when the day itself has none. */
export const suggestionLeewayDays = 3;

const dayMs = 86_400_000;
const maxAttempts = 5;
/** Visits one run catches up on before leaving the rest to their schedules. */
const maxVisitsPerRun = 24;

const requireOffice = (actor: Actor) => {
  if (!isOffice(actor)) throw new ForbiddenError('Service agreements are for the office');
};

// --- The plan as the office enters it --------------------------------------------------------

/**
 * What is wrong with a visit plan for an agreement, each problem naming its field under `field`:
 * the rule (`ruleProblems`), a rule with no visit day between `since` and the term's end, a
 * service type not in the catalogue, a location not the customer's.
 */
export async function visitPlanProblems(
  directory: Pick<DirectoryStore, 'getServiceType' | 'getLocation'>,
  tenantId: string,
  customerId: string,
  plan: VisitPlanInput,
  term: Term,
  since: string,
  field = 'body.visits',
): Promise<FieldProblem[]> {
  const [serviceType, location] = await Promise.all([
    directory.getServiceType(tenantId, plan.serviceTypeId),
    directory.getLocation(tenantId, plan.locationId),
  ]);
  const problems = ruleProblems(plan.rrule, term.termStart, `${field}.rrule`);
  if (problems.length === 0 && nextVisitDay({ rrule: plan.rrule, since }, term, since) === noVisitDay) {
    problems.push({
      field: `${field}.rrule`,
      message: `no visit day falls between ${since} and the term's end, ${term.termEnd}`,
    });
  }
  if (!serviceType) problems.push({ field: `${field}.serviceTypeId`, message: 'no such service type' });
  if (location?.customerId !== customerId)
    problems.push({ field: `${field}.locationId`, message: 'not a location of the customer' });
  return problems;
}

/** The plan as stored, covering the visit days from `since`. */
export const visitPlanOf = (input: VisitPlanInput, since: string): VisitPlan => ({
  rrule: normalizedRule(input.rrule),
  leadDays: input.leadDays,
  serviceTypeId: input.serviceTypeId,
  locationId: input.locationId,
  description: input.description,
  ...(input.preferredTime ? { preferredTime: input.preferredTime } : {}),
  since,
});

/**
 * Arranges the one-time schedule that creates the work order of the visit on `day`: `leadDays`
 * before it at 07:00 local, or a minute from now if that has passed.
 */
export async function scheduleVisit(
  deps: { scheduler: Scheduler; clock: Clock },
  agreement: Pick<Agreement, 'tenantId' | 'agreementId'> & { visits: Pick<VisitPlan, 'leadDays'> },
  day: string,
  timeZone: string,
): Promise<void> {
  await deps.scheduler.put({
    name: visitScheduleName(agreement.agreementId, day),
    at: scheduleTimeFor(planningDayOf(agreement.visits, day), visitPlanningTime, timeZone, deps.clock.now()),
    timeZone,
    payload: {
      kind: 'agreement-visit',
      tenantId: agreement.tenantId,
      agreementId: agreement.agreementId,
      day,
    } satisfies AgreementVisitPayload,
  });
}

/** What a change of an agreement does to its visits' schedules. */
export interface VisitReplan {
  /** The visit day arranged next after the change (`-`: none); absent without a plan. */
  nextVisitOn?: string;
  /** The visit whose schedule is arranged before the change is written. */
  arrange?: string;
  /** The visit whose schedule is deleted once the change is written (no longer the next one). */
  retire?: string;
}

/**
 * How a change of an agreement moves its visits (`after` as it will be written):
 * - no plan left: no visit is arranged; ended: none either;
 * - a new or changed plan: the first of its days from the day it covers;
 * - a term that now ends before the visit arranged next: none; a term extended after its last
 *   visit was arranged: the first day after the old end.
 * Arranging first and retiring after the write means a failed write leaves the visits as they were.
 */
export function replanVisits(before: Agreement, after: Agreement, planChanged: boolean): VisitReplan {
  const pending = before.nextVisitOn && before.nextVisitOn !== noVisitDay ? before.nextVisitOn : undefined;
  const plan = after.visits;
  let next: string;
  if (!plan) return pending ? { retire: pending } : {};
  if (after.status === 'ended') next = noVisitDay;
  else if (planChanged) next = nextVisitDay(plan, after, plan.since);
  else if (pending) next = pending <= after.termEnd ? pending : noVisitDay;
  else if (after.termEnd > before.termEnd) next = nextVisitDay(plan, after, before.termEnd, true);
  else next = noVisitDay;
  return {
    nextVisitOn: next,
    ...(next !== noVisitDay && (planChanged || next !== pending) ? { arrange: next } : {}),
    ...(pending && pending !== next ? { retire: pending } : {}),
  };
}

// --- The schedule: creating a visit's work order ahead of its day ----------------------------

export interface AgreementVisitDependencies extends CreateWorkOrderDependencies {
  agreements: Pick<AgreementStore, 'get' | 'update'>;
  plannedVisits: PlannedVisitStore;
  scheduler: Scheduler;
  /** What the slot ranking reads besides the work orders and the directory. */
  technicians: SlotDependencies['technicians'];
  durations: SlotDependencies['durations'];
  travelTimes: SlotDependencies['travelTimes'];
}

export interface VisitRunOutcome {
  /** `arranged`: the visits below were decided and the agreement moved on; `not due`: it waits on another day. */
  outcome: 'arranged' | 'not due' | 'ended' | 'unknown agreement';
  /** The visit days this run went through, in order. */
  visits: { day: string; status: PlannedVisitStatus; workOrderId?: string; suggestedSlot?: SuggestedSlot }[];
  /** The visit day arranged next, when this run moved the agreement on (`-`: none left). */
  nextVisitOn?: string;
}

/**
 * Creates the work order of one visit of an agreement's plan (schedule kind `agreement-visit`),
 * exactly once however often or concurrently the schedule fires, and of any later visit whose
 * time has come too.
 * 1. Does nothing unless the agreement (not ended, with a plan) is waiting on this very day: a
 *    schedule delivered again, or left over from a changed plan, finds it moved on.
 * 2. Claims the day (a not-exists write): an active agreement's visit as `created` under the id
 *    that follows from the agreement and the day; a paused agreement's as `paused`, with no work
 *    order. A day the office skipped stays skipped.
 * 3. For a created visit: the work order with that id is created if absent (`createWorkOrder`:
 *    routine, the plan's service type, location and description, linked to the agreement and the
 *    day; its execution starts), so a second run finds or loses the race to it and takes it. Then
 *    the slot ranking's best slot on the day, or else the nearest day within three either side
 *    (never before today), is recorded on it as `suggestedSlot` for the office to book.
 * 4. Moves the agreement on to the next visit day (a conditional write on its version), arranging
 *    that day's schedule first; the run that loses finds it moved and stops.
 * 5. When the next visit's time has passed already (a late run, an agreement entered after its
 *    term began), it is handled in the same run.
 */
export async function planAgreementVisit(
  deps: AgreementVisitDependencies,
  payload: AgreementVisitPayload,
): Promise<VisitRunOutcome> {
  const { tenantId, agreementId } = payload;
  const tenant = await deps.directory.getTenant(tenantId);
  const visits: VisitRunOutcome['visits'] = [];
  let day = payload.day;
  let nextVisitOn: string | undefined;
  for (let run = 0; run < maxVisitsPerRun; run += 1) {
    const agreement = await deps.agreements.get(tenantId, agreementId);
    if (!agreement || !tenant) return { outcome: 'unknown agreement', visits };
    if (agreement.status === 'ended' && run === 0) return { outcome: 'ended', visits };
    const plan = agreement.visits;
    if (!plan || agreement.status === 'ended' || agreement.nextVisitOn !== day) break;
    visits.push(await decideVisit(deps, agreement, plan, tenant, day));
    const moved = await moveOn(deps, agreement, tenant, day);
    if (moved === undefined) break;
    nextVisitOn = moved;
    if (moved === noVisitDay) break;
    const due = instantOfWallClock(`${planningDayOf(plan, moved)}T${visitPlanningTime}`, tenant.timeZone);
    if (due > deps.clock.now()) break;
    day = moved;
  }
  return {
    outcome: visits.length > 0 ? 'arranged' : 'not due',
    visits,
    ...(nextVisitOn !== undefined ? { nextVisitOn } : {}),
  };
}

async function decideVisit(
  deps: AgreementVisitDependencies,
  agreement: Agreement,
  plan: VisitPlan,
  tenant: Tenant,
  day: string,
): Promise<VisitRunOutcome['visits'][number]> {
  const { tenantId, agreementId } = agreement;
  const workOrderId = visitWorkOrderId(agreementId, day);
  const record = { tenantId, agreementId, day, recordedBy: agreementActor(tenantId).id };
  const recordedAt = deps.clock.now().toISOString();
  const claimed = await deps.plannedVisits.claim(
    agreement.status === 'paused'
      ? { ...record, status: 'paused', recordedAt }
      : { ...record, status: 'created', workOrderId, recordedAt },
  );
  if (claimed.status !== 'created') return { day, status: claimed.status };
  const workOrder = await ensureWorkOrder(deps, agreement, plan, day, claimed.workOrderId ?? workOrderId);
  const suggestedSlot = await suggestSlot(deps, workOrder, plan, tenant, day);
  return {
    day,
    status: 'created',
    workOrderId: workOrder.workOrderId,
    ...(suggestedSlot ? { suggestedSlot } : {}),
  };
}

async function ensureWorkOrder(
  deps: AgreementVisitDependencies,
  agreement: Agreement,
  plan: VisitPlan,
  day: string,
  workOrderId: string,
): Promise<WorkOrder> {
  const { tenantId } = agreement;
  const existing = await deps.workOrders.get(tenantId, workOrderId);
  if (existing) return existing;
  try {
    return await createWorkOrder(deps, agreementActor(tenantId), {
      workOrderId,
      agreement: { agreementId: agreement.agreementId, occurrence: day },
      customerId: agreement.customerId,
      locationId: plan.locationId,
      serviceTypeId: plan.serviceTypeId,
      description: plan.description,
      priority: 'routine',
    });
  } catch (error) {
    // Another run of the same visit wrote it first: that one is the visit's work order.
    const written = await deps.workOrders.get(tenantId, workOrderId);
    if (written) return written;
    throw error;
  }
}

const daysApart = (a: string, b: string) =>
  Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / dayMs;

/**
 * Records the slot ranking's suggestion on a new work order that has none: the best-scored slot
 * on the visit day, else on the nearest day with one (up to `suggestionLeewayDays` either side,
 * none before today), favouring the plan's preferred time. A work order the office booked
 * already, or one with nothing to suggest, keeps as it is; so does one the ranking cannot look
 * at (no location or service type any more), which is reported.
 */
async function suggestSlot(
  deps: AgreementVisitDependencies,
  workOrder: WorkOrder,
  plan: VisitPlan,
  tenant: Tenant,
  day: string,
): Promise<SuggestedSlot | undefined> {
  if (workOrder.suggestedSlot || workOrder.status !== 'new') return workOrder.suggestedSlot;
  const actor = agreementActor(workOrder.tenantId);
  const calendar = new LocalCalendar(tenant.timeZone);
  const today = calendar.dayOf(deps.clock.now());
  const from = [addLocalDays(day, -suggestionLeewayDays), today].sort()[1] ?? today;
  const to = addLocalDays([day, today].sort()[1] ?? today, suggestionLeewayDays);
  let suggestion: SuggestedSlot | undefined;
  try {
    const { slots } = await rankedSlots(
      deps,
      actor,
      workOrder.workOrderId,
      { from, to, limit: 1_000 },
      plan.preferredTime ? { timeWindows: [plan.preferredTime] } : undefined,
    );
    const [best] = [...slots].sort(
      (a, b) => daysApart(a.date, day) - daysApart(b.date, day) || b.score - a.score,
    );
    if (best) suggestion = { start: best.start, technicianId: best.technicianId, score: best.score };
  } catch (error) {
    if (
      !(
        error instanceof UnprocessableError ||
        error instanceof ConflictError ||
        error instanceof NotFoundError
      )
    )
      throw error;
    deps.reportFailure(`No slot could be suggested for work order ${workOrder.workOrderId}`, error);
  }
  if (!suggestion) return undefined;
  const slot = suggestion;
  const recorded = await amendWorkOrder(deps, actor, workOrder, 'slot_suggested', (current) =>
    current.suggestedSlot || current.status !== 'new' ? undefined : { ...current, suggestedSlot: slot },
  );
  return recorded?.suggestedSlot;
}

/** Changes a work order with its audit event, reading it again while others write (its execution enriches it meanwhile). */
async function amendWorkOrder(
  deps: AgreementVisitDependencies,
  actor: Actor,
  workOrder: WorkOrder,
  action: string,
  change: (current: WorkOrder) => WorkOrder | undefined,
): Promise<WorkOrder | undefined> {
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const before = await deps.workOrders.get(workOrder.tenantId, workOrder.workOrderId);
    if (!before) return undefined;
    const changed = change(before);
    if (!changed) return before;
    const at = deps.clock.now().toISOString();
    const after = { ...changed, version: before.version + 1, updatedAt: at };
    const event = auditEvent({ eventId: deps.ids.next('evt'), action, actor, at, before, after });
    if (await deps.workOrders.apply({ before, after, event })) return after;
  }
  throw new Error(`Work order ${workOrder.workOrderId} kept changing while its slot was suggested; retry`);
}

async function moveOn(
  deps: AgreementVisitDependencies,
  read: Agreement,
  tenant: Tenant,
  day: string,
): Promise<string | undefined> {
  let agreement: Agreement | undefined = read;
  for (let attempt = 1; attempt <= maxAttempts && agreement; attempt += 1) {
    const plan = agreement.visits;
    if (!plan || agreement.nextVisitOn !== day || agreement.status === 'ended') return undefined;
    const next = nextVisitDay(plan, agreement, day, true);
    if (next !== noVisitDay) await scheduleVisit(deps, { ...agreement, visits: plan }, next, tenant.timeZone);
    const after: Agreement = {
      ...agreement,
      nextVisitOn: next,
      version: agreement.version + 1,
      updatedAt: deps.clock.now().toISOString(),
    };
    if (await deps.agreements.update(agreement, after)) return next;
    agreement = await deps.agreements.get(agreement.tenantId, agreement.agreementId);
  }
  if (!agreement) return undefined;
  throw new Error(`Agreement ${read.agreementId} kept changing while its visits moved on; retry`);
}

// --- The office: the visit days, and skipping one --------------------------------------------

async function officeAgreement(
  deps: { agreements: Pick<AgreementStore, 'get'> },
  actor: Actor,
  agreementId: string,
): Promise<Agreement> {
  requireOffice(actor);
  const agreement = await deps.agreements.get(actor.tenantId, agreementId);
  if (!agreement) throw new NotFoundError('Agreement', agreementId);
  return agreement;
}

const toVisitDay = (visit: PlannedVisit): VisitDay => ({
  day: visit.day,
  status: visit.status,
  ...(visit.workOrderId ? { workOrderId: visit.workOrderId } : {}),
  ...(visit.reason ? { reason: visit.reason } : {}),
});

/**
 * The visit days of an agreement, past and upcoming, in day order: each recorded one as it was
 * decided (`created` with its work order, `skipped`, `paused`), and every day of the plan from
 * the one arranged next to the term's end as `planned`.
 */
export async function agreementVisits(
  deps: { agreements: Pick<AgreementStore, 'get'>; plannedVisits: PlannedVisitStore },
  actor: Actor,
  agreementId: string,
): Promise<{ agreement: Agreement; visits: VisitDay[] }> {
  const agreement = await officeAgreement(deps, actor, agreementId);
  const recorded = await deps.plannedVisits.visitsOf(agreement.tenantId, agreementId);
  const days = new Map<string, VisitDay>(recorded.map((visit) => [visit.day, toVisitDay(visit)]));
  const { visits: plan, nextVisitOn } = agreement;
  if (plan && nextVisitOn && nextVisitOn !== noVisitDay) {
    for (const day of occurrencesOf(plan, agreement, { from: nextVisitOn })) {
      if (!days.has(day)) days.set(day, { day, status: 'planned' });
    }
  }
  return { agreement, visits: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)) };
}

/**
 * Skips one visit of an agreement's plan (the office): no work order is created for the day.
 * 1. Reads the agreement (404); an ended one, or one without a plan, has no visit to skip (409).
 * 2. The day must be one of the plan's visit days (400 naming `body.day`).
 * 3. Records the day as skipped unless it has a record: its work order exists (or is being
 *    created) already, or it passed while the agreement was paused, 409; skipped already, the
 *    same answer again.
 */
export async function skipVisit(
  deps: { agreements: Pick<AgreementStore, 'get'>; plannedVisits: PlannedVisitStore; clock: Clock },
  actor: Actor,
  agreementId: string,
  input: { day: string; reason?: string },
): Promise<VisitDay> {
  const agreement = await officeAgreement(deps, actor, agreementId);
  const plan = agreement.visits;
  if (agreement.status === 'ended' || !plan) {
    throw new ConflictError(
      agreement.status === 'ended'
        ? `Agreement ${agreementId} has ended`
        : `Agreement ${agreementId} has no visit plan`,
      { currentStatus: agreement.status },
    );
  }
  if (!isVisitDay(plan, agreement, input.day)) {
    const next = nextVisitDay(plan, agreement, input.day);
    throw new ValidationError([
      {
        field: 'body.day',
        message: `not a visit day of the plan${next === noVisitDay ? '' : ` (the next one is ${next})`}`,
      },
    ]);
  }
  const claimed = await deps.plannedVisits.claim({
    tenantId: agreement.tenantId,
    agreementId,
    day: input.day,
    status: 'skipped',
    ...(input.reason ? { reason: input.reason } : {}),
    recordedBy: actor.id,
    recordedAt: deps.clock.now().toISOString(),
  });
  if (claimed.status === 'created') {
    throw new ConflictError(
      `The visit of ${input.day} has its work order ${claimed.workOrderId} already; cancel the work order instead`,
      { workOrderId: claimed.workOrderId },
    );
  }
  if (claimed.status === 'paused') {
    throw new ConflictError(`The visit of ${input.day} passed while the agreement was paused`, {
      currentStatus: 'paused',
    });
  }
  return toVisitDay(claimed);
}
