import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PartUsage } from '../../../../lambdas/domain/execution/field-records.ts';
import {
  defaultPricingRules,
  divideRounded,
  type InvoicePricingInput,
  type PricingRules,
  priceInvoice,
  withinBusinessHours,
} from '../../../../lambdas/domain/invoicing/pricing.ts';
import type { TechnicianLevel } from '../../../../lambdas/domain/scheduling/technicians.ts';
import { aPartUsage } from '../../../fixtures/part-records.ts';

/** Wednesday 12 March 2025, 10:00 in Chicago (CDT, UTC−5): inside weekday business hours. */
const duringBusinessHours = '2025-03-12T15:00:00.000Z';
/** The same Wednesday at 18:30 in Chicago. */
const evening = '2025-03-12T23:30:00.000Z';
const weekdaysEightToFive = Object.fromEntries(
  ['1', '2', '3', '4', '5'].map((day) => [day, [{ start: '08:00', end: '17:00' }]]),
);

const rules = (overrides: Partial<PricingRules> = {}): PricingRules => ({
  ...defaultPricingRules,
  ...overrides,
});

/** 90 minutes of a technician on a $120-an-hour AC repair with a $75 trip charge, routine, on a weekday morning. */
const work = (overrides: Partial<InvoicePricingInput> = {}): InvoicePricingInput => ({
  serviceName: 'AC repair',
  laborRatePerHour: 12_000,
  tripCharge: 7_500,
  flatFees: [],
  labor: [{ minutes: 90, level: 'technician' }],
  parts: [],
  priority: 'routine',
  visitStartedAt: duringBusinessHours,
  timeZone: 'America/Chicago',
  rules: rules(),
  ...overrides,
});

const capacitors = (overrides: Partial<PartUsage> = {}) => aPartUsage({ quantity: 2, ...overrides });
const copperLine = aPartUsage({
  usageId: 'use_copper',
  partId: 'prt_copper',
  sku: 'CU-38',
  name: 'Copper line 3/8"',
  quantity: 2.5,
  unit: 'ft',
  unitCost: 310,
  unitPrice: 899,
  taxable: false,
});
const sum = (amounts: number[]) => amounts.reduce((total, amount) => total + amount, 0);

describe('divideRounded', () => {
  it.each([
    // numerator, denominator, result
    [5, 2, 3], // 2.5: a half goes away from zero
    [-5, 2, -3], // −2.5: away from zero, not towards +∞
    [7, 2, 4], // 3.5
    [1, 3, 0], // 0.33
    [2, 3, 1], // 0.67
    [9_999, 60, 167], // 166.65
    [300_030, 60, 5_001], // 5 000.5
    [643_500, 100, 6_435], // exact
  ])('when %i is divided by %i, it is %i', (numerator, denominator, expected) => {
    // Act
    const result = divideRounded(numerator, denominator);

    // Assert
    expect(result).toBe(expected);
  });

  it('when any integers are divided, the result is the nearest integer, a half away from zero', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        (numerator, denominator) => {
          // Act
          const result = BigInt(divideRounded(numerator, denominator));

          // Assert: |numerator − result × denominator| ≤ denominator / 2, and a tie lies away from zero.
          const twiceError = 2n * (numerator - result * denominator);
          expect(twiceError <= denominator && twiceError >= -denominator).toBe(true);
          if (twiceError === denominator || twiceError === -denominator) {
            expect(result < 0n ? -result : result).toBeGreaterThan(
              (numerator < 0n ? -numerator : numerator) / denominator,
            );
          }
          expect(divideRounded(-numerator, denominator)).toBe(Number(-result));
        },
      ),
    );
  });
});

