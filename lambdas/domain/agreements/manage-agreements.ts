import type { AgreementStore } from '../../ports/agreement-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { Scheduler } from '../../ports/scheduler.ts';
import type { DirectoryStore, Page } from '../../ports/work-order-store.ts';
import type { AgreementBillingPayload } from '../../schemas/schedule-payloads.ts';
import {
  ConflictError,
  type FieldProblem,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
} from '../../shared/errors.ts';
import type { Invoice } from '../invoicing/invoice.ts';
import { addLocalDays, LocalCalendar } from '../scheduling/local-time.ts';
import type { Actor } from '../shared/actor.ts';
import { scheduleTimeFor } from '../shared/schedule-time.ts';
import { isOffice } from '../work-orders/lifecycle.ts';
import {
  type Agreement,
  type AgreementStatus,
  type BillingFrequency,
  billingPeriod,
  billingScheduleName,
  billingTime,
  noBillingDay,
} from './agreement.ts';
import { replanVisits, scheduleVisit, visitPlanOf, visitPlanProblems } from './agreement-visits.ts';
import { nextVisitDay, type VisitPlanInput, visitScheduleName } from './visit-plan.ts';

export interface AgreementDependencies {
  agreements: AgreementStore;
  directory: Pick<DirectoryStore, 'getTenant' | 'getCustomer' | 'getLocation' | 'getServiceType'>;
  scheduler: Scheduler;
  clock: Clock;
  ids: IdGenerator;
}

export interface AgreementInput {
  customerId: string;
  name: string;
  locationIds?: string[];
  serviceTypeIds: string[];
  billing: { frequency: BillingFrequency; amount: number };
  memberDiscountBasisPoints: number;
  includedVisitsPerTerm: number;
  termStart: string;
  /** Defaults to a year: the day before the term start's anniversary. */
  termEnd?: string;
  /** Maintenance visits: a work order created ahead of each day of the plan. */
  visits?: VisitPlanInput;
  notes?: string;
}

export interface AgreementChanges {
  name?: string;
  locationIds?: string[];
  serviceTypeIds?: string[];
  billing?: { amount: number };
  memberDiscountBasisPoints?: number;
  includedVisitsPerTerm?: number;
  termEnd?: string;
  status?: AgreementStatus;
  /** A new visit plan, covering the days from today; `null` ends the plan. */
  visits?: VisitPlanInput | null;
  notes?: string;
}

/** How far back a term may start: an agreement signed last month is entered late, not backdated years. */
const latestBackdatingDays = 31;

const requireOffice = (actor: Actor) => {
  if (!isOffice(actor)) throw new ForbiddenError('Service agreements are for the office');
};

/** Arranges the one-time schedule that bills a period on its first day (or right away if that has passed). */
export async function scheduleBilling(
  deps: { scheduler: Scheduler; clock: Clock },
  agreement: Pick<Agreement, 'tenantId' | 'agreementId' | 'termStart' | 'termEnd' | 'billing'>,
  period: number,
  timeZone: string,
): Promise<void> {
  const billing = billingPeriod(agreement, period);
  if (!billing) return;
  await deps.scheduler.put({
    name: billingScheduleName(agreement.agreementId, period),
    at: scheduleTimeFor(billing.start, billingTime, timeZone, deps.clock.now()),
    timeZone,
    payload: {
      kind: 'agreement-billing',
      tenantId: agreement.tenantId,
      agreementId: agreement.agreementId,
      period,
    } satisfies AgreementBillingPayload,
  });
}

/** The customer's locations and the catalogue's service types named, each checked (400 naming the one that is not). */
async function coverageProblems(
  deps: AgreementDependencies,
  tenantId: string,
  customerId: string,
  input: { locationIds?: string[] | undefined; serviceTypeIds?: string[] | undefined },
): Promise<FieldProblem[]> {
  const [locations, serviceTypes] = await Promise.all([
    Promise.all((input.locationIds ?? []).map((id) => deps.directory.getLocation(tenantId, id))),
    Promise.all((input.serviceTypeIds ?? []).map((id) => deps.directory.getServiceType(tenantId, id))),
  ]);
  return [
    ...locations.flatMap((location, index): FieldProblem[] =>
      location?.customerId === customerId
        ? []
        : [{ field: `body.locationIds.${index}`, message: 'not a location of the customer' }],
    ),
    ...serviceTypes.flatMap((serviceType, index): FieldProblem[] =>
      serviceType ? [] : [{ field: `body.serviceTypeIds.${index}`, message: 'no such service type' }],
    ),
  ];
}

/**
 * Enters a customer's service agreement (the office).
 * 1. Checks the customer, its locations and the service types named (400 naming the field),
 *    and the term: it ends on or after it starts and starts at most a month back (422).
 * 2. Arranges the billing of its first period (schedule `agreement-billing`, 08:00 local on the
 *    term's first day, or right away if that has passed): each period's invoice comes from its
 *    own schedule, which arranges the next.
 * 3. Writes the agreement: active, every included visit of the term still to use.
 */
