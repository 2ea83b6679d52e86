import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adjustmentProblems,
  checkAvailable,
  InsufficientStockError,
  isAtOrBelowReorderPoint,
  lowStockDecision,
  plus,
  reorderRuleProblems,
  type StockMovement,
  stockChange,
} from '../../../../lambdas/domain/inventory/stock.ts';
import {
  defaultSourceOf,
  mainWarehouseId,
  parseStockLocationId,
  warehouseProblems,
} from '../../../../lambdas/domain/inventory/stock-locations.ts';
import { errorThrownBy } from '../../support/caught-errors.ts';

const capacitor = { partId: 'prt_capacitor', sku: 'CAP-45-5', unit: 'each' };

const aMovement = (quantity: number): StockMovement => ({
  tenantId: 'ten_acme',
  partId: 'prt_capacitor',
  locationId: 'truck:tec_ana',
  movementId: 'mov_0001',
  kind: quantity < 0 ? 'use' : 'return',
  quantity,
  actorId: 'user-technician-ana',
  actorRole: 'technician',
  at: '2025-03-14T14:10:00.000Z',
});

describe('stock locations', () => {
  it('when an id names the main warehouse, an added one or a truck, it is read as such; anything else is not a location', () => {
    // Act
    const read = [
      'warehouse:main',
      'warehouse:north-2',
      'truck:tec_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3',
      'warehouse:North',
      'truck:cus_1',
      'van:tec_1',
      'warehouse:a:b',
      'warehouse',
    ].map(parseStockLocationId);

    // Assert
    expect(read).toEqual([
      { kind: 'warehouse', code: 'main' },
      { kind: 'warehouse', code: 'north-2' },
      { kind: 'truck', technicianId: 'tec_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3' },
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('when no location is named, a technician’s usage comes from their truck and an unassigned one from the main warehouse', () => {
    // Act / Assert
    expect(defaultSourceOf('tec_ana')).toBe('truck:tec_ana');
    expect(defaultSourceOf(undefined)).toBe(mainWarehouseId);
  });

  it('when a warehouse code breaks the rules or is main, it names body.code; a blank name names body.name', () => {
    // Act
    const problems = [
      warehouseProblems({ code: 'North Depot', name: 'North' }),
      warehouseProblems({ code: 'main', name: 'Again' }),
      warehouseProblems({ code: 'north', name: '  ' }),
      warehouseProblems({ code: 'north', name: 'North depot' }),
    ];

    // Assert
    expect(problems.map((list) => list.map((problem) => problem.field))).toEqual([
      ['body.code'],
      ['body.code'],
      ['body.name'],
      [],
    ]);
  });
});

describe('taking stock', () => {
  it('when the tenant refuses negative stock and the location holds less than asked, it refuses naming the part, the location and what is on hand', () => {
    // Act
    const error = errorThrownBy(() => checkAvailable('refuse', capacitor, 'truck:tec_ana', { onHand: 1 }, 2));

    // Assert
    expect(error).toBeInstanceOf(InsufficientStockError);
    expect((error as InsufficientStockError).status).toBe(409);
    expect((error as InsufficientStockError).message).toBe(
      'Not enough CAP-45-5 at truck:tec_ana: 1 each on hand, 2 each asked for',
    );
    expect((error as InsufficientStockError).extensions).toEqual({
      partId: 'prt_capacitor',
      sku: 'CAP-45-5',
      locationId: 'truck:tec_ana',
      onHand: 1,
      requested: 2,
    });
  });

  it('when the location holds exactly what is asked, or the tenant flags negative stock, it lets the use through', () => {
    // Act / Assert
    expect(() => checkAvailable('refuse', capacitor, 'truck:tec_ana', { onHand: 2 }, 2)).not.toThrow();
    expect(() => checkAvailable('flag', capacitor, 'truck:tec_ana', undefined, 5)).not.toThrow();
  });

  it('when nothing was ever recorded at the location, it holds nothing', () => {
    // Act
    const error = errorThrownBy(() => checkAvailable('refuse', capacitor, 'warehouse:main', undefined, 1));

    // Assert
    expect((error as InsufficientStockError).extensions).toMatchObject({ onHand: 0, requested: 1 });
  });

  it('when a decrement is written under the refuse rule, it is conditional on the quantity on hand; a restock or a flagged use is not', () => {
    // Act / Assert
    expect(stockChange(aMovement(-2), 'refuse')).toEqual({ movement: aMovement(-2), whileOnHandAtLeast: 2 });
    expect(stockChange(aMovement(-2), 'flag')).toEqual({ movement: aMovement(-2) });
    expect(stockChange(aMovement(3), 'refuse')).toEqual({ movement: aMovement(3) });
  });

  it('when measured quantities are added up, they stay exact to the thousandth', () => {
    // Act
    const total = [0.1, 0.2, 0.3, 2.125].reduce(plus, 0);

    // Assert
    expect(total).toBe(2.725);
  });
});

describe('reorder points', () => {
  it('when the stock is at or below the point with no alert open, it raises one; with one open, nothing; back above, it closes it', () => {
    // Act / Assert
    const rule = { reorderPoint: 2, reorderQuantity: 10 };
    expect(lowStockDecision({ onHand: 2, ...rule })).toBe('raise');
    expect(lowStockDecision({ onHand: -1, ...rule })).toBe('raise');
    expect(lowStockDecision({ onHand: 1, ...rule, lowStockAlertId: 'alr_1' })).toBe('none');
    expect(lowStockDecision({ onHand: 3, ...rule })).toBe('none');
    expect(lowStockDecision({ onHand: 3, ...rule, lowStockAlertId: 'alr_1' })).toBe('close');
    expect(lowStockDecision({ onHand: 0, lowStockAlertId: 'alr_1' })).toBe('close');
    expect(lowStockDecision({ onHand: 0 })).toBe('none');
  });

  it('when stock moves up and down across the point, each stretch at or below it raises exactly one alert', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 10 }),
        fc.array(
          fc.integer({ min: -6, max: 6 }).filter((change) => change !== 0),
          { maxLength: 40 },
        ),
        (start, reorderPoint, changes) => {
          // Arrange: the stock starts above its point, as a stocked shelf does.
          let level: {
            onHand: number;
            reorderPoint: number;
            reorderQuantity: number;
            lowStockAlertId?: string;
          } = { onHand: reorderPoint + 1 + start, reorderPoint, reorderQuantity: 5 };
          let raised = 0;
          let crossings = 0;

          // Act: apply each change and what the decision calls for.
          for (const change of changes) {
            const before = level.onHand;
            level = { ...level, onHand: before + change };
            if (before > reorderPoint && level.onHand <= reorderPoint) crossings += 1;
            const decision = lowStockDecision(level);
            if (decision === 'raise' && change < 0) {
              raised += 1;
              level = { ...level, lowStockAlertId: `alr_${raised}` };
            } else if (decision === 'close') {
              const { lowStockAlertId: _closed, ...rest } = level;
              level = rest;
            }
          }

          // Assert
          expect(raised).toBe(crossings);
          expect(isAtOrBelowReorderPoint(level)).toBe(level.lowStockAlertId !== undefined);
        },
      ),
    );
  });

  it('when a reorder rule is out of range or finer than the part’s unit, it names each field', () => {
    // Act
    const problems = [
      reorderRuleProblems({ reorderPoint: -1, reorderQuantity: 0 }, 'each'),
      reorderRuleProblems({ reorderPoint: 1.5, reorderQuantity: 10 }, 'each'),
      reorderRuleProblems({ reorderPoint: 0, reorderQuantity: 12.5 }, 'ft'),
      reorderRuleProblems({ reorderPoint: 2.5, reorderQuantity: 0.0005 }, 'ft'),
    ];

    // Assert
    expect(problems.map((list) => list.map((problem) => problem.field))).toEqual([
      ['body.reorderPoint', 'body.reorderQuantity'],
      ['body.reorderPoint'],
      [],
      ['body.reorderQuantity'],
    ]);
  });

  it('when an adjustment is zero or finer than the unit, it names the field; a negative one is fine', () => {
    // Act / Assert
    expect(adjustmentProblems(0, 'each', 'body.quantity')).toEqual([
      { field: 'body.quantity', message: 'must not be 0' },
    ]);
    expect(adjustmentProblems(-1.5, 'each', 'body.quantity')).toHaveLength(1);
    expect(adjustmentProblems(-3, 'each', 'body.quantity')).toEqual([]);
  });
});
