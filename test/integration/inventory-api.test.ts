import { beforeAll, describe, expect, it } from 'vitest';
import { demoIds, demoTenantId } from '../../lib/local/demo-data.ts';
import { aTenant } from '../fixtures/tenants.ts';
import { aCrew, type Crew } from '../helpers/crew.ts';
import {
  aJobInProgress,
  aPart,
  fieldsOf,
  type Page,
  type Problem,
  type StockLevelBody,
  setNegativeStock,
  stockOf,
  stockUp,
  truckOf,
  useParts,
} from '../helpers/inventory.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

type MovementBody = {
  id: string;
  partId: string;
  locationId: string;
  kind: string;
  quantity: number;
  reason?: string;
  workOrderId?: string;
  usageId?: string;
  otherLocationId?: string;
  actorRole: string;
};

const movementsOf = async (crew: Crew, partId: string, locationId: string) =>
  (
    await api<Page<MovementBody>>(
      'GET',
      `/v1/inventory/movements?partId=${partId}&locationId=${locationId}&limit=100`,
      { token: crew.dispatcher },
    )
  ).body.items;

describe('stock locations and stock levels (API)', () => {
  let crew: Crew;

  beforeAll(async () => {
    crew = await aCrew(entities);
  });

  it('when the office lists the locations, the main warehouse, an added one and each technician’s truck are there', async () => {
    // Arrange
    const added = await api('POST', '/v1/inventory/locations', {
      token: crew.admin,
      body: { code: 'north', name: 'North depot' },
    });

    // Act
    const listed = await api<{ items: { id: string; kind: string; technicianId?: string }[] }>(
      'GET',
      '/v1/inventory/locations',
      { token: crew.dispatcher },
    );

    // Assert
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ id: 'warehouse:north', kind: 'warehouse', name: 'North depot' });
    expect(listed.body.items.map((location) => location.id)).toEqual(
      expect.arrayContaining([
        'warehouse:main',
        'warehouse:north',
        truckOf(crew.tenant.technicianId),
        truckOf(crew.tenant.unqualifiedTechnicianId),
      ]),
    );
    expect(listed.body.items[0]?.id).toBe('warehouse:main');
  });

  it('when goods are received at the warehouse, the stock reads the same by location and by part', async () => {
    // Arrange
    const partId = await aPart(crew, { sku: 'FLT-16X25' });

    // Act
    await stockUp(crew, partId, 'warehouse:main', 24);
    const byLocation = await api<Page<StockLevelBody> & { location: { id: string } }>(
      'GET',
      '/v1/inventory/stock?locationId=warehouse:main',
      { token: crew.dispatcher },
    );
    const byPart = await api<Page<StockLevelBody>>('GET', `/v1/inventory/stock?partId=${partId}`, {
      token: crew.dispatcher,
    });

    // Assert
    expect(byLocation.status).toBe(200);
    expect(byLocation.body.location.id).toBe('warehouse:main');
    const level = byLocation.body.items.find((item) => item.partId === partId);
    expect(level).toMatchObject({
      sku: 'FLT-16X25',
      locationId: 'warehouse:main',
      onHand: 24,
      negative: false,
      belowReorderPoint: false,
    });
    expect(byPart.body.items).toEqual([level]);
  });

  it('when the stock list is asked for both or neither of location and part, or a malformed location, it answers 400 naming the field', async () => {
    // Act
    const responses = await Promise.all([
      api<Problem>('GET', '/v1/inventory/stock', { token: crew.dispatcher }),
      api<Problem>(
        'GET',
        '/v1/inventory/stock?locationId=warehouse:main&partId=prt_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3',
        {
          token: crew.dispatcher,
        },
      ),
      api<Problem>('GET', '/v1/inventory/stock?locationId=shed', { token: crew.dispatcher }),
    ]);

    // Assert
    expect(responses.map((response) => response.status)).toEqual([400, 400, 400]);
    expect(responses.map((response) => fieldsOf(response.body))).toEqual([
      ['query.locationId'],
      ['query.locationId'],
      ['query.locationId'],
    ]);
  });

  it('when a technician reads their own truck, they get its stock; another truck, the warehouse or a part across locations is 403', async () => {
    // Arrange
    const partId = await aPart(crew, { sku: 'CAP-TECH' });
    await stockUp(crew, partId, truckOf(crew.tenant.technicianId), 3);

    // Act
    const own = await api<Page<StockLevelBody>>(
      'GET',
      `/v1/inventory/stock?locationId=${truckOf(crew.tenant.technicianId)}`,
      { token: crew.technician },
    );
    const refused = await Promise.all([
      api('GET', `/v1/inventory/stock?locationId=${truckOf(crew.tenant.unqualifiedTechnicianId)}`, {
        token: crew.technician,
      }),
      api('GET', '/v1/inventory/stock?locationId=warehouse:main', { token: crew.technician }),
      api('GET', `/v1/inventory/stock?partId=${partId}`, { token: crew.technician }),
      api('POST', '/v1/inventory/adjustments', {
        token: crew.technician,
        body: { partId, locationId: truckOf(crew.tenant.technicianId), quantity: 5, reason: 'Mine now' },
      }),
      api('GET', '/v1/inventory/locations', { token: crew.technician }),
    ]);

    // Assert
    expect(own.status).toBe(200);
    expect(own.body.items.map((level) => [level.partId, level.onHand])).toEqual([[partId, 3]]);
    expect(refused.map((response) => response.status)).toEqual([403, 403, 403, 403, 403]);
  });

  it('when another tenant reads a part’s stock, a technician’s truck or its movements, it is not found', async () => {
    // Arrange
    const partId = await aPart(crew, { sku: 'PRIVATE-1' });
    await stockUp(crew, partId, 'warehouse:main', 5);
    const stranger = await tokenFor('dispatcher', (await aTenant(entities)).tenantId);

    // Act
    const responses = await Promise.all([
      api('GET', `/v1/inventory/stock?partId=${partId}`, { token: stranger }),
      api('GET', `/v1/inventory/stock?locationId=${truckOf(crew.tenant.technicianId)}`, { token: stranger }),
      api('GET', `/v1/inventory/movements?partId=${partId}&locationId=warehouse:main`, { token: stranger }),
    ]);

    // Assert
    expect(responses.map((response) => response.status)).toEqual([404, 404, 404]);
  });

  it('when the demo tenant’s warehouse and a truck are read, they hold the demo parts with reorder points', async () => {
    // Arrange
    const office = await tokenFor('dispatcher', demoTenantId);

    // Act
    const warehouse = await api<Page<StockLevelBody>>(
      'GET',
      '/v1/inventory/stock?locationId=warehouse:main',
      {
        token: office,
      },
    );
    const truck = await api<Page<StockLevelBody>>(
      'GET',
      `/v1/inventory/stock?locationId=${truckOf(demoIds.technicians.maria)}`,
      { token: office },
    );

    // Assert
    expect(warehouse.body.items.map((level) => level.sku).sort()).toEqual(
      ['CAP-45-5', 'CONT-2P-30A', 'R410A-LB', 'TRAP-P-150'].sort(),
    );
    expect(warehouse.body.items.every((level) => level.reorderPoint !== undefined)).toBe(true);
    expect(truck.body.items.map((level) => level.sku).sort()).toEqual([
      'CAP-45-5',
      'CONT-2P-30A',
      'R410A-LB',
    ]);
  });

  it('when a dispatcher changes the inventory settings it answers 403; an admin’s change is read back', async () => {
    // Arrange
    const own = await aCrew(entities);

    // Act
    const before = await api('GET', '/v1/settings/inventory', { token: own.dispatcher });
    const byDispatcher = await api('PATCH', '/v1/settings/inventory', {
      token: own.dispatcher,
      body: { negativeStock: 'refuse' },
    });
    const bad = await api<Problem>('PATCH', '/v1/settings/inventory', {
      token: own.admin,
      body: { negativeStock: 'allow' },
    });
    const byAdmin = await api('PATCH', '/v1/settings/inventory', {
      token: own.admin,
      body: { negativeStock: 'refuse' },
    });
    const after = await api('GET', '/v1/settings/inventory', { token: own.dispatcher });

    // Assert
    expect(before.body).toEqual({ negativeStock: 'flag' });
    expect([byDispatcher.status, bad.status, byAdmin.status]).toEqual([403, 400, 200]);
    expect(fieldsOf(bad.body)).toEqual(['body.negativeStock']);
    expect(after.body).toEqual({ negativeStock: 'refuse' });
  });
});