export async function createAgreement(
  deps: AgreementDependencies,
  actor: Actor,
  input: AgreementInput,
): Promise<Agreement> {
  requireOffice(actor);
  const { tenantId } = actor;
  const [tenant, customer] = await Promise.all([
    deps.directory.getTenant(tenantId),
    deps.directory.getCustomer(tenantId, input.customerId),
  ]);
  if (!tenant) throw new ForbiddenError('This tenant is not provisioned');
  const problems: FieldProblem[] = customer
    ? []
    : [{ field: 'body.customerId', message: 'no such customer' }];
  problems.push(...(await coverageProblems(deps, tenantId, input.customerId, input)));
  if (problems.length > 0) throw new ValidationError(problems);

  const now = deps.clock.now();
  const today = new LocalCalendar(tenant.timeZone).dayOf(now);
  const termEnd = input.termEnd ?? addLocalDays(anniversaryOf(input.termStart), -1);
  const termProblems: FieldProblem[] = [];
  if (termEnd < input.termStart)
    termProblems.push({ field: 'body.termEnd', message: `on or after ${input.termStart}` });
  if (input.termStart < addLocalDays(today, -latestBackdatingDays)) {
    termProblems.push({
      field: 'body.termStart',
      message: `at most ${latestBackdatingDays} days before today, ${today}`,
    });
  }
  if (termProblems.length > 0)
    throw new UnprocessableError('The term does not work', { errors: termProblems });
  const term = { termStart: input.termStart, termEnd };
  if (input.visits) {
    const visitProblems = await visitPlanProblems(
      deps.directory,
      tenantId,
      input.customerId,
      input.visits,
      term,
      input.termStart,
    );
    if (visitProblems.length > 0) throw new ValidationError(visitProblems);
  }
  const visits = input.visits ? visitPlanOf(input.visits, input.termStart) : undefined;

  const at = now.toISOString();
  const agreement: Agreement = {
    tenantId,
    agreementId: deps.ids.next('agr'),
    customerId: input.customerId,
    name: input.name,
    ...(input.locationIds && input.locationIds.length > 0
      ? { locationIds: [...new Set(input.locationIds)] }
      : {}),
    serviceTypeIds: [...new Set(input.serviceTypeIds)],
    billing: input.billing,
    currency: tenant.currency,
    memberDiscountBasisPoints: input.memberDiscountBasisPoints,
    includedVisitsPerTerm: input.includedVisitsPerTerm,
    visitsRemaining: input.includedVisitsPerTerm,
    termStart: input.termStart,
    termEnd,
    status: 'active',
    nextBillingPeriod: 0,
    nextBillingOn: input.termStart,
    ...(visits ? { visits, nextVisitOn: nextVisitDay(visits, term, visits.since) } : {}),
    ...(input.notes ? { notes: input.notes } : {}),
    createdBy: actor.id,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  // The schedule first: if the write then fails, the schedule finds no agreement and does nothing.
  await scheduleBilling(deps, agreement, 0, tenant.timeZone);
  if (agreement.visits && agreement.nextVisitOn) {
    await scheduleVisit(
      deps,
      { ...agreement, visits: agreement.visits },
      agreement.nextVisitOn,
      tenant.timeZone,
    );
  }
  await deps.agreements.create(agreement);
  return agreement;
}

const anniversaryOf = (day: string): string => {
  const [year, month, date] = day.split('-');
  const next = `${Number(year) + 1}-${month}-${date}`;
  // 29 February's anniversary in a common year is 1 March.
  return Number.isNaN(Date.parse(`${next}T00:00:00Z`)) ||
    new Date(`${next}T00:00:00Z`).toISOString().slice(0, 10) !== next
    ? `${Number(year) + 1}-03-01`
    : next;
};

/** An agreement of the actor's tenant; another tenant's id is not found. */
export async function getAgreement(
  deps: Pick<AgreementDependencies, 'agreements'>,
  actor: Actor,
  agreementId: string,
) {
  requireOffice(actor);
  const agreement = await deps.agreements.get(actor.tenantId, agreementId);
  if (!agreement) throw new NotFoundError('Agreement', agreementId);
  return agreement;
}

/** A customer's agreements, the tenant's of one status (soonest billed first), or all of them, a page at a time. */
export async function listAgreements(
  deps: Pick<AgreementDependencies, 'agreements'>,
  actor: Actor,
  filter: { customerId?: string; status?: AgreementStatus },
  page: { limit: number; cursor?: string },
): Promise<Page<Agreement>> {
  requireOffice(actor);
  return deps.agreements.list(actor.tenantId, filter, page);
}

/** The invoices of the agreement's billing periods, oldest first. */
export async function agreementInvoices(
  deps: Pick<AgreementDependencies, 'agreements'>,
  actor: Actor,
  agreementId: string,
): Promise<Invoice[]> {
  const agreement = await getAgreement(deps, actor, agreementId);
  return deps.agreements.invoicesOf(agreement.tenantId, agreement.agreementId);
}

/**
 * Changes an agreement (the office).
 * 1. Reads it (404), checks the version read if given (409); an ended agreement stays as it
 *    ended (409).
 * 2. Checks the locations and service types named (400) and the new term end (422).
 * 3. A change of the included visits per term moves the visits remaining by as much (never below
 *    none); a new billing amount applies to the periods billed from now on.
 * 4. Ending it deletes its pending billing schedule; a term extended past its last billed period
 *    arranges the next billing again. (A paused agreement keeps its schedule: its periods pass
 *    unbilled until it is active again.)
 * 5. A new visit plan (checked, 400 naming `body.visits.…`) covers the days from today; its first
 *    visit is arranged, the old plan's pending one retired (`replanVisits`); ending the agreement,
 *    or a term that now ends before the next visit, retires it; a term extended after the last
 *    visit arranges the next.
 * 6. Writes it on the version read (409 if it changed meanwhile).
 */
export async function updateAgreement(
  deps: AgreementDependencies,
  actor: Actor,
  agreementId: string,
  changes: AgreementChanges,
  expectedVersion?: number,
): Promise<Agreement> {
  const before = await getAgreement(deps, actor, agreementId);
  if (expectedVersion !== undefined && expectedVersion !== before.version) {
    throw new ConflictError(`Agreement ${agreementId} is at version ${before.version}`, {
      currentVersion: before.version,
    });
  }
  if (before.status === 'ended') {
    throw new ConflictError(`Agreement ${agreementId} has ended and no longer changes`, {
      currentStatus: 'ended',
    });
  }
  const problems = await coverageProblems(deps, before.tenantId, before.customerId, changes);
  if (problems.length > 0) throw new ValidationError(problems);
  if (changes.termEnd !== undefined && changes.termEnd < before.termStart) {
    throw new UnprocessableError('The term would end before it starts', {
      errors: [{ field: 'body.termEnd', message: `on or after ${before.termStart}` }],
    });
  }
  const tenant = await deps.directory.getTenant(before.tenantId);
  if (!tenant) throw new ForbiddenError('This tenant is not provisioned');
  // A plan given to a running agreement covers the days from today: past visits get no work order.
  const today = new LocalCalendar(tenant.timeZone).dayOf(deps.clock.now());
  // Days compare as strings: the later of today and the term's first day.
  const planSince = [today, before.termStart].sort()[1] ?? today;
  const visits = changes.visits ? visitPlanOf(changes.visits, planSince) : undefined;
  if (changes.visits && visits) {
    const term = { termStart: before.termStart, termEnd: changes.termEnd ?? before.termEnd };
    const visitProblems = await visitPlanProblems(
      deps.directory,
      before.tenantId,
      before.customerId,
      changes.visits,
      term,
      visits.since,
    );
    if (visitProblems.length > 0) throw new ValidationError(visitProblems);
  }

  const { billing, locationIds, serviceTypeIds, includedVisitsPerTerm, visits: _visits, ...simple } = changes;
  const after: Agreement = {
    ...before,
    ...simple,
    ...(billing ? { billing: { ...before.billing, amount: billing.amount } } : {}),
    ...(serviceTypeIds ? { serviceTypeIds: [...new Set(serviceTypeIds)] } : {}),
    ...(includedVisitsPerTerm !== undefined
      ? {
          includedVisitsPerTerm,
          visitsRemaining: Math.max(
            0,
            before.visitsRemaining + includedVisitsPerTerm - before.includedVisitsPerTerm,
          ),
        }
      : {}),
    version: before.version + 1,
    updatedAt: deps.clock.now().toISOString(),
  };
  if (locationIds) {
    if (locationIds.length > 0) after.locationIds = [...new Set(locationIds)];
    else delete after.locationIds;
  }
  if (changes.notes === '') delete after.notes;
  after.nextBillingOn =
    after.status === 'ended'
      ? noBillingDay
      : (billingPeriod(after, after.nextBillingPeriod)?.start ?? noBillingDay);

  if (visits) after.visits = visits;
  else if (changes.visits === null) delete after.visits;
  const replan = replanVisits(before, after, changes.visits !== undefined);
  if (replan.nextVisitOn !== undefined) after.nextVisitOn = replan.nextVisitOn;
  else delete after.nextVisitOn;

  if (after.status === 'ended') {
    await deps.scheduler.delete(billingScheduleName(agreementId, before.nextBillingPeriod));
  } else if (before.nextBillingOn === noBillingDay && after.nextBillingOn !== noBillingDay) {
    await scheduleBilling(deps, after, after.nextBillingPeriod, tenant.timeZone);
  }
  if (replan.arrange && after.visits) {
    await scheduleVisit(deps, { ...after, visits: after.visits }, replan.arrange, tenant.timeZone);
  }
  if (!(await deps.agreements.update(before, after))) {
    throw new ConflictError(`Agreement ${agreementId} was changed meanwhile; read it again`);
  }
  if (replan.retire) await deps.scheduler.delete(visitScheduleName(agreementId, replan.retire));
  return after;
}
