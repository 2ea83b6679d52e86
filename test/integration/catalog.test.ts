import { beforeAll, describe, expect, it } from 'vitest';
import { aStoredWorkOrder, aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

interface ServiceTypeView {
  id: string;
  name: string;
  trade: string;
  keywords: string[];
  requiredSkills: string[];
  estimatedMinutes: number;
  prices: { laborRatePerHour?: number; tripCharge?: number; flatFees: { name: string; amount: number }[] };
  checklist: string[];
  updatedAt: string;
  errors?: { field: string }[];
}

interface Suggestions {
  items: {
    serviceTypeId: string;
    name: string;
    confidence: number;
    matchedTerms: { term: string; text: string; sources: string[] }[];
  }[];
}

const drainCleaning = {
  name: 'Drain cleaning',
  trade: 'plumbing',
  keywords: ['drain', 'clog', 'slow', 'backup'],
  requiredSkills: ['plumbing'],
  estimatedMinutes: 60,
  laborRatePerHour: 11_000,
  tripCharge: 6_900,
  flatFees: [{ name: 'Drain camera inspection', amount: 14_900 }],
  checklist: ['Locate the clog', 'Snake the line', 'Run water to confirm flow'],
};

describe('service types', () => {
  let tenant: TenantFixture;
  let admin: string;
  let dispatcher: string;
  let technician: string;
  let created: ServiceTypeView;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    admin = await tokenFor('admin', tenant.tenantId);
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
    technician = await tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId });
    const response = await api<ServiceTypeView>('POST', '/v1/service-types', {
      token: admin,
      body: drainCleaning,
    });
    expect(response.status).toBe(201);
    created = response.body;
  });

  it('when an admin creates one, it answers it with its prices in minor units and its checklist in order', async () => {
    // Act
    const read = await api<ServiceTypeView>('GET', `/v1/service-types/${created.id}`, { token: technician });

    // Assert
    expect(created.id).toMatch(/^svc_/);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      name: 'Drain cleaning',
      trade: 'plumbing',
      estimatedMinutes: 60,
      prices: {
        laborRatePerHour: 11_000,
        tripCharge: 6_900,
        flatFees: [{ name: 'Drain camera inspection', amount: 14_900 }],
      },
      checklist: drainCleaning.checklist,
    });
  });

  it('when listed, every role sees the whole catalogue by name', async () => {
    const list = await api<{ items: ServiceTypeView[] }>('GET', '/v1/service-types', { token: dispatcher });

    expect(list.status).toBe(200);
    expect(list.body.items.map((item) => item.name)).toEqual(['AC repair', 'Drain cleaning']);
  });

  it('when an admin changes it, given fields replace and a null price is removed', async () => {
    const response = await api<ServiceTypeView>('PATCH', `/v1/service-types/${created.id}`, {
      token: admin,
      body: { checklist: ['Run water', 'Locate the clog'], tripCharge: null, estimatedMinutes: 75 },
    });
    const read = await api<ServiceTypeView>('GET', `/v1/service-types/${created.id}`, { token: admin });

    expect(response.status).toBe(200);
    expect(read.body.checklist).toEqual(['Run water', 'Locate the clog']);
    expect(read.body.estimatedMinutes).toBe(75);
    expect(read.body.prices.tripCharge).toBeUndefined();
    expect(read.body.prices.flatFees).toHaveLength(1);
  });

  it('when a dispatcher writes, it answers 403 and changes nothing', async () => {
    const create = await api('POST', '/v1/service-types', { token: dispatcher, body: drainCleaning });
    const change = await api('PATCH', `/v1/service-types/${created.id}`, {
      token: dispatcher,
      body: { name: 'Renamed' },
    });
    const read = await api<ServiceTypeView>('GET', `/v1/service-types/${created.id}`, { token: admin });

    expect(create.status).toBe(403);
    expect(change.status).toBe(403);
    expect(read.body.name).toBe('Drain cleaning');
  });

  it("when another tenant's admin reads or changes it, it answers 404", async () => {
    const other = await aTenant(entities);
    const otherAdmin = await tokenFor('admin', other.tenantId);

    const read = await api('GET', `/v1/service-types/${created.id}`, { token: otherAdmin });
    const change = await api('PATCH', `/v1/service-types/${created.id}`, {
      token: otherAdmin,
      body: { name: 'Mine now' },
    });
    const list = await api<{ items: ServiceTypeView[] }>('GET', '/v1/service-types', { token: otherAdmin });

    expect(read.status).toBe(404);
    expect(change.status).toBe(404);
    expect(list.body.items.map((item) => item.id)).not.toContain(created.id);
  });

  it('when the input is bad, it answers 400 problem+json naming each field', async () => {
    const fractional = await api<ServiceTypeView>('POST', '/v1/service-types', {
      token: admin,
      body: { ...drainCleaning, laborRatePerHour: 110.5, trade: 'carpentry' },
    });
    const twoFeesOneName = await api<ServiceTypeView>('POST', '/v1/service-types', {
      token: admin,
      body: {
        ...drainCleaning,
        flatFees: [
          { name: 'Permit', amount: 1 },
          { name: 'permit', amount: 2 },
        ],
      },
    });
    const emptyChange = await api<ServiceTypeView>('PATCH', `/v1/service-types/${created.id}`, {
      token: admin,
      body: {},
    });
    const badId = await api<ServiceTypeView>('GET', '/v1/service-types/wo_nope', { token: admin });

    expect(fractional.status).toBe(400);
    expect(fractional.headers.get('content-type')).toContain('application/problem+json');
    expect(fractional.body.errors?.map((error) => error.field).sort()).toEqual([
      'body.laborRatePerHour',
      'body.trade',
    ]);
    expect(twoFeesOneName.status).toBe(400);
    expect(twoFeesOneName.body.errors?.map((error) => error.field)).toEqual(['body.flatFees.1.name']);
    expect(emptyChange.status).toBe(400);
    expect(badId.status).toBe(400);
    expect(badId.body.errors?.[0]?.field).toBe('path.id');
  });
});

