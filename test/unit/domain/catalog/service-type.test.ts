import { describe, expect, it } from 'vitest';
import {
  changeServiceType,
  newServiceType,
  type ServiceTypeFields,
} from '../../../../lambdas/domain/catalog/service-type.ts';
import { ValidationError } from '../../../../lambdas/shared/errors.ts';

const at = '2026-03-01T09:00:00.000Z';
const later = '2026-03-02T09:00:00.000Z';

const someFields = (overrides: Partial<ServiceTypeFields> = {}): ServiceTypeFields => ({
  name: 'Drain cleaning',
  trade: 'plumbing',
  keywords: ['drain', 'clog'],
  requiredSkills: ['plumbing'],
  estimatedMinutes: 60,
  laborRatePerHour: 11_000,
  tripCharge: 6_900,
  flatFees: [{ name: 'Camera inspection', amount: 14_900 }],
  checklist: ['Locate the clog', 'Run water'],
  ...overrides,
});

function problemsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    if (error instanceof ValidationError) return error.errors.map((problem) => problem.field);
    throw error;
  }
  return [];
}

describe('newServiceType', () => {
  it('when keywords repeat with other case or spacing, it keeps the first spelling once, in order', () => {
    // Act
    const serviceType = newServiceType(
      'ten_a',
      'svc_1',
      someFields({ keywords: ['  Slow  drain ', 'clog', 'slow drain', 'CLOG', 'sink'] }),
      at,
    );

    // Assert
    expect(serviceType.keywords).toEqual(['Slow drain', 'clog', 'sink']);
  });

  it('when skills are given in any case and order, it keeps them lower-cased, once and sorted', () => {
    const serviceType = newServiceType(
      'ten_a',
      'svc_1',
      someFields({ requiredSkills: ['Water_Heater', 'plumbing', 'PLUMBING'] }),
      at,
    );

    expect(serviceType.requiredSkills).toEqual(['plumbing', 'water_heater']);
  });

  it('when two flat fees share a name, it refuses naming the second one', () => {
    const fields = someFields({
      flatFees: [
        { name: 'Permit', amount: 5_000 },
        { name: ' permit ', amount: 6_000 },
      ],
    });

    expect(problemsOf(() => newServiceType('ten_a', 'svc_1', fields, at))).toEqual(['body.flatFees.1.name']);
  });

  it('when a checklist item repeats, it refuses naming it, and keeps the order otherwise', () => {
    const refused = someFields({ checklist: ['Shut off water', 'Drain tank', 'shut off  water'] });
    const kept = newServiceType('ten_a', 'svc_1', someFields({ checklist: ['B step', 'A step'] }), at);

    expect(problemsOf(() => newServiceType('ten_a', 'svc_1', refused, at))).toEqual(['body.checklist.2']);
    expect(kept.checklist).toEqual(['B step', 'A step']);
  });

  it('when money is fractional or negative, it refuses each such field', () => {
    const fields = someFields({
      laborRatePerHour: 110.5,
      tripCharge: -1,
      flatFees: [{ name: 'X', amount: 1.5 }],
    });

    expect(problemsOf(() => newServiceType('ten_a', 'svc_1', fields, at))).toEqual([
      'body.flatFees.0.amount',
      'body.laborRatePerHour',
      'body.tripCharge',
    ]);
  });
});

describe('changeServiceType', () => {
  const existing = newServiceType('ten_a', 'svc_1', someFields(), at);

  it('when fields are given, they replace; the others, the id and the creation time stay', () => {
    const changed = changeServiceType(existing, { checklist: ['Only step'], estimatedMinutes: 75 }, later);

    expect(changed).toMatchObject({
      serviceTypeId: 'svc_1',
      name: 'Drain cleaning',
      checklist: ['Only step'],
      estimatedMinutes: 75,
      flatFees: existing.flatFees,
      createdAt: at,
      updatedAt: later,
    });
  });

  it('when a price is null, it is removed', () => {
    const changed = changeServiceType(existing, { tripCharge: null }, later);

    expect(changed.tripCharge).toBeUndefined();
    expect(changed.laborRatePerHour).toBe(11_000);
  });

  it('when the change breaks a rule, it refuses', () => {
    const change = { flatFees: [...existing.flatFees, { name: 'camera inspection', amount: 1 }] };

    expect(problemsOf(() => changeServiceType(existing, change, later))).toEqual(['body.flatFees.1.name']);
  });
});
