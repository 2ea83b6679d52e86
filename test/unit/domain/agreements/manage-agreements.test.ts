import { beforeEach, describe, expect, it } from 'vitest';
import { billingScheduleName } from '../../../../lambdas/domain/agreements/agreement.ts';
import {
  type AgreementDependencies,
  type AgreementInput,
  createAgreement,
  updateAgreement,
} from '../../../../lambdas/domain/agreements/manage-agreements.ts';
import {
  ConflictError,
  ForbiddenError,
  UnprocessableError,
  ValidationError,
} from '../../../../lambdas/shared/errors.ts';
import { anAgreement } from '../../../fixtures/agreement-records.ts';
import { aDispatcher, aTechnicianUser } from '../../../fixtures/unit-records.ts';
import { agreementDependencies } from '../../fakes/agreement-dependencies.ts';
import type { InMemoryAgreements } from '../../fakes/in-memory-agreements.ts';
import type { RecordingScheduler } from '../../fakes/recording-scheduler.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const input = (overrides: Partial<AgreementInput> = {}): AgreementInput => ({
  customerId: 'cus_existing',
  name: 'Comfort Club',
  locationIds: ['loc_home'],
  serviceTypeIds: ['svc_ac_repair'],
  billing: { frequency: 'quarterly', amount: 8_900 },
  memberDiscountBasisPoints: 1_000,
  includedVisitsPerTerm: 2,
  termStart: '2025-04-01',
  ...overrides,
});

describe('service agreements', () => {
  let agreements: InMemoryAgreements;
  let scheduler: RecordingScheduler;
  let deps: AgreementDependencies;

  beforeEach(() => {
    ({ agreements, scheduler, deps } = agreementDependencies());
  });

  describe('createAgreement', () => {
    it('when the office enters an agreement, it is active for a year with every visit left, and its first period is arranged', async () => {
      // Act
      const agreement = await createAgreement(deps, aDispatcher(), input());

      // Assert
      expect(agreement).toMatchObject({
        agreementId: 'agr_0001',
        status: 'active',
        termStart: '2025-04-01',
        termEnd: '2026-03-31',
        visitsRemaining: 2,
        currency: 'USD',
        nextBillingPeriod: 0,
        nextBillingOn: '2025-04-01',
        version: 1,
      });
      expect(await agreements.get('ten_acme', 'agr_0001')).toEqual(agreement);
      expect(scheduler.get(billingScheduleName('agr_0001', 0))).toEqual({
        name: 'agreement-billing-agr_0001-0',
        at: '2025-04-01T08:00:00',
        timeZone: 'America/New_York',
        payload: { kind: 'agreement-billing', tenantId: 'ten_acme', agreementId: 'agr_0001', period: 0 },
      });
    });

    it('when the customer, a location or a service type is not the tenant’s, it names each field (400) and writes nothing', async () => {
      // Act
      const unknownCustomer = await rejectionOf(
        createAgreement(deps, aDispatcher(), input({ customerId: 'cus_missing', locationIds: [] })),
      );
      const wrongThings = await rejectionOf(
        createAgreement(
          deps,
          aDispatcher(),
          input({ locationIds: ['loc_home', 'loc_neighbour'], serviceTypeIds: ['svc_missing'] }),
        ),
      );

      // Assert
      expect(unknownCustomer).toBeInstanceOf(ValidationError);
      expect((unknownCustomer as ValidationError).errors).toEqual([
        { field: 'body.customerId', message: 'no such customer' },
      ]);
      expect((wrongThings as ValidationError).errors.map((problem) => problem.field)).toEqual([
        'body.locationIds.1',
        'body.serviceTypeIds.0',
      ]);
      expect(agreements.agreements.size).toBe(0);
      expect(scheduler.schedules.size).toBe(0);
    });

    it('when the term ends before it starts or starts long ago, it answers 422 naming the field', async () => {
      // Act
      const backwards = await rejectionOf(
        createAgreement(deps, aDispatcher(), input({ termEnd: '2025-03-31' })),
      );
      const longAgo = await rejectionOf(
        createAgreement(deps, aDispatcher(), input({ termStart: '2024-12-01' })),
      );

      // Assert
      expect(backwards).toBeInstanceOf(UnprocessableError);
      expect((backwards as UnprocessableError).extensions.errors).toEqual([
        { field: 'body.termEnd', message: 'on or after 2025-04-01' },
      ]);
      expect((longAgo as UnprocessableError).extensions.errors).toEqual([
        expect.objectContaining({ field: 'body.termStart' }),
      ]);
    });

    it('when the term started last week, its first period is billed a minute from now', async () => {
      // Act
      await createAgreement(deps, aDispatcher(), input({ termStart: '2025-03-13' }));

      // Assert
      expect(scheduler.get('agreement-billing-agr_0001-0').at).toBe('2025-03-20T11:01:00');
    });

    it('when a technician tries, it is forbidden', async () => {
      // Act
      const error = await rejectionOf(createAgreement(deps, aTechnicianUser(), input()));

      // Assert
      expect(error).toBeInstanceOf(ForbiddenError);
    });
  });

  describe('updateAgreement', () => {
    it('when the included visits per term change, the visits remaining move by as much, never below none', async () => {
      // Arrange
      agreements.put(anAgreement({ includedVisitsPerTerm: 4, visitsRemaining: 1 }));

      // Act
      const more = await updateAgreement(deps, aDispatcher(), anAgreement().agreementId, {
        includedVisitsPerTerm: 6,
      });
      const fewer = await updateAgreement(deps, aDispatcher(), anAgreement().agreementId, {
        includedVisitsPerTerm: 0,
      });

      // Assert
      expect(more).toMatchObject({ includedVisitsPerTerm: 6, visitsRemaining: 3, version: 2 });
      expect(fewer).toMatchObject({ includedVisitsPerTerm: 0, visitsRemaining: 0, version: 3 });
    });

    it('when the agreement is ended, its pending billing schedule is deleted, and it changes no more', async () => {
      // Arrange
      agreements.put(anAgreement({ nextBillingPeriod: 2, nextBillingOn: '2025-07-01' }));

      // Act
      const ended = await updateAgreement(deps, aDispatcher(), anAgreement().agreementId, {
        status: 'ended',
      });
      const afterwards = await rejectionOf(
        updateAgreement(deps, aDispatcher(), anAgreement().agreementId, { status: 'active' }),
      );

      // Assert
      expect(ended).toMatchObject({ status: 'ended', nextBillingOn: '-' });
      expect(scheduler.deleted).toEqual([billingScheduleName(anAgreement().agreementId, 2)]);
      expect(afterwards).toBeInstanceOf(ConflictError);
    });

    it('when the term is extended after its last period was billed, the next period is arranged again', async () => {
      // Arrange
      agreements.put(anAgreement({ nextBillingPeriod: 4, nextBillingOn: '-' }));

      // Act
      const extended = await updateAgreement(deps, aDispatcher(), anAgreement().agreementId, {
        termEnd: '2026-06-30',
      });

      // Assert
      expect(extended).toMatchObject({ termEnd: '2026-06-30', nextBillingOn: '2026-01-01' });
      expect(scheduler.get(billingScheduleName(anAgreement().agreementId, 4)).at).toBe('2026-01-01T08:00:00');
    });

    it('when the version read is not the current one, it answers 409', async () => {
      // Arrange
      agreements.put(anAgreement({ version: 3 }));

      // Act
      const error = await rejectionOf(
        updateAgreement(deps, aDispatcher(), anAgreement().agreementId, { name: 'Gold' }, 2),
      );

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
    });
  });
});