describe('parts used take stock (API)', () => {
  let crew: Crew;

  beforeAll(async () => {
    crew = await aCrew(entities);
  });

  it('when the technician uses parts, their truck’s stock goes down with a use movement naming the job', async () => {
    // Arrange
    const partId = await aPart(crew, { sku: 'CAP-USE' });
    const truck = truckOf(crew.tenant.technicianId);
    await stockUp(crew, partId, truck, 5);
    const workOrderId = await aJobInProgress(crew);

    // Act
    const used = await useParts(crew.technician, workOrderId, { partId, quantity: 2 });

    // Assert
    expect(used.status).toBe(201);
    expect(used.body).toMatchObject({
      stockLocationId: truck,
      stock: { locationId: truck, onHand: 3, negative: false },
    });
    expect((await stockOf(crew, partId, truck))?.onHand).toBe(3);
    const [latest] = await movementsOf(crew, partId, truck);
    expect(latest).toMatchObject({
      kind: 'use',
      quantity: -2,
      workOrderId,
      usageId: used.body.id,
      actorRole: 'technician',
    });
  });

  it('when the office names the warehouse, the part leaves the warehouse; a correction puts it back there', async () => {
    // Arrange
    const partId = await aPart(crew, { sku: 'TRAP-P' });
    await stockUp(crew, partId, 'warehouse:main', 10);
    const workOrderId = await aJobInProgress(crew);
    const used = await useParts(crew.dispatcher, workOrderId, {
      partId,
      quantity: 4,
      fromLocation: 'warehouse:main',
    });

    // Act
    const corrected = await useParts(crew.technician, workOrderId, {
      correctionOf: used.body.id,
      quantity: 1,
      reason: 'One went back unopened',
    });

    // Assert
    expect([used.status, corrected.status]).toEqual([201, 201]);
    expect(corrected.body).toMatchObject({ stockLocationId: 'warehouse:main', stock: { onHand: 7 } });
    expect((await stockOf(crew, partId, 'warehouse:main'))?.onHand).toBe(7);
    expect(await stockOf(crew, partId, truckOf(crew.tenant.technicianId))).toBeUndefined();
    const kinds = (await movementsOf(crew, partId, 'warehouse:main')).map((movement) => [
      movement.kind,
      movement.quantity,
    ]);
    expect(kinds).toEqual([
      ['return', 1],
      ['use', -4],
      ['receipt', 10],
    ]);
  });

  it('when a use names an unknown location or another technician’s truck, or a correction names one, it answers 400 or 403 and writes nothing', async () => {
    // Arrange
    const partId = await aPart(crew, { sku: 'CAP-BAD' });
    const workOrderId = await aJobInProgress(crew);

    // Act
    const responses = await Promise.all([
      useParts(crew.technician, workOrderId, { partId, quantity: 1, fromLocation: 'warehouse:nowhere' }),
      useParts(crew.technician, workOrderId, { partId, quantity: 1, fromLocation: 'garage' }),
      useParts(crew.technician, workOrderId, {
        partId,
        quantity: 1,
        fromLocation: truckOf(crew.tenant.unqualifiedTechnicianId),
      }),
      useParts(crew.technician, workOrderId, {
        correctionOf: 'use_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3',
        quantity: 1,
        reason: 'x',
        fromLocation: 'warehouse:main',
      }),
    ]);

    // Assert
    expect(responses.map((response) => response.status)).toEqual([400, 400, 403, 400]);
    expect(fieldsOf(responses[0]?.body)).toEqual(['body.fromLocation']);
    expect(fieldsOf(responses[1]?.body)).toEqual(['body.fromLocation']);
    expect(fieldsOf(responses[3]?.body)).toEqual(['body.fromLocation']);
    const usages = await entities.partUsage.query
      .byWorkOrder({ tenantId: crew.tenant.tenantId, workOrderId })
      .go();
    expect(usages.data).toEqual([]);
    expect(await stockOf(crew, partId, truckOf(crew.tenant.technicianId))).toBeUndefined();
  });

  it('when the tenant refuses negative stock and the truck holds too little, it answers 409 naming the part, the location and what is on hand, and writes nothing', async () => {
    // Arrange
    const own = await aCrew(entities);
    await setNegativeStock(own, 'refuse');
    const partId = await aPart(own, { sku: 'CONT-2P' });
    const truck = truckOf(own.tenant.technicianId);
    await stockUp(own, partId, truck, 1);
    const workOrderId = await aJobInProgress(own);

    // Act
    const refused = await useParts(own.technician, workOrderId, { partId, quantity: 2 });

    // Assert
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      partId,
      sku: 'CONT-2P',
      locationId: truck,
      onHand: 1,
      requested: 2,
    });
    expect(refused.body.detail).toContain('CONT-2P');
    expect((await stockOf(own, partId, truck))?.onHand).toBe(1);
    const workOrder = await api<{ parts: { count: number } }>('GET', `/v1/work-orders/${workOrderId}`, {
      token: own.dispatcher,
    });
    expect(workOrder.body.parts.count).toBe(0);
  });

  it('when the tenant flags negative stock, a use beyond the stock is recorded and the truck shows negative', async () => {
    // Arrange
    const partId = await aPart(crew, { sku: 'CAP-NEG' });
    const truck = truckOf(crew.tenant.technicianId);
    const workOrderId = await aJobInProgress(crew);

    // Act
    const used = await useParts(crew.technician, workOrderId, { partId, quantity: 2 });

    // Assert
    expect(used.status).toBe(201);
    expect(used.body.stock).toEqual({ locationId: truck, onHand: -2, negative: true });
    expect(await stockOf(crew, partId, truck)).toMatchObject({ onHand: -2, negative: true });
  });
});

