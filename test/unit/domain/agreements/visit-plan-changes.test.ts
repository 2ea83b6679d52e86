import { beforeEach, describe, expect, it } from 'vitest';
import {
  type AgreementDependencies,
  type AgreementInput,
  createAgreement,
  updateAgreement,
} from '../../../../lambdas/domain/agreements/manage-agreements.ts';
import {
  type VisitPlan,
  type VisitPlanInput,
  visitScheduleName,
} from '../../../../lambdas/domain/agreements/visit-plan.ts';
import { instantOfWallClock } from '../../../../lambdas/domain/shared/schedule-time.ts';
import { ValidationError } from '../../../../lambdas/shared/errors.ts';
import { anAgreement } from '../../../fixtures/agreement-records.ts';
import { aDispatcher } from '../../../fixtures/unit-records.ts';
import { agreementDependencies } from '../../fakes/agreement-dependencies.ts';
import type { InMemoryAgreements } from '../../fakes/in-memory-agreements.ts';
import type { RecordingScheduler } from '../../fakes/recording-scheduler.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const agreementId = 'agr_01JQ0000000000000000000001';

const aPlan = (overrides: Partial<VisitPlanInput> = {}): VisitPlanInput => ({
  rrule: 'FREQ=MONTHLY;INTERVAL=3',
  leadDays: 14,
  serviceTypeId: 'svc_ac_repair',
  locationId: 'loc_home',
  description: 'Seasonal HVAC tune-up',
  ...overrides,
});

const input = (overrides: Partial<AgreementInput> = {}): AgreementInput => ({
  customerId: 'cus_existing',
  name: 'Comfort Club',
  serviceTypeIds: ['svc_ac_repair'],
  billing: { frequency: 'quarterly', amount: 8_900 },
  memberDiscountBasisPoints: 1_000,
  includedVisitsPerTerm: 2,
  termStart: '2025-04-01',
  visits: aPlan(),
  ...overrides,
});

const fieldsOf = (error: unknown) => (error as ValidationError).errors.map((problem) => problem.field);

