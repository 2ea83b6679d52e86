import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  extendedAmount,
  netPartsUsed,
  tallyParts,
} from '../../../../lambdas/domain/execution/parts-tally.ts';
import { aPartUsage } from '../../../fixtures/part-records.ts';

describe('extendedAmount', () => {
  // Worked by hand: quantity × unit amount, rounded half up to the minor unit.
  it.each([
    [2, 3900, 7800],
    [2.5, 899, 2248], // 2 247.5 rounds up
    [2.5, 310, 775],
    [0.125, 1999, 250], // 249.875
    [1.001, 100, 100], // 100.1
    [3, 0, 0],
    [0.333, 3, 1], // 0.999
    [1.5, 1, 2], // a half rounds up
  ])('when %d units at %i, it is %i', (quantity, unitAmount, expected) => {
    // Act
    const amount = extendedAmount(quantity, unitAmount);

    // Assert
    expect(amount).toBe(expected);
  });

  it('for any quantity to the thousandth and any unit amount, it is within half a minor unit of the exact amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (thousandths, unit) => {
          // Act
          const amount = extendedAmount(thousandths / 1000, unit);

          // Assert: compared in thousandths of a minor unit, where everything is whole
          const exact = thousandths * unit;
          expect(amount * 1000 - exact).toBeGreaterThan(-500);
          expect(amount * 1000 - exact).toBeLessThanOrEqual(500);
        },
      ),
    );
  });
});

describe('netPartsUsed and tallyParts', () => {
  it('when nothing was used, the tally is zero', () => {
    // Act
    const tally = tallyParts([]);

    // Assert
    expect(tally).toEqual({ partCount: 0, partsCost: 0, partsPrice: 0 });
  });

  it('when two parts were used, it adds each one priced on its own', () => {
    // Arrange: 2 × 12.50 / 39.00, and 2.5 ft × 3.10 / 8.99
    const usages = [
      aPartUsage(),
      aPartUsage({
        usageId: 'use_0002',
        partId: 'prt_copper',
        quantity: 2.5,
        unit: 'ft',
        unitCost: 310,
        unitPrice: 899,
      }),
    ];

    // Act
    const tally = tallyParts(usages);

    // Assert: cost 2 500 + 775, price 7 800 + 2 248
    expect(tally).toEqual({ partCount: 2, partsCost: 3275, partsPrice: 10048 });
  });

  it('when a usage was partly taken back, it counts what is left of it', () => {
    // Arrange: 3 capacitors used, 1 taken back
    const usages = [
      aPartUsage({ quantity: 3, correctedQuantity: 1 }),
      aPartUsage({ usageId: 'use_0002', quantity: -1, correctionOf: 'use_0000', reason: 'One was spare' }),
    ];

    // Act
    const net = netPartsUsed(usages);
    const tally = tallyParts(usages);

    // Assert
    expect(net).toEqual([{ usage: usages[0], quantity: 2 }]);
    expect(tally).toEqual({ partCount: 1, partsCost: 2500, partsPrice: 7800 });
  });

  it('when a usage was taken back whole, in two corrections, it is no longer counted', () => {
    // Arrange: 0.3 + 0.2 of 0.5 ft, which in floats would not add up exactly
    const usages = [
      aPartUsage({ quantity: 0.5, unit: 'ft', correctedQuantity: 0.5 }),
      aPartUsage({ usageId: 'use_0002', quantity: -0.3, correctionOf: 'use_0000', reason: 'Cut short' }),
      aPartUsage({ usageId: 'use_0003', quantity: -0.2, correctionOf: 'use_0000', reason: 'Not used' }),
    ];

    // Act
    const tally = tallyParts(usages);

    // Assert
    expect(netPartsUsed(usages)).toEqual([]);
    expect(tally).toEqual({ partCount: 0, partsCost: 0, partsPrice: 0 });
  });
});
