import { beforeAll, describe, expect, it } from 'vitest';
import { aTenant, aWorkOrderRequest, serviceTypeTerms } from '../fixtures/tenants.ts';
import { aCrew, type Crew, freeSlots } from '../helpers/crew.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

type PartBody = {
  id: string;
  sku: string;
  name: string;
  unit: string;
  unitCost: number;
  unitPrice: number;
  taxable: boolean;
  active: boolean;
  version: number;
};
type PageBody<T> = { items: T[]; nextCursor?: string };
type Problem = { status: number; errors?: { field: string; message: string }[]; partId?: string };
type UsageBody = {
  id: string;
  partId: string;
  sku: string;
  quantity: number;
  unitCost: number;
  unitPrice: number;
  taxable: boolean;
  technicianId?: string;
  correctionOf?: string;
  remainingQuantity?: number;
};
type PartsUsedBody = {
  items: UsageBody[];
  totals: { partCount: number; partsCost: number; partsPrice: number };
};
type WorkOrderBody = { id: string; status: string; parts: { count: number; cost: number; price: number } };

const fieldsOf = (problem: Problem) => problem.errors?.map((error) => error.field);

const createPart = (token: string, body: Record<string, unknown>) =>
  api<PartBody>('POST', '/v1/parts', { token, body });

/** A capacitor (12.50 / 39.00, by the each) and copper line (3.10 / 8.99 a foot, not taxed). */
async function theCatalogue(crew: Crew) {
  const [capacitor, copper] = await Promise.all([
    createPart(crew.admin, {
      sku: 'cap-45-5',
      name: 'Run capacitor 45/5',
      category: 'Capacitors',
      unit: 'each',
      unitCost: 1250,
      unitPrice: 3900,
    }),
    createPart(crew.admin, {
      sku: 'CU-38',
      name: 'Copper line 3/8',
      category: 'Line sets',
      unit: 'ft',
      unitCost: 310,
      unitPrice: 899,
      taxable: false,
    }),
  ]);
  expect([capacitor.status, copper.status]).toEqual([201, 201]);
  return { capacitor: capacitor.body, copper: copper.body };
}

const aFreeSlot = freeSlots();