describe('transfers and adjustments (API)', () => {
  let crew: Crew;

  beforeAll(async () => {
    crew = await aCrew(entities);
  });

  it('when stock is transferred from the warehouse to a truck, both levels move at once with a movement each', async () => {
    // Arrange
    const partId = await aPart(crew, { sku: 'CU-38', unit: 'ft' });
    const truck = truckOf(crew.tenant.technicianId);
    await stockUp(crew, partId, 'warehouse:main', 100);

    // Act
    const transfer = await api<{ from: StockLevelBody; to: StockLevelBody; movements: MovementBody[] }>(
      'POST',
      '/v1/inventory/transfers',
      {
        token: crew.dispatcher,
        body: { partId, from: 'warehouse:main', to: truck, quantity: 12.5, reason: 'Line set job' },
      },
    );

    // Assert
    expect(transfer.status).toBe(201);
    expect([transfer.body.from.onHand, transfer.body.to.onHand]).toEqual([87.5, 12.5]);
    expect(
      transfer.body.movements.map((movement) => [movement.locationId, movement.kind, movement.quantity]),
    ).toEqual([
      ['warehouse:main', 'transfer_out', -12.5],
      [truck, 'transfer_in', 12.5],
    ]);
    expect((await stockOf(crew, partId, truck))?.onHand).toBe(12.5);
    const [arrived] = await movementsOf(crew, partId, truck);
    expect(arrived).toMatchObject({
      kind: 'transfer_in',
      otherLocationId: 'warehouse:main',
      reason: 'Line set job',
    });
  });

  it('when a transfer is sent twice with one idempotency key, the stock moves once', async () => {
    // Arrange
    const partId = await aPart(crew, { sku: 'IDEM-1' });
    await stockUp(crew, partId, 'warehouse:main', 10);
    const request = {
      token: crew.dispatcher,
      body: { partId, from: 'warehouse:main', to: truckOf(crew.tenant.technicianId), quantity: 3 },
      headers: { 'idempotency-key': `transfer-${partId}` },
    };

    // Act
    const first = await api('POST', '/v1/inventory/transfers', request);
    const again = await api('POST', '/v1/inventory/transfers', request);

    // Assert
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await stockOf(crew, partId, 'warehouse:main'))?.onHand).toBe(7);
  });

  it('when the tenant refuses negative stock, a transfer of more than the source holds answers 409 and nothing moves', async () => {
    // Arrange
    const own = await aCrew(entities);
    await setNegativeStock(own, 'refuse');
    const partId = await aPart(own, { sku: 'TXV-3T' });
    await stockUp(own, partId, 'warehouse:main', 2);

    // Act
    const refused = await api<Problem>('POST', '/v1/inventory/transfers', {
      token: own.dispatcher,
      body: { partId, from: 'warehouse:main', to: truckOf(own.tenant.technicianId), quantity: 3 },
    });

    // Assert
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ locationId: 'warehouse:main', onHand: 2, requested: 3 });
    expect((await stockOf(own, partId, 'warehouse:main'))?.onHand).toBe(2);
    expect(await stockOf(own, partId, truckOf(own.tenant.technicianId))).toBeUndefined();
  });

  it('when a transfer or an adjustment breaks the rules, it answers 400 naming each field and writes nothing', async () => {
    // Arrange
    const partId = await aPart(crew, { sku: 'RULES-1' });
    const truck = truckOf(crew.tenant.technicianId);

    // Act
    const responses = await Promise.all([
      api<Problem>('POST', '/v1/inventory/transfers', {
        token: crew.dispatcher,
        body: { partId, from: 'warehouse:main', to: 'warehouse:main', quantity: 1 },
      }),
      api<Problem>('POST', '/v1/inventory/transfers', {
        token: crew.dispatcher,
        body: { partId, from: 'warehouse:main', to: truck, quantity: 1.5 },
      }),
      api<Problem>('POST', '/v1/inventory/transfers', {
        token: crew.dispatcher,
        body: { partId: 'prt_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3', from: 'warehouse:main', to: truck, quantity: 1 },
      }),
      api<Problem>('POST', '/v1/inventory/transfers', {
        token: crew.dispatcher,
        body: { partId, from: 'warehouse:main', to: 'van', quantity: 'two' },
      }),
      api<Problem>('POST', '/v1/inventory/adjustments', {
        token: crew.dispatcher,
        body: { partId, locationId: truck, quantity: 0, reason: 'Count' },
      }),
      api<Problem>('POST', '/v1/inventory/adjustments', {
        token: crew.dispatcher,
        body: { partId, locationId: truck, quantity: -1, reason: 'x', type: 'receipt' },
      }),
      api<Problem>('POST', '/v1/inventory/adjustments', {
        token: crew.dispatcher,
        body: { partId, locationId: truck, quantity: 3 },
      }),
    ]);

    // Assert
    expect(responses.map((response) => response.status)).toEqual(Array(7).fill(400));
    expect(responses.map((response) => fieldsOf(response.body))).toEqual([
      ['body.to'],
      ['body.quantity'],
      ['body.partId'],
      ['body.to', 'body.quantity'],
      ['body.quantity'],
      ['body.quantity'],
      ['body.reason'],
    ]);
    const levels = await api<Page<StockLevelBody>>('GET', `/v1/inventory/stock?partId=${partId}`, {
      token: crew.dispatcher,
    });
    expect(levels.body.items).toEqual([]);
  });

  it('when a count finds fewer than recorded, the adjustment lowers the stock and keeps the reason', async () => {
    // Arrange
    const partId = await aPart(crew, { sku: 'COUNT-1' });
    await stockUp(crew, partId, 'warehouse:main', 10);

    // Act
    const adjusted = await api<{ level: StockLevelBody; movement: MovementBody }>(
      'POST',
      '/v1/inventory/adjustments',
      {
        token: crew.dispatcher,
        body: { partId, locationId: 'warehouse:main', quantity: -3, reason: 'Cycle count: 7 on the shelf' },
      },
    );

    // Assert
    expect(adjusted.status).toBe(201);
    expect(adjusted.body.level.onHand).toBe(7);
    expect(adjusted.body.movement).toMatchObject({
      kind: 'adjustment',
      quantity: -3,
      reason: 'Cycle count: 7 on the shelf',
      actorRole: 'dispatcher',
    });
    const history = await movementsOf(crew, partId, 'warehouse:main');
    expect(history.map((movement) => movement.kind)).toEqual(['adjustment', 'receipt']);
  });
});
