import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import {
  DynamoInventoryStore,
  DynamoPurchaseOrderStore,
} from '../../lambdas/adapters/dynamodb/inventory-store.ts';
import { DynamoWorkOrderStore } from '../../lambdas/adapters/dynamodb/work-order-store.ts';
import { lineFor, newDraft } from '../../lambdas/domain/inventory/purchase-order.ts';
import type { LowStockAlert, StockMovement } from '../../lambdas/domain/inventory/stock.ts';
import { aPart, aPartUsage } from '../fixtures/part-records.ts';
import { aTenant } from '../fixtures/tenants.ts';
import { tableEntities } from '../helpers/local-platform.ts';

const entities = tableEntities();
const inventory = new DynamoInventoryStore(entities);
const purchaseOrders = new DynamoPurchaseOrderStore(entities);
const at = '2025-03-14T14:10:00.000Z';

/** A fresh tenant's capacitor at the main warehouse, and a movement of it. */
function aStock() {
  const tenantId = `ten_${ulid().toLowerCase()}`;
  const key = { tenantId, partId: `prt_${ulid()}`, locationId: 'warehouse:main' };
  const movement = (quantity: number): StockMovement => ({
    ...key,
    movementId: `mov_${ulid()}`,
    kind: quantity < 0 ? 'use' : 'receipt',
    quantity,
    actorId: 'user-1',
    actorRole: 'dispatcher',
    at,
  });
  return { tenantId, key, movement };
}

describe('stock in DynamoDB Local', () => {
  it('when a decrement needs more than is on hand, the write is refused and neither the level nor a movement changes', async () => {
    // Arrange
    const { key, movement } = aStock();
    expect(await inventory.move([{ movement: movement(1) }], at)).toBe(true);

    // Act
    const refused = await inventory.move([{ movement: movement(-2), whileOnHandAtLeast: 2 }], at);
    const allowed = await inventory.move([{ movement: movement(-1), whileOnHandAtLeast: 1 }], at);

    // Assert
    expect([refused, allowed]).toEqual([false, true]);
    expect((await inventory.level(key.tenantId, key.partId, key.locationId))?.onHand).toBe(0);
    const history = await inventory.movements(key.tenantId, key.partId, key.locationId, { limit: 10 });
    expect(history.items.map((item) => item.quantity)).toEqual([-1, 1]);
  });

  it('when a part usage’s stock condition fails, the usage, its counters and its event are not written either', async () => {
    // Arrange
    const crew = await aTenant(entities);
    const workOrders = new DynamoWorkOrderStore(entities);
    const partId = `prt_${ulid()}`;
    const workOrderId = `wo_${ulid()}`;
    await entities.workOrder
      .put({
        tenantId: crew.tenantId,
        workOrderId,
        customerId: crew.customerId,
        locationId: crew.locationId,
        technicianId: crew.technicianId,
        scheduledStart: '-',
        scheduledDate: '-',
        description: 'AC blows warm air',
        priority: 'routine',
        status: 'in_progress',
        workflowState: 'AwaitFieldWork',
        workflowStateSince: at,
        createdBy: 'user-1',
        version: 1,
        createdAt: at,
        updatedAt: at,
      })
      .go();
    const usage = aPartUsage({ tenantId: crew.tenantId, workOrderId, partId, usageId: `use_${ulid()}` });
    const stock = {
      movement: {
        tenantId: crew.tenantId,
        partId,
        locationId: `truck:${crew.technicianId}`,
        movementId: `mov_${ulid()}`,
        kind: 'use' as const,
        quantity: -2,
        workOrderId,
        usageId: usage.usageId,
        actorId: 'user-1',
        actorRole: 'technician',
        at,
      },
      whileOnHandAtLeast: 2,
    };
    const event = {
      tenantId: crew.tenantId,
      workOrderId,
      eventId: `evt_${ulid()}`,
      action: 'part_used',
      actorId: 'user-1',
      actorRole: 'technician',
      at,
      changes: {},
    };

    // Act
    const written = await workOrders.addPartUsage(
      { usage, event, counters: { partCount: 1, partsCost: 2500, partsPrice: 7800 }, stock },
      ['in_progress'],
    );

    // Assert
    expect(written).toBe(false);
    expect(await workOrders.partsUsed(crew.tenantId, workOrderId)).toEqual([]);
    expect((await workOrders.get(crew.tenantId, workOrderId))?.partCount ?? 0).toBe(0);
    expect(await inventory.level(crew.tenantId, partId, `truck:${crew.technicianId}`)).toBeUndefined();
  });

  it('when two alerts are opened for one stretch below the point, only the first is written', async () => {
    // Arrange
    const { tenantId, key, movement } = aStock();
    await inventory.setReorderRule(key, { reorderPoint: 2, reorderQuantity: 10 }, at);
    await inventory.move([{ movement: movement(1) }], at);
    const level = await inventory.level(tenantId, key.partId, key.locationId);
    const alert = (alertId: string): LowStockAlert => ({
      ...key,
      alertId,
      sku: 'CAP-45-5',
      name: 'Run capacitor',
      onHand: 1,
      reorderPoint: 2,
      reorderQuantity: 10,
      status: 'open',
      raisedAt: at,
    });

    // Act
    const outcomes = await Promise.all([
      inventory.openLowStockAlert(level ?? (undefined as never), alert(`alr_${ulid()}`)),
      inventory.openLowStockAlert(level ?? (undefined as never), alert(`alr_${ulid()}`)),
    ]);

    // Assert
    expect(outcomes.sort()).toEqual([false, true]);
    expect((await inventory.alerts(tenantId, { limit: 10 })).items).toHaveLength(1);
  });

  it('when two drafts are raised for one supplier, or a part is put on two orders, the second is refused', async () => {
    // Arrange
    const tenantId = `ten_${ulid().toLowerCase()}`;
    const capacitor = aPart({ tenantId, partId: `prt_${ulid()}`, supplier: 'Coastal HVAC Supply' });
    const contactor = aPart({ tenantId, partId: `prt_${ulid()}`, supplier: 'COASTAL hvac supply' });
    const draft = (part: typeof capacitor) =>
      newDraft({
        tenantId,
        purchaseOrderId: `po_${ulid()}`,
        ...(part.supplier ? { supplier: part.supplier } : {}),
        lines: [lineFor(part, 10)],
        deliverTo: 'warehouse:main',
        currency: 'USD',
        raisedBy: 'inventory',
        at,
      });
    const first = draft(capacitor);

    // Act
    const created = await purchaseOrders.createDraft(first);
    const secondForSupplier = await purchaseOrders.createDraft(draft(contactor));
    const samePartElsewhere = await purchaseOrders.createDraft({
      ...draft(capacitor),
      supplier: 'Another supplier',
    });

    // Assert
    expect([created, secondForSupplier, samePartElsewhere]).toEqual([true, false, false]);
    expect(await purchaseOrders.draftOf(tenantId, 'coastal hvac supply')).toBe(first.purchaseOrderId);
    expect(await purchaseOrders.orderHolding(tenantId, capacitor.partId)).toBe(first.purchaseOrderId);
    expect(
      (await purchaseOrders.list(tenantId, {}, { limit: 10 })).items.map((order) => order.purchaseOrderId),
    ).toEqual([first.purchaseOrderId]);
  });
});
