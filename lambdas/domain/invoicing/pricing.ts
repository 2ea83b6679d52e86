import type { PartUsage } from '../execution/field-records.ts';
import { netPartsUsed } from '../execution/parts-tally.ts';
import { toThousandths } from '../parts/part.ts';
import { LocalCalendar, minutesOf, weekdayOf } from '../scheduling/local-time.ts';
import type { TechnicianLevel, WorkingHours } from '../scheduling/technicians.ts';
import type { Priority } from '../work-orders/work-order.ts';
import type { AgreementTerms, InvoiceDiscount, InvoiceLine } from './invoice.ts';

/**
 * How a tenant prices its work. Rates, multipliers and markups are integers: multipliers and
 * markups in basis points (10 000 = 100 %), tax rates in parts per million (88 750 = 8.875 %),
 * money in minor units of the tenant's currency. Every default charges nothing extra, so a
 * tenant that has set nothing is billed labor at the service type's rate, parts at the price
 * captured when used and the trip charge, without tax.
 */
export interface PricingRules {
  /** The share of the service type's labor rate charged for an hour of each level, in basis points. */
  levelMultipliersBasisPoints: Record<TechnicianLevel, number>;
  /** Local business hours by weekday (`0` Sunday); none set: no visit counts as after hours. */
  businessHours: WorkingHours;
  /** Applied to the labor of a visit started outside business hours. */
  afterHoursMultiplierBasisPoints: number;
  /** Applied to the labor of an emergency work order. */
  emergencyMultiplierBasisPoints: number;
  /** `captured`: the price recorded when the part was used; `markup`: its captured cost plus the category's markup. */
  partsPricing: 'captured' | 'markup';
  partsMarkup: {
    /** For parts whose category has no rule of its own. */
    defaultBasisPoints: number;
    /** Categories compared without case. */
    byCategory: { category: string; basisPoints: number }[];
  };
  /** The tenant's sales tax rate; a service location may carry its own. */
  taxRatePerMillion: number;
  laborTaxable: boolean;
  tripChargeTaxable: boolean;
  /** Days from the invoice's local day to its due date. */
  paymentTermsDays: number;
}

export const basisPointsPerWhole = 10_000;
export const partsPerMillion = 1_000_000;

export const defaultPricingRules: PricingRules = {
  levelMultipliersBasisPoints: { apprentice: 10_000, technician: 10_000, senior: 10_000, master: 10_000 },
  businessHours: {},
  afterHoursMultiplierBasisPoints: 10_000,
  emergencyMultiplierBasisPoints: 10_000,
  partsPricing: 'captured',
  partsMarkup: { defaultBasisPoints: 0, byCategory: [] },
  taxRatePerMillion: 0,
  laborTaxable: false,
  tripChargeTaxable: false,
  paymentTermsDays: 14,
};

/**
 * THE rounding rule of invoices: an exact integer quotient rounded half away from zero to the
 * minor unit. Worked in BigInt, so no product of rate, minutes and multipliers loses a digit.
 * Every amount an invoice shows is rounded by this once, where it is computed: an adjusted
 * rate or marked-up unit price, a line's amount (quantity × unit price), a discount line, and
 * the tax on the taxable subtotal. Totals are sums of rounded amounts, never rounded again.
 */
