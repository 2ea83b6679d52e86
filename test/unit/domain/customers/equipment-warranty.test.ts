import { describe, expect, it } from 'vitest';
import type { Equipment } from '../../../../lambdas/domain/customers/customer.ts';
import {
  localDay,
  warrantyCoverage,
  warrantyEndsOn,
} from '../../../../lambdas/domain/work-orders/warranty.ts';

type WarrantyTerms = Pick<Equipment, 'equipmentId' | 'installedOn' | 'warrantyEndsOn' | 'warrantyMonths'>;

const anAirConditioner = (overrides: Partial<WarrantyTerms> = {}): WarrantyTerms => ({
  equipmentId: 'eqp_condenser',
  installedOn: '2024-03-15',
  warrantyMonths: 12,
  ...overrides,
});

describe('warrantyEndsOn', () => {
  it('when a term is given, the last covered day is the day before the anniversary', () => {
    // Act
    const endsOn = warrantyEndsOn(anAirConditioner());

    // Assert
    expect(endsOn).toBe('2025-03-14');
  });

  it('when the anniversary falls past the end of a shorter month, it is that month’s last day', () => {
    // Act
    const leapYear = warrantyEndsOn(anAirConditioner({ installedOn: '2024-01-31', warrantyMonths: 1 }));
    const commonYear = warrantyEndsOn(anAirConditioner({ installedOn: '2023-01-31', warrantyMonths: 1 }));

    // Assert
    expect(leapYear).toBe('2024-02-28');
    expect(commonYear).toBe('2023-02-27');
  });

  it('when the term crosses years, the months carry into the next year', () => {
    // Act
    const endsOn = warrantyEndsOn(anAirConditioner({ installedOn: '2020-11-01', warrantyMonths: 26 }));

    // Assert
    expect(endsOn).toBe('2022-12-31');
  });

  it('when a stated end is given, it wins over the term', () => {
    // Act
    const endsOn = warrantyEndsOn(anAirConditioner({ warrantyEndsOn: '2030-06-30' }));

    // Assert
    expect(endsOn).toBe('2030-06-30');
  });

  it('when neither an end nor an install date with a term is known, there is none', () => {
    // Act
    const noInstall = warrantyEndsOn(anAirConditioner({ installedOn: undefined }));
    const noTerm = warrantyEndsOn(anAirConditioner({ warrantyMonths: undefined }));

    // Assert
    expect(noInstall).toBeUndefined();
    expect(noTerm).toBeUndefined();
  });
});

describe('warrantyCoverage', () => {
  it.each([
    ['the install day', '2024-03-15', true],
    ['the last covered day', '2025-03-14', true],
    ['the anniversary', '2025-03-15', false],
    ['the day before the install', '2024-03-14', false],
  ])('when the work order is created on %s (%s), covered is %s', (_, day, covered) => {
    // Act
    const coverage = warrantyCoverage(anAirConditioner(), day);

    // Assert
    expect(coverage).toEqual({ covered, equipmentId: 'eqp_condenser', endsOn: '2025-03-14' });
  });

  it.each([
    ['2030-06-30', true],
    ['2030-07-01', false],
  ])('when the stated end is 2030-06-30 and the day is %s, covered is %s', (day, covered) => {
    // Act
    const coverage = warrantyCoverage({ equipmentId: 'eqp_furnace', warrantyEndsOn: '2030-06-30' }, day);

    // Assert
    expect(coverage.covered).toBe(covered);
  });

  it('when the equipment has no warranty terms, it is not covered and has no end', () => {
    // Act
    const coverage = warrantyCoverage({ equipmentId: 'eqp_old' }, '2025-01-01');

    // Assert
    expect(coverage).toEqual({ covered: false, equipmentId: 'eqp_old' });
  });
});

describe('localDay', () => {
  it('when the instant is past midnight UTC but still the evening before in the tenant’s zone, it is the earlier day', () => {
    // Act
    const day = localDay(new Date('2025-03-15T03:30:00Z'), 'America/New_York');

    // Assert
    expect(day).toBe('2025-03-14');
  });

  it('when the zone is ahead of UTC, it is the later day', () => {
    // Act
    const day = localDay(new Date('2025-03-14T22:30:00Z'), 'Asia/Tokyo');

    // Assert
    expect(day).toBe('2025-03-15');
  });
});
