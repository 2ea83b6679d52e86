import { beforeAll, describe, expect, it } from 'vitest';
import { aTenant, aWorkOrderRequest, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

type Page = {
  items: { id: string; customerId: string; status: string }[];
  nextCursor?: string;
  errors?: { field: string }[];
};

describe('listing work orders', () => {
  let tenant: TenantFixture;
  let dispatcher: string;
  let created: string[];

  beforeAll(async () => {
    tenant = await aTenant(entities);
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
    created = [];
    for (let index = 0; index < 5; index += 1) {
      const response = await api<{ id: string }>('POST', '/v1/work-orders', {
        token: dispatcher,
        body: aWorkOrderRequest(tenant, { description: `Job ${index}` }),
      });
      created.push(response.body.id);
    }
  });

  it("when a customer's work orders are paged, every one comes once, newest first", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const query = new URLSearchParams({
        customerId: tenant.customerId,
        limit: '2',
        ...(cursor ? { cursor } : {}),
      });
      const page = await api<Page>('GET', `/v1/work-orders?${query}`, { token: dispatcher });
      expect(page.status).toBe(200);
      sizes.push(page.body.items.length);
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor);

    expect(seen).toEqual([...created].reverse());
    expect(sizes.slice(0, 2)).toEqual([2, 2]);
  });

  it('when filtered by status and customer together, only matching work orders come back', async () => {
    const page = await api<Page>(
      'GET',
      `/v1/work-orders?status=new&customerId=${tenant.customerId}&limit=100`,
      { token: dispatcher },
    );
    const none = await api<Page>('GET', `/v1/work-orders?status=paid&customerId=${tenant.customerId}`, {
      token: dispatcher,
    });

    expect(page.body.items).toHaveLength(5);
    expect(
      page.body.items.every((item) => item.status === 'new' && item.customerId === tenant.customerId),
    ).toBe(true);
    expect(none.body.items).toEqual([]);
  });

  it('when no filter is given or the limit is too large, it answers 400 naming the query', async () => {
    const unfiltered = await api<Page>('GET', '/v1/work-orders', { token: dispatcher });
    const tooMany = await api<Page>('GET', `/v1/work-orders?customerId=${tenant.customerId}&limit=1000`, {
      token: dispatcher,
    });

    expect(unfiltered.status).toBe(400);
    expect(unfiltered.body.errors?.[0]?.field).toBe('query');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors?.[0]?.field).toBe('query.limit');
  });

  it("when a cursor is tampered with or belongs to another tenant's list, it answers 400 and shows nothing", async () => {
    const first = await api<Page>('GET', `/v1/work-orders?customerId=${tenant.customerId}&limit=2`, {
      token: dispatcher,
    });
    const other = await aTenant(entities);
    const otherDispatcher = await tokenFor('dispatcher', other.tenantId);

    const foreign = await api<Page>(
      'GET',
      `/v1/work-orders?customerId=${other.customerId}&limit=2&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`,
      { token: otherDispatcher },
    );
    const garbage = await api<Page>(
      'GET',
      `/v1/work-orders?customerId=${tenant.customerId}&cursor=not-a-cursor`,
      {
        token: dispatcher,
      },
    );

    expect(foreign.status).toBe(400);
    expect(foreign.body.items).toBeUndefined();
    expect(garbage.status).toBe(400);
    expect(garbage.body.errors?.[0]?.field).toBe('query.cursor');
  });

  it('when a technician lists work orders, only those assigned to them come back, whatever they ask for', async () => {
    const technician = await tokenFor('technician', tenant.tenantId, {
      technicianId: 'tec_01JDEM0000000000000000NONE',
    });

    const page = await api<Page>('GET', `/v1/work-orders?customerId=${tenant.customerId}`, {
      token: technician,
    });
    const single = await api('GET', `/v1/work-orders/${created[0]}`, { token: technician });

    expect(page.status).toBe(200);
    expect(page.body.items).toEqual([]);
    expect(single.status).toBe(404);
  });
});
