import { describe, expect, it } from 'vitest';
import { aTenant } from '../fixtures/tenants.ts';
import { aCrew, type Crew } from '../helpers/crew.ts';
import {
  aJobInProgress,
  aPart,
  fieldsOf,
  openOrders,
  type Page,
  type Problem,
  type PurchaseOrderBody,
  reorderAt,
  type StockLevelBody,
  stockOf,
  stockUp,
  truckOf,
  useParts,
} from '../helpers/inventory.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

type AlertBody = {
  id: string;
  partId: string;
  locationId: string;
  onHand: number;
  reorderPoint: number;
  purchaseOrderId?: string;
  status: string;
};

const alertsOf = async (crew: Crew) =>
  (await api<Page<AlertBody>>('GET', '/v1/inventory/alerts?limit=100', { token: crew.dispatcher })).body
    .items;

const send = (crew: Crew, id: string) =>
  api<PurchaseOrderBody>('POST', `/v1/purchase-orders/${id}/send`, { token: crew.dispatcher });

const receive = (
  crew: Crew,
  id: string,
  body: Record<string, unknown> = {},
  headers?: Record<string, string>,
) =>
  api<PurchaseOrderBody & Problem>('POST', `/v1/purchase-orders/${id}/receive`, {
    token: crew.dispatcher,
    body,
    ...(headers ? { headers } : {}),
  });

/**
 * A crew whose technician's truck holds 5 capacitors (reorder at 2, order 10) and 3 contactors
 * (reorder at 1, order 4), both from Coastal HVAC Supply, with a job in progress.
 */
async function aStockedTruck() {
  const crew = await aCrew(entities);
  const truck = truckOf(crew.tenant.technicianId);
  const [capacitor, contactor] = await Promise.all([
    aPart(crew, { sku: 'CAP-45-5', unitCost: 1250, supplier: 'Coastal HVAC Supply' }),
    aPart(crew, { sku: 'CONT-2P-30A', unitCost: 1800, supplier: 'coastal hvac supply' }),
  ]);
  await Promise.all([stockUp(crew, capacitor, truck, 5), stockUp(crew, contactor, truck, 3)]);
  await Promise.all([reorderAt(crew, capacitor, truck, 2, 10), reorderAt(crew, contactor, truck, 1, 4)]);
  const workOrderId = await aJobInProgress(crew);
  return { crew, truck, capacitor, contactor, workOrderId };
}

