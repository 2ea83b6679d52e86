import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invoiceIdFor, type PricingInput, priceWork } from '../../../../lambdas/domain/invoicing/invoice.ts';
import { aPartUsage } from '../../../fixtures/part-records.ts';

const work = (overrides: Partial<PricingInput> = {}): PricingInput => ({
  laborMinutes: 95,
  laborRatePerHour: 14500,
  tripCharge: 8900,
  serviceName: 'AC repair',
  ...overrides,
});

describe('priceWork', () => {
  // Worked by hand: minutes × rate / 60, rounded half up to the cent, plus the trip charge.
  it.each([
    // minutes, rate per hour, trip charge, labor amount, total
    [95, 14500, 8900, 22958, 31858], // 1 377 500 / 60 = 22 958.33
    [60, 12000, 0, 12000, 12000], // one hour exactly
    [45, 8000, 4500, 6000, 10500], // 360 000 / 60 = 6 000
    [1, 9999, 0, 167, 167], // 9 999 / 60 = 166.65, rounds up
    [30, 10001, 0, 5001, 5001], // 300 030 / 60 = 5 000.5, a half rounds up
    [7, 10000, 2500, 1167, 3667], // 70 000 / 60 = 1 166.67
    [20, 10000, 0, 3333, 3333], // 200 000 / 60 = 3 333.33, rounds down
    [480, 17550, 0, 140400, 140400], // a full day: 8 × 17 550
  ])(
    'when %i minutes are worked at %i per hour with a trip charge of %i, labor is %i and the total %i',
    (laborMinutes, laborRatePerHour, tripCharge, labor, total) => {
      // Act
      const priced = priceWork(work({ laborMinutes, laborRatePerHour, tripCharge }));

      // Assert
      expect(priced.lines[0]?.amount).toBe(labor);
      expect(priced.total).toBe(total);
    },
  );

  it('when labor and a trip are charged, it lists the labor by the hour and the trip as one visit', () => {
    // Act
    const priced = priceWork(work());

    // Assert
    expect(priced).toEqual({
      lines: [
        { description: 'Labor: AC repair', quantity: 95 / 60, unit: 'hour', unitPrice: 14500, amount: 22958 },
        { description: 'Trip charge', quantity: 1, unit: 'visit', unitPrice: 8900, amount: 8900 },
      ],
      subtotal: 31858,
      tax: 0,
      total: 31858,
    });
  });

  it('when no minutes were worked, it charges only the trip', () => {
    // Act
    const priced = priceWork(work({ laborMinutes: 0 }));

    // Assert
    expect(priced.lines).toEqual([
      { description: 'Trip charge', quantity: 1, unit: 'visit', unitPrice: 8900, amount: 8900 },
    ]);
    expect(priced.total).toBe(8900);
  });

  it('when there is no trip charge, it has no trip line', () => {
    // Act
    const priced = priceWork(work({ tripCharge: 0 }));

    // Assert
    expect(priced.lines.map((line) => line.description)).toEqual(['Labor: AC repair']);
    expect(priced.total).toBe(22958);
  });

  it('when nothing is chargeable, it has no lines and a zero total', () => {
    // Act
    const priced = priceWork(work({ laborMinutes: 0, tripCharge: 0 }));

    // Assert
    expect(priced).toEqual({ lines: [], subtotal: 0, tax: 0, total: 0 });
  });

  it('for any minutes, rate and trip charge, the total is the sum of the lines and every amount is whole', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 24 * 60 * 14 }),
        fc.integer({ min: 0, max: 100_000_00 }),
        fc.integer({ min: 0, max: 10_000_00 }),
        (laborMinutes, laborRatePerHour, tripCharge) => {
          // Act
          const priced = priceWork(work({ laborMinutes, laborRatePerHour, tripCharge }));

          // Assert
          const sum = priced.lines.reduce((total, line) => total + line.amount, 0);
          expect(priced.subtotal).toBe(sum);
          expect(priced.total).toBe(priced.subtotal + priced.tax);
          for (const amount of [...priced.lines.map((line) => line.amount), priced.subtotal, priced.total]) {
            expect(Number.isInteger(amount)).toBe(true);
          }
        },
      ),
    );
  });

  it('for any work, the labor amount is within half a minor unit of the exact price', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 * 60 * 14 }),
        fc.integer({ min: 1, max: 100_000_00 }),
        (laborMinutes, laborRatePerHour) => {
          // Act
          const [labor] = priceWork(work({ laborMinutes, laborRatePerHour, tripCharge: 0 })).lines;

          // Assert: compared in sixtieths of a minor unit, so that no float rounding hides an error
          const exactSixtieths = laborMinutes * laborRatePerHour;
          const chargedSixtieths = (labor?.amount ?? 0) * 60;
          expect(chargedSixtieths - exactSixtieths).toBeGreaterThan(-30);
          expect(chargedSixtieths - exactSixtieths).toBeLessThanOrEqual(30);
        },
      ),
    );
  });
});

