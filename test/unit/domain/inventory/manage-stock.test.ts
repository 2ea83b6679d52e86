import { describe, expect, it } from 'vitest';
import {
  addWarehouse,
  adjustStock,
  setReorderRule,
  stockAt,
  stockLocations,
  stockMovements,
  transferStock,
} from '../../../../lambdas/domain/inventory/manage-stock.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  type ValidationError,
} from '../../../../lambdas/shared/errors.ts';
import { aDispatcher, anAdmin, aTechnicianUser } from '../../../fixtures/unit-records.ts';
import { rejectionOf } from '../../support/caught-errors.ts';
import { anInventory } from '../../support/inventory-harness.ts';

const fieldsOf = (error: unknown) => (error as ValidationError).errors.map((problem) => problem.field);
const capacitor = { tenantId: 'ten_acme', partId: 'prt_capacitor' };

describe('stock locations and levels', () => {
  it('when the office lists the locations, the main warehouse comes first, then the added ones, then every active technician’s truck', async () => {
    // Arrange
    const { dependencies } = anInventory();
    await addWarehouse(dependencies, anAdmin(), { code: 'north', name: 'North depot' });

    // Act
    const locations = await stockLocations(dependencies, aDispatcher());

    // Assert
    expect(locations).toEqual([
      { locationId: 'warehouse:main', kind: 'warehouse', name: 'Main warehouse' },
      { locationId: 'warehouse:north', kind: 'warehouse', name: 'North depot' },
      { locationId: 'truck:tec_ana', kind: 'truck', name: 'Ana Reyes’s truck', technicianId: 'tec_ana' },
      { locationId: 'truck:tec_ben', kind: 'truck', name: 'Ben Okafor’s truck', technicianId: 'tec_ben' },
    ]);
  });

  it('when a warehouse code is added twice, the second answers 409 naming body.code', async () => {
    // Arrange
    const { dependencies } = anInventory();
    await addWarehouse(dependencies, anAdmin(), { code: 'north', name: 'North depot' });

    // Act
    const error = await rejectionOf(addWarehouse(dependencies, anAdmin(), { code: 'north', name: 'Again' }));

    // Assert
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).extensions).toMatchObject({ field: 'body.code' });
  });

  it('when a technician reads their own truck, they get its stock; another truck or a warehouse is 403', async () => {
    // Arrange
    const { inventory, dependencies } = anInventory();
    inventory.withLevel({ ...capacitor, locationId: 'truck:tec_ana', onHand: 4 });
    const page = { limit: 25 };

    // Act
    const own = await stockAt(dependencies, aTechnicianUser(), 'truck:tec_ana', page);
    const errors = await Promise.all([
      rejectionOf(stockAt(dependencies, aTechnicianUser(), 'truck:tec_ben', page)),
      rejectionOf(stockAt(dependencies, aTechnicianUser(), 'warehouse:main', page)),
      rejectionOf(stockMovements(dependencies, aTechnicianUser(), 'prt_capacitor', 'truck:tec_ben', page)),
    ]);

    // Assert
    expect(own.levels.items.map((level) => [level.partId, level.onHand])).toEqual([['prt_capacitor', 4]]);
    expect(errors.every((error) => error instanceof ForbiddenError)).toBe(true);
  });

  it('when the office reads a location that is not the tenant’s, it is not found', async () => {
    // Arrange
    const { dependencies } = anInventory();

    // Act
    const errors = await Promise.all([
      rejectionOf(stockAt(dependencies, aDispatcher(), 'truck:tec_stranger', { limit: 25 })),
      rejectionOf(stockAt(dependencies, aDispatcher(), 'warehouse:nowhere', { limit: 25 })),
    ]);

    // Assert
    expect(errors.every((error) => error instanceof NotFoundError)).toBe(true);
  });

  it('when a reorder rule is set on a part with no stock record there, the record starts at zero; a null point removes the rule', async () => {
    // Arrange
    const { dependencies } = anInventory();
    const rule = { partId: 'prt_capacitor', locationId: 'warehouse:main' };

    // Act
    const set = await setReorderRule(dependencies, aDispatcher(), {
      ...rule,
      reorderPoint: 4,
      reorderQuantity: 12,
    });
    const removed = await setReorderRule(dependencies, aDispatcher(), { ...rule, reorderPoint: null });

    // Assert
    expect(set).toMatchObject({ onHand: 0, reorderPoint: 4, reorderQuantity: 12 });
    expect(removed).not.toHaveProperty('reorderPoint');
    expect(removed).not.toHaveProperty('reorderQuantity');
  });

  it('when a reorder rule is incomplete or names what does not exist, it names each field', async () => {
    // Arrange
    const { dependencies } = anInventory();

    // Act
    const errors = await Promise.all([
      rejectionOf(
        setReorderRule(dependencies, aDispatcher(), {
          partId: 'prt_capacitor',
          locationId: 'warehouse:main',
          reorderPoint: 2,
        }),
      ),
      rejectionOf(
        setReorderRule(dependencies, aDispatcher(), {
          partId: 'prt_unknown',
          locationId: 'warehouse:main',
          reorderPoint: 2,
          reorderQuantity: 5,
        }),
      ),
      rejectionOf(
        setReorderRule(dependencies, aDispatcher(), {
          partId: 'prt_capacitor',
          locationId: 'truck:tec_stranger',
          reorderPoint: 2,
          reorderQuantity: 5,
        }),
      ),
      rejectionOf(
        setReorderRule(dependencies, aDispatcher(), {
          partId: 'prt_capacitor',
          locationId: 'warehouse:main',
          reorderPoint: 2.5,
          reorderQuantity: 5,
        }),
      ),
    ]);

    // Assert
    expect(errors.map(fieldsOf)).toEqual([
      ['body.reorderQuantity'],
      ['body.partId'],
      ['body.locationId'],
      ['body.reorderPoint'],
    ]);
  });
});