/** A work order taken through the API to in progress, dispatched to the crew's technician. */
async function aJobInProgress(crew: Crew): Promise<string> {
  const created = await api<WorkOrderBody>('POST', '/v1/work-orders', {
    token: crew.dispatcher,
    body: aWorkOrderRequest(crew.tenant),
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  const steps: [string, string, unknown][] = [
    [crew.dispatcher, 'schedule', { start: aFreeSlot() }],
    [crew.dispatcher, 'dispatch', { technicianId: crew.tenant.technicianId }],
    [crew.technician, 'field-status', { status: 'en_route' }],
    [crew.technician, 'field-status', { status: 'arrived' }],
    [crew.technician, 'field-status', { status: 'in_progress' }],
  ];
  for (const [token, verb, body] of steps) {
    const response = await api('POST', `/v1/work-orders/${id}/${verb}`, { token, body });
    expect(response.status, `${verb} ${JSON.stringify(body)}: ${JSON.stringify(response.body)}`).toBe(200);
  }
  return id;
}

const useParts = (
  token: string,
  id: string,
  body: Record<string, unknown>,
  headers?: Record<string, string>,
) =>
  api<UsageBody & Problem>('POST', `/v1/work-orders/${id}/parts`, {
    token,
    body,
    ...(headers ? { headers } : {}),
  });

describe('parts catalogue API', () => {
  let crew: Crew;

  beforeAll(async () => {
    crew = await aCrew(entities);
  });

  it('when an admin adds a part, it is stored with its SKU item and read back by id and by SKU in any case', async () => {
    // Act
    const created = await createPart(crew.admin, {
      sku: ' flt-16x25 ',
      name: 'Pleated filter 16x25x1',
      category: 'Filters',
      unit: 'each',
      unitCost: 450,
      unitPrice: 1500,
    });

    // Assert
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      sku: 'FLT-16X25',
      name: 'Pleated filter 16x25x1',
      category: 'Filters',
      unit: 'each',
      unitCost: 450,
      unitPrice: 1500,
      taxable: true,
      active: true,
      version: 1,
    });
    expect(created.body.id).toMatch(/^prt_[0-9A-Z]{26}$/);
    expect(created.headers.get('location')).toBe(`/v1/parts/${created.body.id}`);
    expect(created.body).not.toHaveProperty('tenantId');
    const read = await api<PartBody>('GET', `/v1/parts/${created.body.id}`, { token: crew.technician });
    expect(read.body).toEqual(created.body);
    const bySku = await api<PageBody<PartBody>>('GET', '/v1/parts?sku=Flt-16x25', { token: crew.dispatcher });
    expect(bySku.body.items).toEqual([created.body]);
    const holder = await entities.partSku.get({ tenantId: crew.tenant.tenantId, sku: 'FLT-16X25' }).go();
    expect(holder.data?.partId).toBe(created.body.id);
  });

  it('when a dispatcher or a technician tries to add or change a part, it answers 403', async () => {
    // Arrange
    const { capacitor } = await theCatalogue(await aCrew(entities));

    // Act
    const [byDispatcher, byTechnician] = await Promise.all([
      createPart(crew.dispatcher, { sku: 'X-1', name: 'X', unit: 'each', unitCost: 1, unitPrice: 2 }),
      api('PATCH', `/v1/parts/${capacitor.id}`, { token: crew.technician, body: { unitPrice: 1 } }),
    ]);

    // Assert
    expect([byDispatcher.status, byTechnician.status]).toEqual([403, 403]);
  });

  it('when fields break the rules, it answers 400 naming each field and writes nothing', async () => {
    // Act
    const response = await createPart(crew.admin, {
      sku: 'BAD SKU',
      name: 'Fitting',
      unit: 'bucket',
      unitCost: 1.5,
      unitPrice: 10,
    });

    // Assert
    expect(response.status).toBe(400);
    expect(fieldsOf(response.body as unknown as Problem)).toEqual(['body.unit']);
    const rules = await createPart(crew.admin, {
      sku: 'BAD SKU',
      name: 'Fitting',
      unit: 'each',
      unitCost: 1.5,
      unitPrice: 10,
    });
    expect(fieldsOf(rules.body as unknown as Problem)).toEqual(['body.sku', 'body.unitCost']);
  });

  it('when ten parts with one SKU are added at once, one is created and the others are refused naming body.sku', async () => {
    // Arrange
    const own = await aCrew(entities);

    // Act
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        createPart(own.admin, {
          sku: 'TXV-3T',
          name: `Expansion valve ${index}`,
          unit: 'each',
          unitCost: 9000,
          unitPrice: 21000,
        }),
      ),
    );

    // Assert
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, ...Array(9).fill(409)]);
    const winner = responses.find((response) => response.status === 201)?.body;
    for (const refused of responses.filter((response) => response.status === 409)) {
      expect(refused.body as unknown as Problem).toMatchObject({ field: 'body.sku', partId: winner?.id });
    }
    const listed = await api<PageBody<PartBody>>('GET', '/v1/parts?limit=100', { token: own.admin });
    expect(listed.body.items.map((part) => part.id)).toEqual([winner?.id]);
  });

  it('when the catalogue is listed a page at a time, it reads in SKU order with a cursor, filtered on request', async () => {
    // Arrange
    const own = await aCrew(entities);
    for (const sku of ['C-3', 'A-1', 'B-2']) {
      await createPart(own.admin, { sku, name: sku, unit: 'each', unitCost: 1, unitPrice: 2 });
    }
    await createPart(own.admin, {
      sku: 'D-4',
      name: 'Retired',
      unit: 'each',
      unitCost: 1,
      unitPrice: 2,
      active: false,
    });

    // Act
    const first = await api<PageBody<PartBody>>('GET', '/v1/parts?limit=2', { token: own.technician });
    const second = await api<PageBody<PartBody>>(
      'GET',
      `/v1/parts?limit=2&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`,
      { token: own.technician },
    );
    const active = await api<PageBody<PartBody>>('GET', '/v1/parts?active=true', { token: own.dispatcher });

    // Assert
    expect(first.body.items.map((part) => part.sku)).toEqual(['A-1', 'B-2']);
    expect(second.body.items.map((part) => part.sku)).toEqual(['C-3', 'D-4']);
    expect(active.body.items.map((part) => part.sku)).toEqual(['A-1', 'B-2', 'C-3']);
  });

  it('when an admin changes a part, the version moves on; a stale version or a taken SKU answers 409', async () => {
    // Arrange
    const own = await aCrew(entities);
    const { capacitor } = await theCatalogue(own);

    // Act
    const changed = await api<PartBody>('PATCH', `/v1/parts/${capacitor.id}?version=1`, {
      token: own.admin,
      body: { unitPrice: 4200, sku: 'cap-45-5-440' },
    });
    const stale = await api<Problem>('PATCH', `/v1/parts/${capacitor.id}?version=1`, {
      token: own.admin,
      body: { unitPrice: 1 },
    });
    const taken = await api<Problem>('PATCH', `/v1/parts/${capacitor.id}`, {
      token: own.admin,
      body: { sku: 'cu-38' },
    });

    // Assert
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ sku: 'CAP-45-5-440', unitPrice: 4200, version: 2 });
    expect([stale.status, taken.status]).toEqual([409, 409]);
    expect(taken.body).toMatchObject({ field: 'body.sku' });
    const bySku = (sku: string) =>
      api<PageBody<PartBody>>('GET', `/v1/parts?sku=${sku}`, { token: own.admin }).then((page) =>
        page.body.items.map((part) => part.id),
      );
    expect(await bySku('CAP-45-5-440')).toEqual([capacitor.id]);
    expect(await bySku('CAP-45-5')).toEqual([]);
  });

  it('when another tenant reads a part, it is not found', async () => {
    // Arrange
    const { capacitor } = await theCatalogue(await aCrew(entities));

    // Act
    const response = await api('GET', `/v1/parts/${capacitor.id}`, { token: crew.admin });

    // Assert
    expect(response.status).toBe(404);
  });
});

