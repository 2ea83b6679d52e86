import { describe, expect, it } from 'vitest';
import {
  type PartsUsedDependencies,
  recordPartUsage,
  recordPartUsed,
} from '../../../../lambdas/domain/execution/record-parts-used.ts';
import { ConflictError, ForbiddenError, type ValidationError } from '../../../../lambdas/shared/errors.ts';
import { aDispatcher, aTechnicianUser, aWorkOrderAt } from '../../../fixtures/unit-records.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { rejectionOf } from '../../support/caught-errors.ts';
import { anInventory, withStockInUsageWrites } from '../../support/inventory-harness.ts';

const fieldsOf = (error: unknown) => (error as ValidationError).errors.map((problem) => problem.field);

/** A job in progress assigned to Ana, and the tenant's stock. */
function aJobWithStock(settings: Parameters<typeof anInventory>[0] = {}) {
  const stock = anInventory(settings);
  const workOrders = withStockInUsageWrites(new InMemoryWorkOrderStore(), stock.inventory);
  workOrders.put(aWorkOrderAt('in_progress'));
  const dependencies: PartsUsedDependencies = {
    workOrders,
    parts: stock.dependencies.parts,
    clock: stock.dependencies.clock,
    ids: stock.dependencies.ids,
    stock: stock.dependencies,
  };
  const usages = () => workOrders.partsUsed('ten_acme', 'wo_existing');
  return { ...stock, workOrders, dependencies, usages };
}

const capacitorAt = (locationId: string) => ({ tenantId: 'ten_acme', partId: 'prt_capacitor', locationId });

