import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { aTenant, aWorkOrderRequest, serviceTypeTerms, type TenantFixture } from '../fixtures/tenants.ts';
import { api, eventually, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

interface WorkOrderBody {
  id: string;
  status: string;
  estimatedMinutes?: number;
  durationBasis?: string;
  arrivedAt?: string;
  completedAt?: string;
  schedule?: { start: string; end: string };
}

interface ServiceTypeBody {
  estimatedMinutes: number;
  durationEstimate?: { minutes: number; basis: string; sampleCount: number };
}

/** 15:00 UTC, some days ahead: mid-morning in Chicago, inside the fixture technicians' hours. */
const aMorning = (daysAhead: number) => {
  const day = new Date(Date.now() + daysAhead * 86_400_000);
  day.setUTCHours(15, 0, 0, 0);
  return day.toISOString();
};

describe('duration estimates from past jobs', () => {
  let tenant: TenantFixture;
  let dispatcher: string;
  let technician: string;

  const act = (token: string, id: string, verb: string, body: unknown = {}) =>
    api<WorkOrderBody>('POST', `/v1/work-orders/${id}/${verb}`, { token, body });
  const readServiceType = async () =>
    (await api<ServiceTypeBody>('GET', `/v1/service-types/${tenant.serviceTypeId}`, { token: dispatcher }))
      .body;
  const newWorkOrder = async () => {
    const created = await api<WorkOrderBody>('POST', '/v1/work-orders', {
      token: dispatcher,
      body: aWorkOrderRequest(tenant),
    });
    expect(created.status).toBe(201);
    return created.body.id;
  };
  /** Waits until the workflow has put a duration on the work order. */
  const enriched = (id: string) =>
    eventually(async () => {
      const { body } = await api<WorkOrderBody>('GET', `/v1/work-orders/${id}`, { token: dispatcher });
      return body.estimatedMinutes !== undefined ? body : undefined;
    }, 15_000);

  beforeAll(async () => {
    tenant = await aTenant(entities);
    [dispatcher, technician] = await Promise.all([
      tokenFor('dispatcher', tenant.tenantId),
      tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId }),
    ]);
  });

  it('when jobs of a type are completed, new work orders of the type are booked for what those jobs took', async () => {
    // Arrange: one job done through the API, from the first call to the sign-off
    const first = await newWorkOrder();
    expect(await enriched(first)).toMatchObject({ estimatedMinutes: 90, durationBasis: 'service type' });
    const steps: [string, string, unknown][] = [
      [dispatcher, 'schedule', { start: aMorning(10) }],
      [dispatcher, 'dispatch', { technicianId: tenant.technicianId }],
      [technician, 'field-status', { status: 'en_route' }],
      [technician, 'field-status', { status: 'arrived' }],
      [technician, 'field-status', { status: 'in_progress' }],
      [technician, 'notes', { text: 'Replaced the run capacitor; cooling again' }],
      [technician, 'labor', { minutes: 100 }],
    ];
    for (const [token, verb, body] of steps) {
      const response = await act(token, first, verb, body);
      expect(response.status, `${verb} ${JSON.stringify(body)}`).toBeLessThan(300);
    }
    // The customer signs the summary they were shown.
    const shown = await api<{ summaryHash: string }>('GET', `/v1/work-orders/${first}/summary`, {
      token: technician,
    });
    const completion = await act(technician, first, 'complete', {
      signature: { signerName: 'Pat Doe', summaryHash: shown.body.summaryHash },
    });
    expect(completion.status).toBe(200);
    const completed = (await api<WorkOrderBody>('GET', `/v1/work-orders/${first}`, { token: dispatcher }))
      .body;
    // Four earlier jobs of the type, as their completions recorded them.
    await Promise.all(
      [95, 110, 130, 150].map((minutes, index) =>
        entities.jobDuration
          .put({
            tenantId: tenant.tenantId,
            serviceTypeId: tenant.serviceTypeId,
            workOrderId: `wo_${ulid()}`,
            completedAt: new Date(Date.now() - (index + 1) * 86_400_000).toISOString(),
            minutes,
            technicianId: tenant.technicianId,
          })
          .go(),
      ),
    );

    // Act
    const next = await newWorkOrder();
    const refined = await enriched(next);
    const scheduled = await act(dispatcher, next, 'schedule', { start: aMorning(11) });
    const serviceType = await readServiceType();

    // Assert: arrival and completion were tapped together, so the 100 minutes of labor stand for
    // the first job; the median of 95, 100, 110, 130 and 150 is 110, rounded up to 120.
    expect(completed).toMatchObject({ status: 'completed', arrivedAt: expect.any(String) });
    const recorded = await entities.jobDuration.query
      .byServiceType({ tenantId: tenant.tenantId, serviceTypeId: tenant.serviceTypeId })
      .go();
    expect(recorded.data.find((job) => job.workOrderId === first)).toMatchObject({
      minutes: 100,
      completedAt: completed.completedAt,
      technicianId: tenant.technicianId,
    });
    expect(refined).toMatchObject({ estimatedMinutes: 120, durationBasis: 'past jobs' });
    expect(scheduled.status).toBe(200);
    const booked = scheduled.body.schedule;
    expect(booked && Date.parse(booked.end) - Date.parse(booked.start)).toBe(120 * 60_000);
    expect(serviceType).toMatchObject({
      estimatedMinutes: serviceTypeTerms.estimatedMinutes,
      durationEstimate: { minutes: 120, basis: 'past jobs', sampleCount: 5 },
    });
  });

  it('when a service type has fewer than five jobs, it shows the catalogue duration as the estimate', async () => {
    // Arrange
    const fresh = await aTenant(entities);
    const token = await tokenFor('technician', fresh.tenantId, { technicianId: fresh.technicianId });
    await entities.jobDuration
      .put({
        tenantId: fresh.tenantId,
        serviceTypeId: fresh.serviceTypeId,
        workOrderId: `wo_${ulid()}`,
        completedAt: new Date().toISOString(),
        minutes: 30,
      })
      .go();

    // Act
    const read = await api<ServiceTypeBody>('GET', `/v1/service-types/${fresh.serviceTypeId}`, { token });

    // Assert
    expect(read.status).toBe(200);
    expect(read.body.durationEstimate).toEqual({
      minutes: serviceTypeTerms.estimatedMinutes,
      basis: 'service type',
      sampleCount: 1,
    });
  });
});
