import { describe, expect, it } from 'vitest';
import {
  cancelPurchaseOrder,
  getPurchaseOrder,
  receivePurchaseOrder,
  sendPurchaseOrder,
  updatePurchaseOrderLines,
} from '../../../../lambdas/domain/inventory/purchase-orders.ts';
import { reorderPart } from '../../../../lambdas/domain/inventory/reorder.ts';
import { ConflictError, NotFoundError, type ValidationError } from '../../../../lambdas/shared/errors.ts';
import { aContactor, aSuppliedMeasuredPart, aSuppliedPart } from '../../../fixtures/inventory-records.ts';
import { aDispatcher } from '../../../fixtures/unit-records.ts';
import { rejectionOf } from '../../support/caught-errors.ts';
import { anInventory } from '../../support/inventory-harness.ts';

const fieldsOf = (error: unknown) => (error as ValidationError).errors.map((problem) => problem.field);

/** The capacitor reordered (10 on a Coastal HVAC Supply draft), and that draft's id. */
async function aCapacitorDraft() {
  const harness = anInventory();
  const purchaseOrderId = await reorderPart(harness.dependencies, aSuppliedPart(), 10);
  return { ...harness, purchaseOrderId };
}

describe('purchase order lifecycle', () => {
  it('when the office replaces a draft’s lines, new parts are held on order and parts taken off are let go', async () => {
    // Arrange
    const { dependencies, purchaseOrders, purchaseOrderId } = await aCapacitorDraft();

    // Act
    const changed = await updatePurchaseOrderLines(dependencies, aDispatcher(), purchaseOrderId, [
      { partId: 'prt_contactor', quantity: 6 },
      { partId: 'prt_copper', quantity: 50, unitCost: 295 },
    ]);

    // Assert: 6 × 1 800 + 50 × 295
    expect(changed.lines.map((line) => [line.partId, line.quantity, line.unitCost])).toEqual([
      ['prt_contactor', 6, 1800],
      ['prt_copper', 50, 295],
    ]);
    expect(changed).toMatchObject({ total: 25_550, version: 2 });
    expect(await purchaseOrders.orderHolding('ten_acme', 'prt_capacitor')).toBeUndefined();
    expect(await purchaseOrders.orderHolding('ten_acme', 'prt_contactor')).toBe(purchaseOrderId);
  });

  it('when a line names a part on another open order, it answers 409 naming the line and that order', async () => {
    // Arrange
    const { dependencies, purchaseOrderId } = await aCapacitorDraft();
    const other = await reorderPart(dependencies, aSuppliedMeasuredPart(), 100);

    // Act
    const error = await rejectionOf(
      updatePurchaseOrderLines(dependencies, aDispatcher(), other, [
        { partId: 'prt_copper', quantity: 100 },
        { partId: 'prt_capacitor', quantity: 5 },
      ]),
    );

    // Assert
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).extensions).toEqual({ field: 'body.lines.1.partId', purchaseOrderId });
  });

  it('when lines name an unknown part, a part twice or a fractional count, each line is named', async () => {
    // Arrange
    const { dependencies, purchaseOrderId } = await aCapacitorDraft();

    // Act
    const error = await rejectionOf(
      updatePurchaseOrderLines(dependencies, aDispatcher(), purchaseOrderId, [
        { partId: 'prt_unknown', quantity: 1 },
        { partId: 'prt_capacitor', quantity: 1.5 },
        { partId: 'prt_contactor', quantity: 1, unitCost: -3 },
        { partId: 'prt_contactor', quantity: 2 },
      ]),
    );

    // Assert
    expect(fieldsOf(error)).toEqual([
      'body.lines.0.partId',
      'body.lines.1.quantity',
      'body.lines.2.unitCost',
      'body.lines.3.partId',
    ]);
  });

  it('when a sent order is received in two deliveries, each restocks the warehouse once and the part is let go when complete', async () => {
    // Arrange
    const { dependencies, inventory, purchaseOrders, purchaseOrderId } = await aCapacitorDraft();
    await sendPurchaseOrder(dependencies, aDispatcher(), purchaseOrderId);

    // Act
    const partly = await receivePurchaseOrder(dependencies, aDispatcher(), purchaseOrderId, {
      lines: [{ partId: 'prt_capacitor', quantity: 4 }],
    });
    const stillHeld = await purchaseOrders.orderHolding('ten_acme', 'prt_capacitor');
    const complete = await receivePurchaseOrder(dependencies, aDispatcher(), purchaseOrderId, {});
    const again = await rejectionOf(receivePurchaseOrder(dependencies, aDispatcher(), purchaseOrderId, {}));

    // Assert
    expect(partly.status).toBe('sent');
    expect(stillHeld).toBe(purchaseOrderId);
    expect(complete).toMatchObject({ status: 'received', lines: [{ receivedQuantity: 10 }] });
    expect(again).toBeInstanceOf(ConflictError);
    expect(inventory.onHand('ten_acme', 'prt_capacitor', 'warehouse:main')).toBe(10);
    expect(
      inventory.movementRecords.map((movement) => [
        movement.kind,
        movement.quantity,
        movement.purchaseOrderId,
      ]),
    ).toEqual([
      ['receipt', 4, purchaseOrderId],
      ['receipt', 6, purchaseOrderId],
    ]);
    expect(await purchaseOrders.orderHolding('ten_acme', 'prt_capacitor')).toBeUndefined();
  });

  it('when a receipt names a truck, the goods go there; an unknown location names body.locationId', async () => {
    // Arrange
    const { dependencies, inventory, purchaseOrderId } = await aCapacitorDraft();
    await sendPurchaseOrder(dependencies, aDispatcher(), purchaseOrderId);

    // Act
    const unknown = await rejectionOf(
      receivePurchaseOrder(dependencies, aDispatcher(), purchaseOrderId, {
        locationId: 'warehouse:elsewhere',
      }),
    );
    await receivePurchaseOrder(dependencies, aDispatcher(), purchaseOrderId, { locationId: 'truck:tec_ben' });

    // Assert
    expect(fieldsOf(unknown)).toEqual(['body.locationId']);
    expect(inventory.onHand('ten_acme', 'prt_capacitor', 'truck:tec_ben')).toBe(10);
  });

  it('when a draft is cancelled, its parts are off order and the supplier’s next reorder starts a new draft', async () => {
    // Arrange
    const { dependencies, purchaseOrders, purchaseOrderId } = await aCapacitorDraft();

    // Act
    const cancelled = await cancelPurchaseOrder(
      dependencies,
      aDispatcher(),
      purchaseOrderId,
      'Bought locally',
    );
    const next = await reorderPart(dependencies, aContactor(), 4);

    // Assert
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Bought locally' });
    expect(await purchaseOrders.orderHolding('ten_acme', 'prt_capacitor')).toBeUndefined();
    expect(next).not.toBe(purchaseOrderId);
  });

  it('when the caller’s version is stale, it answers 409 with the current version; another tenant’s order is not found', async () => {
    // Arrange
    const { dependencies, purchaseOrderId } = await aCapacitorDraft();

    // Act
    const stale = await rejectionOf(sendPurchaseOrder(dependencies, aDispatcher(), purchaseOrderId, 7));
    const stranger = await rejectionOf(
      getPurchaseOrder(dependencies, aDispatcher({ tenantId: 'ten_other' }), purchaseOrderId),
    );

    // Assert
    expect((stale as ConflictError).extensions).toEqual({ currentVersion: 1 });
    expect(stranger).toBeInstanceOf(NotFoundError);
  });
});