describe('parts used on a work order (API)', () => {
  let crew: Crew;
  let catalogue: Awaited<ReturnType<typeof theCatalogue>>;

  beforeAll(async () => {
    crew = await aCrew(entities);
    catalogue = await theCatalogue(crew);
  });

  it('when the assigned technician records parts, the figures are captured and the work order’s counters add up', async () => {
    // Arrange
    const id = await aJobInProgress(crew);

    // Act
    const capacitors = await useParts(crew.technician, id, { partId: catalogue.capacitor.id, quantity: 2 });
    const copper = await useParts(crew.technician, id, { partId: catalogue.copper.id, quantity: 2.5 });

    // Assert
    expect([capacitors.status, copper.status]).toEqual([201, 201]);
    expect(capacitors.body).toMatchObject({
      partId: catalogue.capacitor.id,
      sku: 'CAP-45-5',
      quantity: 2,
      unitCost: 1250,
      unitPrice: 3900,
      taxable: true,
      technicianId: crew.tenant.technicianId,
      remainingQuantity: 2,
    });
    expect(capacitors.body.id).toMatch(/^use_[0-9A-Z]{26}$/);
    // 2 × 1 250 + 2.5 × 310 = 3 275; 2 × 3 900 + 2.5 × 899 (2 247.5, rounded up) = 10 048
    const workOrder = await api<WorkOrderBody>('GET', `/v1/work-orders/${id}`, { token: crew.technician });
    expect(workOrder.body.parts).toEqual({ count: 2, cost: 3275, price: 10048 });
    const listed = await api<PartsUsedBody>('GET', `/v1/work-orders/${id}/parts`, { token: crew.technician });
    expect(listed.body.items.map((usage) => usage.id)).toEqual([capacitors.body.id, copper.body.id]);
    expect(listed.body.totals).toEqual({ partCount: 2, partsCost: 3275, partsPrice: 10048 });
    const timeline = await api<{ items: { action: string }[] }>(
      'GET',
      `/v1/work-orders/${id}/timeline?limit=100`,
      {
        token: crew.dispatcher,
      },
    );
    expect(timeline.body.items.filter((event) => event.action === 'part_used')).toHaveLength(2);
  });

  it('when another technician records or reads parts on the job, it answers 404 and writes nothing', async () => {
    // Arrange
    const id = await aJobInProgress(crew);

    // Act
    const written = await useParts(crew.otherTechnician, id, { partId: catalogue.capacitor.id, quantity: 1 });
    const read = await api('GET', `/v1/work-orders/${id}/parts`, { token: crew.otherTechnician });

    // Assert
    expect([written.status, read.status]).toEqual([404, 404]);
    const items = await entities.partUsage.query
      .byWorkOrder({ tenantId: crew.tenant.tenantId, workOrderId: id })
      .go();
    expect(items.data).toEqual([]);
  });

  it('when another tenant’s office records parts on the job, it answers 404', async () => {
    // Arrange
    const id = await aJobInProgress(crew);
    const stranger = await tokenFor('dispatcher', (await aTenant(entities)).tenantId);

    // Act
    const response = await useParts(stranger, id, { partId: catalogue.capacitor.id, quantity: 1 });

    // Assert
    expect(response.status).toBe(404);
  });

  it('when the part or quantity is wrong, it answers 400 naming the field', async () => {
    // Arrange
    const id = await aJobInProgress(crew);
    const retired = await createPart(crew.admin, {
      sku: 'OLD-1',
      name: 'Retired part',
      unit: 'each',
      unitCost: 1,
      unitPrice: 2,
      active: false,
    });
    const otherTenantsPart = (await theCatalogue(await aCrew(entities))).capacitor;

    // Act
    const responses = await Promise.all([
      useParts(crew.technician, id, { partId: 'prt_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3', quantity: 1 }),
      useParts(crew.technician, id, { partId: retired.body.id, quantity: 1 }),
      useParts(crew.technician, id, { partId: otherTenantsPart.id, quantity: 1 }),
      useParts(crew.technician, id, { partId: catalogue.capacitor.id, quantity: 1.5 }),
      useParts(crew.technician, id, { partId: catalogue.copper.id, quantity: -2 }),
      useParts(crew.technician, id, { partId: catalogue.capacitor.id, quantity: 1, unitPrice: 100 }),
    ]);

    // Assert
    expect(responses.map((response) => response.status)).toEqual(Array(6).fill(400));
    expect(responses.map((response) => fieldsOf(response.body))).toEqual([
      ['body.partId'],
      ['body.partId'],
      ['body.partId'],
      ['body.quantity'],
      ['body.quantity'],
      ['body.unitPrice'],
    ]);
    const workOrder = await api<WorkOrderBody>('GET', `/v1/work-orders/${id}`, { token: crew.dispatcher });
    expect(workOrder.body.parts).toEqual({ count: 0, cost: 0, price: 0 });
  });

  it('when the office sets its own price and then takes back part of a usage, the record keeps both entries and the counters follow', async () => {
    // Arrange
    const id = await aJobInProgress(crew);
    const used = await useParts(crew.dispatcher, id, {
      partId: catalogue.capacitor.id,
      quantity: 3,
      unitPrice: 3500,
    });

    // Act
    const corrected = await useParts(crew.technician, id, {
      correctionOf: used.body.id,
      quantity: 1,
      reason: 'One went back on the truck',
    });
    const tooMuch = await useParts(crew.technician, id, {
      correctionOf: used.body.id,
      quantity: 3,
      reason: 'Again',
    });

    // Assert
    expect([used.status, corrected.status, tooMuch.status]).toEqual([201, 201, 400]);
    expect(corrected.body).toMatchObject({ quantity: -1, correctionOf: used.body.id, unitPrice: 3500 });
    expect(fieldsOf(tooMuch.body)).toEqual(['body.quantity']);
    const listed = await api<PartsUsedBody>('GET', `/v1/work-orders/${id}/parts`, { token: crew.dispatcher });
    expect(listed.body.items.map((usage) => [usage.quantity, usage.remainingQuantity])).toEqual([
      [3, 2],
      [-1, undefined],
    ]);
    // 2 left: cost 2 × 1 250, price 2 × 3 500
    expect(listed.body.totals).toEqual({ partCount: 1, partsCost: 2500, partsPrice: 7000 });
    const workOrder = await api<WorkOrderBody>('GET', `/v1/work-orders/${id}`, { token: crew.dispatcher });
    expect(workOrder.body.parts).toEqual({ count: 1, cost: 2500, price: 7000 });
  });

  it('when a usage is sent again with the same idempotency key, it is recorded and counted once', async () => {
    // Arrange
    const id = await aJobInProgress(crew);
    const headers = { 'idempotency-key': `parts-${id}` };

    // Act
    const first = await useParts(
      crew.technician,
      id,
      { partId: catalogue.capacitor.id, quantity: 1 },
      headers,
    );
    const again = await useParts(
      crew.technician,
      id,
      { partId: catalogue.capacitor.id, quantity: 1 },
      headers,
    );

    // Assert
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const workOrder = await api<WorkOrderBody>('GET', `/v1/work-orders/${id}`, { token: crew.dispatcher });
    expect(workOrder.body.parts.count).toBe(1);
  });

  it('when the work order is not yet dispatched, it answers 409', async () => {
    // Arrange
    const created = await api<WorkOrderBody>('POST', '/v1/work-orders', {
      token: crew.dispatcher,
      body: aWorkOrderRequest(crew.tenant),
    });

    // Act
    const response = await useParts(crew.dispatcher, created.body.id, {
      partId: catalogue.capacitor.id,
      quantity: 1,
    });

    // Assert
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ currentStatus: 'new' });
  });
});

