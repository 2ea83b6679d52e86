import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entities } from '../../lambdas/adapters/dynamodb/entities.ts';
import { addLocalDays } from '../../lambdas/domain/scheduling/local-time.ts';
import { instantOfWallClock } from '../../lambdas/domain/shared/schedule-time.ts';
import type { Role } from '../../lambdas/shared/roles.ts';
import type { Platform } from '../../lib/local/platform.ts';
import { aTenant, aWorkOrderRequest, serviceTypeTerms, type TenantFixture } from '../fixtures/tenants.ts';
import { eventually } from '../helpers/local-platform.ts';
import { callApi, type OwnPlatform, startOwnPlatform, tokenOfRole } from '../helpers/own-platform.ts';

// The local clock belongs to the whole platform, and moving it months ahead would move it for
// every other test: this file runs a platform of its own.

const zone = 'America/Chicago';
const terminalStates = ['Closed', 'WorkOrderCancelled', 'NeedsAttention'];

interface ClockBody {
  now: string;
  offsetMinutes: number;
  fired?: number;
}

describe('the local clock and what it fires (a platform of its own)', () => {
  let platform: Platform;
  let own: OwnPlatform | undefined;
  let entities: Entities;

  const call = <T = Record<string, unknown>>(method: string, path: string, token: string, body?: unknown) =>
    callApi<T>(platform, method, path, token, body);
  const tokenOf = (role: Role, tenant: TenantFixture) => tokenOfRole(platform, role, tenant);
  const outboxOf = async (tenantId: string) =>
    (await entities.outboxMessage.query.byTenant({ tenantId }).go({ pages: 'all' })).data;
  const moveClock = async (admin: string, body: unknown) => {
    const moved = await call<ClockBody>('POST', '/local/clock', admin, body);
    expect(moved.status).toBe(200);
    return moved.body;
  };
  /** The tenant's local day by the platform's clock now. */
  const clockToday = async (admin: string) =>
    format(new TZDate((await call<ClockBody>('GET', '/local/clock', admin)).body.now, zone), 'yyyy-MM-dd');

  /** A work order taken through the API until its invoice is sent and the workflow awaits payment. */
  async function aSentInvoice(
    tenant: TenantFixture,
    slot: number,
  ): Promise<{ workOrderId: string; invoiceId: string }> {
    const [dispatcher, technician] = await Promise.all([
      tokenOf('dispatcher', tenant),
      tokenOf('technician', tenant),
    ]);
    const created = await call<{ id: string }>(
      'POST',
      '/v1/work-orders',
      dispatcher,
      aWorkOrderRequest(tenant),
    );
    expect(created.status).toBe(201);
    const id = created.body.id;
    const start = new Date(
      new Date(Date.now() + 86_400_000).setUTCHours(13 + 2 * slot, 0, 0, 0),
    ).toISOString();
    const steps: [string, string, unknown][] = [
      [dispatcher, 'schedule', { start }],
      [dispatcher, 'dispatch', { technicianId: tenant.technicianId }],
      [technician, 'field-status', { status: 'en_route' }],
      [technician, 'field-status', { status: 'arrived' }],
      [technician, 'field-status', { status: 'in_progress' }],
      [technician, 'notes', { text: 'Replaced the capacitor' }],
      [technician, 'labor', { minutes: 90 }],
    ];
    for (const [token, verb, body] of steps) {
      const response = await call('POST', `/v1/work-orders/${id}/${verb}`, token, body);
      expect(response.status, `${verb} ${JSON.stringify(body)}`).toBeLessThan(300);
    }
    const shown = await call<{ summaryHash: string }>('GET', `/v1/work-orders/${id}/summary`, technician);
    const completed = await call('POST', `/v1/work-orders/${id}/complete`, technician, {
      signature: { signerName: 'Pat Doe', summaryHash: shown.body.summaryHash },
    });
    expect(completed.status).toBe(200);
    await workflowIn(dispatcher, id, 'AwaitApproval');
    expect((await call('POST', `/v1/work-orders/${id}/invoice/approve`, dispatcher, {})).status).toBe(200);
    const awaiting = await workflowIn(dispatcher, id, 'AwaitPayment');
    return { workOrderId: id, invoiceId: String(awaiting.invoiceId) };
  }
  async function workflowIn(token: string, id: string, state: string) {
    const seen = await eventually(async () => {
      const { body } = await call<{ invoiceId?: string; workflow: { state: string } }>(
        'GET',
        `/v1/work-orders/${id}`,
        token,
      );
      return body.workflow.state === state || terminalStates.includes(body.workflow.state) ? body : undefined;
    }, 20_000);
    expect(seen.workflow.state, `the workflow of ${id}`).toBe(state);
    return seen;
  }

  beforeAll(async () => {
    own = await startOwnPlatform('clock');
    ({ platform, entities } = own);
  }, 120_000);

  afterAll(async () => {
    await own?.stop();
  });

  it('when an admin reads and moves the clock, it goes forward only; others may not touch it', async () => {
    // Arrange
    const tenant = await aTenant(entities);
    const [admin, dispatcher] = await Promise.all([tokenOf('admin', tenant), tokenOf('dispatcher', tenant)]);

    // Act
    const before = await call<ClockBody>('GET', '/local/clock', admin);
    const forward = await call<ClockBody>('POST', '/local/clock', admin, { advanceMinutes: 30 });
    const backward = await call<{ status: number }>('POST', '/local/clock', admin, { to: before.body.now });
    const neither = await call<{ errors: { field: string }[] }>('POST', '/local/clock', admin, {});
    const notAdmin = await call('POST', '/local/clock', dispatcher, { advanceMinutes: 5 });

    // Assert
    expect(before).toMatchObject({ status: 200, body: { offsetMinutes: 0 } });
    expect(forward.status).toBe(200);
    expect(forward.body.offsetMinutes).toBe(30);
    expect(Date.parse(forward.body.now) - Date.parse(before.body.now)).toBeGreaterThanOrEqual(30 * 60_000);
    expect(backward.status).toBe(409);
    expect(neither.status).toBe(400);
    expect(neither.body.errors.map((error) => error.field)).toEqual(['body.advanceMinutes']);
    expect(notAdmin.status).toBe(403);
  });

  it('when the clock passes an unpaid invoice’s due date, the customer is reminded and it is overdue; a paid one gets nothing', async () => {
    // Arrange
    const tenant = await aTenant(entities);
    const [admin, dispatcher] = await Promise.all([tokenOf('admin', tenant), tokenOf('dispatcher', tenant)]);
    const unpaid = await aSentInvoice(tenant, 0);
    const paid = await aSentInvoice(tenant, 1);
    const total = serviceTypeTerms.laborRatePerHour * 1.5 + serviceTypeTerms.tripCharge;
    const payment = await call<{ status: string }>(
      'POST',
      `/v1/work-orders/${paid.workOrderId}/payments`,
      dispatcher,
      {
        amount: total,
        method: 'check',
      },
    );
    expect(payment.body.status).toBe('paid');
    // The payment leaves no balance: the paid invoice's pending check is deleted.
    await eventually(async () => {
      const { data } = await entities.localSchedule.get({ name: `invoice-overdue-${paid.invoiceId}` }).go();
      return data ? undefined : true;
    }, 20_000);
    const { data: invoiceBefore } = await entities.invoice
      .get({ tenantId: tenant.tenantId, workOrderId: unpaid.workOrderId, invoiceId: unpaid.invoiceId })
      .go();
    const dueDate = invoiceBefore?.dueDate ?? '';

    // Act: to noon local, two days after the due date.
    const moved = await moveClock(admin, {
      to: instantOfWallClock(`${addLocalDays(dueDate, 2)}T12:00:00`, zone).toISOString(),
    });

    // Assert
    expect(moved.fired).toBeGreaterThanOrEqual(1);
    const reminders = (await outboxOf(tenant.tenantId)).filter((message) =>
      message.subject?.startsWith('Past due:'),
    );
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({
      workOrderId: unpaid.workOrderId,
      to: '+13125550100',
      subject: `Past due: invoice ${unpaid.invoiceId} from Test Heating & Air`,
    });
    const { data: invoiceAfter } = await entities.invoice
      .get({ tenantId: tenant.tenantId, workOrderId: unpaid.workOrderId, invoiceId: unpaid.invoiceId })
      .go();
    expect(invoiceAfter?.overdueSince).toBeDefined();
    expect(Date.parse(invoiceAfter?.overdueSince ?? '')).toBeGreaterThan(
      instantOfWallClock(`${addLocalDays(dueDate, 1)}T08:59:00`, zone).getTime(),
    );
    const { data: paidAfter } = await entities.invoice
      .get({ tenantId: tenant.tenantId, workOrderId: paid.workOrderId, invoiceId: paid.invoiceId })
      .go();
    expect(paidAfter).toMatchObject({ status: 'paid' });
    expect(paidAfter?.overdueSince).toBeUndefined();
    // The next check waits a week.
    const { data: next } = await entities.localSchedule
      .get({ name: `invoice-overdue-${unpaid.invoiceId}-2` })
      .go();
    expect(next).toMatchObject({ state: 'pending' });
  }, 120_000);

  it('when a quarterly agreement’s year passes on the clock, it has four invoices, and a schedule fired twice adds none', async () => {
    // Arrange
    const tenant = await aTenant(entities);
    const [admin, dispatcher] = await Promise.all([tokenOf('admin', tenant), tokenOf('dispatcher', tenant)]);
    const termStart = addLocalDays(await clockToday(admin), 1);
    const created = await call<{ id: string; termEnd: string }>('POST', '/v1/agreements', dispatcher, {
      customerId: tenant.customerId,
      name: 'Comfort Club',
      serviceTypeIds: [tenant.serviceTypeId],
      billing: { frequency: 'quarterly', amount: 8_900 },
      memberDiscountBasisPoints: 1_000,
      includedVisitsPerTerm: 2,
      termStart,
    });
    expect(created.status).toBe(201);
    const agreementId = created.body.id;
    const invoicesOf = async () =>
      (
        await call<{ items: { id: string; description: string; total: number; status: string }[] }>(
          'GET',
          `/v1/agreements/${agreementId}/invoices`,
          dispatcher,
        )
      ).body.items;

    // Act: a year and a day, then period 2's schedule delivered a second time.
    await moveClock(admin, { advanceMinutes: 367 * 24 * 60 });
    const afterAYear = await invoicesOf();
    await entities.localSchedule
      .patch({ name: `agreement-billing-${agreementId}-1` })
      .set({ state: 'pending' })
      .go();
    const again = await moveClock(admin, { advanceMinutes: 1 });

    // Assert
    expect(afterAYear.map((invoice) => invoice.total)).toEqual([8_900, 8_900, 8_900, 8_900]);
    for (const invoice of afterAYear) {
      expect(invoice.description).toMatch(/^Comfort Club, \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}$/);
    }
    expect(afterAYear).toHaveLength(4);
    expect(afterAYear[0]?.description).toContain(`Comfort Club, ${termStart} to`);
    expect(again.fired).toBeGreaterThanOrEqual(1);
    // The same four (each has meanwhile had its first overdue check, due a minute after it was sent).
    expect((await invoicesOf()).map((invoice) => invoice.id)).toEqual(
      afterAYear.map((invoice) => invoice.id),
    );
    const billed = (await outboxOf(tenant.tenantId)).filter((message) =>
      afterAYear.some((invoice) => message.subject?.startsWith(`Invoice ${invoice.id} `)),
    );
    expect(billed).toHaveLength(4);
    const agreement = await call<{ nextBillingOn: string | null }>(
      'GET',
      `/v1/agreements/${agreementId}`,
      dispatcher,
    );
    expect(agreement.body.nextBillingOn).toBeNull();
  }, 120_000);
});