describe('transfers and adjustments', () => {
  it('when stock is transferred, it leaves one location and arrives at the other, with a movement at each', async () => {
    // Arrange
    const { inventory, dependencies } = anInventory();
    inventory.withLevel({ ...capacitor, locationId: 'warehouse:main', onHand: 10 });

    // Act
    const transfer = await transferStock(dependencies, aDispatcher(), {
      partId: 'prt_capacitor',
      from: 'warehouse:main',
      to: 'truck:tec_ana',
      quantity: 3,
      reason: 'Morning load',
    });

    // Assert
    expect([transfer.from?.onHand, transfer.to?.onHand]).toEqual([7, 3]);
    expect(
      inventory.movementRecords.map((movement) => [
        movement.locationId,
        movement.kind,
        movement.quantity,
        movement.otherLocationId,
        movement.reason,
      ]),
    ).toEqual([
      ['warehouse:main', 'transfer_out', -3, 'truck:tec_ana', 'Morning load'],
      ['truck:tec_ana', 'transfer_in', 3, 'warehouse:main', 'Morning load'],
    ]);
  });

  it('when the tenant refuses negative stock and the source holds too little, the transfer answers 409 and nothing moves', async () => {
    // Arrange
    const { inventory, dependencies } = anInventory({ negativeStock: 'refuse' });
    inventory.withLevel({ ...capacitor, locationId: 'warehouse:main', onHand: 2 });

    // Act
    const error = await rejectionOf(
      transferStock(dependencies, aDispatcher(), {
        partId: 'prt_capacitor',
        from: 'warehouse:main',
        to: 'truck:tec_ana',
        quantity: 3,
      }),
    );

    // Assert
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).extensions).toMatchObject({ locationId: 'warehouse:main', onHand: 2 });
    expect(inventory.onHand('ten_acme', 'prt_capacitor', 'warehouse:main')).toBe(2);
    expect(inventory.onHand('ten_acme', 'prt_capacitor', 'truck:tec_ana')).toBeUndefined();
    expect(inventory.movementRecords).toEqual([]);
  });

  it('when a concurrent transfer takes the stock between the read and the write, the refused one is read again and answers 409', async () => {
    // Arrange
    const { inventory, dependencies } = anInventory({ negativeStock: 'refuse' });
    inventory.withLevel({ ...capacitor, locationId: 'warehouse:main', onHand: 1 });
    inventory.beforeNextMove(() => {
      inventory.applyChanges(
        [
          {
            movement: {
              ...capacitor,
              locationId: 'warehouse:main',
              movementId: 'mov_other',
              kind: 'transfer_out',
              quantity: -1,
              actorId: 'someone',
              actorRole: 'dispatcher',
              at: '2025-03-14T14:09:00.000Z',
            },
          },
        ],
        '2025-03-14T14:09:00.000Z',
      );
    });

    // Act
    const error = await rejectionOf(
      transferStock(dependencies, aDispatcher(), {
        partId: 'prt_capacitor',
        from: 'warehouse:main',
        to: 'truck:tec_ben',
        quantity: 1,
      }),
    );

    // Assert
    expect((error as ConflictError).extensions).toMatchObject({ onHand: 0, requested: 1 });
    expect(inventory.onHand('ten_acme', 'prt_capacitor', 'truck:tec_ben')).toBeUndefined();
  });

  it('when a transfer names the same location twice, an unknown one or a fractional count, it names each field', async () => {
    // Arrange
    const { dependencies } = anInventory();
    const transfer = { partId: 'prt_capacitor', from: 'warehouse:main', to: 'truck:tec_ana', quantity: 1 };

    // Act
    const errors = await Promise.all([
      rejectionOf(transferStock(dependencies, aDispatcher(), { ...transfer, to: 'warehouse:main' })),
      rejectionOf(transferStock(dependencies, aDispatcher(), { ...transfer, to: 'warehouse:elsewhere' })),
      rejectionOf(transferStock(dependencies, aDispatcher(), { ...transfer, quantity: 1.5 })),
      rejectionOf(transferStock(dependencies, aDispatcher(), { ...transfer, partId: 'prt_unknown' })),
    ]);

    // Assert
    expect(errors.map(fieldsOf)).toEqual([['body.to'], ['body.to'], ['body.quantity'], ['body.partId']]);
  });

  it('when goods are received or a count finds fewer, the stock follows with the reason on the movement', async () => {
    // Arrange
    const { inventory, dependencies } = anInventory();
    const at = { partId: 'prt_copper', locationId: 'warehouse:main' };

    // Act
    await adjustStock(dependencies, aDispatcher(), {
      ...at,
      quantity: 50,
      reason: 'Delivery 4411',
      type: 'receipt',
    });
    const counted = await adjustStock(dependencies, aDispatcher(), {
      ...at,
      quantity: -2.25,
      reason: 'Cycle count',
    });

    // Assert
    expect(counted.level?.onHand).toBe(47.75);
    expect(
      inventory.movementRecords.map((movement) => [movement.kind, movement.quantity, movement.reason]),
    ).toEqual([
      ['receipt', 50, 'Delivery 4411'],
      ['adjustment', -2.25, 'Cycle count'],
    ]);
  });

  it('when a receipt takes stock away, or an adjustment is zero, it names body.quantity', async () => {
    // Arrange
    const { dependencies } = anInventory();
    const at = { partId: 'prt_capacitor', locationId: 'warehouse:main', reason: 'x' };

    // Act
    const errors = await Promise.all([
      rejectionOf(adjustStock(dependencies, aDispatcher(), { ...at, quantity: -1, type: 'receipt' })),
      rejectionOf(adjustStock(dependencies, aDispatcher(), { ...at, quantity: 0 })),
    ]);

    // Assert
    expect(errors.map(fieldsOf)).toEqual([['body.quantity'], ['body.quantity']]);
  });

  it('when the tenant flags negative stock, an adjustment below zero is written and shows negative', async () => {
    // Arrange
    const { dependencies } = anInventory({ negativeStock: 'flag' });

    // Act
    const { level } = await adjustStock(dependencies, aDispatcher(), {
      partId: 'prt_capacitor',
      locationId: 'truck:tec_ana',
      quantity: -1,
      reason: 'Broken on the truck',
    });

    // Assert
    expect(level?.onHand).toBe(-1);
  });
});
