import type { Clock } from '../../ports/clock.ts';
import { type FieldProblem, ForbiddenError, ValidationError } from '../../shared/errors.ts';
import { minutesOf } from '../scheduling/local-time.ts';
import {
  type TechnicianLevel,
  technicianLevels,
  type WeekdayNumber,
  type WorkingHours,
  weekdayNumbers,
} from '../scheduling/technicians.ts';
import type { Actor } from '../shared/actor.ts';
import { defaultPricingRules, type PricingRules } from './pricing.ts';

/** The rules as a tenant's item may hold them: anything may be missing. */
export interface StoredPricingRules
  extends Partial<Omit<PricingRules, 'levelMultipliersBasisPoints' | 'partsMarkup'>> {
  levelMultipliersBasisPoints?: Partial<Record<TechnicianLevel, number>>;
  partsMarkup?: Partial<PricingRules['partsMarkup']>;
}

/** What an admin changes: top-level fields replace, except the level multipliers and the markup, merged one level. */
export type PricingRulesChanges = StoredPricingRules;

export interface PricingSettingsStore {
  /** The tenant's pricing rules as stored; undefined when the tenant does not exist. */
  storedPricing(tenantId: string): Promise<{ pricing: StoredPricingRules } | undefined>;
  /** Replaces the tenant's pricing rules. */
  savePricingRules(tenantId: string, rules: PricingRules, at: string): Promise<void>;
}

/** The stored rules with the defaults for what is not set. */
export function pricingRulesOf(stored: StoredPricingRules | undefined): PricingRules {
  const rules = stored ?? {};
  return {
    ...defaultPricingRules,
    ...rules,
    levelMultipliersBasisPoints: {
      ...defaultPricingRules.levelMultipliersBasisPoints,
      ...(rules.levelMultipliersBasisPoints ?? {}),
    },
    businessHours: rules.businessHours ?? defaultPricingRules.businessHours,
    partsMarkup: {
      defaultBasisPoints:
        rules.partsMarkup?.defaultBasisPoints ?? defaultPricingRules.partsMarkup.defaultBasisPoints,
      byCategory: [...(rules.partsMarkup?.byCategory ?? [])],
    },
  };
}

const localTime = /^([01]\d|2[0-3]):[0-5]\d$/;

function integerProblem(
  value: number | undefined,
  field: string,
  range: { min: number; max: number },
  unit: string,
): FieldProblem[] {
  if (value === undefined) return [];
  if (Number.isSafeInteger(value) && value >= range.min && value <= range.max) return [];
  return [{ field, message: `must be a whole number of ${unit} from ${range.min} to ${range.max}` }];
}

function businessHoursProblems(hours: WorkingHours): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [day, intervals] of Object.entries(hours)) {
    const field = `body.businessHours.${day}`;
    if (!(weekdayNumbers as readonly string[]).includes(day)) {
      problems.push({ field, message: 'must be a weekday number, 0 (Sunday) to 6 (Saturday)' });
      continue;
    }
    const wellFormed: { index: number; start: string; end: string }[] = [];
    (intervals ?? []).forEach(({ start, end }, index) => {
      if (!localTime.test(start))
        problems.push({ field: `${field}.${index}.start`, message: 'must be HH:mm' });
      if (!localTime.test(end)) problems.push({ field: `${field}.${index}.end`, message: 'must be HH:mm' });
      else if (localTime.test(start) && minutesOf(end) <= minutesOf(start)) {
        problems.push({ field: `${field}.${index}.end`, message: 'must be after the start' });
      } else if (localTime.test(start)) wellFormed.push({ index, start, end });
    });
    wellFormed.sort((a, b) => a.start.localeCompare(b.start));
    for (let position = 1; position < wellFormed.length; position++) {
      const previous = wellFormed[position - 1];
      const current = wellFormed[position];
      if (previous && current && current.start < previous.end) {
        problems.push({
          field: `${field}.${current.index}.start`,
          message: `overlaps ${previous.start}–${previous.end} of the same day`,
        });
      }
    }
  }
  return problems;
}

