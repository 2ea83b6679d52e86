import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFunctions } from '../../lambdas/handlers/functions.ts';
import { lambdaContext } from '../../lib/local/gateway.ts';
import { projectRoot } from '../../lib/local/platform.ts';
import { aStoredWorkOrder, aTenant } from '../fixtures/tenants.ts';
import { tableEntities } from '../helpers/local-platform.ts';
import { aCheckoutCompleted, aSentInvoice, stripeSignature } from '../helpers/payment-events.ts';
import { startWorkflowHarness, type WorkflowHarness } from '../helpers/workflow-harness.ts';

const entities = tableEntities();

type Handler = (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

/** Tomorrow at `hour` UTC: inside the fixture technicians' Chicago working day. */
const tomorrowAt = (hour: number) => {
  const day = new Date(Date.now() + 24 * 60 * 60 * 1000);
  day.setUTCHours(hour, 0, 0, 0);
  return day.toISOString();
};

describe("a card payment answering the workflow's AwaitPayment (the ASL run by the local engine)", () => {
  let harness: WorkflowHarness;
  let paymentsHandler: Handler;

  beforeAll(async () => {
    harness = await startWorkflowHarness({ retryDelayMs: 5 });
    // Loaded after the harness has set the environment, as the Lambda would be.
    paymentsHandler = (
      (await import(pathToFileURL(join(projectRoot, apiFunctions.payments.entry)).href)) as {
        handler: Handler;
      }
    ).handler;
  });
  afterAll(() => harness.stop());

  /** Posts a body to the payments function as API Gateway would deliver Stripe's request. */
  const deliver = async (body: string) => {
    const result = await paymentsHandler(
      {
        version: '2.0',
        routeKey: 'POST /v1/payments/stripe/webhook',
        rawPath: '/v1/payments/stripe/webhook',
        rawQueryString: '',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': stripeSignature(body),
        },
        body,
        isBase64Encoded: false,
        requestContext: {
          requestId: `req-${Date.now()}`,
          http: { method: 'POST', path: '/v1/payments/stripe/webhook' },
        },
      },
      lambdaContext('payments'),
    );
    return { status: result.statusCode, body: JSON.parse(result.body ?? 'null') as Record<string, unknown> };
  };

  /** A work order invoiced and sent, its execution waiting in AwaitPayment. */
  async function aJobAwaitingPayment() {
    const tenant = await aTenant(entities);
    const stored = await aStoredWorkOrder(entities, tenant, {
      status: 'invoiced',
      serviceTypeId: tenant.serviceTypeId,
      scheduledStart: tomorrowAt(13),
      scheduledDate: tomorrowAt(13).slice(0, 10),
      technicianId: tenant.technicianId,
    });
    const invoice = await aSentInvoice(entities, stored);
    await entities.workOrder
      .patch({ tenantId: tenant.tenantId, workOrderId: stored.workOrderId })
      .set({ invoiceId: invoice.invoiceId })
      .go();
    harness.start(stored.workOrderId, {
      tenantId: tenant.tenantId,
      workOrderId: stored.workOrderId,
      resumeAt: 'AwaitPayment',
    });
    await harness.waitingIn(tenant.tenantId, stored.workOrderId, 'AwaitPayment');
    return { tenantId: tenant.tenantId, id: stored.workOrderId, invoice };
  }

  it('when the customer pays the whole balance, the work order is paid and the execution ends Closed', async () => {
    // Arrange
    const job = await aJobAwaitingPayment();
    const event = aCheckoutCompleted(job.invoice, 18_000);

    // Act
    const response = await deliver(event.body);
    const record = await harness.finished(job.id);

    // Assert
    expect(response).toMatchObject({ status: 200, body: { outcome: 'recorded' } });
    expect(record.status).toBe('SUCCEEDED');
    expect(harness.statesEntered(job.id)).toEqual(['AwaitPayment', 'CloseWorkOrder']);
    expect(await harness.stored(job.tenantId, job.id)).toMatchObject({
      status: 'paid',
      workflowState: 'Closed',
    });
    expect(harness.eventsPublished(job.id)).toEqual(['WorkOrder.PaymentRecorded', 'WorkOrder.Closed']);
  });

  it('when the customer pays part of it, the execution keeps waiting with the rest owed; paying the rest closes it', async () => {
    // Arrange
    const job = await aJobAwaitingPayment();
    const deposit = aCheckoutCompleted(job.invoice, 8_000);
    const rest = aCheckoutCompleted(job.invoice, 10_000);

    // Act
    const first = await deliver(deposit.body);
    const waiting = await harness.waitingIn(job.tenantId, job.id, 'AwaitPayment');
    const invoiceAfterDeposit = await entities.invoice
      .get({ tenantId: job.tenantId, workOrderId: job.id, invoiceId: job.invoice.invoiceId })
      .go();
    const second = await deliver(rest.body);
    const record = await harness.finished(job.id);

    // Assert
    expect(first).toMatchObject({ status: 200, body: { outcome: 'recorded' } });
    expect(waiting).toMatchObject({ status: 'invoiced', workflowState: 'AwaitPayment' });
    expect(invoiceAfterDeposit.data).toMatchObject({
      status: 'partially_paid',
      amountPaid: 8_000,
      total: 18_000,
    });
    expect(second).toMatchObject({ status: 200, body: { outcome: 'recorded' } });
    expect(record.status).toBe('SUCCEEDED');
    expect(await harness.stored(job.tenantId, job.id)).toMatchObject({
      status: 'paid',
      workflowState: 'Closed',
    });
  });
});