describe('priceInvoice', () => {
  // Each total worked by hand in its comment (minor units of USD: 12 000 is $120.00).
  it.each<[string, Partial<InvoicePricingInput>, { subtotal: number; tax: number; total: number }]>([
    [
      // 90 min × 12 000 / 60 = 18 000; + trip 7 500 = 25 500; no tax by default.
      'the defaults',
      {},
      { subtotal: 25_500, tax: 0, total: 25_500 },
    ],
    [
      // senior ×1.25: rate 15 000; 90 min → 22 500; + 7 500 = 30 000.
      'a senior technician at 12 500 basis points',
      {
        labor: [{ minutes: 90, level: 'senior' }],
        rules: rules({
          levelMultipliersBasisPoints: { ...defaultPricingRules.levelMultipliersBasisPoints, senior: 12_500 },
        }),
      },
      { subtotal: 30_000, tax: 0, total: 30_000 },
    ],
    [
      // apprentice ×0.8: rate 9 600; 45 min → 7 200; + 7 500 = 14 700.
      'an apprentice at 8 000 basis points for 45 minutes',
      {
        labor: [{ minutes: 45, level: 'apprentice' }],
        rules: rules({
          levelMultipliersBasisPoints: {
            ...defaultPricingRules.levelMultipliersBasisPoints,
            apprentice: 8_000,
          },
        }),
      },
      { subtotal: 14_700, tax: 0, total: 14_700 },
    ],
    [
      // 18:30 on a weekday is outside 08:00–17:00: rate ×1.5 = 18 000; 90 min → 27 000; + 7 500 = 34 500.
      'a visit started after hours',
      {
        visitStartedAt: evening,
        rules: rules({ businessHours: weekdaysEightToFive, afterHoursMultiplierBasisPoints: 15_000 }),
      },
      { subtotal: 34_500, tax: 0, total: 34_500 },
    ],
    [
      // After hours ×1.5 and emergency ×2 do not compound: the higher, ×2: rate 24 000; 90 min → 36 000; + 7 500 = 43 500.
      'an emergency after hours',
      {
        priority: 'emergency',
        visitStartedAt: evening,
        rules: rules({
          businessHours: weekdaysEightToFive,
          afterHoursMultiplierBasisPoints: 15_000,
          emergencyMultiplierBasisPoints: 20_000,
        }),
      },
      { subtotal: 43_500, tax: 0, total: 43_500 },
    ],
    [
      // 12 000 × 1.25 × 1.75 = 26 250 an hour; 50 min → 1 312 500 / 60 = 21 875; + 7 500 = 29 375.
      'an emergency worked by a senior technician',
      {
        priority: 'emergency',
        labor: [{ minutes: 50, level: 'senior' }],
        rules: rules({
          levelMultipliersBasisPoints: { ...defaultPricingRules.levelMultipliersBasisPoints, senior: 12_500 },
          emergencyMultiplierBasisPoints: 17_500,
        }),
      },
      { subtotal: 29_375, tax: 0, total: 29_375 },
    ],
    [
      // 1 min × 9 999 / 60 = 166.65 → 167; no trip.
      'one minute at 9 999 an hour',
      { labor: [{ minutes: 1, level: 'technician' }], laborRatePerHour: 9_999, tripCharge: 0 },
      { subtotal: 167, tax: 0, total: 167 },
    ],
    [
      // 30 min × 10 001 / 60 = 5 000.5 → 5 001 (a half away from zero).
      'a labor line ending in exactly half a cent',
      { labor: [{ minutes: 30, level: 'technician' }], laborRatePerHour: 10_001, tripCharge: 0 },
      { subtotal: 5_001, tax: 0, total: 5_001 },
    ],
    [
      // rate 12 345 × 1.1111 = 13 716.5295 → 13 717 (the rate is rounded once); 60 min → 13 717.
      'a level multiplier that makes a rate of a fraction of a cent',
      {
        labor: [{ minutes: 60, level: 'master' }],
        laborRatePerHour: 12_345,
        tripCharge: 0,
        rules: rules({
          levelMultipliersBasisPoints: { ...defaultPricingRules.levelMultipliersBasisPoints, master: 11_111 },
        }),
      },
      { subtotal: 13_717, tax: 0, total: 13_717 },
    ],
    [
      // 18 000 + parts 2 × 3 900 = 7 800 (taxable) + 7 500 = 33 300; tax 8.25 % of 7 800 = 643.5 → 644; 33 944.
      'taxable parts at the captured price, labor not taxed',
      { parts: [capacitors()], rules: rules({ taxRatePerMillion: 82_500 }) },
      { subtotal: 33_300, tax: 644, total: 33_944 },
    ],
    [
      // Capacitors at cost 1 250 + 200 % = 3 750, × 2 = 7 500; copper: 310 + 50 % (default) = 465, × 2.5 ft = 1 162.5 → 1 163.
      // 18 000 + 7 500 + 1 163 + 7 500 = 34 163; no tax.
      'parts at cost plus the markup of their category, or the default',
      {
        parts: [capacitors(), copperLine],
        partCategories: new Map([
          ['prt_capacitor', 'Capacitors'],
          ['prt_copper', 'Line sets'],
        ]),
        rules: rules({
          partsPricing: 'markup',
          partsMarkup: {
            defaultBasisPoints: 5_000,
            byCategory: [{ category: 'capacitors', basisPoints: 20_000 }],
          },
        }),
      },
      { subtotal: 34_163, tax: 0, total: 34_163 },
    ],
    [
      // Labor and trip taxable: 25 500 at the location's 8.875 % (not the tenant's 6.25 %) = 2 263.125 → 2 263; 27 763.
      'a location with its own tax rate',
      {
        locationTaxRatePerMillion: 88_750,
        rules: rules({ taxRatePerMillion: 62_500, laborTaxable: true, tripChargeTaxable: true }),
      },
      { subtotal: 25_500, tax: 2_263, total: 27_763 },
    ],
    [
      // 18 000 + camera 14 900 (taxable) + permit 5 000 (not) + 7 500 = 45 400; 10 % of 14 900 = 1 490; 46 890.
      'service fees, taxed by their flag',
      {
        flatFees: [
          { name: 'Drain camera inspection', amount: 14_900, taxable: true },
          { name: 'Permit', amount: 5_000 },
        ],
        rules: rules({ taxRatePerMillion: 100_000 }),
      },
      { subtotal: 45_400, tax: 1_490, total: 46_890 },
    ],
    [
      // Included visit: labor 0, trip 0. Parts 7 800 (taxable) + permit 5 000 = 12 800; member 10 %: −780 and −500.
      // 12 800 − 1 280 = 11 520; taxable 7 800 − 780 = 7 020 × 8.25 % = 579.15 → 579; 12 099.
      'an included visit of a member with a 10 % discount',
      {
        parts: [capacitors()],
        flatFees: [{ name: 'Permit', amount: 5_000 }],
        agreement: { agreementId: 'agr_gold', memberDiscountBasisPoints: 1_000, coversVisit: true },
        rules: rules({ taxRatePerMillion: 82_500 }),
      },
      { subtotal: 11_520, tax: 579, total: 12_099 },
    ],
    [
      // Not included: 25 500; member 15 % = 3 825; 21 675.
      'a member visit the agreement does not include',
      { agreement: { agreementId: 'agr_silver', memberDiscountBasisPoints: 1_500, coversVisit: false } },
      { subtotal: 21_675, tax: 0, total: 21_675 },
    ],
    [
      // 25 500 − 10 % (2 550) = 22 950.
      'a 10 % discount',
      { discount: { type: 'percent', basisPoints: 1_000 } },
      { subtotal: 22_950, tax: 0, total: 22_950 },
    ],
    [
      // Charges 33 300: taxable 7 800, not 25 500. $50 off shared: 5 000 × 7 800 / 33 300 = 1 171.17 → 1 171 taxable, 3 829 not.
      // 33 300 − 5 000 = 28 300; taxable 6 629 × 8.25 % = 546.89 → 547; 28 847.
      'an amount discount shared between taxable and untaxed lines',
      {
        parts: [capacitors()],
        discount: { type: 'amount', amount: 5_000 },
        rules: rules({ taxRatePerMillion: 82_500 }),
      },
      { subtotal: 28_300, tax: 547, total: 28_847 },
    ],
    [
      // $999.99 off 25 500 takes 25 500 at most: 0.
      'an amount discount larger than the charges',
      { discount: { type: 'amount', amount: 99_999 } },
      { subtotal: 0, tax: 0, total: 0 },
    ],
    [
      // Member 10 % of 25 500 = 2 550, then 5 % of the 22 950 left = 1 147.5 → 1 148; 25 500 − 3 698 = 21 802.
      'a member discount and then the office’s percentage',
      {
        agreement: { agreementId: 'agr_gold', memberDiscountBasisPoints: 1_000, coversVisit: false },
        discount: { type: 'percent', basisPoints: 500 },
      },
      { subtotal: 21_802, tax: 0, total: 21_802 },
    ],
    [
      // One 20-cent taxable part at 2.5 %: 0.5 → 1 (a half away from zero); 21.
      'tax of exactly half a cent',
      {
        labor: [],
        tripCharge: 0,
        parts: [capacitors({ quantity: 1, unitPrice: 20 })],
        rules: rules({ taxRatePerMillion: 25_000 }),
      },
      { subtotal: 20, tax: 1, total: 21 },
    ],
  ])('when priced with %s, the totals are the ones worked by hand', (_case, overrides, expected) => {
    // Act
    const priced = priceInvoice(work(overrides));

    // Assert
    expect({ subtotal: priced.subtotal, tax: priced.tax, total: priced.total }).toEqual(expected);
    expect(priced.total).toBe(sum(priced.lines.map((line) => line.amount)) + priced.tax);
  });

  it('when labor, a part and the trip are charged, it lists each with its kind, unit price and taxability', () => {
    // Arrange
    const input = work({ parts: [capacitors()], rules: rules({ taxRatePerMillion: 82_500 }) });

    // Act
    const priced = priceInvoice(input);

    // Assert
    expect(priced.lines).toEqual([
      {
        kind: 'labor',
        description: 'Labor: AC repair',
        quantity: 1.5,
        unit: 'hour',
        unitPrice: 12_000,
        amount: 18_000,
        taxable: false,
      },
      {
        kind: 'part',
        description: 'Run capacitor 45/5 µF (CAP-45-5)',
        quantity: 2,
        unit: 'each',
        unitPrice: 3_900,
        amount: 7_800,
        taxable: true,
      },
      {
        kind: 'trip',
        description: 'Trip charge',
        quantity: 1,
        unit: 'visit',
        unitPrice: 7_500,
        amount: 7_500,
        taxable: false,
      },
    ]);
    expect(priced).toMatchObject({
      taxableSubtotal: 7_800,
      taxRatePerMillion: 82_500,
      afterHours: false,
      emergency: false,
    });
  });

  it('when technicians of two levels worked, it charges a labor line per level at its rate', () => {
    // Arrange
    const input = work({
      labor: [
        { minutes: 60, level: 'senior' },
        { minutes: 30, level: 'apprentice' },
        { minutes: 30, level: 'senior' },
      ],
      rules: rules({
        levelMultipliersBasisPoints: {
          apprentice: 7_500,
          technician: 10_000,
          senior: 12_500,
          master: 15_000,
        },
      }),
    });

    // Act
    const labor = priceInvoice(input).lines.filter((line) => line.kind === 'labor');

    // Assert: apprentice 9 000 an hour × 0.5 h = 4 500; senior 15 000 × 1.5 h = 22 500.
    expect(labor.map((line) => [line.description, line.quantity, line.unitPrice, line.amount])).toEqual([
      ['Labor: AC repair (apprentice)', 0.5, 9_000, 4_500],
      ['Labor: AC repair (senior technician)', 1.5, 15_000, 22_500],
    ]);
    expect(labor[1]?.note).toBe('senior technician rate ×1.25');
  });

  it('when the visit started within business hours or the tenant has set none, it charges no after-hours premium', () => {
    // Arrange
    const premium = { afterHoursMultiplierBasisPoints: 15_000 };

    // Act
    const inHours = priceInvoice(work({ rules: rules({ ...premium, businessHours: weekdaysEightToFive }) }));
    const noHoursSet = priceInvoice(work({ visitStartedAt: evening, rules: rules(premium) }));

    // Assert
    expect([inHours.afterHours, inHours.total]).toEqual([false, 25_500]);
    expect([noHoursSet.afterHours, noHoursSet.total]).toEqual([false, 25_500]);
  });

  it('when an agreement includes the visit, its labor and trip show at 0 with a note, and the rest is charged', () => {
    // Arrange
    const agreement = { agreementId: 'agr_gold', memberDiscountBasisPoints: 0, coversVisit: true };

    // Act
    const priced = priceInvoice(work({ agreement, parts: [capacitors()] }));

    // Assert
    const included = priced.lines.filter((line) => line.kind === 'labor' || line.kind === 'trip');
    expect(included).toHaveLength(2);
    for (const line of included) {
      expect(line).toMatchObject({ unitPrice: 0, amount: 0, note: 'Included in service agreement agr_gold' });
    }
    expect(priced.total).toBe(7_800);
  });

  it('when a member discount applies, it is a line of its own per taxability, noting the agreement', () => {
    // Arrange
    const agreement = { agreementId: 'agr_gold', memberDiscountBasisPoints: 1_000, coversVisit: false };

    // Act
    const priced = priceInvoice(
      work({ agreement, parts: [capacitors()], rules: rules({ taxRatePerMillion: 82_500 }) }),
    );

    // Assert: 10 % of the taxable 7 800 and of the untaxed 25 500.
    expect(priced.lines.filter((line) => line.kind === 'discount')).toEqual([
      {
        kind: 'discount',
        description: 'Member discount (10%), taxable items',
        quantity: 1,
        unit: 'discount',
        unitPrice: -780,
        amount: -780,
        taxable: true,
        note: 'Service agreement agr_gold',
      },
      {
        kind: 'discount',
        description: 'Member discount (10%), non-taxable items',
        quantity: 1,
        unit: 'discount',
        unitPrice: -2_550,
        amount: -2_550,
        taxable: false,
        note: 'Service agreement agr_gold',
      },
    ]);
    // 7 020 taxable × 8.25 % = 579.15 → 579.
    expect([priced.taxableSubtotal, priced.tax]).toEqual([7_020, 579]);
  });
});