describe('job costing (API)', () => {
  it('when two technicians at different cost rates worked and two parts were used, it reports revenue, cost and margin as worked by hand', async () => {
    // Arrange
    const crew = await aCrew(entities);
    const { tenant } = crew;
    const catalogue = await theCatalogue(crew);
    const rates = await Promise.all([
      api('PATCH', `/v1/technicians/${tenant.technicianId}`, {
        token: crew.admin,
        body: { costRatePerHour: 4500 },
      }),
      api('PATCH', `/v1/technicians/${tenant.unqualifiedTechnicianId}`, {
        token: crew.admin,
        body: { costRatePerHour: 3000 },
      }),
    ]);
    expect(rates.map((response) => response.status)).toEqual([200, 200]);
    const id = await aJobInProgress(crew);
    // The assigned technician's time first, then a helper's the office records: costing lists them in that order.
    const ownTime = await api('POST', `/v1/work-orders/${id}/labor`, {
      token: crew.technician,
      body: { minutes: 90 },
    });
    const recorded = await Promise.all([
      api('POST', `/v1/work-orders/${id}/labor`, {
        token: crew.dispatcher,
        body: { minutes: 45, technicianId: tenant.unqualifiedTechnicianId },
      }),
      useParts(crew.technician, id, { partId: catalogue.capacitor.id, quantity: 2 }),
      useParts(crew.technician, id, { partId: catalogue.copper.id, quantity: 2.5 }),
    ]);
    expect([ownTime, ...recorded].map((response) => response.status)).toEqual([201, 201, 201, 201]);

    // Act
    const costing = await api('GET', `/v1/work-orders/${id}/costing`, { token: crew.dispatcher });
    const byTechnician = await api('GET', `/v1/work-orders/${id}/costing`, { token: crew.technician });

    // Assert, worked by hand (minor units of USD):
    // labor price: 135 min × 12 000 / 60 = 27 000; trip charge 7 500
    // labor cost: 90 min × 4 500 / 60 = 6 750 and 45 min × 3 000 / 60 = 2 250, 9 000
    // parts: cost 2 × 1 250 + 2.5 × 310 = 3 275; price 2 × 3 900 + 2.5 × 899 (2 247.5 → 2 248) = 10 048
    // revenue 27 000 + 10 048 + 7 500 = 44 548; cost 9 000 + 3 275 = 12 275
    // margin 32 273, 72.45 % of revenue → 72.4 (72.445… rounds down)
    expect(serviceTypeTerms).toMatchObject({ laborRatePerHour: 12_000, tripCharge: 7_500 });
    expect(costing.status).toBe(200);
    expect(costing.body).toEqual({
      workOrderId: id,
      status: 'in_progress',
      currency: 'USD',
      labor: {
        minutes: 135,
        ratePerHour: 12000,
        price: 27000,
        cost: 9000,
        byTechnician: [
          { technicianId: tenant.technicianId, minutes: 90, costRatePerHour: 4500, cost: 6750 },
          { technicianId: tenant.unqualifiedTechnicianId, minutes: 45, costRatePerHour: 3000, cost: 2250 },
        ],
      },
      parts: { count: 2, cost: 3275, price: 10048 },
      tripCharge: 7500,
      revenue: 44548,
      revenueBasis: 'estimate',
      cost: 12275,
      margin: 32273,
      marginPercent: 72.4,
      missingCostRates: [],
    });
    expect(byTechnician.status).toBe(403);
  });
});
