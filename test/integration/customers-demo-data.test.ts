import { describe, expect, it } from 'vitest';
import { demoIds, demoTenantId } from '../../lib/local/demo-data.ts';
import { api, tokenFor } from '../helpers/local-platform.ts';

type PageBody = { items: Record<string, unknown>[] };

describe('demo customers', () => {
  it('when a demo customer is looked up by phone or email, the contact items find them', async () => {
    const office = await tokenFor('dispatcher', demoTenantId);

    const byPhone = await api<PageBody>(
      'GET',
      `/v1/customers?phone=${encodeURIComponent('(617) 555-0102')}`,
      {
        token: office,
      },
    );
    const byEmail = await api<PageBody>('GET', '/v1/customers?email=Lucia.Alvarez%40example.com', {
      token: office,
    });

    expect(byPhone.body.items.map((customer) => customer.id)).toEqual([demoIds.customers.chen]);
    expect(byEmail.body.items.map((customer) => customer.id)).toEqual([demoIds.customers.alvarez]);
  });

  it('when the office reads the Alvarez home, its AC condenser is under warranty', async () => {
    const office = await tokenFor('dispatcher', demoTenantId);

    const equipment = await api<PageBody>('GET', `/v1/locations/${demoIds.locations.alvarezHome}/equipment`, {
      token: office,
    });

    expect(equipment.body.items).toEqual([
      expect.objectContaining({
        id: demoIds.equipment.alvarezCondenser,
        type: 'AC condenser',
        model: '24ACC636A003',
        warrantyMonths: 120,
      }),
    ]);
    const endsOn = String(equipment.body.items[0]?.warrantyEndsOn);
    expect(endsOn > new Date().toISOString().slice(0, 10)).toBe(true);
  });
});