describe('suggesting service types', () => {
  let tenant: TenantFixture;
  let admin: string;
  let dispatcher: string;
  let drainId: string;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    admin = await tokenFor('admin', tenant.tenantId);
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
    const catalogue = [
      drainCleaning,
      {
        name: 'Water heater replacement',
        trade: 'plumbing',
        keywords: ['water heater', 'no hot water', 'leak', 'tank'],
        estimatedMinutes: 240,
      },
      {
        name: 'Pest control',
        trade: 'pest_control',
        keywords: ['ants', 'mice', 'roaches'],
        estimatedMinutes: 45,
      },
    ];
    const ids: string[] = [];
    for (const body of catalogue) {
      const response = await api<ServiceTypeView>('POST', '/v1/service-types', { token: admin, body });
      ids.push(response.body.id);
    }
    drainId = ids[0]!;
    // A finished job teaches the suggester a word the catalogue lacks.
    await aStoredWorkOrder(entities, tenant, {
      status: 'completed',
      serviceTypeId: drainId,
      description: 'Shower gurgles and water pools in the tub',
    });
  });

  it('when the description is about a clogged drain, drain cleaning ranks first with the matched terms', async () => {
    // Act
    const response = await api<Suggestions>('POST', '/v1/service-types/suggest', {
      token: dispatcher,
      body: { description: 'My kitchen drain is clogged and the sink backs up', limit: 3 },
    });

    // Assert
    expect(response.status).toBe(200);
    const [first] = response.body.items;
    expect(first?.serviceTypeId).toBe(drainId);
    expect(first?.name).toBe('Drain cleaning');
    expect(first?.matchedTerms.map((term) => term.term)).toEqual(expect.arrayContaining(['drain', 'clog']));
    expect(first?.matchedTerms.find((term) => term.term === 'clog')?.text).toBe('clogged');
    expect(first?.confidence).toBeGreaterThan(0.5);
  });

  it("when the description uses a word of the type's past jobs, the history explains the match", async () => {
    const response = await api<Suggestions>('POST', '/v1/service-types/suggest', {
      token: dispatcher,
      body: { description: 'the shower gurgles' },
    });

    expect(response.body.items[0]?.serviceTypeId).toBe(drainId);
    expect(response.body.items[0]?.matchedTerms.some((term) => term.sources.includes('history'))).toBe(true);
  });

  it('when a technician asks, or the description is missing, it refuses', async () => {
    const technician = await tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId });

    const forbidden = await api('POST', '/v1/service-types/suggest', {
      token: technician,
      body: { description: 'clogged drain' },
    });
    const missing = await api<{ errors: { field: string }[] }>('POST', '/v1/service-types/suggest', {
      token: dispatcher,
      body: { description: '   ' },
    });

    expect(forbidden.status).toBe(403);
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]?.field).toBe('body.description');
  });

  it("when another tenant asks, it never sees this tenant's service types", async () => {
    const other = await aTenant(entities);
    const otherDispatcher = await tokenFor('dispatcher', other.tenantId);

    const response = await api<Suggestions>('POST', '/v1/service-types/suggest', {
      token: otherDispatcher,
      body: { description: 'My kitchen drain is clogged' },
    });

    expect(response.status).toBe(200);
    expect(response.body.items.map((item) => item.serviceTypeId)).not.toContain(drainId);
  });
});