describe('low stock and purchase orders (API)', () => {
  it('when a use crosses the reorder point, exactly one draft purchase order is raised with an alert; using more adds nothing', async () => {
    // Arrange
    const { crew, truck, capacitor, workOrderId } = await aStockedTruck();

    // Act
    const crossing = await useParts(crew.technician, workOrderId, { partId: capacitor, quantity: 3 });
    const further = await useParts(crew.technician, workOrderId, { partId: capacitor, quantity: 1 });

    // Assert
    expect([crossing.status, further.status]).toEqual([201, 201]);
    const orders = await openOrders(crew);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      supplier: 'Coastal HVAC Supply',
      status: 'draft',
      deliverTo: 'warehouse:main',
      raisedBy: 'inventory',
      total: 12_500,
      lines: [{ partId: capacitor, quantity: 10, unitCost: 1250, total: 12_500, outstandingQuantity: 10 }],
    });
    expect(orders[0]?.id).toMatch(/^po_[0-9A-Z]{26}$/);
    const alerts = await alertsOf(crew);
    expect(alerts).toEqual([
      expect.objectContaining({
        partId: capacitor,
        locationId: truck,
        onHand: 2,
        reorderPoint: 2,
        purchaseOrderId: orders[0]?.id,
        status: 'open',
      }),
    ]);
    expect(await stockOf(crew, capacitor, truck)).toMatchObject({
      onHand: 1,
      belowReorderPoint: true,
      lowStockAlertId: alerts[0]?.id,
    });
  });

  it('when another part of the same supplier crosses its point, it becomes a line of the same purchase order', async () => {
    // Arrange
    const { crew, capacitor, contactor, workOrderId } = await aStockedTruck();
    await useParts(crew.technician, workOrderId, { partId: capacitor, quantity: 3 });

    // Act
    const crossing = await useParts(crew.technician, workOrderId, { partId: contactor, quantity: 2 });

    // Assert: 10 × 1 250 + 4 × 1 800
    expect(crossing.status).toBe(201);
    const orders = await openOrders(crew);
    expect(orders).toHaveLength(1);
    expect(orders[0]?.lines.map((line) => [line.partId, line.quantity])).toEqual([
      [capacitor, 10],
      [contactor, 4],
    ]);
    expect(orders[0]?.total).toBe(19_700);
    expect((await alertsOf(crew)).map((alert) => alert.purchaseOrderId)).toEqual([
      orders[0]?.id,
      orders[0]?.id,
    ]);
  });

  it('when the order is sent and received, the warehouse is restocked once; receiving again changes nothing', async () => {
    // Arrange
    const { crew, capacitor, workOrderId } = await aStockedTruck();
    await useParts(crew.technician, workOrderId, { partId: capacitor, quantity: 3 });
    const [draft] = await openOrders(crew);
    const id = draft?.id ?? '';

    // Act
    const sent = await send(crew, id);
    const received = await receive(crew, id);
    const again = await receive(crew, id);

    // Assert
    expect(sent.body).toMatchObject({ status: 'sent', version: 2 });
    expect(received.status).toBe(200);
    expect(received.body).toMatchObject({
      status: 'received',
      lines: [{ partId: capacitor, receivedQuantity: 10, outstandingQuantity: 0 }],
    });
    expect(again.status).toBe(409);
    expect((await stockOf(crew, capacitor, 'warehouse:main'))?.onHand).toBe(10);
    const listed = await api<Page<PurchaseOrderBody>>('GET', '/v1/purchase-orders?status=received', {
      token: crew.dispatcher,
    });
    expect(listed.body.items.map((order) => order.id)).toEqual([id]);
  });

  it('when a delivery arrives in parts at a truck, each part restocks it, and a repeated request with its idempotency key restocks once', async () => {
    // Arrange
    const { crew, truck, capacitor, workOrderId } = await aStockedTruck();
    await useParts(crew.technician, workOrderId, { partId: capacitor, quantity: 3 });
    const [draft] = await openOrders(crew);
    const id = draft?.id ?? '';
    await send(crew, id);
    const first = { locationId: truck, lines: [{ partId: capacitor, quantity: 4 }] };
    const headers = { 'idempotency-key': `receipt-${id}` };

    // Act
    const partly = await receive(crew, id, first, headers);
    const replayed = await receive(crew, id, first, headers);
    const rest = await receive(crew, id, { locationId: truck });

    // Assert
    expect(partly.body).toMatchObject({
      status: 'sent',
      lines: [{ receivedQuantity: 4, outstandingQuantity: 6 }],
    });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(rest.body.status).toBe('received');
    // 5 − 3 used + 4 + 6 received
    const level = await stockOf(crew, capacitor, truck);
    expect(level).toMatchObject({ onHand: 12, belowReorderPoint: false });
    expect(level).not.toHaveProperty('lowStockAlertId');
    expect((await alertsOf(crew)).map((alert) => alert.status)).toEqual(['closed']);
  });

  it('when a receipt asks for more than is outstanding or a part not on the order, it answers 400 naming the line', async () => {
    // Arrange
    const { crew, capacitor, workOrderId } = await aStockedTruck();
    await useParts(crew.technician, workOrderId, { partId: capacitor, quantity: 3 });
    const [draft] = await openOrders(crew);
    const id = draft?.id ?? '';
    await send(crew, id);

    // Act
    const response = await receive(crew, id, {
      lines: [
        { partId: capacitor, quantity: 11 },
        { partId: 'prt_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3', quantity: 1 },
      ],
    });

    // Assert
    expect(response.status).toBe(400);
    expect(fieldsOf(response.body)).toEqual(['body.lines.0.quantity', 'body.lines.1.partId']);
    expect((await stockOf(crew, capacitor, 'warehouse:main'))?.onHand).toBeUndefined();
  });

  it('when the office edits a draft’s lines, they replace the old ones; a sent order cannot be edited', async () => {
    // Arrange
    const { crew, capacitor, contactor, workOrderId } = await aStockedTruck();
    await useParts(crew.technician, workOrderId, { partId: capacitor, quantity: 3 });
    const [draft] = await openOrders(crew);
    const id = draft?.id ?? '';

    // Act
    const edited = await api<PurchaseOrderBody>('PATCH', `/v1/purchase-orders/${id}?version=1`, {
      token: crew.dispatcher,
      body: {
        lines: [
          { partId: capacitor, quantity: 12 },
          { partId: contactor, quantity: 2, unitCost: 1700 },
        ],
      },
    });
    const stale = await api('PATCH', `/v1/purchase-orders/${id}?version=1`, {
      token: crew.dispatcher,
      body: { lines: [] },
    });
    await send(crew, id);
    const afterSending = await api<Problem>('PATCH', `/v1/purchase-orders/${id}`, {
      token: crew.dispatcher,
      body: { lines: [{ partId: capacitor, quantity: 1 }] },
    });

    // Assert: 12 × 1 250 + 2 × 1 700
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ total: 18_400, version: 2 });
    expect(stale.status).toBe(409);
    expect(afterSending.status).toBe(409);
    expect(afterSending.body).toMatchObject({ currentStatus: 'sent' });
  });

  it('when a draft is cancelled, the part is off order and its next crossing raises a new purchase order', async () => {
    // Arrange
    const { crew, truck, capacitor, workOrderId } = await aStockedTruck();
    await useParts(crew.technician, workOrderId, { partId: capacitor, quantity: 3 });
    const [draft] = await openOrders(crew);
    const id = draft?.id ?? '';

    // Act
    const cancelled = await api<PurchaseOrderBody>('POST', `/v1/purchase-orders/${id}/cancel`, {
      token: crew.dispatcher,
      body: { reason: 'Bought at the counter' },
    });
    // 2 left + 5 is 7, above the point again; using 5 crosses it anew.
    await stockUp(crew, capacitor, truck, 5);
    await useParts(crew.technician, workOrderId, { partId: capacitor, quantity: 5 });

    // Assert
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Bought at the counter' });
    const drafts = await openOrders(crew);
    expect(drafts.map((order) => order.id)).not.toContain(id);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.lines.map((line) => line.partId)).toEqual([capacitor]);
  });

  it('when another tenant or a technician reaches for a purchase order, it answers 404 or 403', async () => {
    // Arrange
    const { crew, capacitor, workOrderId } = await aStockedTruck();
    await useParts(crew.technician, workOrderId, { partId: capacitor, quantity: 3 });
    const [draft] = await openOrders(crew);
    const stranger = await tokenFor('admin', (await aTenant(entities)).tenantId);

    // Act
    const responses = await Promise.all([
      api('GET', `/v1/purchase-orders/${draft?.id}`, { token: stranger }),
      api('POST', `/v1/purchase-orders/${draft?.id}/send`, { token: stranger }),
      api('GET', `/v1/purchase-orders/${draft?.id}`, { token: crew.technician }),
      api('GET', '/v1/purchase-orders', { token: crew.technician }),
      api('GET', '/v1/purchase-orders/po_bad', { token: crew.dispatcher }),
    ]);

    // Assert
    expect(responses.map((response) => response.status)).toEqual([404, 404, 403, 403, 400]);
    expect((await openOrders(crew))[0]?.status).toBe('draft');
  });

  it('when a reorder rule is set by the office, the stock shows it; a technician may not set one', async () => {
    // Arrange
    const crew = await aCrew(entities);
    const partId = await aPart(crew, { sku: 'RULE-1' });

    // Act
    const set = await api<StockLevelBody>('POST', '/v1/inventory/reorder-rules', {
      token: crew.dispatcher,
      body: { partId, locationId: 'warehouse:main', reorderPoint: 4, reorderQuantity: 12 },
    });
    const incomplete = await api<Problem>('POST', '/v1/inventory/reorder-rules', {
      token: crew.dispatcher,
      body: { partId, locationId: 'warehouse:main', reorderPoint: 4 },
    });
    const byTechnician = await api('POST', '/v1/inventory/reorder-rules', {
      token: crew.technician,
      body: { partId, locationId: truckOf(crew.tenant.technicianId), reorderPoint: 1, reorderQuantity: 2 },
    });

    // Assert
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      onHand: 0,
      reorderPoint: 4,
      reorderQuantity: 12,
      belowReorderPoint: true,
    });
    expect(incomplete.status).toBe(400);
    expect(fieldsOf(incomplete.body)).toEqual(['body.reorderQuantity']);
    expect(byTechnician.status).toBe(403);
    expect(await openOrders(crew)).toEqual([]);
  });
});
