import { toThousandths } from '../parts/part.ts';
import type { PartUsage } from './field-records.ts';

/** The parts of a job in use: one per usage not taken back whole, with what is left of it. */
export interface NetPartUsage {
  usage: PartUsage;
  /** The usage's quantity less what its corrections took back. */
  quantity: number;
}

/** What the parts of a job add up to, in minor units. */
export interface PartsTally {
  /** Usages still in use (not taken back whole). */
  partCount: number;
  partsCost: number;
  partsPrice: number;
}

const noParts: PartsTally = { partCount: 0, partsCost: 0, partsPrice: 0 };

/**
 * A quantity times a unit amount, rounded half up to the minor unit. Worked in thousandths of
 * a unit, so that 2.5 ft at 899 is exactly 2 247.5, which rounds to 2 248.
 */
export function extendedAmount(quantity: number, unitAmount: number): number {
  // An integer over 1 000: a half is exactly representable, so Math.round rounds it up.
  return Math.round((toThousandths(quantity) * unitAmount) / 1000);
}

/** The usages of a job net of their corrections, in the order they were recorded. */
export function netPartsUsed(usages: readonly PartUsage[]): NetPartUsage[] {
  const takenBack = new Map<string, number>();
  for (const usage of usages) {
    if (usage.correctionOf === undefined) continue;
    const taken = takenBack.get(usage.correctionOf) ?? 0;
    takenBack.set(usage.correctionOf, taken - toThousandths(usage.quantity));
  }
  return usages
    .filter((usage) => usage.correctionOf === undefined)
    .map((usage) => ({
      usage,
      thousandths: toThousandths(usage.quantity) - (takenBack.get(usage.usageId) ?? 0),
    }))
    .filter(({ thousandths }) => thousandths > 0)
    .map(({ usage, thousandths }) => ({ usage, quantity: thousandths / 1000 }));
}

/** One usage's part of the tally at a quantity: nothing once it is taken back whole. */
export function tallyOf(usage: Pick<PartUsage, 'unitCost' | 'unitPrice'>, quantity: number): PartsTally {
  if (toThousandths(quantity) <= 0) return noParts;
  return {
    partCount: 1,
    partsCost: extendedAmount(quantity, usage.unitCost),
    partsPrice: extendedAmount(quantity, usage.unitPrice),
  };
}

/**
 * The parts of a job added up from the usage items: each usage net of its corrections, priced
 * as its invoice line is (quantity × captured unit amount, rounded once per usage).
 */
export function tallyParts(usages: readonly PartUsage[]): PartsTally {
  return netPartsUsed(usages).reduce(
    (total, { usage, quantity }) => addTallies(total, tallyOf(usage, quantity)),
    noParts,
  );
}

const addTallies = (one: PartsTally, other: PartsTally): PartsTally => ({
  partCount: one.partCount + other.partCount,
  partsCost: one.partsCost + other.partsCost,
  partsPrice: one.partsPrice + other.partsPrice,
});

export const subtractTallies = (one: PartsTally, other: PartsTally): PartsTally => ({
  partCount: one.partCount - other.partCount,
  partsCost: one.partsCost - other.partsCost,
  partsPrice: one.partsPrice - other.partsPrice,
});