describe('visit plans of service agreements', () => {
  let agreements: InMemoryAgreements;
  let scheduler: RecordingScheduler;
  let deps: AgreementDependencies;

  beforeEach(() => {
    ({ agreements, scheduler, deps } = agreementDependencies());
  });

  describe('createAgreement', () => {
    it('when the agreement comes with a visit plan, the plan covers the term from its first day and its first visit is arranged', async () => {
      // Act
      const agreement = await createAgreement(
        deps,
        aDispatcher(),
        input({ visits: aPlan({ rrule: 'rrule:freq=monthly;interval=3' }) }),
      );

      // Assert
      expect(agreement.visits).toEqual<VisitPlan>({
        ...aPlan(),
        rrule: 'FREQ=MONTHLY;INTERVAL=3',
        since: '2025-04-01',
      });
      expect(agreement.nextVisitOn).toBe('2025-04-01');
      // Two weeks before 1 April is past: the first work order is due a minute from now.
      expect(scheduler.get(visitScheduleName(agreement.agreementId, '2025-04-01'))).toMatchObject({
        at: '2025-03-20T11:01:00',
        timeZone: 'America/New_York',
        payload: {
          kind: 'agreement-visit',
          tenantId: 'ten_acme',
          agreementId: agreement.agreementId,
          day: '2025-04-01',
        },
      });
    });

    it('when the plan’s first visit is further off than its lead time, its schedule waits until 07:00 that many days before', async () => {
      // Act
      const agreement = await createAgreement(deps, aDispatcher(), input({ termStart: '2025-05-10' }));

      // Assert
      expect(scheduler.get(visitScheduleName(agreement.agreementId, '2025-05-10')).at).toBe(
        '2025-04-26T07:00:00',
      );
    });

    it('when the plan has a sub-daily rule, an unknown service type and another customer’s location, it is 400 naming each field and nothing is written', async () => {
      // Act
      const error = await rejectionOf(
        createAgreement(
          deps,
          aDispatcher(),
          input({
            visits: aPlan({ rrule: 'FREQ=HOURLY', serviceTypeId: 'svc_nope', locationId: 'loc_neighbour' }),
          }),
        ),
      );

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect(fieldsOf(error)).toEqual([
        'body.visits.rrule',
        'body.visits.serviceTypeId',
        'body.visits.locationId',
      ]);
      expect(agreements.agreements.size).toBe(0);
      expect(scheduler.schedules.size).toBe(0);
    });

    it('when no day of the rule falls within the term, it is 400 naming the rule', async () => {
      // Act: spring and fall, for a summer-only term.
      const error = await rejectionOf(
        createAgreement(
          deps,
          aDispatcher(),
          input({
            termStart: '2025-05-01',
            termEnd: '2025-08-31',
            visits: aPlan({ rrule: 'FREQ=YEARLY;BYMONTH=4,10;BYMONTHDAY=1' }),
          }),
        ),
      );

      // Assert
      expect((error as ValidationError).errors).toEqual([
        {
          field: 'body.visits.rrule',
          message: "no visit day falls between 2025-05-01 and the term's end, 2025-08-31",
        },
      ]);
    });
  });

  describe('updateAgreement', () => {
    const withPlan = () =>
      agreements.put(
        anAgreement({
          visits: { ...aPlan(), since: '2025-01-01' },
          nextVisitOn: '2025-04-01',
        }),
      );

    it('when a running agreement gets a new plan, it covers the days from today, its first visit is arranged and the old one retired', async () => {
      // Arrange
      withPlan();

      // Act
      const changed = await updateAgreement(deps, aDispatcher(), agreementId, {
        visits: aPlan({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=25', leadDays: 3 }),
      });

      // Assert
      expect(changed.visits).toMatchObject({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=25', since: '2025-03-20' });
      expect(changed.nextVisitOn).toBe('2025-03-25');
      expect(scheduler.get(visitScheduleName(agreementId, '2025-03-25')).at).toBe('2025-03-22T07:00:00');
      expect(scheduler.deleted).toEqual([visitScheduleName(agreementId, '2025-04-01')]);
      expect(await agreements.get('ten_acme', agreementId)).toMatchObject({
        nextVisitOn: '2025-03-25',
        version: 2,
      });
    });

    it('when the plan is removed, or the agreement ends, the pending visit is retired and nothing more is arranged', async () => {
      // Arrange
      withPlan();

      // Act
      const removed = await updateAgreement(deps, aDispatcher(), agreementId, { visits: null });
      withPlan();
      const ended = await updateAgreement(deps, aDispatcher(), agreementId, { status: 'ended' });

      // Assert
      expect(removed.visits).toBeUndefined();
      expect(removed.nextVisitOn).toBeUndefined();
      expect(ended.nextVisitOn).toBe('-');
      expect(scheduler.deleted.filter((name) => name.startsWith('agreement-visit-'))).toEqual([
        visitScheduleName(agreementId, '2025-04-01'),
        visitScheduleName(agreementId, '2025-04-01'),
      ]);
      expect([...scheduler.schedules.keys()].filter((name) => name.startsWith('agreement-visit-'))).toEqual(
        [],
      );
    });

    it('when the term is cut before the next visit, none is left; extended again, the first visit after the old end is arranged', async () => {
      // Arrange
      withPlan();

      // Act
      const cut = await updateAgreement(deps, aDispatcher(), agreementId, { termEnd: '2025-03-31' });
      const extended = await updateAgreement(deps, aDispatcher(), agreementId, { termEnd: '2025-12-31' });

      // Assert
      expect(cut.nextVisitOn).toBe('-');
      expect(scheduler.deleted).toContain(visitScheduleName(agreementId, '2025-04-01'));
      expect(extended.nextVisitOn).toBe('2025-04-01');
      expect(scheduler.get(visitScheduleName(agreementId, '2025-04-01')).at).toBe('2025-03-20T11:01:00');
      expect(instantOfWallClock('2025-03-20T11:01:00', 'America/New_York').getTime()).toBeGreaterThan(
        deps.clock.now().getTime(),
      );
    });

    it('when the new plan names a bad rule, it is 400 naming body.visits.rrule and the agreement is unchanged', async () => {
      // Arrange
      withPlan();

      // Act
      const error = await rejectionOf(
        updateAgreement(deps, aDispatcher(), agreementId, {
          visits: aPlan({ rrule: 'FREQ=MONTHLY;DTSTART=20250101' }),
        }),
      );

      // Assert
      expect(fieldsOf(error)).toEqual(['body.visits.rrule']);
      expect(await agreements.get('ten_acme', agreementId)).toMatchObject({
        version: 1,
        nextVisitOn: '2025-04-01',
      });
      expect(scheduler.deleted).toEqual([]);
    });
  });
});
