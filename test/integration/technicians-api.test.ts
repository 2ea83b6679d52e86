import { beforeAll, describe, expect, it } from 'vitest';
import { aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

type Body = Record<string, unknown> & { id: string; version: number };
type PageBody = { items: Body[] };
type Problem = { status: number; errors?: { field: string }[] };

const weekdays = { 1: [{ start: '08:00', end: '17:00' }], 5: [{ start: '08:00', end: '12:00' }] };

describe('technicians API', () => {
  let tenant: TenantFixture;
  let admin: string;
  let dispatcher: string;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    admin = await tokenFor('admin', tenant.tenantId);
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
  });

  const createTechnician = (body: Record<string, unknown>, token = admin) =>
    api<Body>('POST', '/v1/technicians', { token, body });

  it('when an admin adds a technician, it is stored normalized and read back as written', async () => {
    // Act
    const created = await createTechnician({
      name: 'Robin Vega',
      phone: '(312) 555-0190',
      email: 'Robin.Vega@Example.com',
      skills: ['Electrical', 'electrical', 'Solar'],
      homeBase: { latitude: 41.88, longitude: -87.63 },
      workingHours: { ...weekdays, 6: [{ start: '09:00', end: '13:00' }] },
      costRatePerHour: 5200,
    });

    // Assert
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Robin Vega',
      phone: '+13125550190',
      email: 'robin.vega@example.com',
      skills: ['electrical', 'solar'],
      workingHours: { ...weekdays, 6: [{ start: '09:00', end: '13:00' }] },
      timeOff: [],
      costRatePerHour: 5200,
      active: true,
      version: 1,
    });
    expect(created.body.id).toMatch(/^tec_[0-9A-Z]{26}$/);
    expect(created.headers.get('location')).toBe(`/v1/technicians/${created.body.id}`);
    expect(created.body).not.toHaveProperty('tenantId');
    const read = await api<Body>('GET', `/v1/technicians/${created.body.id}`, { token: dispatcher });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
  });

  it('when a dispatcher tries to add a technician, it answers 403 and writes nothing', async () => {
    // Act
    const refused = await createTechnician({ name: 'Not Allowed' }, dispatcher);

    // Assert
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
  });

  it('when listed with a skill in any case, only technicians with it are returned', async () => {
    // Arrange
    const fresh = await aTenant(entities);
    const token = await tokenFor('admin', fresh.tenantId);
    const plumber = await createTechnician({ name: 'Pip Plumber', skills: ['plumbing', 'gas'] }, token);

    // Act
    const plumbers = await api<PageBody>('GET', '/v1/technicians?skill=PLUMBING', { token });
    const everyone = await api<PageBody>('GET', '/v1/technicians', { token });

    // Assert
    expect(plumbers.status).toBe(200);
    expect(plumbers.body.items.map((technician) => technician.name).sort()).toEqual([
      'Jordan Lee',
      'Pip Plumber',
    ]);
    expect(plumbers.body.items.map((technician) => technician.id)).toContain(plumber.body.id);
    expect(everyone.body.items).toHaveLength(3);
    // The fixture's technicians, written before these attributes existed, read with defaults.
    expect(everyone.body.items.find((technician) => technician.id === fresh.technicianId)).toMatchObject({
      active: true,
      version: 1,
      workingHours: {},
      timeOff: [],
    });
  });

  it('when another tenant asks for the technician, it answers 404', async () => {
    // Arrange
    const other = await aTenant(entities);
    const otherOffice = await tokenFor('admin', other.tenantId);

    // Act
    const read = await api<Problem>('GET', `/v1/technicians/${tenant.technicianId}`, { token: otherOffice });
    const changed = await api<Problem>('PATCH', `/v1/technicians/${tenant.technicianId}`, {
      token: otherOffice,
      body: { name: 'Taken Over' },
    });

    // Assert
    expect(read.status).toBe(404);
    expect(changed.status).toBe(404);
  });

  it('when a technician reads themself, it is returned; another technician is 404', async () => {
    // Arrange
    const technician = await tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId });

    // Act
    const own = await api<Body>('GET', `/v1/technicians/${tenant.technicianId}`, { token: technician });
    const other = await api<Problem>('GET', `/v1/technicians/${tenant.unqualifiedTechnicianId}`, {
      token: technician,
    });
    const list = await api<Problem>('GET', '/v1/technicians', { token: technician });

    // Assert
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: tenant.technicianId, name: 'Alex Rivera' });
    expect(other.status).toBe(404);
    expect(list.status).toBe(403);
  });

  it('when working hours are bad, it answers 400 naming the field', async () => {
    // Act
    const backwards = await createTechnician({
      name: 'Backwards',
      workingHours: {
        1: [
          { start: '08:00', end: '12:00' },
          { start: '17:00', end: '13:00' },
        ],
      },
    });
    const overlapping = await createTechnician({
      name: 'Overlapping',
      workingHours: {
        3: [
          { start: '08:00', end: '12:00' },
          { start: '11:30', end: '16:00' },
        ],
      },
    });
    const badRate = await createTechnician({ name: 'Cents', costRatePerHour: 12.5 });

    // Assert
    expect(backwards.status).toBe(400);
    expect(backwards.headers.get('content-type')).toBe('application/problem+json');
    expect((backwards.body as unknown as Problem).errors?.map((error) => error.field)).toEqual([
      'body.workingHours.1.1.end',
    ]);
    expect((overlapping.body as unknown as Problem).errors?.map((error) => error.field)).toEqual([
      'body.workingHours.3.1.start',
    ]);
    expect((badRate.body as unknown as Problem).errors?.map((error) => error.field)).toEqual([
      'body.costRatePerHour',
    ]);
  });

  it('when an admin changes a technician at the version read, it applies; at a stale version, 409', async () => {
    // Arrange
    const created = await createTechnician({ name: 'Casey Change', workingHours: weekdays });

    // Act
    const changed = await api<Body>('PATCH', `/v1/technicians/${created.body.id}?version=1`, {
      token: admin,
      body: { active: false, costRatePerHour: 3900 },
    });
    const stale = await api<Problem>('PATCH', `/v1/technicians/${created.body.id}?version=1`, {
      token: admin,
      body: { name: 'Too Late' },
    });
    const byDispatcher = await api<Problem>('PATCH', `/v1/technicians/${created.body.id}`, {
      token: dispatcher,
      body: { name: 'Not Mine' },
    });

    // Assert
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      active: false,
      costRatePerHour: 3900,
      workingHours: weekdays,
      version: 2,
    });
    expect(stale.status).toBe(409);
    expect(byDispatcher.status).toBe(403);
  });

  it('when time off overlaps time off already recorded, it answers 409', async () => {
    // Arrange
    const path = `/v1/technicians/${tenant.unqualifiedTechnicianId}/time-off`;
    const first = await api<Body>('POST', path, {
      token: dispatcher,
      body: { start: '2026-07-01T00:00:00-05:00', end: '2026-07-08T00:00:00-05:00', reason: 'Vacation' },
    });

    // Act
    const overlapping = await api<Problem>('POST', path, {
      token: admin,
      body: { start: '2026-07-07T12:00:00Z', end: '2026-07-09T12:00:00Z' },
    });
    const backwards = await api<Problem>('POST', path, {
      token: dispatcher,
      body: { start: '2026-08-02T00:00:00Z', end: '2026-08-01T00:00:00Z' },
    });

    // Assert
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      timeOff: [{ start: '2026-07-01T00:00:00-05:00', end: '2026-07-08T00:00:00-05:00', reason: 'Vacation' }],
      version: 2,
    });
    expect(overlapping.status).toBe(409);
    expect(overlapping.headers.get('content-type')).toBe('application/problem+json');
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors?.map((error) => error.field)).toEqual(['body.end']);
    const stored = await entities.technician
      .get({ tenantId: tenant.tenantId, technicianId: tenant.unqualifiedTechnicianId })
      .go();
    expect(stored.data?.timeOff).toHaveLength(1);
  });
});
