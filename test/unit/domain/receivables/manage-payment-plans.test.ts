import { beforeEach, describe, expect, it } from 'vitest';
import {
  createPaymentPlan,
  getPaymentPlan,
  type PaymentPlanDependencies,
} from '../../../../lambdas/domain/receivables/manage-payment-plans.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
} from '../../../../lambdas/shared/errors.ts';
import { aDispatcher, anInvoice, aTechnicianUser, aTenant } from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryReceivables } from '../../fakes/in-memory-receivables.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const key = { tenantId: 'ten_acme', workOrderId: 'wo_existing', invoiceId: 'inv_existing' };

describe('payment plans', () => {
  let receivables: InMemoryReceivables;
  let clock: SettableClock;
  let deps: PaymentPlanDependencies;

  beforeEach(() => {
    receivables = new InMemoryReceivables().putInvoice(
      anInvoice({ status: 'partially_paid', amountPaid: 1_858, version: 4 }),
    );
    clock = new SettableClock('2025-03-20T15:00:00.000Z');
    deps = { receivables, directory: new InMemoryDirectory().addTenant(aTenant()), clock };
  });

  it('when the office splits the balance into three, the plan covers exactly the balance and every instalment is due', async () => {
    // Act
    const standing = await createPaymentPlan(deps, aDispatcher(), 'inv_existing', { count: 3 });

    // Assert
    expect(standing.plan).toMatchObject({
      amount: 30_000,
      amountPaidBefore: 1_858,
      createdBy: 'user-dispatcher-1',
    });
    expect(standing.instalments).toEqual([
      { number: 1, dueDate: '2025-03-28', amount: 10_000, amountPaid: 0, status: 'due' },
      { number: 2, dueDate: '2025-04-28', amount: 10_000, amountPaid: 0, status: 'due' },
      { number: 3, dueDate: '2025-05-28', amount: 10_000, amountPaid: 0, status: 'due' },
    ]);
    expect(standing.nextDue?.number).toBe(1);
  });

  it('when payments are recorded after the plan, the plan read later shows them applied oldest first', async () => {
    // Arrange
    await createPaymentPlan(deps, aDispatcher(), 'inv_existing', { count: 3 });
    receivables.pay(key, 12_000, '2025-03-27T10:00:00.000Z');
    clock.advance(10 * 86_400_000);

    // Act
    const standing = await getPaymentPlan(deps, aDispatcher(), 'inv_existing');

    // Assert
    expect(standing.instalments.map((instalment) => [instalment.status, instalment.amountPaid])).toEqual([
      ['paid', 10_000],
      ['due', 2_000],
      ['due', 0],
    ]);
    expect(standing.instalments[0]?.paidAt).toBe('2025-03-27T10:00:00.000Z');
    expect(standing.balance).toBe(18_000);
  });

  it('when the invoice already has a plan, a second one is refused with 409', async () => {
    // Arrange
    await createPaymentPlan(deps, aDispatcher(), 'inv_existing', { count: 2 });

    // Act
    const error = await rejectionOf(createPaymentPlan(deps, aDispatcher(), 'inv_existing', { count: 3 }));

    // Assert
    expect(error).toBeInstanceOf(ConflictError);
  });

  it.each([
    ['paid', { status: 'paid' as const, amountPaid: 31_858 }],
    ['a draft', { status: 'draft' as const }],
  ])('when the invoice is %s, there is nothing to plan (409)', async (_, overrides) => {
    // Arrange
    receivables.putInvoice(anInvoice(overrides));

    // Act
    const error = await rejectionOf(createPaymentPlan(deps, aDispatcher(), 'inv_existing', { count: 2 }));

    // Assert
    expect(error).toBeInstanceOf(ConflictError);
  });

  it('when the given amounts do not add up to the balance, it answers 422 naming body.instalments and writes nothing', async () => {
    // Act
    const error = await rejectionOf(
      createPaymentPlan(deps, aDispatcher(), 'inv_existing', {
        instalments: [
          { dueDate: '2025-04-01', amount: 10_000 },
          { dueDate: '2025-05-01', amount: 10_000 },
        ],
      }),
    );

    // Assert
    expect(error).toBeInstanceOf(UnprocessableError);
    expect((error as UnprocessableError).extensions.errors).toEqual([
      expect.objectContaining({ field: 'body.instalments' }),
    ]);
    expect(receivables.plans.size).toBe(0);
  });

  it('when a technician asks, it is forbidden; another tenant’s invoice is not found', async () => {
    // Act
    const forbidden = await rejectionOf(getPaymentPlan(deps, aTechnicianUser(), 'inv_existing'));
    const missing = await rejectionOf(
      createPaymentPlan(deps, aDispatcher({ tenantId: 'ten_other' }), 'inv_existing', { count: 2 }),
    );

    // Assert
    expect(forbidden).toBeInstanceOf(ForbiddenError);
    expect(missing).toBeInstanceOf(NotFoundError);
  });
});
