import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Invoice } from '../../lambdas/domain/invoicing/invoice.ts';
import { addLocalDays } from '../../lambdas/domain/scheduling/local-time.ts';
import { aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

interface PlanBody {
  invoiceId: string;
  amount: number;
  balance: number;
  instalments: {
    number: number;
    dueDate: string;
    amount: number;
    amountPaid: number;
    status: string;
    paidAt?: string;
  }[];
  nextDue?: { number: number; dueDate: string; amount: number };
}

interface ProblemBody {
  status: number;
  errors?: { field: string; message: string }[];
}

const today = () => format(new TZDate(Date.now(), 'America/Chicago'), 'yyyy-MM-dd');

describe('payment plans through the API', () => {
  let tenant: TenantFixture;
  let dispatcher: string;

  /** A sent invoice of 318.58 with a deposit of 18.58, stored as invoicing leaves it; `owner` holds it. */
  async function aSentInvoice(owner: 'work order' | 'agreement' = 'work order'): Promise<Invoice> {
    const id = ulid();
    const at = new Date().toISOString();
    const invoice: Invoice = {
      tenantId: tenant.tenantId,
      workOrderId: owner === 'work order' ? `wo_${id}` : `agr_${ulid()}`,
      invoiceId: `inv_${id}`,
      customerId: tenant.customerId,
      status: 'partially_paid',
      currency: 'USD',
      lines: [
        { description: 'Labor: AC repair', quantity: 1, unit: 'hour', unitPrice: 31_858, amount: 31_858 },
      ],
      subtotal: 31_858,
      tax: 0,
      total: 31_858,
      amountPaid: 1_858,
      dueDate: addLocalDays(today(), 14),
      sentAt: at,
      version: 3,
      createdAt: at,
      updatedAt: at,
    };
    await entities.invoice.create(invoice).go();
    await payment(invoice, 1_858, at);
    return invoice;
  }

  /** A payment recorded as the payment transition records it: the payment item and the invoice's total paid. */
  async function payment(invoice: Invoice, amount: number, at: string) {
    await entities.payment
      .create({
        tenantId: invoice.tenantId,
        workOrderId: invoice.workOrderId,
        paymentId: `pay_${ulid()}`,
        invoiceId: invoice.invoiceId,
        amount,
        method: 'card',
        recordedBy: 'test',
        at,
      })
      .go();
  }

  beforeAll(async () => {
    tenant = await aTenant(entities);
    dispatcher = await tokenFor('dispatcher', tenant.tenantId);
  });

  it('when the office splits the balance into three, the plan adds up to the balance and every instalment is due', async () => {
    // Arrange
    const invoice = await aSentInvoice();

    // Act
    const created = await api<PlanBody>('POST', `/v1/invoices/${invoice.invoiceId}/payment-plan`, {
      token: dispatcher,
      body: { count: 3, every: 'month' },
      headers: { 'idempotency-key': `plan-${invoice.invoiceId}` },
    });

    // Assert
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/invoices/${invoice.invoiceId}/payment-plan`);
    expect(created.body).toMatchObject({ invoiceId: invoice.invoiceId, amount: 30_000, balance: 30_000 });
    expect(created.body.instalments.map((instalment) => [instalment.amount, instalment.status])).toEqual([
      [10_000, 'due'],
      [10_000, 'due'],
      [10_000, 'due'],
    ]);
    expect(created.body.instalments[0]?.dueDate).toBe(invoice.dueDate);
    expect(created.body.nextDue).toEqual({ number: 1, dueDate: invoice.dueDate, amount: 10_000 });
  });

  it('when payments are recorded after the plan, its instalments are paid oldest first', async () => {
    // Arrange
    const invoice = await aSentInvoice();
    await api('POST', `/v1/invoices/${invoice.invoiceId}/payment-plan`, {
      token: dispatcher,
      body: { count: 2 },
    });
    const paidAt = new Date().toISOString();
    await payment(invoice, 16_000, paidAt);
    await entities.invoice
      .patch({ tenantId: invoice.tenantId, workOrderId: invoice.workOrderId, invoiceId: invoice.invoiceId })
      .set({ amountPaid: 1_858 + 16_000, version: 4 })
      .go();

    // Act
    const read = await api<PlanBody>('GET', `/v1/invoices/${invoice.invoiceId}/payment-plan`, {
      token: dispatcher,
    });

    // Assert
    expect(read.status).toBe(200);
    expect(read.body.balance).toBe(14_000);
    expect(
      read.body.instalments.map(({ status, amountPaid, paidAt: at }) => [status, amountPaid, at]),
    ).toEqual([
      ['paid', 15_000, paidAt],
      ['due', 1_000, undefined],
    ]);
    expect(read.body.nextDue).toMatchObject({ number: 2, amount: 14_000 });
  });

  it('when the invoice already has a plan, another is refused with 409', async () => {
    // Arrange
    const invoice = await aSentInvoice();
    await api('POST', `/v1/invoices/${invoice.invoiceId}/payment-plan`, {
      token: dispatcher,
      body: { count: 2 },
    });

    // Act
    const second = await api<ProblemBody>('POST', `/v1/invoices/${invoice.invoiceId}/payment-plan`, {
      token: dispatcher,
      body: { count: 4 },
    });

    // Assert
    expect(second.status).toBe(409);
  });

  it('when the amounts given miss the balance, it answers 422 naming body.instalments; both forms at once is 400', async () => {
    // Arrange
    const invoice = await aSentInvoice();
    const path = `/v1/invoices/${invoice.invoiceId}/payment-plan`;

    // Act
    const short = await api<ProblemBody>('POST', path, {
      token: dispatcher,
      body: {
        instalments: [
          { dueDate: addLocalDays(today(), 7), amount: 10_000 },
          { dueDate: addLocalDays(today(), 37), amount: 10_000 },
        ],
      },
    });
    const both = await api<ProblemBody>('POST', path, {
      token: dispatcher,
      body: { count: 2, instalments: [{ dueDate: addLocalDays(today(), 7) }] },
    });
    const none = await api<ProblemBody>('GET', path, { token: dispatcher });

    // Assert
    expect(short.status).toBe(422);
    expect(short.body.errors).toEqual([
      {
        field: 'body.instalments',
        message: 'the amounts add up to 20000; they must add up to the balance, 30000',
      },
    ]);
    expect(both.status).toBe(400);
    expect(both.body.errors?.map((error) => error.field)).toEqual(['body.count']);
    expect(none.status).toBe(404);
  });

  it('when the invoice is an agreement’s (its id names no work order), it is found by its id', async () => {
    // Arrange
    const invoice = await aSentInvoice('agreement');

    // Act
    const created = await api<PlanBody>('POST', `/v1/invoices/${invoice.invoiceId}/payment-plan`, {
      token: dispatcher,
      body: { instalments: [{ dueDate: addLocalDays(today(), 1), amount: 30_000 }] },
    });

    // Assert
    expect(created.status).toBe(201);
    expect(created.body.instalments).toEqual([
      { number: 1, dueDate: addLocalDays(today(), 1), amount: 30_000, amountPaid: 0, status: 'due' },
    ]);
  });

  it('when a technician asks it is 403; an unknown or another tenant’s invoice is 404', async () => {
    // Arrange
    const invoice = await aSentInvoice();
    const [technician, stranger] = await Promise.all([
      tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId }),
      tokenFor('dispatcher', (await aTenant(entities)).tenantId),
    ]);

    // Act
    const forbidden = await api('POST', `/v1/invoices/${invoice.invoiceId}/payment-plan`, {
      token: technician,
      body: { count: 2 },
    });
    const hidden = await api('POST', `/v1/invoices/${invoice.invoiceId}/payment-plan`, {
      token: stranger,
      body: { count: 2 },
    });
    const unknown = await api('GET', `/v1/invoices/inv_${ulid()}/payment-plan`, { token: dispatcher });

    // Assert
    expect([forbidden.status, hidden.status, unknown.status]).toEqual([403, 404, 404]);
  });
});