describe('priceWork with parts', () => {
  const capacitors = aPartUsage({ quantity: 2 });
  const copper = aPartUsage({
    usageId: 'use_0001',
    partId: 'prt_copper',
    sku: 'CU-38',
    name: 'Copper line 3/8"',
    quantity: 2.5,
    unit: 'ft',
    unitCost: 310,
    unitPrice: 899,
    taxable: false,
  });

  it('when parts were used, each is a line at its captured price with its taxable flag, between labor and trip', () => {
    // Act
    const priced = priceWork(work({ parts: [capacitors, copper] }));

    // Assert: labor 22 958 + 2 × 3 900 + 2.5 × 899 (2 247.5, rounded up) + trip 8 900
    expect(priced.lines).toEqual([
      { description: 'Labor: AC repair', quantity: 95 / 60, unit: 'hour', unitPrice: 14500, amount: 22958 },
      {
        description: 'Run capacitor 45/5 µF (CAP-45-5)',
        quantity: 2,
        unit: 'each',
        unitPrice: 3900,
        amount: 7800,
        taxable: true,
      },
      {
        description: 'Copper line 3/8" (CU-38)',
        quantity: 2.5,
        unit: 'ft',
        unitPrice: 899,
        amount: 2248,
        taxable: false,
      },
      { description: 'Trip charge', quantity: 1, unit: 'visit', unitPrice: 8900, amount: 8900 },
    ]);
    expect(priced).toMatchObject({ subtotal: 41906, tax: 0, total: 41906 });
  });

  it('when a usage was partly taken back, its line has what is left; taken back whole, it has no line', () => {
    // Arrange
    const usages = [
      aPartUsage({ quantity: 3, correctedQuantity: 1 }),
      copper,
      aPartUsage({ usageId: 'use_0002', quantity: -1, correctionOf: 'use_0000', reason: 'Spare' }),
      aPartUsage({
        ...copper,
        usageId: 'use_0003',
        quantity: -2.5,
        correctionOf: 'use_0001',
        reason: 'Wrong job',
      }),
    ];

    // Act
    const priced = priceWork(work({ laborMinutes: 0, tripCharge: 0, parts: usages }));

    // Assert
    expect(priced.lines).toEqual([expect.objectContaining({ quantity: 2, amount: 7800 })]);
    expect(priced.total).toBe(7800);
  });

  it('for any parts, the total is the sum of the lines and every amount is whole', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            thousandths: fc.integer({ min: 1, max: 100_000 }),
            unitPrice: fc.integer({ min: 0, max: 1_000_000 }),
          }),
          {
            maxLength: 8,
          },
        ),
        fc.integer({ min: 0, max: 24 * 60 }),
        (parts, laborMinutes) => {
          // Arrange
          const usages = parts.map((part, index) =>
            aPartUsage({
              usageId: `use_${index}`,
              quantity: part.thousandths / 1000,
              unit: 'ft',
              unitPrice: part.unitPrice,
            }),
          );

          // Act
          const priced = priceWork(work({ laborMinutes, parts: usages }));

          // Assert
          expect(priced.subtotal).toBe(priced.lines.reduce((sum, line) => sum + line.amount, 0));
          expect(priced.total).toBe(priced.subtotal + priced.tax);
          expect(priced.lines.every((line) => Number.isInteger(line.amount))).toBe(true);
        },
      ),
    );
  });
});

describe('invoiceIdFor', () => {
  it('when given a work order id, it keeps its ULID under the invoice prefix', () => {
    // Act
    const invoiceId = invoiceIdFor('wo_01JQ3Z8X7M4T2B6N9C5D0E1F2G');

    // Assert
    expect(invoiceId).toBe('inv_01JQ3Z8X7M4T2B6N9C5D0E1F2G');
  });
});
