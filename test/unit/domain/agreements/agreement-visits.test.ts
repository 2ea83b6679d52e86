import { beforeEach, describe, expect, it } from 'vitest';
import { StraightLineTravel } from '../../../../lambdas/adapters/travel/straight-line-travel.ts';
import type { Agreement } from '../../../../lambdas/domain/agreements/agreement.ts';
import {
  type AgreementVisitDependencies,
  agreementActor,
  agreementVisits,
  planAgreementVisit,
  skipVisit,
} from '../../../../lambdas/domain/agreements/agreement-visits.ts';
import {
  type VisitPlan,
  visitScheduleName,
  visitWorkOrderId,
} from '../../../../lambdas/domain/agreements/visit-plan.ts';
import { LocalCalendar } from '../../../../lambdas/domain/scheduling/local-time.ts';
import type { Technician } from '../../../../lambdas/domain/scheduling/technicians.ts';
import { instantOfWallClock } from '../../../../lambdas/domain/shared/schedule-time.ts';
import { createWorkOrder } from '../../../../lambdas/domain/work-orders/create-work-order.ts';
import type { AgreementVisitPayload } from '../../../../lambdas/schemas/schedule-payloads.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../../../lambdas/shared/errors.ts';
import { anAgreement } from '../../../fixtures/agreement-records.ts';
import {
  aCustomer,
  aDispatcher,
  aLocation,
  aServiceType,
  aTechnicianUser,
  aTenant,
} from '../../../fixtures/unit-records.ts';
import { InMemoryAgreements } from '../../fakes/in-memory-agreements.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryJobDurations } from '../../fakes/in-memory-job-durations.ts';
import { InMemoryPlannedVisits } from '../../fakes/in-memory-planned-visits.ts';
import { InMemoryTechnicians } from '../../fakes/in-memory-technicians.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { RecordingEventPublisher } from '../../fakes/recording-event-publisher.ts';
import { RecordingScheduler } from '../../fakes/recording-scheduler.ts';
import { RecordingWorkflow } from '../../fakes/recording-workflow.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const tenantId = 'ten_acme';
const agreementId = 'agr_01JQ0000000000000000000001';
const boston = new LocalCalendar('America/New_York');
const backBay = { latitude: 42.3503, longitude: -71.081 };

/** Quarterly tune-ups on the 1st, from the term's first day (2025-01-01), work orders two weeks ahead. */
const quarterly: VisitPlan = {
  rrule: 'FREQ=MONTHLY;INTERVAL=3',
  leadDays: 14,
  serviceTypeId: 'svc_ac_repair',
  locationId: 'loc_home',
  description: 'Seasonal HVAC tune-up',
  since: '2025-01-01',
};

const weekdays = Object.fromEntries(
  ['1', '2', '3', '4', '5'].map((day) => [day, [{ start: '08:00', end: '17:00' }]]),
);
const aTechnician = (technicianId: string, overrides: Partial<Technician> = {}): Technician => ({
  tenantId,
  technicianId,
  name: technicianId.replace('tec_', ''),
  skills: ['hvac'],
  homeBase: backBay,
  workingHours: weekdays,
  timeOff: [],
  active: true,
  version: 1,
  createdAt: '2024-12-01T00:00:00.000Z',
  updatedAt: '2024-12-01T00:00:00.000Z',
  ...overrides,
});

const visitOn = (day: string): AgreementVisitPayload => ({
  kind: 'agreement-visit',
  tenantId,
  agreementId,
  day,
});
/** 07:00 in Boston on a day: when the schedules fire. */
const sevenAm = (day: string) => instantOfWallClock(`${day}T07:00`, 'America/New_York').toISOString();

