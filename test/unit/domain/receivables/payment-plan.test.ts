import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  instalmentStates,
  instalmentsFor,
  overdueOnPlan,
  splitEvenly,
} from '../../../../lambdas/domain/receivables/payment-plan.ts';

const today = '2025-04-01';

describe('splitEvenly', () => {
  it('when a balance does not divide evenly, the last instalment absorbs the rounding', () => {
    // Act
    const amounts = splitEvenly(31_858, 3);

    // Assert
    expect(amounts).toEqual([10_619, 10_619, 10_620]);
  });

  it('for any balance and count, the instalments add up to the balance exactly and differ by less than the count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 36 }),
        (balance, count) => {
          const amounts = splitEvenly(balance, count);
          expect(amounts).toHaveLength(count);
          expect(amounts.reduce((sum, amount) => sum + amount, 0)).toBe(balance);
          expect(Math.max(...amounts) - Math.min(...amounts)).toBeLessThan(count);
        },
      ),
    );
  });
});

describe('instalmentsFor', () => {
  it('when asked for a count, it spaces equal instalments a month apart from the due date, by the calendar', () => {
    // Act
    const result = instalmentsFor({ count: 3 }, 30_001, '2025-01-31', '2025-01-15');

    // Assert
    expect(result).toEqual({
      instalments: [
        { number: 1, dueDate: '2025-01-31', amount: 10_000 },
        { number: 2, dueDate: '2025-02-28', amount: 10_000 },
        { number: 3, dueDate: '2025-03-31', amount: 10_001 },
      ],
    });
  });

  it('when the invoice is already past due, a count starts today, and weeks apart when asked', () => {
    // Act
    const result = instalmentsFor({ count: 2, every: 'two_weeks' }, 10_000, '2025-03-15', today);

    // Assert
    expect(result).toEqual({
      instalments: [
        { number: 1, dueDate: '2025-04-01', amount: 5_000 },
        { number: 2, dueDate: '2025-04-15', amount: 5_000 },
      ],
    });
  });

  it('when the instalments are given with amounts that add up to the balance, it takes them as they are', () => {
    // Act
    const result = instalmentsFor(
      {
        instalments: [
          { dueDate: '2025-04-10', amount: 20_000 },
          { dueDate: '2025-05-10', amount: 11_858 },
        ],
      },
      31_858,
      '2025-04-10',
      today,
    );

    // Assert
    expect(result).toEqual({
      instalments: [
        { number: 1, dueDate: '2025-04-10', amount: 20_000 },
        { number: 2, dueDate: '2025-05-10', amount: 11_858 },
      ],
    });
  });

  it('when the given amounts miss the balance, it names body.instalments and both sums', () => {
    // Act
    const result = instalmentsFor(
      {
        instalments: [
          { dueDate: '2025-04-10', amount: 20_000 },
          { dueDate: '2025-05-10', amount: 11_000 },
        ],
      },
      31_858,
      '2025-04-10',
      today,
    );

    // Assert
    expect(result).toEqual({
      problems: [
        {
          field: 'body.instalments',
          message: 'the amounts add up to 31000; they must add up to the balance, 31858',
        },
      ],
    });
  });

  it('when dates do not increase, start in the past, or only some amounts are given, it names each field', () => {
    // Act
    const result = instalmentsFor(
      {
        instalments: [
          { dueDate: '2025-03-30', amount: 100 },
          { dueDate: '2025-03-30' },
          { dueDate: '2025-05-01', amount: 100 },
        ],
      },
      300,
      '2025-04-10',
      today,
    );

    // Assert
    expect('problems' in result && result.problems.map((problem) => problem.field)).toEqual([
      'body.instalments.1.amount',
      'body.instalments.1.dueDate',
      'body.instalments.0.dueDate',
    ]);
  });

  it('when there are more instalments than minor units in the balance, it refuses the count', () => {
    // Act
    const result = instalmentsFor({ count: 5 }, 3, '2025-04-10', today);

    // Assert
    expect(result).toEqual({
      problems: [{ field: 'body.count', message: 'at most 3 instalments for a balance of 3' }],
    });
  });
});

describe('instalmentStates', () => {
  const plan = {
    amountPaidBefore: 5_000,
    instalments: [
      { number: 1, dueDate: '2025-03-15', amount: 10_000 },
      { number: 2, dueDate: '2025-03-31', amount: 10_000 },
      { number: 3, dueDate: '2025-04-30', amount: 10_000 },
    ],
  };

  it('when payments come in, they pay the earliest instalments first, each paid at the payment that completed it', () => {
    // Arrange: a deposit before the plan, then 4,000 and 8,000 under it.
    const payments = [
      { amount: 8_000, at: '2025-03-20T10:00:00.000Z', paymentId: 'pay_3' },
      { amount: 5_000, at: '2025-03-01T10:00:00.000Z', paymentId: 'pay_1' },
      { amount: 4_000, at: '2025-03-10T10:00:00.000Z', paymentId: 'pay_2' },
    ];

    // Act
    const states = instalmentStates(plan, 17_000, payments, today);

    // Assert
    expect(states).toEqual([
      { ...plan.instalments[0], amountPaid: 10_000, status: 'paid', paidAt: '2025-03-20T10:00:00.000Z' },
      { ...plan.instalments[1], amountPaid: 2_000, status: 'overdue' },
      { ...plan.instalments[2], amountPaid: 0, status: 'due' },
    ]);
    expect(overdueOnPlan(states)).toBe(8_000);
  });

  it('when nothing was paid under the plan, instalments past their day are overdue and the rest due', () => {
    // Act
    const states = instalmentStates(plan, 5_000, [], '2025-03-31');

    // Assert
    expect(states.map((state) => state.status)).toEqual(['overdue', 'due', 'due']);
  });

  it('for any payments, what the instalments received adds up to what was paid since the plan, up to its amount', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 15_000 }), { maxLength: 6 }), (amounts) => {
        const payments = amounts.map((amount, index) => ({
          amount,
          at: `2025-03-${String(index + 10).padStart(2, '0')}T00:00:00.000Z`,
          paymentId: `pay_${index}`,
        }));
        const paid = 5_000 + amounts.reduce((sum, amount) => sum + amount, 0);
        const states = instalmentStates(plan, paid, payments, today);
        const received = states.reduce((sum, state) => sum + state.amountPaid, 0);
        expect(received).toBe(Math.min(paid - 5_000, 30_000));
        // Oldest first: no instalment has received anything while an earlier one is still short.
        states.forEach((state, index) => {
          if (index > 0 && state.amountPaid > 0) expect(states[index - 1]?.status).toBe('paid');
        });
      }),
    );
  });
});
