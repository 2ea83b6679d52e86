import { beforeAll, describe, expect, it } from 'vitest';
import { aTenant, aWorkOrderRequest, serviceTypeTerms } from '../fixtures/tenants.ts';
import { aCrew, type Crew, freeSlots } from '../helpers/crew.ts';
import { api, eventually, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

interface WorkOrderBody {
  id: string;
  status: string;
  invoiceId?: string;
  workflow: { state: string };
}

interface InvoiceLineBody {
  kind?: string;
  description: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  taxable: boolean;
  note?: string;
}

interface InvoiceBody {
  id: string;
  workOrderId: string;
  status: string;
  lines: InvoiceLineBody[];
  subtotal: number;
  taxableSubtotal: number;
  taxRatePerMillion: number;
  tax: number;
  total: number;
  balance: number;
  dueDate: string;
  isOverdue: boolean;
  discount?: Record<string, unknown>;
  notes?: string;
  replaces?: string;
  replacedBy?: string;
  voided?: { reason: string };
  version: number;
}

interface ProblemBody {
  status: number;
  currentStatus?: string;
  errors?: { field: string; message: string }[];
}

interface PageBody<T> {
  items: T[];
  nextCursor?: string;
}

const terminalStates = ['Closed', 'WorkOrderCancelled', 'NeedsAttention'];

const aFreeSlot = freeSlots();

const act = <T = WorkOrderBody>(token: string, id: string, verb: string, body: unknown = {}) =>
  api<T>('POST', `/v1/work-orders/${id}/${verb}`, { token, body });

const readInvoice = (token: string, id: string) =>
  api<InvoiceBody & ProblemBody>('GET', `/v1/invoices/${id}`, { token });

/** Waits until the work order's execution is in `state`; stops on any terminal state. */
async function workflowIn(crew: Crew, id: string, state: string): Promise<WorkOrderBody> {
  const seen = await eventually(async () => {
    const { body } = await api<WorkOrderBody>('GET', `/v1/work-orders/${id}`, { token: crew.dispatcher });
    return body.workflow.state === state || terminalStates.includes(body.workflow.state) ? body : undefined;
  }, 20_000);
  expect(seen.workflow.state, `the workflow of ${id}`).toBe(state);
  return seen;
}

/** A work order taken through the field with 90 minutes of labor, signed, and its draft invoice generated. */
async function aCompletedWorkOrder(
  crew: Crew,
  options: { parts?: { partId: string; quantity: number }[] } = {},
) {
  const created = await api<WorkOrderBody>('POST', '/v1/work-orders', {
    token: crew.dispatcher,
    body: aWorkOrderRequest(crew.tenant),
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  const steps: [string, string, unknown][] = [
    [crew.dispatcher, 'schedule', { start: aFreeSlot() }],
    [crew.dispatcher, 'dispatch', { technicianId: crew.tenant.technicianId }],
    [crew.technician, 'field-status', { status: 'en_route' }],
    [crew.technician, 'field-status', { status: 'arrived' }],
    [crew.technician, 'field-status', { status: 'in_progress' }],
    [crew.technician, 'notes', { text: 'Replaced the run capacitor and tested' }],
    [crew.technician, 'labor', { minutes: 90 }],
    ...(options.parts ?? []).map((part): [string, string, unknown] => [crew.technician, 'parts', part]),
  ];
  for (const [token, verb, body] of steps) {
    const response = await act(token, id, verb, body);
    expect(response.status, `${verb} ${JSON.stringify(body)}`).toBeLessThan(300);
  }
  const shown = await api<{ summaryHash: string }>('GET', `/v1/work-orders/${id}/summary`, {
    token: crew.technician,
  });
  const completed = await act(crew.technician, id, 'complete', {
    signature: { signerName: 'Pat Doe', summaryHash: shown.body.summaryHash },
  });
  expect(completed.status).toBe(200);
  const awaiting = await workflowIn(crew, id, 'AwaitApproval');
  if (!awaiting.invoiceId) throw new Error(`No invoice on ${id}`);
  return { workOrderId: id, invoiceId: awaiting.invoiceId };
}

// 90 minutes at the fixture's 12 000 an hour, and its 7 500 trip: 25 500, untaxed by default.
const defaultTotal = serviceTypeTerms.laborRatePerHour * 1.5 + serviceTypeTerms.tripCharge;

describe('pricing settings through the API', () => {
  let crew: Crew;

  beforeAll(async () => {
    crew = await aCrew(entities);
  });

  it('when the office reads them before any are set, they are the defaults that charge nothing extra', async () => {
    // Act
    const { status, body } = await api<Record<string, unknown>>('GET', '/v1/settings/pricing', {
      token: crew.dispatcher,
    });

    // Assert
    expect(status).toBe(200);
    expect(body).toMatchObject({
      levelMultipliersBasisPoints: { apprentice: 10000, technician: 10000, senior: 10000, master: 10000 },
      partsPricing: 'captured',
      taxRatePerMillion: 0,
      paymentTermsDays: 14,
    });
  });

  it('when an admin changes rules, they are kept; a dispatcher may not change them and a technician may not read them', async () => {
    // Act
    const changed = await api<Record<string, unknown>>('PATCH', '/v1/settings/pricing', {
      token: crew.admin,
      body: {
        levelMultipliersBasisPoints: { senior: 12_500 },
        partsMarkup: {
          defaultBasisPoints: 4_000,
          byCategory: [{ category: 'Capacitors', basisPoints: 15_000 }],
        },
      },
    });
    const read = await api<Record<string, unknown>>('GET', '/v1/settings/pricing', {
      token: crew.dispatcher,
    });
    const byDispatcher = await api('PATCH', '/v1/settings/pricing', {
      token: crew.dispatcher,
      body: { taxRatePerMillion: 1 },
    });
    const byTechnician = await api('GET', '/v1/settings/pricing', { token: crew.technician });

    // Assert
    expect(changed.status).toBe(200);
    expect(read.body).toMatchObject({
      levelMultipliersBasisPoints: { apprentice: 10000, technician: 10000, senior: 12500, master: 10000 },
      partsMarkup: { defaultBasisPoints: 4000, byCategory: [{ category: 'Capacitors', basisPoints: 15000 }] },
    });
    expect([byDispatcher.status, byTechnician.status]).toEqual([403, 403]);
  });

  it('when rules are out of range, it answers 400 naming each field', async () => {
    // Act
    const { status, body } = await api<ProblemBody>('PATCH', '/v1/settings/pricing', {
      token: crew.admin,
      body: {
        emergencyMultiplierBasisPoints: 5_000,
        businessHours: { 1: [{ start: '17:00', end: '08:00' }] },
        partsPricing: 'guess',
      },
    });

    // Assert
    expect(status).toBe(400);
    expect(body.errors?.map((error) => error.field)).toEqual(['body.partsPricing']);
    const ranges = await api<ProblemBody>('PATCH', '/v1/settings/pricing', {
      token: crew.admin,
      body: {
        emergencyMultiplierBasisPoints: 5_000,
        businessHours: { 1: [{ start: '17:00', end: '08:00' }] },
      },
    });
    expect(ranges.status).toBe(400);
    expect(ranges.body.errors?.map((error) => error.field)).toEqual([
      'body.businessHours.1.0.end',
      'body.emergencyMultiplierBasisPoints',
    ]);
  });
});

describe('invoices through the API', () => {
  let crew: Crew;
  let otherTenantDispatcher: string;

  beforeAll(async () => {
    crew = await aCrew(entities);
    otherTenantDispatcher = await tokenFor('dispatcher', (await aTenant(entities)).tenantId);
  });

  it('when a work order is completed, its draft invoice reads with its lines, totals, balance and standing', async () => {
    // Arrange
    const { workOrderId, invoiceId } = await aCompletedWorkOrder(crew);

    // Act
    const { status, body, headers } = await readInvoice(crew.dispatcher, invoiceId);

    // Assert
    expect(status).toBe(200);
    expect(headers.get('etag')).toBe('"1"');
    expect(body).toMatchObject({
      id: invoiceId,
      workOrderId,
      status: 'draft',
      subtotal: defaultTotal,
      tax: 0,
      total: defaultTotal,
      balance: defaultTotal,
      isOverdue: false,
      version: 1,
    });
    expect(body.lines.map((line) => [line.kind, line.amount, line.taxable])).toEqual([
      ['labor', 18_000, false],
      ['trip', 7_500, false],
    ]);
  });

  it('when listed by status, it is among the drafts; due before today it is not; a status is required', async () => {
    // Arrange
    const { invoiceId } = await aCompletedWorkOrder(crew);
    const today = new Date().toISOString().slice(0, 10);

    // Act
    const drafts = await api<PageBody<InvoiceBody>>('GET', '/v1/invoices?status=draft&limit=100', {
      token: crew.dispatcher,
    });
    const dueBeforeToday = await api<PageBody<InvoiceBody>>(
      'GET',
      `/v1/invoices?status=draft&dueBefore=${today}`,
      {
        token: crew.dispatcher,
      },
    );
    const withoutStatus = await api<ProblemBody>('GET', '/v1/invoices', { token: crew.dispatcher });

    // Assert
    expect(drafts.status).toBe(200);
    expect(drafts.body.items.map((invoice) => invoice.id)).toContain(invoiceId);
    const dueDates = drafts.body.items.map((invoice) => invoice.dueDate);
    expect(dueDates).toEqual([...dueDates].sort());
    expect(dueBeforeToday.body.items).toEqual([]);
    expect(withoutStatus.status).toBe(400);
    expect(withoutStatus.body.errors?.map((error) => error.field)).toEqual(['query.status']);
  });

  it('when the office discounts a draft, the totals are settled again; typed totals and stale versions are refused', async () => {
    // Arrange
    const { invoiceId } = await aCompletedWorkOrder(crew);

    // Act
    const discounted = await api<InvoiceBody>('PATCH', `/v1/invoices/${invoiceId}`, {
      token: crew.dispatcher,
      headers: { 'if-match': '"1"' },
      body: {
        discount: { type: 'percent', basisPoints: 1_000, reason: 'Returning customer' },
        notes: 'Thank you!',
      },
    });
    const typedTotal = await api<ProblemBody>('PATCH', `/v1/invoices/${invoiceId}`, {
      token: crew.dispatcher,
      body: { total: 1 },
    });
    const stale = await api<ProblemBody>('PATCH', `/v1/invoices/${invoiceId}`, {
      token: crew.dispatcher,
      headers: { 'if-match': '"1"' },
      body: { notes: 'again' },
    });
    const tooMuch = await api<ProblemBody>('PATCH', `/v1/invoices/${invoiceId}`, {
      token: crew.dispatcher,
      body: { discount: { type: 'amount', amount: defaultTotal + 1 } },
    });

    // Assert: 25 500 − 10 % = 22 950.
    expect(discounted.status).toBe(200);
    expect(discounted.body).toMatchObject({ total: 22_950, notes: 'Thank you!', version: 2 });
    expect(discounted.body.lines.at(-1)).toMatchObject({
      kind: 'discount',
      amount: -2_550,
      note: 'Returning customer',
    });
    expect(typedTotal.status).toBe(400);
    expect(typedTotal.body.errors?.map((error) => error.field)).toEqual(['body.total']);
    expect(stale.status).toBe(409);
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.errors?.map((error) => error.field)).toEqual(['body.discount.amount']);
  });

  it('when the technician’s level, the location’s tax and the rules change, recalculating reprices the draft from them', async () => {
    // Arrange
    const own = await aCrew(entities);
    const part = await api<{ id: string }>('POST', '/v1/parts', {
      token: own.admin,
      body: {
        sku: 'CAP-45-5',
        name: 'Run capacitor',
        category: 'Capacitors',
        unit: 'each',
        unitCost: 1_250,
        unitPrice: 3_900,
      },
    });
    expect(part.status).toBe(201);
    const { invoiceId } = await aCompletedWorkOrder(own, { parts: [{ partId: part.body.id, quantity: 2 }] });
    await api('PATCH', '/v1/settings/pricing', {
      token: own.admin,
      body: {
        levelMultipliersBasisPoints: { senior: 12_500 },
        laborTaxable: true,
        taxRatePerMillion: 62_500,
        partsPricing: 'markup',
        partsMarkup: {
          defaultBasisPoints: 5_000,
          byCategory: [{ category: 'capacitors', basisPoints: 20_000 }],
        },
      },
    });
    await api('PATCH', `/v1/technicians/${own.tenant.technicianId}`, {
      token: own.admin,
      body: { level: 'senior' },
    });
    const byDispatcher = await api('PATCH', `/v1/locations/${own.tenant.locationId}`, {
      token: own.dispatcher,
      body: { taxRatePerMillion: 88_750 },
    });
    expect(byDispatcher.status).toBe(403);
    await api('PATCH', `/v1/locations/${own.tenant.locationId}`, {
      token: own.admin,
      body: { taxRatePerMillion: 88_750 },
    });

    // Act
    const first = await api<InvoiceBody>('POST', `/v1/invoices/${invoiceId}/recalculate`, {
      token: own.dispatcher,
      headers: { 'idempotency-key': `recalculate-${invoiceId}` },
    });
    const replayed = await api<InvoiceBody>('POST', `/v1/invoices/${invoiceId}/recalculate`, {
      token: own.dispatcher,
      headers: { 'idempotency-key': `recalculate-${invoiceId}` },
    });

    // Assert: senior rate 15 000, 1.5 h = 22 500 (taxable); capacitors at cost 1 250 + 200 % = 3 750 × 2 = 7 500
    // (taxable); trip 7 500: 37 500. Tax at the location's 8.875 % of 30 000 = 2 662.5 → 2 663; 40 163.
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      subtotal: 37_500,
      taxableSubtotal: 30_000,
      taxRatePerMillion: 88_750,
      tax: 2_663,
      total: 40_163,
      version: 2,
    });
    expect(first.body.lines.map((line) => [line.description, line.unitPrice, line.amount])).toEqual([
      ['Labor: AC repair (senior technician)', 15_000, 22_500],
      ['Run capacitor (CAP-45-5)', 3_750, 7_500],
      ['Trip charge', 7_500, 7_500],
    ]);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(replayed.body).toEqual(first.body);
  });

  it('when a sent invoice is voided, a fresh draft replaces it, the workflow awaits its approval again, and the job can still be paid', async () => {
    // Arrange
    const { workOrderId, invoiceId } = await aCompletedWorkOrder(crew);
    expect((await act(crew.dispatcher, workOrderId, 'invoice/approve')).status).toBe(200);
    await workflowIn(crew, workOrderId, 'AwaitPayment');

    // Act
    const voided = await api<{ voided: InvoiceBody; replacement: InvoiceBody }>(
      'POST',
      `/v1/invoices/${invoiceId}/void`,
      {
        token: crew.dispatcher,
        body: { reason: 'Billed at the wrong rate' },
      },
    );
    const back = await workflowIn(crew, workOrderId, 'AwaitApproval');

    // Assert
    expect(voided.status).toBe(200);
    const replacementId = voided.body.replacement.id;
    expect(voided.body.voided).toMatchObject({
      status: 'void',
      voided: { reason: 'Billed at the wrong rate' },
      replacedBy: replacementId,
    });
    expect(back).toMatchObject({ status: 'completed', invoiceId: replacementId });
    expect((await readInvoice(crew.dispatcher, replacementId)).body).toMatchObject({
      status: 'draft',
      replaces: invoiceId,
      total: defaultTotal,
    });
    expect((await readInvoice(crew.dispatcher, invoiceId)).body.status).toBe('void');
    const again = await api<ProblemBody>('POST', `/v1/invoices/${invoiceId}/void`, {
      token: crew.dispatcher,
      body: { reason: 'Twice' },
    });
    expect(again.status).toBe(409);

    // The replacement goes the usual way: approved, sent, paid, closed.
    expect((await act(crew.dispatcher, workOrderId, 'invoice/approve')).status).toBe(200);
    await workflowIn(crew, workOrderId, 'AwaitPayment');
    expect(
      (await act(crew.dispatcher, workOrderId, 'payments', { amount: defaultTotal, method: 'cash' })).status,
    ).toBe(200);
    await workflowIn(crew, workOrderId, 'Closed');
  });

  it('when another tenant asks for the invoice, it is not found; a technician is forbidden', async () => {
    // Arrange
    const { invoiceId } = await aCompletedWorkOrder(crew);

    // Act
    const responses = await Promise.all([
      readInvoice(otherTenantDispatcher, invoiceId),
      api('PATCH', `/v1/invoices/${invoiceId}`, { token: otherTenantDispatcher, body: { notes: 'x' } }),
      api('POST', `/v1/invoices/${invoiceId}/void`, { token: otherTenantDispatcher, body: { reason: 'x' } }),
      api('POST', `/v1/invoices/${invoiceId}/recalculate`, { token: otherTenantDispatcher }),
      readInvoice(crew.technician, invoiceId),
      api('GET', '/v1/invoices?status=draft', { token: crew.technician }),
      api('POST', `/v1/invoices/${invoiceId}/void`, { token: crew.technician, body: { reason: 'x' } }),
    ]);

    // Assert
    expect(responses.map((response) => response.status)).toEqual([404, 404, 404, 404, 403, 403, 403]);
    expect((await readInvoice(crew.dispatcher, invoiceId)).body).toMatchObject({
      status: 'draft',
      version: 1,
    });
  });
});
