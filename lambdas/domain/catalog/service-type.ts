import { type FieldProblem, ValidationError } from '../../shared/errors.ts';

export const trades = ['hvac', 'plumbing', 'electrical', 'pest_control', 'general'] as const;
export type Trade = (typeof trades)[number];

/** A fixed charge of a service, named as it appears on the invoice. */
export interface FlatFee {
  name: string;
  /** Minor units of the tenant's currency. */
  amount: number;
  /** Whether sales tax applies to the fee; absent: not taxed. */
  taxable?: boolean;
}

/** One entry of a tenant's service catalogue: what the job is, what it needs and what it costs. */
export interface ServiceType {
  tenantId: string;
  serviceTypeId: string;
  name: string;
  trade: Trade;
  /** Words or phrases a customer uses for this job; the suggester reads them. */
  keywords: string[];
  /** Skills a technician needs to be dispatched to it. */
  requiredSkills: string[];
  estimatedMinutes: number;
  /** Minor units per hour of labor. */
  laborRatePerHour?: number;
  /** Minor units charged once per visit. */
  tripCharge?: number;
  flatFees: FlatFee[];
  /** What the technician works through on site, in order. */
  checklist: string[];
  createdAt: string;
  updatedAt: string;
}

/** What an admin sets on a service type. */
export interface ServiceTypeFields {
  name: string;
  trade: Trade;
  keywords?: string[];
  requiredSkills?: string[];
  estimatedMinutes: number;
  laborRatePerHour?: number;
  tripCharge?: number;
  flatFees?: FlatFee[];
  checklist?: string[];
}

/** A partial change; `null` removes an optional price. */
export type ServiceTypeChanges = Partial<Omit<ServiceTypeFields, 'laborRatePerHour' | 'tripCharge'>> & {
  laborRatePerHour?: number | null;
  tripCharge?: number | null;
};

/**
 * A new service type from the admin's fields, tidied and checked by the catalogue rules
 * (`tidyServiceType`).
 */
export function newServiceType(
  tenantId: string,
  serviceTypeId: string,
  fields: ServiceTypeFields,
  at: string,
): ServiceType {
  return tidyServiceType({
    tenantId,
    serviceTypeId,
    name: fields.name,
    trade: fields.trade,
    keywords: fields.keywords ?? [],
    requiredSkills: fields.requiredSkills ?? [],
    estimatedMinutes: fields.estimatedMinutes,
    ...(fields.laborRatePerHour !== undefined ? { laborRatePerHour: fields.laborRatePerHour } : {}),
    ...(fields.tripCharge !== undefined ? { tripCharge: fields.tripCharge } : {}),
    flatFees: fields.flatFees ?? [],
    checklist: fields.checklist ?? [],
    createdAt: at,
    updatedAt: at,
  });
}

/** The service type with the changes applied: given fields replace, `null` prices are removed. */
export function changeServiceType(
  existing: ServiceType,
  changes: ServiceTypeChanges,
  at: string,
): ServiceType {
  const { laborRatePerHour, tripCharge, ...rest } = changes;
  const next: ServiceType = { ...existing, updatedAt: at };
  for (const [name, value] of Object.entries(rest)) {
    if (value !== undefined) (next as unknown as Record<string, unknown>)[name] = value;
  }
  if (laborRatePerHour === null) delete next.laborRatePerHour;
  else if (laborRatePerHour !== undefined) next.laborRatePerHour = laborRatePerHour;
  if (tripCharge === null) delete next.tripCharge;
  else if (tripCharge !== undefined) next.tripCharge = tripCharge;
  return tidyServiceType(next);
}

/**
 * The catalogue rules:
 * - text is trimmed and inner runs of white space become one space;
 * - keywords are kept once, compared without case, in the order given (the first spelling
 *   wins), because a keyword listed twice would count twice in the suggester's statistics;
 * - required skills are lower-cased, kept once and sorted (they are a set, and technicians'
 *   skills are compared with them exactly);
 * - two flat fees with the same name (without case) are refused: the invoice could not tell
 *   them apart;
 * - a checklist item listed twice is refused: the technician would tick it twice;
 * - money is whole minor units, never negative (the schema guarantees it at the edge; the
 *   rule holds for every caller).
 * A refusal names each offending field (`body.flatFees.1.name`).
 */
export function tidyServiceType(serviceType: ServiceType): ServiceType {
  const problems: FieldProblem[] = [];
  const keywords = distinctIgnoringCase(serviceType.keywords.map(tidyText).filter(Boolean));
  const requiredSkills = [
    ...new Set(serviceType.requiredSkills.map((skill) => tidyText(skill).toLowerCase()).filter(Boolean)),
  ].sort();
  const flatFees = serviceType.flatFees.map((fee) => ({
    name: tidyText(fee.name),
    amount: fee.amount,
    ...(fee.taxable !== undefined ? { taxable: fee.taxable } : {}),
  }));
  const checklist = serviceType.checklist.map(tidyText);

  const feeNames = new Set<string>();
  flatFees.forEach((fee, index) => {
    const key = fee.name.toLowerCase();
    if (!fee.name) problems.push({ field: `body.flatFees.${index}.name`, message: 'must not be empty' });
    else if (feeNames.has(key))
      problems.push({ field: `body.flatFees.${index}.name`, message: `another fee is named "${fee.name}"` });
    feeNames.add(key);
    if (!isMinorUnits(fee.amount))
      problems.push({
        field: `body.flatFees.${index}.amount`,
        message: 'must be whole minor units, 0 or more',
      });
  });
  const items = new Set<string>();
  checklist.forEach((item, index) => {
    const key = item.toLowerCase();
    if (!item) problems.push({ field: `body.checklist.${index}`, message: 'must not be empty' });
    else if (items.has(key)) problems.push({ field: `body.checklist.${index}`, message: 'is listed twice' });
    items.add(key);
  });
  for (const price of ['laborRatePerHour', 'tripCharge'] as const) {
    const amount = serviceType[price];
    if (amount !== undefined && !isMinorUnits(amount))
      problems.push({ field: `body.${price}`, message: 'must be whole minor units, 0 or more' });
  }
  const name = tidyText(serviceType.name);
  if (!name) problems.push({ field: 'body.name', message: 'must not be empty' });
  if (!Number.isInteger(serviceType.estimatedMinutes) || serviceType.estimatedMinutes <= 0)
    problems.push({ field: 'body.estimatedMinutes', message: 'must be a whole number of minutes above 0' });
  if (problems.length > 0) throw new ValidationError(problems);

  return { ...serviceType, name, keywords, requiredSkills, flatFees, checklist };
}

function tidyText(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

function distinctIgnoringCase(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  return texts.filter((text) => {
    const key = text.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isMinorUnits(amount: number): boolean {
  return Number.isSafeInteger(amount) && amount >= 0;
}
