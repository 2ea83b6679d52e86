import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { ulid } from 'ulid';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoAgreementCoverage } from '../../lambdas/adapters/dynamodb/agreement-coverage.ts';
import { addLocalDays } from '../../lambdas/domain/scheduling/local-time.ts';
import { aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

interface AgreementBody {
  id: string;
  customerId: string;
  status: string;
  termStart: string;
  termEnd: string;
  visitsRemaining: number;
  includedVisitsPerTerm: number;
  memberDiscountBasisPoints: number;
  nextBillingOn: string | null;
  locationIds: string[];
  version: number;
}

interface ProblemBody {
  status: number;
  errors?: { field: string; message: string }[];
}

/** Tomorrow in the fixture tenant's zone: the first billing waits until then (08:00), not during the test. */
const tomorrow = () => addLocalDays(format(new TZDate(Date.now(), 'America/Chicago'), 'yyyy-MM-dd'), 1);

describe('service agreements through the API', () => {
  let tenant: TenantFixture;
  let dispatcher: string;
  let technician: string;

  const anAgreementRequest = (overrides: Record<string, unknown> = {}) => ({
    customerId: tenant.customerId,
    name: 'Comfort Club',
    locationIds: [tenant.locationId],
    serviceTypeIds: [tenant.serviceTypeId],
    billing: { frequency: 'quarterly', amount: 8_900 },
    memberDiscountBasisPoints: 1_000,
    includedVisitsPerTerm: 2,
    termStart: tomorrow(),
    ...overrides,
  });

  beforeAll(async () => {
    tenant = await aTenant(entities);
    [dispatcher, technician] = await Promise.all([
      tokenFor('dispatcher', tenant.tenantId),
      tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId }),
    ]);
  });

  it('when the office enters an agreement, it answers 201 with the agreement, and its first period waits in the schedules', async () => {
    // Act
    const created = await api<AgreementBody>('POST', '/v1/agreements', {
      token: dispatcher,
      body: anAgreementRequest(),
      headers: { 'idempotency-key': `agreement-${ulid()}` },
    });

    // Assert
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/agreements/${created.body.id}`);
    expect(created.body).toMatchObject({
      customerId: tenant.customerId,
      status: 'active',
      termStart: tomorrow(),
      termEnd: addLocalDays(`${Number(tomorrow().slice(0, 4)) + 1}${tomorrow().slice(4)}`, -1),
      visitsRemaining: 2,
      nextBillingOn: tomorrow(),
      version: 1,
    });
    expect(created.body.id).toMatch(/^agr_[0-9A-HJKMNP-TV-Z]{26}$/);
    const { data: schedule } = await entities.localSchedule
      .get({ name: `agreement-billing-${created.body.id}-0` })
      .go();
    expect(schedule).toMatchObject({ state: 'pending', timeZone: 'America/Chicago' });
    expect(JSON.parse(schedule?.payload ?? '{}')).toEqual({
      kind: 'agreement-billing',
      tenantId: tenant.tenantId,
      agreementId: created.body.id,
      period: 0,
    });
  });

  it('when the same create is sent again with its idempotency key, the first answer comes back and one agreement exists', async () => {
    // Arrange
    const key = `agreement-${ulid()}`;
    const body = anAgreementRequest({ name: 'Pest Shield' });
    const first = await api<AgreementBody>('POST', '/v1/agreements', {
      token: dispatcher,
      body,
      headers: { 'idempotency-key': key },
    });

    // Act
    const second = await api<AgreementBody>('POST', '/v1/agreements', {
      token: dispatcher,
      body,
      headers: { 'idempotency-key': key },
    });

    // Assert
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
  });

  it('when the customer’s agreements are listed, or the active ones, each is one page', async () => {
    // Arrange
    const created = await api<AgreementBody>('POST', '/v1/agreements', {
      token: dispatcher,
      body: anAgreementRequest(),
    });

    // Act
    const byCustomer = await api<{ items: AgreementBody[] }>(
      'GET',
      `/v1/agreements?customerId=${tenant.customerId}`,
      {
        token: dispatcher,
      },
    );
    const active = await api<{ items: AgreementBody[] }>('GET', '/v1/agreements?status=active&limit=100', {
      token: dispatcher,
    });
    const all = await api<{ items: AgreementBody[] }>('GET', '/v1/agreements', { token: dispatcher });

    // Assert
    for (const list of [byCustomer, active, all]) {
      expect(list.status).toBe(200);
      expect(list.body.items.map((item) => item.id)).toContain(created.body.id);
    }
  });

  it('when the office pauses it and changes the included visits, it answers the new version; an old version is 409', async () => {
    // Arrange
    const created = await api<AgreementBody>('POST', '/v1/agreements', {
      token: dispatcher,
      body: anAgreementRequest(),
    });
    const path = `/v1/agreements/${created.body.id}`;

    // Act
    const paused = await api<AgreementBody>('PATCH', `${path}?version=1`, {
      token: dispatcher,
      body: { status: 'paused', includedVisitsPerTerm: 4 },
    });
    const stale = await api<ProblemBody>('PATCH', `${path}?version=1`, {
      token: dispatcher,
      body: { name: 'Gold' },
    });
    const read = await api<AgreementBody>('GET', path, { token: dispatcher });

    // Assert
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      status: 'paused',
      includedVisitsPerTerm: 4,
      visitsRemaining: 4,
      version: 2,
    });
    expect(stale.status).toBe(409);
    expect(read.body).toEqual(paused.body);
  });

  it('when the body names another customer’s location or an unknown service type, it answers 400 naming each field', async () => {
    // Act
    const response = await api<ProblemBody>('POST', '/v1/agreements', {
      token: dispatcher,
      body: anAgreementRequest({
        locationIds: [tenant.locationId, tenant.otherCustomersLocationId],
        serviceTypeIds: [`svc_${ulid()}`],
      }),
    });
    const shapeless = await api<ProblemBody>('POST', '/v1/agreements', {
      token: dispatcher,
      body: anAgreementRequest({ billing: { frequency: 'weekly', amount: -1 } }),
    });

    // Assert
    expect(response.status).toBe(400);
    expect(response.body.errors?.map((error) => error.field)).toEqual([
      'body.locationIds.1',
      'body.serviceTypeIds.0',
    ]);
    expect(shapeless.status).toBe(400);
    expect(shapeless.body.errors?.map((error) => error.field).sort()).toEqual([
      'body.billing.amount',
      'body.billing.frequency',
    ]);
  });

  it('when a technician asks, it is 403; another tenant’s agreement is 404', async () => {
    // Arrange
    const created = await api<AgreementBody>('POST', '/v1/agreements', {
      token: dispatcher,
      body: anAgreementRequest(),
    });
    const stranger = await tokenFor('dispatcher', (await aTenant(entities)).tenantId);

    // Act
    const forbidden = await api('GET', '/v1/agreements', { token: technician });
    const hidden = await api('GET', `/v1/agreements/${created.body.id}`, { token: stranger });

    // Assert
    expect(forbidden.status).toBe(403);
    expect(hidden.status).toBe(404);
  });
});

describe('agreement coverage (DynamoDB)', () => {
  let tenant: TenantFixture;
  let dispatcher: string;
  const coverage = new DynamoAgreementCoverage(entities);

  // A customer of its own per test: its agreements are the test's only ones.
  beforeEach(async () => {
    tenant = await aTenant(entities);
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
  });

  const anActiveAgreement = async (includedVisitsPerTerm: number) => {
    const today = format(new TZDate(Date.now(), 'America/Chicago'), 'yyyy-MM-dd');
    const created = await api<AgreementBody>('POST', '/v1/agreements', {
      token: dispatcher,
      body: {
        customerId: tenant.customerId,
        name: 'Comfort Club',
        serviceTypeIds: [tenant.serviceTypeId],
        billing: { frequency: 'annual', amount: 0 },
        memberDiscountBasisPoints: 1_500,
        includedVisitsPerTerm,
        termStart: addLocalDays(today, -1),
      },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  };
  const visit = (workOrderId: string) => ({
    tenantId: tenant.tenantId,
    customerId: tenant.customerId,
    locationId: tenant.locationId,
    serviceTypeId: tenant.serviceTypeId,
    workOrderId,
    at: new Date().toISOString(),
  });

  it('when the same work order asks ten times at once, one included visit is used and every answer is the same', async () => {
    // Arrange
    const agreementId = await anActiveAgreement(2);
    const workOrderId = `wo_${ulid()}`;

    // Act
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => coverage.coverageFor(visit(workOrderId))),
    );

    // Assert
    expect(new Set(answers.map((answer) => JSON.stringify(answer)))).toEqual(
      new Set([JSON.stringify({ agreementId, memberDiscountBasisPoints: 1_500, coversVisit: true })]),
    );
    const read = await api<AgreementBody>('GET', `/v1/agreements/${agreementId}`, { token: dispatcher });
    expect(read.body.visitsRemaining).toBe(1);
  });

  it('when more work orders than included visits ask at once, exactly that many are covered, and asking again answers the same', async () => {
    // Arrange
    const agreementId = await anActiveAgreement(3);
    const workOrderIds = Array.from({ length: 6 }, () => `wo_${ulid()}`);

    // Act
    const answers = await Promise.all(workOrderIds.map((id) => coverage.coverageFor(visit(id))));
    const again = await Promise.all(workOrderIds.map((id) => coverage.coverageFor(visit(id))));

    // Assert
    expect(answers.filter((answer) => answer?.coversVisit)).toHaveLength(3);
    expect(answers.every((answer) => answer?.agreementId === agreementId)).toBe(true);
    expect(again).toEqual(answers);
    const read = await api<AgreementBody>('GET', `/v1/agreements/${agreementId}`, { token: dispatcher });
    expect(read.body.visitsRemaining).toBe(0);
  });

  it('when the visit is of a type no agreement covers, or for a customer without one, there is no coverage', async () => {
    // Arrange
    await anActiveAgreement(1);

    // Act
    const otherType = await coverage.coverageFor({
      ...visit(`wo_${ulid()}`),
      serviceTypeId: `svc_${ulid()}`,
    });
    const noAgreement = await coverage.coverageFor({ ...visit(`wo_${ulid()}`), customerId: `cus_${ulid()}` });

    // Assert
    expect(otherType).toBeUndefined();
    expect(noAgreement).toBeUndefined();
  });
});
