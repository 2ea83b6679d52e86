import { describe, expect, it } from 'vitest';
import { adjustStock, transferStock } from '../../../../lambdas/domain/inventory/manage-stock.ts';
import { sendPurchaseOrder } from '../../../../lambdas/domain/inventory/purchase-orders.ts';
import { reorderPart, reviewStock } from '../../../../lambdas/domain/inventory/reorder.ts';
import { aSuppliedPart } from '../../../fixtures/inventory-records.ts';
import { aDispatcher } from '../../../fixtures/unit-records.ts';
import { anInventory, now } from '../../support/inventory-harness.ts';

const capacitorAtTruck = { tenantId: 'ten_acme', partId: 'prt_capacitor', locationId: 'truck:tec_ana' };
const contactorAtTruck = { ...capacitorAtTruck, partId: 'prt_contactor' };

/** Takes `quantity` out of a location as the office would, by an adjustment. */
const takeOut = (
  dependencies: ReturnType<typeof anInventory>['dependencies'],
  key: { partId: string; locationId: string },
  quantity: number,
) => adjustStock(dependencies, aDispatcher(), { ...key, quantity: -quantity, reason: 'Used' });

describe('reordering at the reorder point', () => {
  it('when a decrement leaves the stock at its reorder point, it raises one alert, a draft purchase order for the supplier and Inventory.LowStock', async () => {
    // Arrange
    const { inventory, purchaseOrders, events, dependencies } = anInventory();
    inventory.withLevel({ ...capacitorAtTruck, onHand: 5, reorderPoint: 2, reorderQuantity: 10 });

    // Act
    await takeOut(dependencies, capacitorAtTruck, 3);

    // Assert
    const [order, ...others] = purchaseOrders.all();
    expect(others).toEqual([]);
    expect(order).toMatchObject({
      supplier: 'Coastal HVAC Supply',
      status: 'draft',
      deliverTo: 'warehouse:main',
      currency: 'USD',
      raisedBy: 'inventory',
      total: 12_500,
      lines: [
        { partId: 'prt_capacitor', sku: 'CAP-45-5', quantity: 10, unitCost: 1250, receivedQuantity: 0 },
      ],
    });
    expect(inventory.alertRecords).toEqual([
      expect.objectContaining({
        partId: 'prt_capacitor',
        locationId: 'truck:tec_ana',
        onHand: 2,
        reorderPoint: 2,
        reorderQuantity: 10,
        supplier: 'Coastal HVAC Supply',
        purchaseOrderId: order?.purchaseOrderId,
        status: 'open',
        raisedAt: now,
      }),
    ]);
    expect(events.ofType('Inventory.LowStock')).toEqual([
      {
        type: 'Inventory.LowStock',
        version: 1,
        tenantId: 'ten_acme',
        occurredAt: now,
        detail: expect.objectContaining({
          partId: 'prt_capacitor',
          locationId: 'truck:tec_ana',
          onHand: 2,
          purchaseOrderId: order?.purchaseOrderId,
        }),
      },
    ]);
  });

  it('when more is taken while the stock is still below its point, no second alert or line follows', async () => {
    // Arrange
    const { inventory, purchaseOrders, events, dependencies } = anInventory();
    inventory.withLevel({ ...capacitorAtTruck, onHand: 3, reorderPoint: 2, reorderQuantity: 10 });
    await takeOut(dependencies, capacitorAtTruck, 1);

    // Act
    await takeOut(dependencies, capacitorAtTruck, 1);
    await takeOut(dependencies, capacitorAtTruck, 1);

    // Assert
    expect(inventory.alertRecords).toHaveLength(1);
    expect(events.ofType('Inventory.LowStock')).toHaveLength(1);
    expect(purchaseOrders.all().flatMap((order) => order.lines)).toHaveLength(1);
  });

  it('when another part of the same supplier crosses its point, it becomes a line of the same draft', async () => {
    // Arrange
    const { inventory, purchaseOrders, dependencies } = anInventory();
    inventory
      .withLevel({ ...capacitorAtTruck, onHand: 3, reorderPoint: 2, reorderQuantity: 10 })
      .withLevel({ ...contactorAtTruck, onHand: 1, reorderPoint: 0, reorderQuantity: 4 });
    await takeOut(dependencies, capacitorAtTruck, 1);

    // Act
    await takeOut(dependencies, contactorAtTruck, 1);

    // Assert: 10 × 1 250 + 4 × 1 800
    const orders = purchaseOrders.all();
    expect(orders).toHaveLength(1);
    expect(orders[0]?.lines.map((line) => [line.partId, line.quantity])).toEqual([
      ['prt_capacitor', 10],
      ['prt_contactor', 4],
    ]);
    expect(orders[0]?.total).toBe(19_700);
    expect(orders[0]?.version).toBe(2);
  });

  it('when the same part crosses its point at a second location while on order, the alert names the order it is on and no line is added', async () => {
    // Arrange
    const { inventory, purchaseOrders, dependencies } = anInventory();
    const atWarehouse = { ...capacitorAtTruck, locationId: 'warehouse:main' };
    inventory
      .withLevel({ ...capacitorAtTruck, onHand: 3, reorderPoint: 2, reorderQuantity: 10 })
      .withLevel({ ...atWarehouse, onHand: 20, reorderPoint: 12, reorderQuantity: 40 });
    await takeOut(dependencies, capacitorAtTruck, 1);

    // Act
    await takeOut(dependencies, atWarehouse, 8);

    // Assert
    const [order] = purchaseOrders.all();
    expect(order?.lines.map((line) => line.quantity)).toEqual([10]);
    expect(inventory.alertRecords.map((alert) => [alert.locationId, alert.purchaseOrderId])).toEqual([
      ['truck:tec_ana', order?.purchaseOrderId],
      ['warehouse:main', order?.purchaseOrderId],
    ]);
  });

  it('when a restock brings the stock back above its point, the alert closes and the next crossing raises a new one', async () => {
    // Arrange
    const { inventory, dependencies } = anInventory();
    inventory.withLevel({ ...capacitorAtTruck, onHand: 3, reorderPoint: 2, reorderQuantity: 10 });
    await takeOut(dependencies, capacitorAtTruck, 1);

    // Act
    await adjustStock(dependencies, aDispatcher(), { ...capacitorAtTruck, quantity: 5, reason: 'Restocked' });
    const afterRestock = inventory.alertRecords.map((alert) => alert.status);
    await takeOut(dependencies, capacitorAtTruck, 5);

    // Assert
    expect(afterRestock).toEqual(['closed']);
    expect(inventory.alertRecords.map((alert) => alert.status)).toEqual(['closed', 'open']);
  });

  it('when a restock leaves the stock still below a point set above it, nothing is raised: only a decrement reorders', async () => {
    // Arrange
    const { inventory, purchaseOrders, dependencies } = anInventory();
    inventory.withLevel({ ...capacitorAtTruck, onHand: 0, reorderPoint: 5, reorderQuantity: 10 });

    // Act
    await adjustStock(dependencies, aDispatcher(), { ...capacitorAtTruck, quantity: 2, reason: 'Found two' });

    // Assert
    expect(inventory.alertRecords).toEqual([]);
    expect(purchaseOrders.all()).toEqual([]);
  });

  it('when two reviews of one crossing run at once, exactly one alert and one line come of it', async () => {
    // Arrange
    const { inventory, purchaseOrders, events, dependencies } = anInventory();
    inventory.withLevel({ ...capacitorAtTruck, onHand: 1, reorderPoint: 2, reorderQuantity: 10 });

    // Act
    await Promise.all([
      reviewStock(dependencies, capacitorAtTruck, 'decrement'),
      reviewStock(dependencies, capacitorAtTruck, 'decrement'),
    ]);

    // Assert
    expect(inventory.alertRecords).toHaveLength(1);
    expect(events.ofType('Inventory.LowStock')).toHaveLength(1);
    expect(purchaseOrders.all().flatMap((order) => order.lines)).toHaveLength(1);
  });

  it('when two parts of one supplier are reordered at once with no draft yet, one draft holds both lines', async () => {
    // Arrange
    const { purchaseOrders, dependencies } = anInventory();
    const [capacitor, contactor] = await Promise.all([
      dependencies.parts.get('ten_acme', 'prt_capacitor'),
      dependencies.parts.get('ten_acme', 'prt_contactor'),
    ]);

    // Act
    const ids = await Promise.all([
      reorderPart(dependencies, capacitor ?? aSuppliedPart(), 10),
      reorderPart(dependencies, contactor ?? aSuppliedPart(), 4),
    ]);

    // Assert
    expect(new Set(ids).size).toBe(1);
    expect(purchaseOrders.all().map((order) => order.lines.map((line) => line.partId).sort())).toEqual([
      ['prt_capacitor', 'prt_contactor'],
    ]);
  });

  it('when the supplier’s draft was sent, a new crossing of another part starts a new draft', async () => {
    // Arrange
    const { inventory, purchaseOrders, dependencies } = anInventory();
    inventory
      .withLevel({ ...capacitorAtTruck, onHand: 3, reorderPoint: 2, reorderQuantity: 10 })
      .withLevel({ ...contactorAtTruck, onHand: 1, reorderPoint: 0, reorderQuantity: 4 });
    await takeOut(dependencies, capacitorAtTruck, 1);
    const [first] = purchaseOrders.all();
    await sendPurchaseOrder(dependencies, aDispatcher(), first?.purchaseOrderId ?? '');

    // Act
    await takeOut(dependencies, contactorAtTruck, 1);

    // Assert
    expect(
      purchaseOrders.all().map((order) => [order.status, order.lines.map((line) => line.partId)]),
    ).toEqual([
      ['sent', ['prt_capacitor']],
      ['draft', ['prt_contactor']],
    ]);
  });

  it('when the event cannot be published, the stock change and the order stand and the failure is reported', async () => {
    // Arrange
    const { inventory, purchaseOrders, dependencies, failures } = anInventory();
    inventory.withLevel({ ...capacitorAtTruck, onHand: 3, reorderPoint: 2, reorderQuantity: 10 });
    dependencies.events.publish = async () => {
      throw new Error('bus down');
    };

    // Act
    const result = await takeOut(dependencies, capacitorAtTruck, 1);

    // Assert
    expect(result.level?.onHand).toBe(2);
    expect(purchaseOrders.all()).toHaveLength(1);
    expect(failures).toEqual(['The Inventory.LowStock event was not published']);
  });

  it('when a transfer takes the warehouse to its point, the warehouse reorders and the receiving truck does not', async () => {
    // Arrange
    const { inventory, dependencies } = anInventory();
    inventory.withLevel({
      ...capacitorAtTruck,
      locationId: 'warehouse:main',
      onHand: 10,
      reorderPoint: 6,
      reorderQuantity: 20,
    });

    // Act
    await transferStock(dependencies, aDispatcher(), {
      partId: 'prt_capacitor',
      from: 'warehouse:main',
      to: 'truck:tec_ana',
      quantity: 4,
    });

    // Assert
    expect(inventory.alertRecords.map((alert) => alert.locationId)).toEqual(['warehouse:main']);
  });
});