describe('the visits of a service agreement', () => {
  let agreements: InMemoryAgreements;
  let plannedVisits: InMemoryPlannedVisits;
  let workOrders: InMemoryWorkOrderStore;
  let directory: InMemoryDirectory;
  let workflow: RecordingWorkflow;
  let events: RecordingEventPublisher;
  let scheduler: RecordingScheduler;
  let clock: SettableClock;
  let failures: string[];
  let deps: AgreementVisitDependencies;

  const withPlan = (overrides: Partial<Agreement> = {}) =>
    agreements.put(anAgreement({ visits: quarterly, nextVisitOn: '2025-04-01', ...overrides }));
  const stored = async () => agreements.get(tenantId, agreementId);
  const agreementWorkOrders = () =>
    workOrders
      .all()
      .filter((workOrder) => workOrder.agreementId === agreementId)
      .sort((a, b) => (a.occurrence ?? '').localeCompare(b.occurrence ?? ''));

  beforeEach(() => {
    failures = [];
    agreements = new InMemoryAgreements();
    plannedVisits = new InMemoryPlannedVisits();
    directory = new InMemoryDirectory()
      .addTenant(aTenant())
      .addCustomer(aCustomer())
      .addLocation(aLocation({ latitude: 42.3467, longitude: -71.0723 }))
      .addServiceType(tenantId, aServiceType());
    workOrders = new InMemoryWorkOrderStore(directory);
    workflow = new RecordingWorkflow();
    events = new RecordingEventPublisher();
    scheduler = new RecordingScheduler();
    // Tuesday 18 March 2025, 07:00 in Boston: two weeks before the 1 April visit.
    clock = new SettableClock(sevenAm('2025-03-18'));
    deps = {
      workOrders,
      directory,
      workflow,
      events,
      clock,
      ids: new SequentialIds(),
      reportFailure: (message) => failures.push(message),
      agreements,
      plannedVisits,
      scheduler,
      technicians: new InMemoryTechnicians().add(aTechnician('tec_ana')).add(aTechnician('tec_ben')),
      durations: new InMemoryJobDurations(),
      travelTimes: (settings) => new StraightLineTravel(settings.averageSpeedKmh),
    };
  });

  describe('planAgreementVisit', () => {
    it('when a visit’s schedule fires, its work order is created under the id of the agreement and day, linked to both, started, and the next visit is arranged', async () => {
      // Arrange
      withPlan();

      // Act
      const outcome = await planAgreementVisit(deps, visitOn('2025-04-01'));

      // Assert
      const workOrderId = visitWorkOrderId(agreementId, '2025-04-01');
      expect(outcome).toMatchObject({
        outcome: 'arranged',
        visits: [{ day: '2025-04-01', status: 'created', workOrderId }],
        nextVisitOn: '2025-07-01',
      });
      expect(await workOrders.get(tenantId, workOrderId)).toMatchObject({
        agreementId,
        occurrence: '2025-04-01',
        customerId: 'cus_existing',
        locationId: 'loc_home',
        serviceTypeId: 'svc_ac_repair',
        description: 'Seasonal HVAC tune-up',
        priority: 'routine',
        status: 'new',
        createdBy: 'agreement',
      });
      expect(workflow.executions.has(workOrderId)).toBe(true);
      expect(events.ofType('WorkOrder.Created')).toHaveLength(1);
      expect(await plannedVisits.visitsOf(tenantId, agreementId)).toEqual([
        expect.objectContaining({ day: '2025-04-01', status: 'created', workOrderId }),
      ]);
      // The next visit's work order is due two weeks before it, at 07:00 local.
      expect(scheduler.get(visitScheduleName(agreementId, '2025-07-01'))).toEqual({
        name: visitScheduleName(agreementId, '2025-07-01'),
        at: '2025-06-17T07:00:00',
        timeZone: 'America/New_York',
        payload: visitOn('2025-07-01'),
      });
      expect(await stored()).toMatchObject({ nextVisitOn: '2025-07-01', version: 2 });
    });

    it('when the work order is created, its timeline says the agreement created it for that day, then records the suggested slot', async () => {
      // Arrange
      withPlan();

      // Act
      await planAgreementVisit(deps, visitOn('2025-04-01'));

      // Assert
      const workOrderId = visitWorkOrderId(agreementId, '2025-04-01');
      const trail = workOrders.eventsOf(tenantId, workOrderId);
      expect(trail.map((event) => [event.action, event.actorId, event.actorRole])).toEqual([
        ['created', 'agreement', 'system'],
        ['slot_suggested', 'agreement', 'system'],
      ]);
      expect(trail[0]?.changes).toMatchObject({
        agreementId: { after: agreementId },
        occurrence: { after: '2025-04-01' },
      });
      expect(trail[1]?.changes.suggestedSlot?.after).toEqual(
        (await workOrders.get(tenantId, workOrderId))?.suggestedSlot,
      );
    });

    it('when the slot is suggested, it is the ranking’s best slot on the visit day, with a qualified technician', async () => {
      // Arrange
      withPlan();

      // Act
      const outcome = await planAgreementVisit(deps, visitOn('2025-04-01'));

      // Assert
      const workOrder = await workOrders.get(tenantId, visitWorkOrderId(agreementId, '2025-04-01'));
      const slot = workOrder?.suggestedSlot;
      expect(slot).toEqual({
        start: expect.any(String),
        technicianId: expect.any(String),
        score: expect.any(Number),
      });
      expect(boston.dayOf(slot?.start ?? '')).toBe('2025-04-01');
      expect(['tec_ana', 'tec_ben']).toContain(slot?.technicianId);
      expect(slot?.score).toBeGreaterThan(0);
      expect(outcome.visits[0]?.suggestedSlot).toEqual(slot);
    });

    it('when the visit day is a Saturday and nobody works weekends, the slot is on the nearest working day', async () => {
      // Arrange: Saturday 5 April 2025; Friday is a day away, Monday two.
      withPlan({
        visits: { ...quarterly, rrule: 'FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=5' },
        nextVisitOn: '2025-04-05',
      });
      clock = new SettableClock(sevenAm('2025-03-22'));
      deps.clock = clock;

      // Act
      await planAgreementVisit(deps, visitOn('2025-04-05'));

      // Assert
      const slot = (await workOrders.get(tenantId, visitWorkOrderId(agreementId, '2025-04-05')))
        ?.suggestedSlot;
      expect(boston.dayOf(slot?.start ?? '')).toBe('2025-04-04');
    });

    it('when the plan names a preferred time, the suggested arrival falls within it', async () => {
      // Arrange
      withPlan({ visits: { ...quarterly, preferredTime: { start: '13:00', end: '15:00' } } });

      // Act
      await planAgreementVisit(deps, visitOn('2025-04-01'));

      // Assert
      const slot = (await workOrders.get(tenantId, visitWorkOrderId(agreementId, '2025-04-01')))
        ?.suggestedSlot;
      const time = boston.timeOf(slot?.start ?? '');
      expect(time >= '13:00' && time < '15:00').toBe(true);
    });

    it('when the schedule fires twice, there is one work order, one creation and the next visit is arranged once', async () => {
      // Arrange
      withPlan();
      await planAgreementVisit(deps, visitOn('2025-04-01'));
      scheduler.schedules.clear();

      // Act
      const again = await planAgreementVisit(deps, visitOn('2025-04-01'));

      // Assert
      expect(again).toEqual({ outcome: 'not due', visits: [] });
      expect(agreementWorkOrders()).toHaveLength(1);
      expect(events.ofType('WorkOrder.Created')).toHaveLength(1);
      expect(scheduler.schedules.size).toBe(0);
      expect(await stored()).toMatchObject({ nextVisitOn: '2025-07-01', version: 2 });
    });

    it('when two runs of the same visit go at once, one work order is created and suggested once, and the agreement moves on once', async () => {
      // Arrange
      withPlan();

      // Act
      const outcomes = await Promise.all([
        planAgreementVisit(deps, visitOn('2025-04-01')),
        planAgreementVisit(deps, visitOn('2025-04-01')),
      ]);

      // Assert
      const workOrderId = visitWorkOrderId(agreementId, '2025-04-01');
      expect(agreementWorkOrders().map((workOrder) => workOrder.workOrderId)).toEqual([workOrderId]);
      expect(workOrders.eventsOf(tenantId, workOrderId).map((event) => event.action)).toEqual([
        'created',
        'slot_suggested',
      ]);
      expect(events.ofType('WorkOrder.Created')).toHaveLength(1);
      expect(outcomes.flatMap((outcome) => outcome.visits.map((visit) => visit.workOrderId))).toContain(
        workOrderId,
      );
      expect(await stored()).toMatchObject({ nextVisitOn: '2025-07-01', version: 2 });
    });

    it('when a run stopped after writing the work order, the retry finishes it: suggests the slot and moves on, creating nothing twice', async () => {
      // Arrange: the day claimed and its work order written, then the run stopped.
      withPlan();
      const workOrderId = visitWorkOrderId(agreementId, '2025-04-01');
      await plannedVisits.claim({
        tenantId,
        agreementId,
        day: '2025-04-01',
        status: 'created',
        workOrderId,
        recordedBy: 'agreement',
        recordedAt: clock.now().toISOString(),
      });
      await createWorkOrder(deps, agreementActor(tenantId), {
        workOrderId,
        agreement: { agreementId, occurrence: '2025-04-01' },
        customerId: 'cus_existing',
        locationId: 'loc_home',
        serviceTypeId: 'svc_ac_repair',
        description: 'Seasonal HVAC tune-up',
        priority: 'routine',
      });

      // Act
      const retried = await planAgreementVisit(deps, visitOn('2025-04-01'));

      // Assert
      expect(retried).toMatchObject({
        visits: [{ day: '2025-04-01', status: 'created', workOrderId, suggestedSlot: expect.any(Object) }],
        nextVisitOn: '2025-07-01',
      });
      expect(agreementWorkOrders()).toHaveLength(1);
      expect(workOrders.eventsOf(tenantId, workOrderId).map((event) => event.action)).toEqual([
        'created',
        'slot_suggested',
      ]);
    });

    it('when the run comes late, every visit whose time has come is created in the same run and the next one waits for its day', async () => {
      // Arrange: monthly visits a week ahead; the schedule of 1 February only fires on 20 March.
      withPlan({
        visits: { ...quarterly, rrule: 'FREQ=MONTHLY', leadDays: 7 },
        nextVisitOn: '2025-02-01',
      });
      clock = new SettableClock(sevenAm('2025-03-20'));
      deps.clock = clock;

      // Act
      const outcome = await planAgreementVisit(deps, visitOn('2025-02-01'));

      // Assert
      expect(outcome.visits.map((visit) => [visit.day, visit.status])).toEqual([
        ['2025-02-01', 'created'],
        ['2025-03-01', 'created'],
      ]);
      expect(agreementWorkOrders().map((workOrder) => workOrder.occurrence)).toEqual([
        '2025-02-01',
        '2025-03-01',
      ]);
      // Past days are suggested from today on, near it.
      for (const workOrder of agreementWorkOrders()) {
        const day = boston.dayOf(workOrder.suggestedSlot?.start ?? '');
        expect(day >= '2025-03-20' && day <= '2025-03-24').toBe(true);
      }
      expect(outcome.nextVisitOn).toBe('2025-04-01');
      expect(scheduler.get(visitScheduleName(agreementId, '2025-04-01')).at).toBe('2025-03-25T07:00:00');
      expect(await stored()).toMatchObject({ nextVisitOn: '2025-04-01' });
    });

    it('when the agreement is paused, the visit passes without a work order and the plan moves on; resumed, the next one is created', async () => {
      // Arrange
      withPlan({ status: 'paused' });

      // Act
      const paused = await planAgreementVisit(deps, visitOn('2025-04-01'));
      agreements.put({ ...((await stored()) as Agreement), status: 'active' });
      clock = new SettableClock(sevenAm('2025-06-17'));
      deps.clock = clock;
      const resumed = await planAgreementVisit(deps, visitOn('2025-07-01'));

      // Assert
      expect(paused).toEqual({
        outcome: 'arranged',
        visits: [{ day: '2025-04-01', status: 'paused' }],
        nextVisitOn: '2025-07-01',
      });
      expect(resumed.visits).toEqual([expect.objectContaining({ day: '2025-07-01', status: 'created' })]);
      expect(agreementWorkOrders().map((workOrder) => workOrder.occurrence)).toEqual(['2025-07-01']);
      expect((await plannedVisits.visitsOf(tenantId, agreementId)).map((visit) => visit.status)).toEqual([
        'paused',
        'created',
      ]);
    });

    it('when the last visit of the term is created, no further visit is arranged', async () => {
      // Arrange
      withPlan({ nextVisitOn: '2025-10-01' });
      clock = new SettableClock(sevenAm('2025-09-17'));
      deps.clock = clock;

      // Act
      const outcome = await planAgreementVisit(deps, visitOn('2025-10-01'));

      // Assert
      expect(outcome).toMatchObject({ outcome: 'arranged', nextVisitOn: '-' });
      expect(scheduler.schedules.size).toBe(0);
      expect(await stored()).toMatchObject({ nextVisitOn: '-' });
    });

    it('when a year of quarterly schedules fire as the days pass, some twice, there are exactly four work orders, one per visit day', async () => {
      // Arrange: the agreement as entered on 20 December 2024, its first visit's schedule pending.
      withPlan({ nextVisitOn: '2025-01-01' });
      clock = new SettableClock('2024-12-20T15:00:00.000Z');
      deps.clock = clock;
      scheduler.schedules.set(visitScheduleName(agreementId, '2025-01-01'), {
        name: visitScheduleName(agreementId, '2025-01-01'),
        at: '2024-12-20T15:01:00',
        timeZone: 'America/New_York',
        payload: visitOn('2025-01-01'),
      });

      // Act: every day, fire what is due; every other firing is delivered twice.
      let fired = 0;
      for (let day = 0; day < 400; day += 1) {
        for (const schedule of [...scheduler.schedules.values()]) {
          if (instantOfWallClock(schedule.at, schedule.timeZone) > clock.now()) continue;
          const payload = scheduler.fire(schedule.name) as AgreementVisitPayload;
          await planAgreementVisit(deps, payload);
          fired += 1;
          if (fired % 2 === 0) await planAgreementVisit(deps, payload);
        }
        clock.advance(86_400_000);
      }

      // Assert
      expect(agreementWorkOrders().map((workOrder) => workOrder.occurrence)).toEqual([
        '2025-01-01',
        '2025-04-01',
        '2025-07-01',
        '2025-10-01',
      ]);
      expect(events.ofType('WorkOrder.Created')).toHaveLength(4);
      for (const workOrder of agreementWorkOrders()) {
        expect(boston.dayOf(workOrder.suggestedSlot?.start ?? '')).toBe(workOrder.occurrence);
      }
      expect(await stored()).toMatchObject({ nextVisitOn: '-' });
    });

    it('when the clocks go forward between two weekly visits, each schedule still fires at 07:00 local, an hour earlier in UTC', async () => {
      // Arrange: Sunday visits around 9 March 2025 (summer time begins), work orders a day ahead.
      agreements.put(
        anAgreement({
          termStart: '2025-03-02',
          termEnd: '2025-03-30',
          visits: { ...quarterly, rrule: 'FREQ=WEEKLY;BYDAY=SU', leadDays: 1, since: '2025-03-02' },
          nextVisitOn: '2025-03-09',
        }),
      );
      clock = new SettableClock(sevenAm('2025-03-08'));
      deps.clock = clock;

      // Act
      const before = await planAgreementVisit(deps, visitOn('2025-03-09'));
      clock.advance(7 * 86_400_000 - 3_600_000);
      const after = await planAgreementVisit(deps, visitOn('2025-03-16'));

      // Assert
      expect(sevenAm('2025-03-08')).toBe('2025-03-08T12:00:00.000Z');
      expect(clock.now().toISOString()).toBe('2025-03-15T11:00:00.000Z');
      expect(before.visits.map((visit) => visit.day)).toEqual(['2025-03-09']);
      // Run at 07:00 summer time, the 16 March visit is due, and the next one (23 March) is not.
      expect(after.visits.map((visit) => visit.day)).toEqual(['2025-03-16']);
      expect(scheduler.get(visitScheduleName(agreementId, '2025-03-23')).at).toBe('2025-03-22T07:00:00');
      expect(instantOfWallClock('2025-03-22T07:00:00', 'America/New_York').toISOString()).toBe(
        '2025-03-22T11:00:00.000Z',
      );
    });

    it('when the agreement has ended, or waits on another day, or is gone, the schedule does nothing', async () => {
      // Arrange
      withPlan({ status: 'ended' });

      // Act
      const ended = await planAgreementVisit(deps, visitOn('2025-04-01'));
      withPlan();
      const stale = await planAgreementVisit(deps, visitOn('2025-03-01'));
      const gone = await planAgreementVisit(deps, { ...visitOn('2025-04-01'), agreementId: 'agr_gone' });

      // Assert
      expect(ended).toEqual({ outcome: 'ended', visits: [] });
      expect(stale).toEqual({ outcome: 'not due', visits: [] });
      expect(gone).toEqual({ outcome: 'unknown agreement', visits: [] });
      expect(workOrders.all()).toEqual([]);
    });
  });

  describe('skipVisit', () => {
    it('when the office skips a visit day, it is recorded and its schedule passes it without a work order', async () => {
      // Arrange
      withPlan();

      // Act
      const skipped = await skipVisit(deps, aDispatcher(), agreementId, {
        day: '2025-04-01',
        reason: 'Away',
      });
      const outcome = await planAgreementVisit(deps, visitOn('2025-04-01'));

      // Assert
      expect(skipped).toEqual({ day: '2025-04-01', status: 'skipped', reason: 'Away' });
      expect(outcome).toMatchObject({
        visits: [{ day: '2025-04-01', status: 'skipped' }],
        nextVisitOn: '2025-07-01',
      });
      expect(workOrders.all()).toEqual([]);
    });

    it('when the day’s work order exists already, skipping it is 409 naming the work order; skipping twice answers the same', async () => {
      // Arrange
      withPlan();
      await planAgreementVisit(deps, visitOn('2025-04-01'));
      await skipVisit(deps, aDispatcher(), agreementId, { day: '2025-07-01' });

      // Act
      const created = await rejectionOf(skipVisit(deps, aDispatcher(), agreementId, { day: '2025-04-01' }));
      const again = await skipVisit(deps, aDispatcher(), agreementId, { day: '2025-07-01' });

      // Assert
      expect(created).toBeInstanceOf(ConflictError);
      expect((created as ConflictError).extensions).toEqual({
        workOrderId: visitWorkOrderId(agreementId, '2025-04-01'),
      });
      expect(again).toEqual({ day: '2025-07-01', status: 'skipped' });
    });

    it('when the day is not a visit day, it is 400 naming body.day; a technician is refused; an ended agreement is 409', async () => {
      // Arrange
      withPlan();

      // Act
      const notADay = await rejectionOf(skipVisit(deps, aDispatcher(), agreementId, { day: '2025-04-02' }));
      const technician = await rejectionOf(
        skipVisit(deps, aTechnicianUser(), agreementId, { day: '2025-04-01' }),
      );
      withPlan({ status: 'ended' });
      const ended = await rejectionOf(skipVisit(deps, aDispatcher(), agreementId, { day: '2025-04-01' }));

      // Assert
      expect(notADay).toBeInstanceOf(ValidationError);
      expect((notADay as ValidationError).errors).toEqual([
        { field: 'body.day', message: 'not a visit day of the plan (the next one is 2025-07-01)' },
      ]);
      expect(technician).toBeInstanceOf(ForbiddenError);
      expect(ended).toBeInstanceOf(ConflictError);
    });
  });

  describe('agreementVisits', () => {
    it('when listed, the days decided show what became of them and the rest of the term’s days are planned', async () => {
      // Arrange: January's visit was created, April's skipped; the schedule of April then fired.
      withPlan({ nextVisitOn: '2025-01-01' });
      clock = new SettableClock(sevenAm('2024-12-18'));
      deps.clock = clock;
      await planAgreementVisit(deps, visitOn('2025-01-01'));
      await skipVisit(deps, aDispatcher(), agreementId, { day: '2025-04-01' });
      clock = new SettableClock(sevenAm('2025-03-18'));
      deps.clock = clock;
      await planAgreementVisit(deps, visitOn('2025-04-01'));

      // Act
      const { visits, agreement } = await agreementVisits(deps, aDispatcher(), agreementId);

      // Assert
      expect(agreement.nextVisitOn).toBe('2025-07-01');
      expect(visits).toEqual([
        { day: '2025-01-01', status: 'created', workOrderId: visitWorkOrderId(agreementId, '2025-01-01') },
        { day: '2025-04-01', status: 'skipped' },
        { day: '2025-07-01', status: 'planned' },
        { day: '2025-10-01', status: 'planned' },
      ]);
      expect(failures).toEqual([]);
    });
  });
});
