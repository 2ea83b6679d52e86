import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

type Body = Record<string, unknown> & { id: string };
type PageBody = { items: Body[]; nextCursor?: string };
type Problem = { status: number; errors?: { field: string }[]; customerId?: string };

/** A phone number of the 555-01xx fictional range no other test of the tenant uses. */
let nextLine = 10;
const aPhone = () => `617555${String(100 + nextLine++).padStart(4, '0')}`;

describe('customers API', () => {
  let tenant: TenantFixture;
  let office: string;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    office = await tokenFor('dispatcher', tenant.tenantId);
  });

  const createCustomer = (body: Record<string, unknown>, token = office) =>
    api<Body>('POST', '/v1/customers', { token, body });

  it('when the office creates a customer, it stores the phone in E.164 and the email lower-cased, with contact items', async () => {
    const created = await createCustomer({
      name: 'Renée Lambert',
      phone: '(617) 555-0150',
      email: 'Renee.Lambert@Example.COM',
      billingAddress: { line1: '1 Billing Rd', city: 'Boston', postalCode: '02108' },
      contactPreferences: {
        channel: 'sms',
        quietHours: { start: '21:00', end: '08:00' },
        preferredDays: ['mon', 'wed'],
        timeWindows: [{ start: '08:00', end: '12:00' }],
      },
    });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Renée Lambert',
      phone: '+16175550150',
      email: 'renee.lambert@example.com',
      contactPreferences: { channel: 'sms', quietHours: { start: '21:00', end: '08:00' } },
      version: 1,
    });
    expect(created.body.id).toMatch(/^cus_[0-9A-Z]{26}$/);
    expect(created.headers.get('location')).toBe(`/v1/customers/${created.body.id}`);
    expect(created.body).not.toHaveProperty('tenantId');
    const phoneItem = await entities.customerContact
      .get({ tenantId: tenant.tenantId, kind: 'phone', value: '+16175550150' })
      .go();
    const emailItem = await entities.customerContact
      .get({ tenantId: tenant.tenantId, kind: 'email', value: 'renee.lambert@example.com' })
      .go();
    expect(phoneItem.data?.customerId).toBe(created.body.id);
    expect(emailItem.data?.customerId).toBe(created.body.id);

    const read = await api<Body>('GET', `/v1/customers/${created.body.id}`, { token: office });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('when the phone or email already belongs to a customer, it answers 409 with that customer id', async () => {
    const first = await createCustomer({ name: 'Ada One', phone: '617-555-0151', email: 'ada@example.com' });

    const samePhone = await api<Problem>('POST', '/v1/customers', {
      token: office,
      body: { name: 'Ada Two', phone: '+1 617 555 0151' },
    });
    const sameEmail = await api<Problem>('POST', '/v1/customers', {
      token: office,
      body: { name: 'Ada Three', email: 'ADA@example.com' },
    });

    expect(samePhone.status).toBe(409);
    expect(samePhone.body.customerId).toBe(first.body.id);
    expect(sameEmail.status).toBe(409);
    expect(sameEmail.body.customerId).toBe(first.body.id);
    expect(samePhone.headers.get('content-type')).toBe('application/problem+json');
  });

  it('when the input is bad, it answers 400 naming the field', async () => {
    const badPhone = await api<Problem>('POST', '/v1/customers', {
      token: office,
      body: { name: 'Bad Phone', phone: '555-01' },
    });
    const noContact = await api<Problem>('POST', '/v1/customers', {
      token: office,
      body: { name: 'Nobody' },
    });
    const badHours = await api<Problem>('POST', '/v1/customers', {
      token: office,
      body: {
        name: 'Late',
        email: 'late@example.com',
        contactPreferences: { quietHours: { start: '25:00', end: '1' } },
      },
    });

    expect(badPhone.status).toBe(400);
    expect(badPhone.body.errors?.map((error) => error.field)).toEqual(['body.phone']);
    expect(noContact.status).toBe(400);
    expect(noContact.body.errors?.map((error) => error.field)).toEqual(['body.phone']);
    expect(badHours.status).toBe(400);
    expect(badHours.body.errors?.map((error) => error.field).sort()).toEqual([
      'body.contactPreferences.quietHours.end',
      'body.contactPreferences.quietHours.start',
    ]);
  });

  it('when looked up by phone, any written form finds the one customer; by email, any case', async () => {
    const created = await createCustomer({
      name: 'Lookup Person',
      phone: '6175550152',
      email: 'look.up@example.com',
    });

    const forms = ['(617) 555-0152', '617.555.0152', '+1 617 555 0152', '6175550152', '+16175550152'];
    for (const phone of forms) {
      const found = await api<PageBody>('GET', `/v1/customers?phone=${encodeURIComponent(phone)}`, {
        token: office,
      });
      expect(found.status, phone).toBe(200);
      expect(
        found.body.items.map((customer) => customer.id),
        phone,
      ).toEqual([created.body.id]);
    }
    const byEmail = await api<PageBody>('GET', '/v1/customers?email=LOOK.UP%40Example.com', {
      token: office,
    });
    expect(byEmail.body.items.map((customer) => customer.id)).toEqual([created.body.id]);
    const unknown = await api<PageBody>('GET', '/v1/customers?phone=6175550199', { token: office });
    expect(unknown.body.items).toEqual([]);
    const invalid = await api<Problem>('GET', '/v1/customers?phone=12', { token: office });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.map((error) => error.field)).toEqual(['query.phone']);
  });

  it('when looked up by name prefix, it pages through the matches in name order with a cursor', async () => {
    const fresh = await aTenant(entities);
    const token = await tokenFor('admin', fresh.tenantId);
    for (const name of ['Zoë Quill', 'zoe Quarry', 'Zoey Quinn', 'Zack Other']) {
      expect(
        (await createCustomer({ name, email: `${ulid().toLowerCase()}@example.com` }, token)).status,
      ).toBe(201);
    }

    const first = await api<PageBody>('GET', '/v1/customers?name=ZOE&limit=2', { token });
    const second = await api<PageBody>(
      'GET',
      `/v1/customers?name=ZOE&limit=2&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`,
      { token },
    );

    expect(first.status).toBe(200);
    expect(first.body.items.map((customer) => customer.name)).toEqual(['zoe Quarry', 'Zoë Quill']);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(second.body.items.map((customer) => customer.name)).toEqual(['Zoey Quinn']);
    const tampered = await api<Problem>('GET', '/v1/customers?name=zoe&cursor=bm90LWEtY3Vyc29y', { token });
    expect(tampered.status).toBe(400);
  });

  it('when the phone or email changes, the contact items move with it and uniqueness holds', async () => {
    const customer = await createCustomer({ name: 'Mover', phone: '6175550153', email: 'mover@example.com' });
    const other = await createCustomer({ name: 'Holder', phone: '6175550154' });

    const moved = await api<Body>('PATCH', `/v1/customers/${customer.body.id}`, {
      token: office,
      body: { phone: '(617) 555-0155', email: 'Moved@Example.com', contactPreferences: { channel: 'email' } },
    });
    const clash = await api<Problem>('PATCH', `/v1/customers/${customer.body.id}`, {
      token: office,
      body: { phone: '617 555 0154' },
    });
    const stale = await api<Problem>('PATCH', `/v1/customers/${customer.body.id}?version=1`, {
      token: office,
      body: { name: 'Stale' },
    });

    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      phone: '+16175550155',
      email: 'moved@example.com',
      contactPreferences: { channel: 'email' },
      version: 2,
    });
    const byOld = await api<PageBody>('GET', '/v1/customers?phone=6175550153', { token: office });
    const byNew = await api<PageBody>('GET', '/v1/customers?phone=6175550155', { token: office });
    expect(byOld.body.items).toEqual([]);
    expect(byNew.body.items.map((found) => found.id)).toEqual([customer.body.id]);
    // The old number is free again.
    expect((await createCustomer({ name: 'Newcomer', phone: '6175550153' })).status).toBe(201);
    expect(clash.status).toBe(409);
    expect(clash.body.customerId).toBe(other.body.id);
    expect(stale.status).toBe(409);
  });

  it('when another tenant asks for a customer, it is not found; and technicians may not read customers', async () => {
    const created = await createCustomer({ name: 'Private', phone: aPhone() });
    const other = await aTenant(entities);
    const otherOffice = await tokenFor('admin', other.tenantId);
    const technician = await tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId });

    expect((await api('GET', `/v1/customers/${created.body.id}`, { token: otherOffice })).status).toBe(404);
    expect(
      (await api('PATCH', `/v1/customers/${created.body.id}`, { token: otherOffice, body: { name: 'X' } }))
        .status,
    ).toBe(404);
    expect(
      (await api('GET', `/v1/customers/${created.body.id}/work-orders`, { token: otherOffice })).status,
    ).toBe(404);
    expect((await api('GET', `/v1/customers/${created.body.id}`, { token: technician })).status).toBe(403);
  });

  it('when the same Idempotency-Key is sent twice, the second answers the first customer', async () => {
    const key = `customer-${ulid()}`;
    const body = { name: 'Once Only', email: `${ulid().toLowerCase()}@example.com` };

    const first = await api<Body>('POST', '/v1/customers', {
      token: office,
      body,
      headers: { 'idempotency-key': key },
    });
    const again = await api<Body>('POST', '/v1/customers', {
      token: office,
      body,
      headers: { 'idempotency-key': key },
    });

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });
});

