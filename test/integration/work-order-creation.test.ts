import { beforeAll, describe, expect, it } from 'vitest';
import { aTenant, aWorkOrderRequest, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

type Created = {
  id: string;
  relatedWorkOrderIds?: string[];
  serviceTypeSuggestions?: { serviceTypeId: string; matchedTerms: { term: string }[] }[];
  relevantHistory: { workOrderId: string; relation: string; matchedTerms: string[] }[];
  errors?: { field: string }[];
};

describe('creating a work order while the customer is on the phone', () => {
  let tenant: TenantFixture;
  let dispatcher: string;
  let earlier: string;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
    const first = await api<Created>('POST', '/v1/work-orders', {
      token: dispatcher,
      body: aWorkOrderRequest(tenant, { description: 'Upstairs AC blowing warm air, compressor clicks' }),
    });
    earlier = first.body.id;
  });

  it('when no service type is given, the answer suggests one with the words that matched', async () => {
    const created = await api<Created>('POST', '/v1/work-orders', {
      token: dispatcher,
      body: aWorkOrderRequest(tenant, {
        serviceTypeId: undefined,
        description: 'The AC is not cooling at all',
      }),
    });

    expect(created.status).toBe(201);
    expect(created.body.serviceTypeSuggestions?.[0]?.serviceTypeId).toBe(tenant.serviceTypeId);
    expect(created.body.serviceTypeSuggestions?.[0]?.matchedTerms.map((match) => match.term)).toContain('ac');
  });

  it('when a service type is given, no suggestion is made', async () => {
    const created = await api<Created>('POST', '/v1/work-orders', {
      token: dispatcher,
      body: aWorkOrderRequest(tenant),
    });

    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('serviceTypeSuggestions');
  });

  it('when there is earlier work at the same home, the answer lists it, the similar problem first, never itself', async () => {
    const home = await aTenant(entities);
    const token = await tokenFor('dispatcher', home.tenantId);
    const create = (overrides: Record<string, unknown>) =>
      api<Created>('POST', '/v1/work-orders', { token, body: aWorkOrderRequest(home, overrides) });
    const other = await create({ description: 'Replace the doorbell transformer' });
    const similar = await create({ description: 'Upstairs AC blowing warm air, compressor clicks' });

    const created = await create({ description: 'AC blowing warm air again' });

    const ids = created.body.relevantHistory.map((entry) => entry.workOrderId);
    expect(ids).toEqual([similar.body.id, other.body.id]);
    expect(created.body.relevantHistory[0]?.relation).toBe('same_location');
    expect(created.body.relevantHistory[0]?.matchedTerms).toEqual(expect.arrayContaining(['warm', 'air']));
  });

  it('when the office links earlier work orders, the link is kept on both sides and in both timelines', async () => {
    const created = await api<Created>('POST', '/v1/work-orders', {
      token: dispatcher,
      body: aWorkOrderRequest(tenant, {
        description: 'Same noise as last time',
        relatedWorkOrderIds: [earlier],
      }),
    });
    const earlierNow = await api<Created>('GET', `/v1/work-orders/${earlier}`, { token: dispatcher });
    const timeline = await api<{ items: { action: string }[] }>(
      'GET',
      `/v1/work-orders/${earlier}/timeline`,
      {
        token: dispatcher,
      },
    );

    expect(created.body.relatedWorkOrderIds).toEqual([earlier]);
    expect(earlierNow.body.relatedWorkOrderIds).toContain(created.body.id);
    expect(timeline.body.items.map((event) => event.action)).toContain('linked');
  });

  it('when a linked work order does not exist in the tenant, it answers 400 naming it and writes nothing', async () => {
    const other = await aTenant(entities);
    const otherToken = await tokenFor('dispatcher', other.tenantId);

    const refused = await api<Created>('POST', '/v1/work-orders', {
      token: otherToken,
      body: aWorkOrderRequest(other, { relatedWorkOrderIds: [earlier] }),
    });
    const listed = await api<{ items: unknown[] }>('GET', `/v1/work-orders?customerId=${other.customerId}`, {
      token: otherToken,
    });

    expect(refused.status).toBe(400);
    expect(refused.body.errors?.map((error) => error.field)).toEqual(['body.relatedWorkOrderIds.0']);
    expect(listed.body.items).toEqual([]);
  });
});