describe('priceInvoice, for any work', () => {
  const levels: TechnicianLevel[] = ['apprentice', 'technician', 'senior', 'master'];
  const aUsage = fc
    .record({
      usageId: fc.uuid(),
      quantity: fc.integer({ min: 1, max: 20_000 }).map((thousandths) => thousandths / 1000),
      unitCost: fc.integer({ min: 0, max: 500_000 }),
      unitPrice: fc.integer({ min: 0, max: 900_000 }),
      taxable: fc.boolean(),
      partId: fc.constantFrom('prt_a', 'prt_b', 'prt_c'),
    })
    .map((fields) => aPartUsage({ ...fields, unit: 'ft' }));
  const anAgreement = fc.option(
    fc.record({
      agreementId: fc.constant('agr_any'),
      memberDiscountBasisPoints: fc.integer({ min: 0, max: 10_000 }),
      coversVisit: fc.boolean(),
    }),
    { nil: undefined },
  );
  const aDiscount = fc.option(
    fc.oneof(
      fc.record({ type: fc.constant('percent' as const), basisPoints: fc.integer({ min: 1, max: 10_000 }) }),
      fc.record({ type: fc.constant('amount' as const), amount: fc.integer({ min: 1, max: 5_000_000 }) }),
    ),
    { nil: undefined },
  );
  const anyWork = fc.record({
    laborRatePerHour: fc.integer({ min: 0, max: 1_000_000 }),
    tripCharge: fc.integer({ min: 0, max: 100_000 }),
    flatFees: fc.array(
      fc.record({
        name: fc.string({ minLength: 1 }),
        amount: fc.integer({ min: 0, max: 200_000 }),
        taxable: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
    labor: fc.array(
      fc.record({ minutes: fc.integer({ min: 1, max: 24 * 60 }), level: fc.constantFrom(...levels) }),
      {
        maxLength: 4,
      },
    ),
    parts: fc.array(aUsage, { maxLength: 5 }),
    priority: fc.constantFrom('routine' as const, 'urgent' as const, 'emergency' as const),
    visitStartedAt: fc
      .date({ min: new Date('2025-01-01'), max: new Date('2026-12-31'), noInvalidDate: true })
      .map((at) => at.toISOString()),
    rules: fc.record({
      levelMultipliersBasisPoints: fc.record({
        apprentice: fc.integer({ min: 1, max: 100_000 }),
        technician: fc.integer({ min: 1, max: 100_000 }),
        senior: fc.integer({ min: 1, max: 100_000 }),
        master: fc.integer({ min: 1, max: 100_000 }),
      }),
      businessHours: fc.constantFrom({}, weekdaysEightToFive),
      afterHoursMultiplierBasisPoints: fc.integer({ min: 10_000, max: 100_000 }),
      emergencyMultiplierBasisPoints: fc.integer({ min: 10_000, max: 100_000 }),
      partsPricing: fc.constantFrom('captured' as const, 'markup' as const),
      partsMarkup: fc.record({
        defaultBasisPoints: fc.integer({ min: 0, max: 100_000 }),
        byCategory: fc.constant<{ category: string; basisPoints: number }[]>([
          { category: 'A', basisPoints: 3_500 },
        ]),
      }),
      taxRatePerMillion: fc.integer({ min: 0, max: 500_000 }),
      laborTaxable: fc.boolean(),
      tripChargeTaxable: fc.boolean(),
      paymentTermsDays: fc.constant(14),
    }),
    locationTaxRatePerMillion: fc.option(fc.integer({ min: 0, max: 500_000 }), { nil: undefined }),
    agreement: anAgreement,
    discount: aDiscount,
  });
  const priced = (input: Partial<InvoicePricingInput>): InvoicePricingInput => {
    const { locationTaxRatePerMillion, agreement, discount, ...rest } = input;
    return work({
      ...rest,
      partCategories: new Map([['prt_a', 'a']]),
      ...(locationTaxRatePerMillion !== undefined ? { locationTaxRatePerMillion } : {}),
      ...(agreement ? { agreement } : {}),
      ...(discount ? { discount } : {}),
    });
  };

  it('when priced, the total is the sum of the lines plus the tax, in whole minor units, never below zero', () => {
    fc.assert(
      fc.property(anyWork, (input) => {
        // Act
        const invoice = priceInvoice(priced(input));

        // Assert
        const amounts = invoice.lines.map((line) => line.amount);
        expect(amounts.every(Number.isSafeInteger)).toBe(true);
        expect(invoice.subtotal).toBe(sum(amounts));
        expect(invoice.total).toBe(invoice.subtotal + invoice.tax);
        expect(invoice.total).toBeGreaterThanOrEqual(0);
        expect(invoice.taxableSubtotal).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('when priced, tax is the rate on the taxable lines only, rounded once', () => {
    fc.assert(
      fc.property(anyWork, (input) => {
        // Act
        const invoice = priceInvoice(priced(input));

        // Assert
        const taxable = sum(invoice.lines.filter((line) => line.taxable).map((line) => line.amount));
        const rate = input.locationTaxRatePerMillion ?? input.rules.taxRatePerMillion;
        expect(invoice.taxableSubtotal).toBe(taxable);
        expect(invoice.taxRatePerMillion).toBe(rate);
        expect(invoice.tax).toBe(divideRounded(taxable * rate, 1_000_000));
      }),
    );
  });

  it('when untaxed lines change, the tax does not', () => {
    fc.assert(
      fc.property(anyWork, fc.integer({ min: 0, max: 100_000 }), (input, extraFee) => {
        // Arrange: no discount, which would share itself with the new line.
        const base = priced({ ...input, discount: undefined });
        const withFee = {
          ...base,
          flatFees: [...base.flatFees, { name: 'Untaxed', amount: extraFee, taxable: false }],
        };

        // Act
        const [before, after] = [priceInvoice(base), priceInvoice(withFee)];

        // Assert: a member discount takes its share of each taxability apart.
        expect(after.tax).toBe(before.tax);
      }),
    );
  });

  it('when a line is charged, its amount is the quantity times the unit price, rounded half away from zero', () => {
    fc.assert(
      fc.property(anyWork, (input) => {
        // Act
        const invoice = priceInvoice(priced(input));

        // Assert
        for (const line of invoice.lines.filter((item) => item.kind !== 'discount')) {
          const thousandths = Math.round(line.quantity * (line.unit === 'hour' ? 60 : 1000));
          const expected = divideRounded(thousandths * line.unitPrice, line.unit === 'hour' ? 60 : 1000);
          expect(line.amount).toBe(expected);
        }
      }),
    );
  });

  it('when parts are marked up, each sells at its captured cost or more', () => {
    fc.assert(
      fc.property(anyWork, (input) => {
        // Arrange
        const marked = priced({ ...input, rules: { ...input.rules, partsPricing: 'markup' } });

        // Act
        const parts = priceInvoice(marked).lines.filter((line) => line.kind === 'part');

        // Assert: one line per usage, in the order recorded.
        expect(parts).toHaveLength(marked.parts.length);
        parts.forEach((line, index) => {
          expect(line.unitPrice).toBeGreaterThanOrEqual(marked.parts[index]?.unitCost ?? 0);
        });
      }),
    );
  });

  it('when the work order is an emergency, labor costs at least as much as it would otherwise', () => {
    fc.assert(
      fc.property(anyWork, (input) => {
        // Arrange
        const routine = priced({ ...input, priority: 'routine', agreement: undefined, discount: undefined });

        // Act
        const labor = (invoice: ReturnType<typeof priceInvoice>) =>
          sum(invoice.lines.filter((line) => line.kind === 'labor').map((line) => line.amount));
        const [usual, emergency] = [
          priceInvoice(routine),
          priceInvoice({ ...routine, priority: 'emergency' }),
        ];

        // Assert
        expect(labor(emergency)).toBeGreaterThanOrEqual(labor(usual));
        expect(emergency.emergency).toBe(true);
      }),
    );
  });

  it('when an agreement includes the visit, no labor and no trip charge are charged', () => {
    fc.assert(
      fc.property(anyWork, (input) => {
        // Arrange
        const covered = priced({
          ...input,
          agreement: { agreementId: 'agr_any', memberDiscountBasisPoints: 0, coversVisit: true },
        });

        // Act
        const invoice = priceInvoice(covered);

        // Assert
        const laborAndTrip = invoice.lines.filter((line) => line.kind === 'labor' || line.kind === 'trip');
        expect(laborAndTrip.every((line) => line.amount === 0)).toBe(true);
        expect(invoice.total).toBeLessThanOrEqual(priceInvoice({ ...covered, agreement: undefined }).total);
      }),
    );
  });

  it('when a member discount applies, it takes its percentage of each taxability of what is charged', () => {
    fc.assert(
      fc.property(anyWork, fc.integer({ min: 1, max: 10_000 }), (input, basisPoints) => {
        // Arrange
        const member = priced({
          ...input,
          discount: undefined,
          agreement: { agreementId: 'agr_any', memberDiscountBasisPoints: basisPoints, coversVisit: false },
        });

        // Act
        const invoice = priceInvoice(member);

        // Assert
        const charges = invoice.lines.filter((line) => line.kind !== 'discount');
        const taxable = sum(charges.filter((line) => line.taxable).map((line) => line.amount));
        const untaxed = sum(charges.filter((line) => !line.taxable).map((line) => line.amount));
        const discounts = sum(
          invoice.lines.filter((line) => line.kind === 'discount').map((line) => line.amount),
        );
        const taken =
          divideRounded(taxable * basisPoints, 10_000) + divideRounded(untaxed * basisPoints, 10_000);
        // The discount lines take exactly that (a sum, so nothing charged compares 0 with -0).
        expect(discounts + taken).toBe(0);
      }),
    );
  });
});

describe('withinBusinessHours', () => {
  it.each([
    ['2025-03-12T13:00:00.000Z', true], // Wed 08:00 CDT: the first minute counts
    ['2025-03-12T12:59:00.000Z', false], // Wed 07:59
    ['2025-03-12T22:00:00.000Z', false], // Wed 17:00: the end does not
    ['2025-03-15T15:00:00.000Z', false], // Sat 10:00: no hours on Saturdays
    ['2025-01-15T14:30:00.000Z', true], // Wed 08:30 CST (UTC−6), before the clocks changed
  ])('when the visit starts at %s, it is within Chicago weekday hours: %s', (instant, expected) => {
    // Act
    const within = withinBusinessHours(instant, 'America/Chicago', weekdaysEightToFive);

    // Assert
    expect(within).toBe(expected);
  });
});
