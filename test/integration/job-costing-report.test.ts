import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { addLocalDays } from '../../lambdas/domain/scheduling/local-time.ts';
import { aTenant, aWorkOrderRequest, serviceTypeTerms, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

interface ReportBody {
  from: string;
  to: string;
  currency: string;
  workOrders: {
    workOrderId: string;
    completedAt: string;
    revenue: number;
    cost: number;
    margin: number;
    marginPercent: number | null;
    labor: { minutes: number; cost: number };
    missingCostRates: string[];
  }[];
  totals: { workOrders: number; revenue: number; cost: number; margin: number; marginPercent: number | null };
}

const today = () => format(new TZDate(Date.now(), 'America/Chicago'), 'yyyy-MM-dd');

/** A visit tomorrow morning (13:00Z is 07:00 or 08:00 in Chicago), a couple of hours apart per call. */
let slot = 0;
const aFreeSlot = () => {
  const tomorrowMorning = new Date(Date.now() + 86_400_000).setUTCHours(13, 0, 0, 0);
  slot += 1;
  return new Date(tomorrowMorning + slot * 2 * 3_600_000).toISOString();
};

/** A work order taken through the API from the call to a signed completion, with 90 minutes of labor. */
async function aCompletedWorkOrder(
  tenant: TenantFixture,
  dispatcher: string,
  technician: string,
): Promise<string> {
  const created = await api<{ id: string }>('POST', '/v1/work-orders', {
    token: dispatcher,
    body: aWorkOrderRequest(tenant),
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  const act = (token: string, verb: string, body: unknown = {}) =>
    api<{ status: string }>('POST', `/v1/work-orders/${id}/${verb}`, { token, body });
  const steps: [string, string, unknown][] = [
    [dispatcher, 'schedule', { start: aFreeSlot() }],
    [dispatcher, 'dispatch', { technicianId: tenant.technicianId }],
    [technician, 'field-status', { status: 'en_route' }],
    [technician, 'field-status', { status: 'arrived' }],
    [technician, 'field-status', { status: 'in_progress' }],
    [technician, 'notes', { text: 'Replaced the capacitor' }],
    [technician, 'labor', { minutes: 90 }],
  ];
  for (const [token, verb, body] of steps) {
    const response = await act(token, verb, body);
    expect(response.status, `${verb} ${JSON.stringify(body)}`).toBeLessThan(300);
  }
  const shown = await api<{ summaryHash: string }>('GET', `/v1/work-orders/${id}/summary`, {
    token: technician,
  });
  const completed = await act(technician, 'complete', {
    signature: { signerName: 'Pat Doe', summaryHash: shown.body.summaryHash },
  });
  expect(completed.status).toBe(200);
  return id;
}

describe('the job-costing report', () => {
  let tenant: TenantFixture;
  let dispatcher: string;
  let technician: string;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    [dispatcher, technician] = await Promise.all([
      tokenFor('dispatcher', tenant.tenantId),
      tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId }),
    ]);
    await entities.technician
      .patch({ tenantId: tenant.tenantId, technicianId: tenant.technicianId })
      .set({ costRatePerHour: 4_000 })
      .go();
  });

  it('when work orders are completed today, the report for today costs each one and adds them up', async () => {
    // Arrange
    const ids = [
      await aCompletedWorkOrder(tenant, dispatcher, technician),
      await aCompletedWorkOrder(tenant, dispatcher, technician),
    ];

    // Act
    const report = await api<ReportBody>('GET', `/v1/reports/job-costing?from=${today()}&to=${today()}`, {
      token: dispatcher,
    });

    // Assert: 90 minutes at the service type's rate plus its trip charge; 90 minutes at 40.00 an hour.
    const revenue = (serviceTypeTerms.laborRatePerHour * 3) / 2 + serviceTypeTerms.tripCharge;
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ from: today(), to: today(), currency: 'USD' });
    expect(report.body.workOrders.map((line) => line.workOrderId)).toEqual(ids);
    for (const line of report.body.workOrders) {
      expect(line).toMatchObject({ revenue, cost: 6_000, margin: revenue - 6_000, missingCostRates: [] });
    }
    expect(report.body.totals).toMatchObject({
      workOrders: 2,
      revenue: 2 * revenue,
      cost: 12_000,
      margin: 2 * (revenue - 6_000),
    });
  });

  it('when a work order was completed before the period, or in another tenant, it is not in the report', async () => {
    // Arrange
    const other = await aTenant(entities);
    const earlier = {
      workOrderId: `wo_${ulid()}`,
      completedAt: new Date(Date.now() - 40 * 86_400_000).toISOString(),
    };
    const lastWeek = {
      workOrderId: `wo_${ulid()}`,
      completedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    };
    const elsewhere = `wo_${ulid()}`;
    for (const completion of [earlier, lastWeek]) {
      await entities.workOrderCompletion
        .put({ tenantId: tenant.tenantId, customerId: tenant.customerId, ...completion })
        .go();
    }
    await entities.workOrderCompletion
      .put({
        tenantId: other.tenantId,
        workOrderId: elsewhere,
        completedAt: new Date().toISOString(),
        customerId: other.customerId,
      })
      .go();

    // Act
    const report = await api<ReportBody>(
      'GET',
      `/v1/reports/job-costing?from=${addLocalDays(today(), -7)}&to=${today()}`,
      { token: await tokenFor('admin', tenant.tenantId) },
    );

    // Assert
    expect(report.status).toBe(200);
    const listed = report.body.workOrders.map((line) => line.workOrderId);
    expect(listed).toContain(lastWeek.workOrderId);
    expect(listed).not.toContain(earlier.workOrderId);
    expect(listed).not.toContain(elsewhere);
    expect(report.body.totals.workOrders).toBe(listed.length);
    expect(report.body.workOrders.find((line) => line.workOrderId === lastWeek.workOrderId)).toMatchObject({
      revenue: 0,
      cost: 0,
      marginPercent: null,
    });
  });

  it('when the period is backwards or missing a day, it answers 400 naming the field; a technician gets 403', async () => {
    // Act
    const backwards = await api<{ errors: { field: string }[] }>(
      'GET',
      `/v1/reports/job-costing?from=${today()}&to=${addLocalDays(today(), -1)}`,
      { token: dispatcher },
    );
    const missing = await api<{ errors: { field: string }[] }>(
      'GET',
      `/v1/reports/job-costing?from=${today()}`,
      {
        token: dispatcher,
      },
    );
    const forbidden = await api('GET', `/v1/reports/job-costing?from=${today()}&to=${today()}`, {
      token: technician,
    });

    // Assert
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors.map((error) => error.field)).toEqual(['query.to']);
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((error) => error.field)).toEqual(['query.to']);
    expect(forbidden.status).toBe(403);
  });
});