describe('parts used, where stock is kept', () => {
  it('when the technician uses a part, it leaves their truck with a use movement naming the job and the usage', async () => {
    // Arrange
    const { inventory, dependencies } = aJobWithStock();
    inventory.withLevel({ ...capacitorAt('truck:tec_ana'), onHand: 5 });

    // Act
    const { usage, stock } = await recordPartUsage(dependencies, aTechnicianUser(), 'wo_existing', {
      partId: 'prt_capacitor',
      quantity: 2,
    });

    // Assert
    expect(usage.stockLocationId).toBe('truck:tec_ana');
    expect(stock?.onHand).toBe(3);
    expect(inventory.movementRecords).toEqual([
      expect.objectContaining({
        partId: 'prt_capacitor',
        locationId: 'truck:tec_ana',
        kind: 'use',
        quantity: -2,
        workOrderId: 'wo_existing',
        usageId: usage.usageId,
        actorId: 'user-technician-ana',
      }),
    ]);
  });

  it('when the request names the warehouse, the part leaves the warehouse instead', async () => {
    // Arrange
    const { inventory, dependencies } = aJobWithStock();
    inventory.withLevel({ ...capacitorAt('warehouse:main'), onHand: 5 });

    // Act
    const usage = await recordPartUsed(dependencies, aDispatcher(), 'wo_existing', {
      partId: 'prt_capacitor',
      quantity: 1,
      fromLocation: 'warehouse:main',
    });

    // Assert
    expect(usage.stockLocationId).toBe('warehouse:main');
    expect(inventory.onHand('ten_acme', 'prt_capacitor', 'warehouse:main')).toBe(4);
  });

  it('when the job has no technician, the office’s usage comes from the main warehouse', async () => {
    // Arrange
    const { inventory, workOrders, dependencies } = aJobWithStock();
    const { technicianId: _none, ...unassigned } = aWorkOrderAt('in_progress');
    workOrders.put(unassigned);

    // Act
    await recordPartUsed(dependencies, aDispatcher(), 'wo_existing', {
      partId: 'prt_capacitor',
      quantity: 1,
    });

    // Assert
    expect(inventory.onHand('ten_acme', 'prt_capacitor', 'warehouse:main')).toBe(-1);
  });

  it('when the tenant refuses negative stock and the truck holds too little, it answers 409 naming part, location and stock, and writes nothing', async () => {
    // Arrange
    const { inventory, dependencies, usages } = aJobWithStock({ negativeStock: 'refuse' });
    inventory.withLevel({ ...capacitorAt('truck:tec_ana'), onHand: 1 });

    // Act
    const error = await rejectionOf(
      recordPartUsed(dependencies, aTechnicianUser(), 'wo_existing', {
        partId: 'prt_capacitor',
        quantity: 2,
      }),
    );

    // Assert
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).extensions).toEqual({
      partId: 'prt_capacitor',
      sku: 'CAP-45-5',
      locationId: 'truck:tec_ana',
      onHand: 1,
      requested: 2,
    });
    expect(await usages()).toEqual([]);
    expect(inventory.onHand('ten_acme', 'prt_capacitor', 'truck:tec_ana')).toBe(1);
  });

  it('when two uses of the last unit arrive together under the refuse rule, one is recorded and the other answers 409', async () => {
    // Arrange
    const { inventory, dependencies, usages } = aJobWithStock({ negativeStock: 'refuse' });
    inventory.withLevel({ ...capacitorAt('truck:tec_ana'), onHand: 1 });
    const use = () =>
      recordPartUsed(dependencies, aTechnicianUser(), 'wo_existing', {
        partId: 'prt_capacitor',
        quantity: 1,
      });

    // Act
    const outcomes = await Promise.allSettled([use(), use()]);

    // Assert
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect(await usages()).toHaveLength(1);
    expect(inventory.onHand('ten_acme', 'prt_capacitor', 'truck:tec_ana')).toBe(0);
  });

  it('when the tenant flags negative stock, a use beyond the stock is recorded and the truck shows negative', async () => {
    // Arrange
    const { inventory, dependencies } = aJobWithStock({ negativeStock: 'flag' });
    inventory.withLevel({ ...capacitorAt('truck:tec_ana'), onHand: 1 });

    // Act
    const { stock } = await recordPartUsage(dependencies, aTechnicianUser(), 'wo_existing', {
      partId: 'prt_capacitor',
      quantity: 3,
    });

    // Assert
    expect(stock?.onHand).toBe(-2);
    expect(inventory.onHand('ten_acme', 'prt_capacitor', 'truck:tec_ana')).toBe(-2);
  });

  it('when a usage is corrected, what is taken back goes back to the location it came from', async () => {
    // Arrange
    const { inventory, dependencies } = aJobWithStock();
    inventory.withLevel({ ...capacitorAt('warehouse:main'), onHand: 5 });
    const used = await recordPartUsed(dependencies, aDispatcher(), 'wo_existing', {
      partId: 'prt_capacitor',
      quantity: 3,
      fromLocation: 'warehouse:main',
    });

    // Act
    const correction = await recordPartUsed(dependencies, aTechnicianUser(), 'wo_existing', {
      correctionOf: used.usageId,
      quantity: 2,
      reason: 'Two went back unopened',
    });

    // Assert
    expect(correction.stockLocationId).toBe('warehouse:main');
    expect(inventory.onHand('ten_acme', 'prt_capacitor', 'warehouse:main')).toBe(4);
    expect(inventory.onHand('ten_acme', 'prt_capacitor', 'truck:tec_ana')).toBeUndefined();
    expect(inventory.movementRecords.map((movement) => [movement.kind, movement.quantity])).toEqual([
      ['use', -3],
      ['return', 2],
    ]);
  });

  it('when a technician takes from another technician’s truck, it answers 403; an unknown location names body.fromLocation', async () => {
    // Arrange
    const { inventory, dependencies, usages } = aJobWithStock();

    // Act
    const errors = await Promise.all([
      rejectionOf(
        recordPartUsed(dependencies, aTechnicianUser(), 'wo_existing', {
          partId: 'prt_capacitor',
          quantity: 1,
          fromLocation: 'truck:tec_ben',
        }),
      ),
      rejectionOf(
        recordPartUsed(dependencies, aTechnicianUser(), 'wo_existing', {
          partId: 'prt_capacitor',
          quantity: 1,
          fromLocation: 'warehouse:elsewhere',
        }),
      ),
    ]);

    // Assert
    expect(errors[0]).toBeInstanceOf(ForbiddenError);
    expect(fieldsOf(errors[1])).toEqual(['body.fromLocation']);
    expect(await usages()).toEqual([]);
    expect(inventory.movementRecords).toEqual([]);
  });

  it('when a use leaves the truck at its reorder point, the part goes on a purchase order', async () => {
    // Arrange
    const { inventory, purchaseOrders, dependencies } = aJobWithStock();
    inventory.withLevel({ ...capacitorAt('truck:tec_ana'), onHand: 3, reorderPoint: 1, reorderQuantity: 6 });

    // Act
    await recordPartUsed(dependencies, aTechnicianUser(), 'wo_existing', {
      partId: 'prt_capacitor',
      quantity: 2,
    });

    // Assert
    expect(
      purchaseOrders.all().map((order) => order.lines.map((line) => [line.partId, line.quantity])),
    ).toEqual([[['prt_capacitor', 6]]]);
  });
});
