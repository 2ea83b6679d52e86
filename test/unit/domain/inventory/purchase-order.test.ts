import { describe, expect, it } from 'vitest';
import {
  lineFor,
  newDraft,
  outstandingOf,
  type PurchaseOrder,
  receive,
  supplierKeyOf,
  transition,
  withLines,
} from '../../../../lambdas/domain/inventory/purchase-order.ts';
import { ConflictError, type ValidationError } from '../../../../lambdas/shared/errors.ts';
import { aMeasuredPart, aPart } from '../../../fixtures/part-records.ts';
import { errorThrownBy } from '../../support/caught-errors.ts';

const at = '2025-03-14T14:10:00.000Z';
const later = '2025-03-18T09:00:00.000Z';

/** A draft for 10 capacitors (12.50 each) and 12.5 ft of copper (3.10 a foot). */
const aDraft = (): PurchaseOrder =>
  newDraft({
    tenantId: 'ten_acme',
    purchaseOrderId: 'po_0001',
    supplier: '  Coastal HVAC Supply ',
    lines: [lineFor(aPart(), 10), lineFor(aMeasuredPart(), 12.5)],
    deliverTo: 'warehouse:main',
    currency: 'USD',
    raisedBy: 'inventory',
    at,
  });

const fieldsOf = (error: unknown) => (error as ValidationError).errors.map((problem) => problem.field);

describe('purchase orders', () => {
  it('when a draft is raised, its lines carry the parts’ costs and the total adds them up, rounded per line', () => {
    // Act
    const draft = aDraft();

    // Assert: 10 × 1 250 = 12 500; 12.5 × 310 = 3 875
    expect(draft).toMatchObject({
      supplier: 'Coastal HVAC Supply',
      status: 'draft',
      total: 16_375,
      version: 1,
    });
    expect(
      draft.lines.map((line) => [line.sku, line.quantity, line.unitCost, line.receivedQuantity]),
    ).toEqual([
      ['CAP-45-5', 10, 1250, 0],
      ['CU-38', 12.5, 310, 0],
    ]);
  });

  it('when suppliers are written differently, one draft serves them; no supplier has a key of its own', () => {
    // Act / Assert
    expect(supplierKeyOf('Coastal  HVAC supply ')).toBe(supplierKeyOf('coastal hvac Supply'));
    expect(supplierKeyOf(undefined)).toBe('-');
    expect(supplierKeyOf('   ')).toBe('-');
  });

  it('when a draft is sent and then received, it goes draft → sent → received; nothing goes back', () => {
    // Act
    const sent = transition(aDraft(), 'sent', later);
    const { after: received } = receive(sent, undefined, later);

    // Assert
    expect(sent).toMatchObject({ status: 'sent', sentAt: later, version: 2 });
    expect(received).toMatchObject({ status: 'received', receivedAt: later, version: 3 });
    expect(errorThrownBy(() => transition(received, 'cancelled', later))).toBeInstanceOf(ConflictError);
    expect(errorThrownBy(() => transition(sent, 'sent', later))).toBeInstanceOf(ConflictError);
    expect(errorThrownBy(() => withLines(sent, [], later))).toBeInstanceOf(ConflictError);
  });

  it('when a draft or a sent order is cancelled, it keeps the reason; a draft without lines cannot be sent', () => {
    // Act
    const cancelled = transition(aDraft(), 'cancelled', later, 'Bought locally');
    const empty = withLines(aDraft(), [], later);

    // Assert
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancelledAt: later,
      cancelReason: 'Bought locally',
    });
    expect(transition(transition(aDraft(), 'sent', later), 'cancelled', later).status).toBe('cancelled');
    expect(empty.total).toBe(0);
    expect(errorThrownBy(() => transition(empty, 'sent', later))).toBeInstanceOf(ConflictError);
  });

  it('when a delivery brings part of a line, the order stays sent with the rest outstanding, and a second delivery completes it', () => {
    // Arrange
    const sent = transition(aDraft(), 'sent', later);

    // Act
    const first = receive(sent, [{ partId: 'prt_capacitor', quantity: 4 }], later);
    const second = receive(first.after, undefined, later);

    // Assert
    expect(first.after.status).toBe('sent');
    expect(first.received.map(({ line, quantity }) => [line.partId, quantity])).toEqual([
      ['prt_capacitor', 4],
    ]);
    expect(first.after.lines.map(outstandingOf)).toEqual([6, 12.5]);
    expect(second.received.map(({ line, quantity }) => [line.partId, quantity])).toEqual([
      ['prt_capacitor', 6],
      ['prt_copper', 12.5],
    ]);
    expect(second.after.status).toBe('received');
  });

  it('when a delivery names a part not on the order, a part twice, or more than is outstanding, it names each line', () => {
    // Arrange
    const sent = transition(aDraft(), 'sent', later);

    // Act
    const error = errorThrownBy(() =>
      receive(
        sent,
        [
          { partId: 'prt_other', quantity: 1 },
          { partId: 'prt_capacitor', quantity: 11 },
          { partId: 'prt_copper', quantity: 1.0005 },
          { partId: 'prt_capacitor', quantity: 1 },
        ],
        later,
      ),
    );

    // Assert
    expect(fieldsOf(error)).toEqual([
      'body.lines.0.partId',
      'body.lines.1.quantity',
      'body.lines.2.quantity',
      'body.lines.3.partId',
    ]);
  });

  it('when an order is received in full, receiving it again is refused: nothing is restocked twice', () => {
    // Arrange
    const { after: received } = receive(transition(aDraft(), 'sent', later), undefined, later);

    // Act
    const again = errorThrownBy(() => receive(received, undefined, later));

    // Assert
    expect(again).toBeInstanceOf(ConflictError);
    expect((again as ConflictError).extensions).toMatchObject({ currentStatus: 'received' });
  });
});
