import { describe, expect, it } from 'vitest';
import {
  changePart,
  newPart,
  normalizeSku,
  partProblems,
  quantityProblems,
} from '../../../../lambdas/domain/parts/part.ts';
import { aPart } from '../../../fixtures/part-records.ts';

const fieldsOf = (problems: { field: string }[]) => problems.map((problem) => problem.field);

describe('normalizeSku', () => {
  it('when a SKU is written in any case with spaces around, it is trimmed and upper-cased', () => {
    // Act
    const sku = normalizeSku('  cap-45-5 ');

    // Assert
    expect(sku).toBe('CAP-45-5');
  });
});

describe('partProblems', () => {
  it('when every field is right, there are no problems', () => {
    // Act
    const problems = partProblems(
      { sku: 'cu-3/8.ft_1', name: 'Copper', unit: 'ft', unitCost: 0, unitPrice: 899 },
      'body',
    );

    // Assert
    expect(problems).toEqual([]);
  });

  it.each([
    ['', 'body.sku'],
    ['-LEADING-DASH', 'body.sku'],
    ['HAS SPACE', 'body.sku'],
    ['X'.repeat(65), 'body.sku'],
  ])('when the SKU is %j, it names %s', (sku, field) => {
    // Act
    const problems = partProblems({ sku }, 'body');

    // Assert
    expect(fieldsOf(problems)).toEqual([field]);
  });

  it('when costs and prices are not whole minor units of 0 or more, it names each', () => {
    // Act
    const problems = partProblems({ unitCost: 12.5, unitPrice: -1 }, 'body');

    // Assert
    expect(fieldsOf(problems)).toEqual(['body.unitCost', 'body.unitPrice']);
  });

  it('when the unit is not one of the units, it names body.unit', () => {
    // Act
    const problems = partProblems({ unit: 'bucket' as never }, 'body');

    // Assert
    expect(fieldsOf(problems)).toEqual(['body.unit']);
  });

  it('when the name is blank, it names body.name', () => {
    // Act
    const problems = partProblems({ name: '   ' }, 'body');

    // Assert
    expect(fieldsOf(problems)).toEqual(['body.name']);
  });
});

describe('quantityProblems', () => {
  it.each([
    [2, 'each'],
    [2.5, 'ft'],
    [0.125, 'lb'],
    [0.001, 'gal'],
    [10_000, 'each'],
  ])('when %d is used of a part sold by the %s, it is accepted', (quantity, unit) => {
    // Act
    const problems = quantityProblems(quantity, unit, 'body.quantity');

    // Assert
    expect(problems).toEqual([]);
  });

  it.each([
    [0, 'each', 'above 0'],
    [-1, 'ft', 'above 0'],
    [10_000.5, 'ft', 'at most 10000'],
    [1.5, 'each', 'whole number'],
    [1.5, 'box', 'whole number'],
    [1.0005, 'ft', 'at most 3 decimals'],
    [Number.NaN, 'ft', 'above 0'],
  ])('when %d is used of a part sold by the %s, it refuses: %s', (quantity, unit, message) => {
    // Act
    const problems = quantityProblems(quantity, unit, 'body.quantity');

    // Assert
    expect(problems).toEqual([{ field: 'body.quantity', message: expect.stringContaining(message) }]);
  });
});

describe('newPart and changePart', () => {
  it('when a part is new, it is taxable and active unless told otherwise, at version 1', () => {
    // Act
    const part = newPart(
      'ten_acme',
      'prt_0001',
      { sku: 'cap-45-5', name: ' Run capacitor ', unit: 'each', unitCost: 1250, unitPrice: 3900 },
      '2025-03-10T14:00:00.000Z',
    );

    // Assert
    expect(part).toEqual({
      tenantId: 'ten_acme',
      partId: 'prt_0001',
      sku: 'CAP-45-5',
      name: 'Run capacitor',
      unit: 'each',
      unitCost: 1250,
      unitPrice: 3900,
      taxable: true,
      active: true,
      version: 1,
      createdAt: '2025-03-10T14:00:00.000Z',
      updatedAt: '2025-03-10T14:00:00.000Z',
    });
  });

  it('when a part changes, only the fields given change and the version moves on', () => {
    // Arrange
    const before = aPart();

    // Act
    const after = changePart(before, { unitPrice: 4200, active: false }, '2025-03-11T09:00:00.000Z');

    // Assert
    expect(after).toEqual({
      ...before,
      unitPrice: 4200,
      active: false,
      version: 2,
      updatedAt: '2025-03-11T09:00:00.000Z',
    });
  });

  it('when the category is changed to blank, it is removed', () => {
    // Act
    const after = changePart(aPart(), { category: '  ' }, '2025-03-11T09:00:00.000Z');

    // Assert
    expect(after).not.toHaveProperty('category');
  });

  it('when a part has a supplier, it is kept trimmed, survives other changes, and a blank one removes it', () => {
    // Act
    const created = newPart(
      'ten_acme',
      'prt_filter',
      {
        sku: 'FLT-1',
        name: 'Filter',
        unit: 'each',
        unitCost: 450,
        unitPrice: 1500,
        supplier: ' Filter Depot ',
      },
      '2025-03-10T14:00:00.000Z',
    );
    const repriced = changePart(created, { unitPrice: 1600 }, '2025-03-11T09:00:00.000Z');
    const removed = changePart(repriced, { supplier: ' ' }, '2025-03-12T09:00:00.000Z');

    // Assert
    expect(created.supplier).toBe('Filter Depot');
    expect(repriced.supplier).toBe('Filter Depot');
    expect(removed).not.toHaveProperty('supplier');
  });
});
