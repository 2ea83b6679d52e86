import type { FieldProblem } from '../../shared/errors.ts';

/** Units a part is counted in: used in whole numbers. */
export const countedUnits = ['each', 'pair', 'set', 'box', 'roll'] as const;
/** Units a part is measured in: used in fractions, to the thousandth (2.5 ft, 0.125 lb). */
export const measuredUnits = ['ft', 'in', 'm', 'lb', 'oz', 'kg', 'gal', 'l'] as const;
export const partUnits = [...countedUnits, ...measuredUnits] as const;
export type PartUnit = (typeof partUnits)[number];

/**
 * One entry of a tenant's parts catalogue: what it is, what it costs the business and what
 * the customer pays for it. Stock levels are not kept here: stock per location will be items
 * of their own in the part's item collection.
 */
export interface Part {
  tenantId: string;
  partId: string;
  /** Unique per tenant, upper-cased (`CAP-45-5`). */
  sku: string;
  name: string;
  category?: string;
  /** Who the business buys it from: purchase orders at its reorder points are grouped by supplier. */
  supplier?: string;
  unit: PartUnit;
  /** Minor units of the tenant's currency, per unit. */
  unitCost: number;
  unitPrice: number;
  /** Whether sales tax applies when it is sold. */
  taxable: boolean;
  /** Inactive parts stay on past jobs but cannot be used on new ones. */
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface PartInput {
  sku: string;
  name: string;
  category?: string;
  supplier?: string;
  unit: PartUnit;
  unitCost: number;
  unitPrice: number;
  taxable?: boolean;
  active?: boolean;
}

export type PartChanges = Partial<PartInput>;

const skuPattern = /^[A-Z0-9][A-Z0-9._/-]*$/;
export const maxSkuLength = 64;

/** The one written form of a SKU: trimmed and upper-cased, so `cap-45` and `CAP-45` are one part. */
export const normalizeSku = (sku: string): string => sku.trim().toUpperCase();

const isMinorUnits = (value: number) => Number.isSafeInteger(value) && value >= 0;

/** The problems of a part's fields (a whole part, or the fields of a change); named under `prefix`. */
export function partProblems(input: PartChanges, prefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.sku !== undefined) {
    const sku = normalizeSku(input.sku);
    if (sku.length === 0 || sku.length > maxSkuLength || !skuPattern.test(sku)) {
      problems.push({
        field: `${prefix}.sku`,
        message: `must be 1 to ${maxSkuLength} letters, digits and . _ / -, starting with a letter or digit`,
      });
    }
  }
  if (input.name !== undefined && input.name.trim() === '') {
    problems.push({ field: `${prefix}.name`, message: 'must not be blank' });
  }
  if (input.unit !== undefined && !(partUnits as readonly string[]).includes(input.unit)) {
    problems.push({ field: `${prefix}.unit`, message: `must be one of ${partUnits.join(', ')}` });
  }
  for (const field of ['unitCost', 'unitPrice'] as const) {
    const value = input[field];
    if (value !== undefined && !isMinorUnits(value)) {
      problems.push({
        field: `${prefix}.${field}`,
        message: 'must be a whole number of minor units, 0 or more',
      });
    }
  }
  return problems;
}

/** A new catalogue entry from checked input. */
export function newPart(tenantId: string, partId: string, input: PartInput, at: string): Part {
  return {
    tenantId,
    partId,
    sku: normalizeSku(input.sku),
    name: input.name.trim(),
    ...(input.category?.trim() ? { category: input.category.trim() } : {}),
    ...(input.supplier?.trim() ? { supplier: input.supplier.trim() } : {}),
    unit: input.unit,
    unitCost: input.unitCost,
    unitPrice: input.unitPrice,
    taxable: input.taxable ?? true,
    active: input.active ?? true,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

/** The part with checked changes applied, at the next version. */
export function changePart(before: Part, changes: PartChanges, at: string): Part {
  const { category: previousCategory, supplier: previousSupplier, ...rest } = before;
  // A blank category or supplier removes it.
  const category = changes.category === undefined ? previousCategory : changes.category.trim() || undefined;
  const supplier = changes.supplier === undefined ? previousSupplier : changes.supplier.trim() || undefined;
  return {
    ...rest,
    ...(category ? { category } : {}),
    ...(supplier ? { supplier } : {}),
    ...(changes.sku !== undefined ? { sku: normalizeSku(changes.sku) } : {}),
    ...(changes.name !== undefined ? { name: changes.name.trim() } : {}),
    ...(changes.unit !== undefined ? { unit: changes.unit } : {}),
    ...(changes.unitCost !== undefined ? { unitCost: changes.unitCost } : {}),
    ...(changes.unitPrice !== undefined ? { unitPrice: changes.unitPrice } : {}),
    ...(changes.taxable !== undefined ? { taxable: changes.taxable } : {}),
    ...(changes.active !== undefined ? { active: changes.active } : {}),
    version: before.version + 1,
    updatedAt: at,
  };
}

/** Thousandths of a unit: quantities are kept to three decimals and added up as whole numbers. */
export const toThousandths = (quantity: number): number => Math.round(quantity * 1000);

/**
 * The problems of a quantity of a part in its unit: above zero, whole for counted units, to
 * the thousandth for measured ones, at most 10 000 units at once.
 */
export function quantityProblems(quantity: number, unit: string | undefined, field: string): FieldProblem[] {
  if (!Number.isFinite(quantity) || quantity <= 0 || quantity > 10_000) {
    return [{ field, message: 'must be above 0 and at most 10000' }];
  }
  if (
    unit !== undefined &&
    (countedUnits as readonly string[]).includes(unit) &&
    !Number.isInteger(quantity)
  ) {
    return [{ field, message: `must be a whole number: the part is counted by the ${unit}` }];
  }
  if (Math.abs(quantity * 1000 - toThousandths(quantity)) > 1e-6) {
    return [{ field, message: 'must have at most 3 decimals' }];
  }
  return [];
}
