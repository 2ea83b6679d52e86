import { beforeAll, describe, expect, it } from 'vitest';
import { aTenant, aWorkOrderRequest, serviceTypeTerms, type TenantFixture } from '../fixtures/tenants.ts';
import { api, eventually, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

interface WorkOrderBody {
  id: string;
  status: string;
  invoiceId?: string;
  workflow: { state: string };
}
interface OutboxBody {
  items: { workOrderId?: string; channel: string; to: string; subject?: string; body: string }[];
}
interface PaymentsBody {
  status: string;
  balance: number;
  amountPaid: number;
  items: { amount: number; method: string; reference?: string; recordedBy: string }[];
}

const terminalStates = ['Closed', 'WorkOrderCancelled', 'NeedsAttention'];

/** Tomorrow at 14:00 UTC (08:00 or 09:00 in Chicago), a slot per test two hours apart. */
const aFreeSlot = (() => {
  let taken = 0;
  return () => {
    const start = new Date(Date.now() + 24 * 60 * 60 * 1000).setUTCHours(14 + 2 * taken, 0, 0, 0);
    taken += 1;
    return new Date(start).toISOString();
  };
})();

/** Real HTTP to a pay link, as the customer's browser (HTML) or a script (JSON) sends it. */
const visit = async (url: string, method: 'GET' | 'POST', accept = 'application/json') => {
  const response = await fetch(url, { method, headers: { accept } });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
};

describe('paying an invoice through the local pay link (local platform)', () => {
  let tenant: TenantFixture;
  let dispatcher: string;
  let technician: string;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    [dispatcher, technician] = await Promise.all([
      tokenFor('dispatcher', tenant.tenantId),
      tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId }),
    ]);
  });

  const act = (token: string, id: string, verb: string, body: unknown = {}) =>
    api<WorkOrderBody>('POST', `/v1/work-orders/${id}/${verb}`, { token, body });

  async function workflowIn(id: string, state: string): Promise<WorkOrderBody> {
    const seen = await eventually(async () => {
      const { body } = await api<WorkOrderBody>('GET', `/v1/work-orders/${id}`, { token: dispatcher });
      return body.workflow.state === state || terminalStates.includes(body.workflow.state) ? body : undefined;
    }, 20_000);
    expect(seen.workflow.state, `the workflow of ${id}`).toBe(state);
    return seen;
  }

  /** A job taken from the first call to an approved invoice, its execution waiting for payment. */
  async function aJobAwaitingPayment(): Promise<WorkOrderBody> {
    const created = await api<WorkOrderBody>('POST', '/v1/work-orders', {
      token: dispatcher,
      body: aWorkOrderRequest(tenant),
    });
    expect(created.status).toBe(201);
    const { id } = created.body;
    const steps: [string, string, unknown][] = [
      [dispatcher, 'schedule', { start: aFreeSlot() }],
      [dispatcher, 'dispatch', { technicianId: tenant.technicianId }],
      [technician, 'field-status', { status: 'en_route' }],
      [technician, 'field-status', { status: 'arrived' }],
      [technician, 'field-status', { status: 'in_progress' }],
      [technician, 'notes', { text: 'Replaced the run capacitor; cooling restored' }],
      [technician, 'labor', { minutes: 90 }],
    ];
    for (const [token, verb, body] of steps) {
      const response = await act(token, id, verb, body);
      expect(response.status, `${verb} ${JSON.stringify(body)}`).toBeLessThan(300);
    }
    const shown = await api<{ summaryHash: string }>('GET', `/v1/work-orders/${id}/summary`, {
      token: technician,
    });
    const completed = await act(technician, id, 'complete', {
      signature: { signerName: 'Pat Doe', summaryHash: shown.body.summaryHash },
    });
    expect(completed.status).toBe(200);
    await workflowIn(id, 'AwaitApproval');
    expect((await act(dispatcher, id, 'invoice/approve')).status).toBe(200);
    return workflowIn(id, 'AwaitPayment');
  }

  /**
   * The invoice message the customer received for the work order, and the local pay link the
   * invoice page it links to sends them to when they press pay.
   */
  async function invoiceMessage(id: string) {
    const outbox = await api<OutboxBody>('GET', '/local/outbox', { token: dispatcher });
    const message = outbox.body.items.find(
      (item) => item.workOrderId === id && item.body.includes('/pages/invoice/'),
    );
    const page = /(http:\/\/127\.0\.0\.1:\d+\/pages\/invoice\/[\w.-]+)/.exec(message?.body ?? '')?.[1];
    const pay = page ? await fetch(`${page}/pay`, { method: 'POST', redirect: 'manual' }) : undefined;
    const link = pay?.headers.get('location')?.split('?')[0];
    return { message, link };
  }

  it('when the customer follows the link in the invoice message and pays, the payment is recorded by card, the work order is paid and its execution Closed', async () => {
    // Arrange
    const job = await aJobAwaitingPayment();
    const total = serviceTypeTerms.laborRatePerHour * 1.5 + serviceTypeTerms.tripCharge;
    const { message, link } = await invoiceMessage(job.id);
    expect(message).toMatchObject({ channel: 'sms', to: '+13125550100' });
    expect(link, 'the pay link in the invoice message').toBeDefined();
    const shown = await visit(link ?? '', 'GET', 'text/html');

    // Act
    const paid = await visit(link ?? '', 'POST');
    const closed = await workflowIn(job.id, 'Closed');

    // Assert
    expect(shown.status).toBe(200);
    expect(shown.type).toMatch(/^text\/html/);
    expect(shown.text).toContain(`Invoice ${job.invoiceId}`);
    expect(shown.text).toContain('Pay $255.00');
    expect(paid.status).toBe(200);
    expect(JSON.parse(paid.text)).toMatchObject({
      invoiceId: job.invoiceId,
      amount: total,
      currency: 'USD',
      webhook: { received: true, outcome: 'recorded' },
    });
    expect(closed.status).toBe('paid');
    const payments = await api<PaymentsBody>('GET', `/v1/invoices/${job.invoiceId}/payments`, {
      token: dispatcher,
    });
    expect(payments.body).toMatchObject({ status: 'paid', amountPaid: total, balance: 0 });
    expect(payments.body.items).toEqual([
      expect.objectContaining({
        amount: total,
        method: 'card',
        recordedBy: 'payments',
        reference: expect.stringMatching(/^pi_local_/),
      }),
    ]);
    const again = await visit(link ?? '', 'POST');
    expect(again.status).toBe(409);
    expect((await visit(link ?? '', 'GET', 'text/html')).text).toContain('This invoice is paid');
  });

  it('when the invoice was sent, the office gets a 15-minute link to its PDF', async () => {
    // Arrange
    const job = await aJobAwaitingPayment();

    // Act
    const link = await api<{ url: string; expiresAt: string }>('GET', `/v1/invoices/${job.invoiceId}/pdf`, {
      token: dispatcher,
    });
    const pdf = await fetch(link.body.url);

    // Assert
    expect(link.status).toBe(200);
    expect(Date.parse(link.body.expiresAt) - Date.now()).toBeGreaterThan(14 * 60 * 1000);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('when a pay link is tampered with, it is refused and nothing is paid', async () => {
    // Arrange
    const job = await aJobAwaitingPayment();
    const { link } = await invoiceMessage(job.id);
    const [body = '', signature = ''] = (link ?? '').split('/local/pay/')[1]?.split('.') ?? [];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${(link ?? '').split('/local/pay/')[0]}/local/pay/${Buffer.from(JSON.stringify({ ...claims, expiresAt: 4_000_000_000 })).toString('base64url')}.${signature}`;

    // Act
    const responses = [await visit(forged, 'GET', 'text/html'), await visit(forged, 'POST')];

    // Assert
    expect(responses.map((response) => response.status)).toEqual([404, 404]);
    const payments = await api<PaymentsBody>('GET', `/v1/invoices/${job.invoiceId}/payments`, {
      token: dispatcher,
    });
    expect(payments.body).toMatchObject({ status: 'sent', amountPaid: 0, items: [] });
    expect((await workflowIn(job.id, 'AwaitPayment')).status).toBe('invoiced');
  });
});