describe('locations and equipment API', () => {
  let tenant: TenantFixture;
  let office: string;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    office = await tokenFor('dispatcher', tenant.tenantId);
  });

  it('when a location is added, it is listed for the customer, readable and changeable', async () => {
    const added = await api<Body>('POST', `/v1/customers/${tenant.customerId}/locations`, {
      token: office,
      body: {
        address: { line1: '77 Lake Rd', city: 'Springfield', postalCode: '01102' },
        latitude: 42.1,
        longitude: -72.5,
        accessNotes: 'Back door',
        gateCode: '#4512',
        pets: 'Two cats indoors',
      },
    });

    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      customerId: tenant.customerId,
      address: { line1: '77 Lake Rd', country: 'US' },
      gateCode: '#4512',
      pets: 'Two cats indoors',
      version: 1,
    });
    expect(added.body.id).toMatch(/^loc_/);
    const listed = await api<PageBody>('GET', `/v1/customers/${tenant.customerId}/locations`, {
      token: office,
    });
    expect(listed.body.items.map((location) => location.id)).toContain(added.body.id);
    expect(listed.body.items.map((location) => location.id)).not.toContain(tenant.otherCustomersLocationId);

    const changed = await api<Body>('PATCH', `/v1/locations/${added.body.id}`, {
      token: office,
      body: { gateCode: '9999', pets: 'Dog in the yard' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      gateCode: '9999',
      pets: 'Dog in the yard',
      accessNotes: 'Back door',
      version: 2,
    });
    const read = await api<Body>('GET', `/v1/locations/${added.body.id}`, { token: office });
    expect(read.body).toEqual(changed.body);
    const stale = await api('PATCH', `/v1/locations/${added.body.id}?version=1`, {
      token: office,
      body: { pets: 'x' },
    });
    expect(stale.status).toBe(409);
  });

  it('when equipment is recorded, it is listed at the location with its warranty end', async () => {
    const byTerm = await api<Body>('POST', `/v1/locations/${tenant.locationId}/equipment`, {
      token: office,
      body: {
        type: 'AC condenser',
        make: 'Carrier',
        model: '24ACC6',
        serialNumber: 'SN-1',
        installedOn: '2024-03-15',
        warrantyMonths: 12,
      },
    });
    const byDate = await api<Body>('POST', `/v1/locations/${tenant.locationId}/equipment`, {
      token: office,
      body: { type: 'Furnace', warrantyEndsOn: '2030-01-31' },
    });
    const termWithoutInstall = await api<Problem>('POST', `/v1/locations/${tenant.locationId}/equipment`, {
      token: office,
      body: { type: 'Water heater', warrantyMonths: 6 },
    });

    expect(byTerm.status).toBe(201);
    expect(byTerm.body).toMatchObject({
      locationId: tenant.locationId,
      customerId: tenant.customerId,
      model: '24ACC6',
      warrantyMonths: 12,
      warrantyEndsOn: '2025-03-14',
    });
    expect(byTerm.body.id).toMatch(/^eqp_/);
    expect(byDate.body).toMatchObject({ warrantyEndsOn: '2030-01-31' });
    expect(termWithoutInstall.status).toBe(400);
    expect(termWithoutInstall.body.errors?.map((error) => error.field)).toEqual(['body.installedOn']);
    const listed = await api<PageBody>('GET', `/v1/locations/${tenant.locationId}/equipment`, {
      token: office,
    });
    expect(listed.body.items.map((equipment) => equipment.id).sort()).toEqual(
      [byTerm.body.id, byDate.body.id].sort(),
    );
  });

  it('when another tenant asks for a location or adds to it, it is not found', async () => {
    const other = await aTenant(entities);
    const otherOffice = await tokenFor('admin', other.tenantId);

    expect((await api('GET', `/v1/locations/${tenant.locationId}`, { token: otherOffice })).status).toBe(404);
    expect(
      (await api('GET', `/v1/locations/${tenant.locationId}/equipment`, { token: otherOffice })).status,
    ).toBe(404);
    expect(
      (
        await api('POST', `/v1/locations/${tenant.locationId}/equipment`, {
          token: otherOffice,
          body: { type: 'x' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api('POST', `/v1/customers/${tenant.customerId}/locations`, {
          token: otherOffice,
          body: { address: { line1: '1 A', city: 'B', postalCode: '1' } },
        })
      ).status,
    ).toBe(404);
  });
});