/** The problems of a change of the rules, each naming its field under `body`. */
export function pricingRulesProblems(changes: PricingRulesChanges): FieldProblem[] {
  const multiplier = { min: 1, max: 100_000 };
  const premium = { min: 10_000, max: 100_000 };
  const markup = { min: 0, max: 100_000 };
  const problems: FieldProblem[] = [];
  for (const [level, value] of Object.entries(changes.levelMultipliersBasisPoints ?? {})) {
    if (!(technicianLevels as readonly string[]).includes(level)) {
      problems.push({
        field: `body.levelMultipliersBasisPoints.${level}`,
        message: 'is not a technician level',
      });
      continue;
    }
    problems.push(
      ...integerProblem(value, `body.levelMultipliersBasisPoints.${level}`, multiplier, 'basis points'),
    );
  }
  problems.push(
    ...businessHoursProblems(changes.businessHours ?? {}),
    ...integerProblem(
      changes.afterHoursMultiplierBasisPoints,
      'body.afterHoursMultiplierBasisPoints',
      premium,
      'basis points',
    ),
    ...integerProblem(
      changes.emergencyMultiplierBasisPoints,
      'body.emergencyMultiplierBasisPoints',
      premium,
      'basis points',
    ),
    ...integerProblem(
      changes.partsMarkup?.defaultBasisPoints,
      'body.partsMarkup.defaultBasisPoints',
      markup,
      'basis points',
    ),
    ...integerProblem(
      changes.taxRatePerMillion,
      'body.taxRatePerMillion',
      { min: 0, max: 500_000 },
      'parts per million',
    ),
    ...integerProblem(changes.paymentTermsDays, 'body.paymentTermsDays', { min: 0, max: 365 }, 'days'),
  );
  const categories = new Set<string>();
  (changes.partsMarkup?.byCategory ?? []).forEach((rule, index) => {
    const field = `body.partsMarkup.byCategory.${index}`;
    const key = rule.category.trim().toLowerCase();
    if (!key) problems.push({ field: `${field}.category`, message: 'must not be empty' });
    else if (categories.has(key))
      problems.push({ field: `${field}.category`, message: `another rule is for "${rule.category}"` });
    categories.add(key);
    problems.push(...integerProblem(rule.basisPoints, `${field}.basisPoints`, markup, 'basis points'));
  });
  return problems;
}

/** The business hours with each day's intervals in start order and days without any left out. */
function tidyBusinessHours(hours: WorkingHours): WorkingHours {
  return Object.fromEntries(
    weekdayNumbers
      .map((day): [WeekdayNumber, { start: string; end: string }[]] => [
        day,
        [...(hours[day] ?? [])]
          .map(({ start, end }) => ({ start, end }))
          .sort((a, b) => a.start.localeCompare(b.start)),
      ])
      .filter(([, intervals]) => intervals.length > 0),
  );
}

/** The tenant's pricing rules, for the office. */
export async function getPricingRules(
  store: Pick<PricingSettingsStore, 'storedPricing'>,
  actor: Actor,
): Promise<PricingRules> {
  const stored = await store.storedPricing(actor.tenantId);
  if (!stored) throw new ForbiddenError('This tenant is not provisioned');
  return pricingRulesOf(stored.pricing);
}

/**
 * Changes the tenant's pricing rules (admins).
 * 1. Checks the change; 400 naming each field out of range.
 * 2. Merges it into the current rules: given fields replace, the level multipliers and the
 *    markup merge one level (a level or the default markup left out keeps its value).
 * 3. Saves the whole rules. Drafts priced before keep their lines until recalculated.
 */
export async function updatePricingRules(
  dependencies: { settings: PricingSettingsStore; clock: Clock },
  actor: Actor,
  changes: PricingRulesChanges,
): Promise<PricingRules> {
  if (actor.role !== 'admin') throw new ForbiddenError('Only an admin changes the pricing rules');
  const problems = pricingRulesProblems(changes);
  if (problems.length > 0) throw new ValidationError(problems);
  const current = await getPricingRules(dependencies.settings, actor);
  const next: PricingRules = {
    ...current,
    ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
    levelMultipliersBasisPoints: {
      ...current.levelMultipliersBasisPoints,
      ...(changes.levelMultipliersBasisPoints ?? {}),
    },
    businessHours: tidyBusinessHours(changes.businessHours ?? current.businessHours),
    partsMarkup: {
      defaultBasisPoints: changes.partsMarkup?.defaultBasisPoints ?? current.partsMarkup.defaultBasisPoints,
      byCategory: (changes.partsMarkup?.byCategory ?? current.partsMarkup.byCategory).map(
        ({ category, basisPoints }) => ({ category: category.trim(), basisPoints }),
      ),
    },
  };
  await dependencies.settings.savePricingRules(actor.tenantId, next, dependencies.clock.now().toISOString());
  return next;
}