export function divideRounded(numerator: bigint | number, denominator: bigint | number): number {
  const dividend = BigInt(numerator);
  const divisor = BigInt(denominator);
  if (divisor <= 0n) throw new RangeError('The divisor must be positive');
  const magnitude = dividend < 0n ? -dividend : dividend;
  const quotient = (magnitude * 2n + divisor) / (2n * divisor);
  if (quotient > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('The amount is too large to be money');
  return Number(dividend < 0n ? -quotient : quotient);
}

export type InvoiceLineKind = 'labor' | 'part' | 'fee' | 'trip' | 'discount';

/** A line as pricing makes it: its kind and taxability always said. */
export interface PricedLine extends InvoiceLine {
  kind: InvoiceLineKind;
  taxable: boolean;
}

/** What an invoice charges before discounts: labor, parts, fees and the trip. */
export interface InvoicePricingInput {
  serviceName: string;
  /** The service type's rate, minor units per hour. */
  laborRatePerHour: number;
  tripCharge: number;
  flatFees: readonly { name: string; amount: number; taxable?: boolean }[];
  /** Labor entries with the level of the technician who worked them. */
  labor: readonly { minutes: number; level: TechnicianLevel }[];
  /** Part usages and their corrections, as recorded. */
  parts: readonly PartUsage[];
  /** Each part's category by part id, for markup rules. */
  partCategories?: ReadonlyMap<string, string>;
  priority: Priority;
  /** When the visit started (arrival on site): outside business hours, labor is after hours. */
  visitStartedAt?: string;
  timeZone: string;
  rules: PricingRules;
  /** The service location's own tax rate, which replaces the tenant's. */
  locationTaxRatePerMillion?: number;
  agreement?: AgreementTerms;
  discount?: InvoiceDiscount;
}

export interface PricedInvoice {
  lines: PricedLine[];
  /** The sum of every line's amount, discounts included. */
  subtotal: number;
  /** The sum of the taxable lines' amounts: what tax is charged on. */
  taxableSubtotal: number;
  taxRatePerMillion: number;
  tax: number;
  /** `subtotal + tax`, exactly. */
  total: number;
  afterHours: boolean;
  emergency: boolean;
}

export const levelNames: Record<TechnicianLevel, string> = {
  apprentice: 'apprentice',
  technician: 'technician',
  senior: 'senior technician',
  master: 'master technician',
};

const levelOrder: readonly TechnicianLevel[] = ['apprentice', 'technician', 'senior', 'master'];

/** `12.5 %` from 1 250 basis points. */
export const percentOf = (basisPoints: number): string =>
  `${(basisPoints / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })}%`;

const multiplierOf = (basisPoints: number): string =>
  `×${(basisPoints / basisPointsPerWhole).toLocaleString('en-US', { maximumFractionDigits: 4 })}`;

/** Whether the instant falls inside the tenant's business hours of its local weekday. */
export function withinBusinessHours(instant: string, timeZone: string, hours: WorkingHours): boolean {
  const calendar = new LocalCalendar(timeZone);
  const day = calendar.dayOf(instant);
  const minute = minutesOf(calendar.timeOf(instant));
  return (hours[weekdayOf(day)] ?? []).some(
    (interval) => minutesOf(interval.start) <= minute && minute < minutesOf(interval.end),
  );
}

const hasBusinessHours = (hours: WorkingHours): boolean =>
  Object.values(hours).some((intervals) => (intervals ?? []).length > 0);

/**
 * The rate premium of the visit: the after-hours or the emergency multiplier, whichever is
 * higher, when it applies (they do not compound: an emergency at night is charged once, at
 * the higher of the two).
 */
function premiumOf(input: InvoicePricingInput) {
  const { rules } = input;
  const afterHours =
    input.visitStartedAt !== undefined &&
    hasBusinessHours(rules.businessHours) &&
    !withinBusinessHours(input.visitStartedAt, input.timeZone, rules.businessHours);
  const emergency = input.priority === 'emergency';
  const candidates = [
    ...(afterHours
      ? [{ basisPoints: rules.afterHoursMultiplierBasisPoints, label: 'after-hours rate' }]
      : []),
    ...(emergency ? [{ basisPoints: rules.emergencyMultiplierBasisPoints, label: 'emergency rate' }] : []),
  ].sort((a, b) => b.basisPoints - a.basisPoints);
  return { afterHours, emergency, premium: candidates[0] };
}

const includedNote = (agreement: AgreementTerms) => `Included in service agreement ${agreement.agreementId}`;

function laborLines(input: InvoicePricingInput, premium: ReturnType<typeof premiumOf>['premium']) {
  const minutesByLevel = new Map<TechnicianLevel, number>();
  for (const entry of input.labor) {
    minutesByLevel.set(entry.level, (minutesByLevel.get(entry.level) ?? 0) + entry.minutes);
  }
  const covered = input.agreement?.coversVisit === true;
  const lines: PricedLine[] = [];
  for (const level of levelOrder) {
    const minutes = minutesByLevel.get(level) ?? 0;
    if (minutes <= 0) continue;
    const levelBasisPoints = input.rules.levelMultipliersBasisPoints[level];
    const premiumBasisPoints = premium?.basisPoints ?? basisPointsPerWhole;
    // The adjusted hourly rate is rounded once, so quantity × unit price gives the amount shown.
    const rate = divideRounded(
      BigInt(input.laborRatePerHour) * BigInt(levelBasisPoints) * BigInt(premiumBasisPoints),
      basisPointsPerWhole * basisPointsPerWhole,
    );
    const notes = [
      ...(levelBasisPoints !== basisPointsPerWhole
        ? [`${levelNames[level]} rate ${multiplierOf(levelBasisPoints)}`]
        : []),
      ...(premium ? [`${premium.label} ${multiplierOf(premium.basisPoints)}`] : []),
      ...(covered && input.agreement ? [includedNote(input.agreement)] : []),
    ];
    lines.push({
      kind: 'labor',
      description: `Labor: ${input.serviceName}${level === 'technician' ? '' : ` (${levelNames[level]})`}`,
      quantity: minutes / 60,
      unit: 'hour',
      unitPrice: covered ? 0 : rate,
      amount: covered ? 0 : divideRounded(minutes * rate, 60),
      taxable: input.rules.laborTaxable,
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    });
  }
  return lines;
}

function markupOf(rules: PricingRules, category: string | undefined): number {
  const wanted = category?.trim().toLowerCase();
  const rule = rules.partsMarkup.byCategory.find((entry) => entry.category.trim().toLowerCase() === wanted);
  return rule?.basisPoints ?? rules.partsMarkup.defaultBasisPoints;
}

function partLines(input: InvoicePricingInput): PricedLine[] {
  return netPartsUsed(input.parts).map(({ usage, quantity }) => {
    const unitPrice =
      input.rules.partsPricing === 'markup'
        ? divideRounded(
            usage.unitCost *
              (basisPointsPerWhole + markupOf(input.rules, input.partCategories?.get(usage.partId))),
            basisPointsPerWhole,
          )
        : usage.unitPrice;
    return {
      kind: 'part',
      description: `${usage.name} (${usage.sku})`,
      quantity,
      unit: usage.unit ?? 'each',
      unitPrice,
      amount: divideRounded(toThousandths(quantity) * unitPrice, 1000),
      taxable: usage.taxable,
    };
  });
}

/**
 * The charges of the work, before discounts: labor per technician level (the service type's
 * rate × the level's multiplier × the after-hours or emergency premium), parts net of their
 * corrections (captured price, or captured cost plus the category's markup), the service type's
 * fees and the trip charge. A visit an agreement includes shows its labor and trip at 0.
 */
export function priceCharges(input: InvoicePricingInput): {
  lines: PricedLine[];
  afterHours: boolean;
  emergency: boolean;
} {
  const { afterHours, emergency, premium } = premiumOf(input);
  const covered = input.agreement?.coversVisit === true;
  const fees: PricedLine[] = input.flatFees.map((fee) => ({
    kind: 'fee',
    description: fee.name,
    quantity: 1,
    unit: 'each',
    unitPrice: fee.amount,
    amount: fee.amount,
    taxable: fee.taxable ?? false,
  }));
  const trip: PricedLine[] =
    input.tripCharge > 0
      ? [
          {
            kind: 'trip',
            description: 'Trip charge',
            quantity: 1,
            unit: 'visit',
            unitPrice: covered ? 0 : input.tripCharge,
            amount: covered ? 0 : input.tripCharge,
            taxable: input.rules.tripChargeTaxable,
            ...(covered && input.agreement ? { note: includedNote(input.agreement) } : {}),
          },
        ]
      : [];
  return {
    lines: [...laborLines(input, premium), ...partLines(input), ...fees, ...trip],
    afterHours,
    emergency,
  };
}

/** Amounts by taxability: what a discount is taken from. */
interface Bases {
  taxable: number;
  exempt: number;
}

const basesOf = (lines: readonly PricedLine[]): Bases => ({
  taxable: lines.filter((line) => line.taxable).reduce((sum, line) => sum + line.amount, 0),
  exempt: lines.filter((line) => !line.taxable).reduce((sum, line) => sum + line.amount, 0),
});

/**
 * A discount as lines, one per taxability it takes from, so tax stays on what is charged: a
 * percentage is taken from the taxable and the exempt amounts each; an amount (at most what is
 * left) is shared between them in proportion, the taxable share rounded and the rest exempt.
 */
function discountLines(
  bases: Bases,
  taken: { taxable: number; exempt: number },
  description: string,
  note?: string,
) {
  const both = taken.taxable > 0 && taken.exempt > 0;
  return (['taxable', 'exempt'] as const)
    .filter((part) => taken[part] > 0)
    .map(
      (part): PricedLine => ({
        kind: 'discount',
        description: both
          ? `${description}, ${part === 'taxable' ? 'taxable' : 'non-taxable'} items`
          : description,
        quantity: 1,
        unit: 'discount',
        unitPrice: -taken[part],
        amount: -taken[part],
        taxable: part === 'taxable' && bases.taxable > 0,
        ...(note ? { note } : {}),
      }),
    );
}

function percentTaken(bases: Bases, basisPoints: number) {
  return {
    taxable: divideRounded(bases.taxable * basisPoints, basisPointsPerWhole),
    exempt: divideRounded(bases.exempt * basisPoints, basisPointsPerWhole),
  };
}

function amountTaken(bases: Bases, amount: number) {
  const base = bases.taxable + bases.exempt;
  const whole = Math.min(amount, base);
  if (whole <= 0) return { taxable: 0, exempt: 0 };
  const taxable = divideRounded(BigInt(whole) * BigInt(bases.taxable), base);
  return { taxable, exempt: whole - taxable };
}

/**
 * Discounts, tax and totals over the charges:
 * 1. the member discount of an agreement, a percentage of every charge;
 * 2. the invoice's own discount, a percentage or an amount of what is left after it;
 * 3. tax: the rate (the location's, else the tenant's) × the sum of the taxable lines, rounded once;
 * 4. subtotal = the sum of every line, total = subtotal + tax.
 */
export function settleInvoice(
  charges: readonly PricedLine[],
  terms: { agreement?: AgreementTerms; discount?: InvoiceDiscount; taxRatePerMillion: number },
): Omit<PricedInvoice, 'afterHours' | 'emergency'> {
  const lines: PricedLine[] = charges.filter((line) => line.kind !== 'discount');
  const { agreement, discount } = terms;
  if (agreement && agreement.memberDiscountBasisPoints > 0) {
    const taken = percentTaken(basesOf(lines), agreement.memberDiscountBasisPoints);
    lines.push(
      ...discountLines(
        basesOf(lines),
        taken,
        `Member discount (${percentOf(agreement.memberDiscountBasisPoints)})`,
        `Service agreement ${agreement.agreementId}`,
      ),
    );
  }
  if (discount) {
    const bases = basesOf(lines);
    const taken =
      discount.type === 'percent'
        ? percentTaken(bases, discount.basisPoints)
        : amountTaken(bases, discount.amount);
    const label = discount.type === 'percent' ? `Discount (${percentOf(discount.basisPoints)})` : 'Discount';
    lines.push(...discountLines(bases, taken, label, discount.reason));
  }
  const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
  const taxableSubtotal = lines.filter((line) => line.taxable).reduce((sum, line) => sum + line.amount, 0);
  const tax =
    taxableSubtotal > 0 ? divideRounded(taxableSubtotal * terms.taxRatePerMillion, partsPerMillion) : 0;
  return {
    lines,
    subtotal,
    taxableSubtotal,
    taxRatePerMillion: terms.taxRatePerMillion,
    tax,
    total: subtotal + tax,
  };
}

/** The whole invoice from the work and the rules: charges, then discounts, tax and totals. */
export function priceInvoice(input: InvoicePricingInput): PricedInvoice {
  const { lines, afterHours, emergency } = priceCharges(input);
  return {
    ...settleInvoice(lines, {
      ...(input.agreement ? { agreement: input.agreement } : {}),
      ...(input.discount ? { discount: input.discount } : {}),
      taxRatePerMillion: input.locationTaxRatePerMillion ?? input.rules.taxRatePerMillion,
    }),
    afterHours,
    emergency,
  };
}

/** The most an amount discount may take: the charges less the member discount. */
export function discountableAmount(charges: readonly PricedLine[], agreement?: AgreementTerms): number {
  const settled = settleInvoice(charges, { ...(agreement ? { agreement } : {}), taxRatePerMillion: 0 });
  return settled.subtotal;
}
