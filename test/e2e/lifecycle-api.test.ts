import { beforeAll, describe, expect, it } from 'vitest';
import { aWorkOrderRequest, serviceTypeTerms } from '../fixtures/tenants.ts';
import { aCrew, type Crew, freeSlots } from '../helpers/crew.ts';
import { api, eventually, tableEntities } from '../helpers/local-platform.ts';

const entities = tableEntities();

interface WorkOrderBody {
  id: string;
  status: string;
  version: number;
  customerId: string;
  locationId?: string;
  serviceTypeId?: string;
  description: string;
  technicianId?: string;
  schedule?: { start: string; end: string };
  invoiceId?: string;
  followUpOf?: string;
  followUpWorkOrderIds?: string[];
  workflow: { state: string; since: string };
  allowedActions: string[];
}

interface ProblemBody {
  status: number;
  detail: string;
  currentStatus?: string;
  allowedActions?: string[];
  missing?: string[];
  version?: number;
}

interface TimelineBody {
  items: {
    id: string;
    action: string;
    actorId: string;
    actorRole: string;
    at: string;
    changes: Record<string, { before?: unknown; after?: unknown }>;
  }[];
}

interface OutboxBody {
  items: { workOrderId?: string; to: string; subject?: string }[];
}

const terminalStates = ['Closed', 'WorkOrderCancelled', 'NeedsAttention'];

/** A visit slot no other work order of this file has. */
const aFreeSlot = freeSlots();

async function aNewWorkOrder(crew: Crew, overrides: Record<string, unknown> = {}): Promise<string> {
  const created = await api<WorkOrderBody>('POST', '/v1/work-orders', {
    token: crew.dispatcher,
    body: aWorkOrderRequest(crew.tenant, overrides),
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

const act = <T = WorkOrderBody>(token: string, id: string, verb: string, body: unknown = {}) =>
  api<T>('POST', `/v1/work-orders/${id}/${verb}`, { token, body });

const read = (token: string, id: string) => api<WorkOrderBody>('GET', `/v1/work-orders/${id}`, { token });

const timeline = async (token: string, id: string) =>
  (await api<TimelineBody>('GET', `/v1/work-orders/${id}/timeline?limit=100`, { token })).body.items;

/** Waits until the work order's execution is in `state`; stops polling on any terminal state. */
async function workflowIn(token: string, id: string, state: string): Promise<WorkOrderBody> {
  const seen = await eventually(async () => {
    const { body } = await read(token, id);
    return body.workflow.state === state || terminalStates.includes(body.workflow.state) ? body : undefined;
  }, 15_000);
  expect(seen.workflow.state, `the workflow of ${id}`).toBe(state);
  return seen;
}

/** The field path through the API, step by step, each answered 200. */
async function takeThrough(crew: Crew, id: string, until: 'scheduled' | 'dispatched' | 'in_progress') {
  const steps: [string, string, unknown, string][] = [
    [crew.dispatcher, 'schedule', { start: aFreeSlot() }, 'scheduled'],
    [crew.dispatcher, 'dispatch', { technicianId: crew.tenant.technicianId }, 'dispatched'],
    [crew.technician, 'field-status', { status: 'en_route' }, 'en_route'],
    [crew.technician, 'field-status', { status: 'arrived' }, 'arrived'],
    [crew.technician, 'field-status', { status: 'in_progress' }, 'in_progress'],
  ];
  for (const [token, verb, body, status] of steps) {
    const response = await act(token, id, verb, body);
    expect(response.status, `${verb} ${JSON.stringify(body)}`).toBe(200);
    expect(response.body.status).toBe(status);
    if (status === until) return;
  }
}

/** The signature of the customer who was shown the work summary as it is now. */
async function signatureOf(crew: Crew, id: string, signerName: string) {
  const shown = await api<{ summaryHash: string }>('GET', `/v1/work-orders/${id}/summary`, {
    token: crew.technician,
  });
  expect(shown.status).toBe(200);
  return { signerName, summaryHash: shown.body.summaryHash };
}

async function recordTheWork(crew: Crew, id: string) {
  const note = await act(crew.technician, id, 'notes', { text: 'Capacitor failed; replaced it and tested' });
  const labor = await act(crew.technician, id, 'labor', { minutes: 90 });
  expect([note.status, labor.status]).toEqual([201, 201]);
}

describe('the work-order lifecycle through the API (local platform)', () => {
  let crew: Crew;

  beforeAll(async () => {
    crew = await aCrew(entities);
  });

  it('when a job goes from the first call to payment, the workflow ends Closed and the timeline tells every step with who and when, in order', async () => {
    const started = new Date().toISOString();
    const id = await aNewWorkOrder(crew);
    await takeThrough(crew, id, 'in_progress');
    await recordTheWork(crew, id);
    const completed = await act(crew.technician, id, 'complete', {
      signature: await signatureOf(crew, id, 'Pat Doe'),
    });
    await workflowIn(crew.dispatcher, id, 'AwaitApproval');
    const approved = await act(crew.dispatcher, id, 'invoice/approve');
    await workflowIn(crew.dispatcher, id, 'AwaitPayment');
    const total = serviceTypeTerms.laborRatePerHour * 1.5 + serviceTypeTerms.tripCharge;
    const deposit = await act(crew.dispatcher, id, 'payments', { amount: 5_000, method: 'card' });

    const paid = await act(crew.dispatcher, id, 'payments', { amount: total - 5_000, method: 'card' });
    const closed = await workflowIn(crew.dispatcher, id, 'Closed');

    expect([completed.body.status, approved.body.status, deposit.body.status, paid.body.status]).toEqual([
      'completed',
      'invoiced',
      'invoiced',
      'paid',
    ]);
    expect(closed).toMatchObject({ status: 'paid', allowedActions: [] });
    const events = await timeline(crew.dispatcher, id);
    const byPeople = events.filter((event) => event.actorRole !== 'system');
    expect(byPeople.map((event) => [event.action, event.actorRole])).toEqual([
      ['created', 'dispatcher'],
      ['schedule', 'dispatcher'],
      ['dispatch', 'dispatcher'],
      ['startTravel', 'technician'],
      ['arrive', 'technician'],
      ['startWork', 'technician'],
      ['note_added', 'technician'],
      ['labor_recorded', 'technician'],
      ['complete', 'technician'],
      ['approveInvoice', 'dispatcher'],
      ['recordPayment', 'dispatcher'],
      ['recordPayment', 'dispatcher'],
    ]);
    // Only the people's actions happened one after the other; the workflow's steps ran alongside them.
    const times = byPeople.map((event) => event.at);
    expect(times).toEqual([...times].sort());
    expect(times[0]! >= started).toBe(true);
    expect(
      byPeople.every((event) => event.actorId === `local-${event.actorRole}-${crew.tenant.tenantId}`),
    ).toBe(true);
    expect(events.flatMap((event) => (event.changes.status ? [event.changes.status.after] : []))).toEqual([
      'new',
      'scheduled',
      'dispatched',
      'en_route',
      'arrived',
      'in_progress',
      'completed',
      'invoiced',
      'paid',
    ]);
    expect(events.filter((event) => event.actorRole === 'system').map((event) => event.action)).toEqual(
      expect.arrayContaining([
        'customer_confirmation_sent',
        'technician_notified',
        'summary_compiled',
        'invoice_generated',
        'customer_invoice_sent',
      ]),
    );
    // The invoice is priced from the labor and the service type, never typed in.
    expect(
      events.find((event) => event.action === 'invoice_generated')?.changes.invoice?.after,
    ).toMatchObject({
      total,
      currency: 'USD',
    });
  });

  it('when an action does not fit the current status, it is refused with 409, the current status and what is allowed now', async () => {
    const id = await aNewWorkOrder(crew);
    const dispatchedId = await aNewWorkOrder(crew);
    await takeThrough(crew, dispatchedId, 'dispatched');

    const refused = await Promise.all([
      act<ProblemBody>(crew.dispatcher, id, 'dispatch', { technicianId: crew.tenant.technicianId }),
      act<ProblemBody>(crew.dispatcher, id, 'complete', {
        signature: { signerName: 'Pat Doe', summaryHash: '0'.repeat(64) },
      }),
      act<ProblemBody>(crew.dispatcher, id, 'invoice/approve'),
      act<ProblemBody>(crew.dispatcher, id, 'payments', { amount: 100, method: 'cash' }),
      act<ProblemBody>(crew.dispatcher, id, 'resume'),
    ]);
    const technicianSkipsAhead = await act<ProblemBody>(crew.technician, dispatchedId, 'field-status', {
      status: 'in_progress',
    });

    for (const response of refused) {
      expect(response.status).toBe(409);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        status: 409,
        currentStatus: 'new',
        allowedActions: ['schedule', 'cancel', 'hold'],
      });
    }
    expect(technicianSkipsAhead.status).toBe(409);
    expect(technicianSkipsAhead.body).toMatchObject({
      currentStatus: 'dispatched',
      allowedActions: ['startTravel'],
    });
    const unchanged = await read(crew.dispatcher, id);
    expect(unchanged.body.status).toBe('new');
    expect(
      (await timeline(crew.dispatcher, id)).filter((event) => event.actorRole !== 'system'),
    ).toHaveLength(1);
  });

  it('when the office acts on a version it no longer has, it is refused with 409 and the current version', async () => {
    const id = await aNewWorkOrder(crew);
    const current = await workflowIn(crew.dispatcher, id, 'AwaitScheduling');

    const stale = await api<ProblemBody>('POST', `/v1/work-orders/${id}/hold`, {
      token: crew.dispatcher,
      body: { reason: 'Waiting for parts' },
      headers: { 'if-match': `"${current.version - 1}"` },
    });
    const fresh = await api<WorkOrderBody>('POST', `/v1/work-orders/${id}/hold`, {
      token: crew.dispatcher,
      body: { reason: 'Waiting for parts' },
      headers: { 'if-match': `"${current.version}"` },
    });

    expect(current.version).toBeGreaterThan(1);
    expect(stale.status).toBe(409);
    expect(stale.body.version).toBe(current.version);
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ status: 'on_hold', version: current.version + 1 });
  });

  it('when a stage gate is not met, the action is refused with 422 naming what is missing, and nothing changes', async () => {
    const noAddressNoService = await aNewWorkOrder(crew, { locationId: undefined, serviceTypeId: undefined });
    const scheduled = await aNewWorkOrder(crew);
    await takeThrough(crew, scheduled, 'scheduled');
    const working = await aNewWorkOrder(crew);
    await takeThrough(crew, working, 'in_progress');

    const schedule = await act<ProblemBody>(crew.dispatcher, noAddressNoService, 'schedule', {
      start: aFreeSlot(),
    });
    const dispatchNobody = await act<ProblemBody>(crew.dispatcher, scheduled, 'dispatch', {});
    const dispatchThePlumber = await act<ProblemBody>(crew.dispatcher, scheduled, 'dispatch', {
      technicianId: crew.tenant.unqualifiedTechnicianId,
    });
    const completeUnrecorded = await act<ProblemBody>(crew.technician, working, 'complete', {});
    await recordTheWork(crew, working);
    const completeUnsigned = await act<ProblemBody>(crew.technician, working, 'complete', {});

    expect(
      [schedule, dispatchNobody, dispatchThePlumber, completeUnrecorded, completeUnsigned].map(
        (response) => response.status,
      ),
    ).toEqual([422, 422, 422, 422, 422]);
    expect(schedule.body.missing).toEqual(['serviceLocation', 'serviceType']);
    expect(dispatchNobody.body.missing).toEqual(['technician']);
    expect(dispatchThePlumber.body.missing).toEqual(['technician skill: hvac']);
    expect(completeUnrecorded.body.missing).toEqual(['workNote', 'labor', 'customerSignature']);
    expect(completeUnsigned.body.missing).toEqual(['customerSignature']);
    const statuses = await Promise.all(
      [noAddressNoService, scheduled, working].map(
        async (id) => (await read(crew.dispatcher, id)).body.status,
      ),
    );
    expect(statuses).toEqual(['new', 'scheduled', 'in_progress']);
  });

  it('when no signature could be taken, the reason recorded instead lets the job be completed', async () => {
    const id = await aNewWorkOrder(crew);
    await takeThrough(crew, id, 'in_progress');
    await recordTheWork(crew, id);

    const completed = await act(crew.technician, id, 'complete', {
      noSignatureReason: 'Tenant not home; landlord approved by phone',
    });

    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({
      status: 'completed',
      noSignatureReason: 'Tenant not home; landlord approved by phone',
    });
  });

  it('when 20 requests book the same work order at once, exactly one wins, the others get 409, and one booking is recorded and confirmed', async () => {
    const id = await aNewWorkOrder(crew);
    await workflowIn(crew.dispatcher, id, 'AwaitScheduling');
    const slots = Array.from({ length: 20 }, aFreeSlot);

    const responses = await Promise.all(
      slots.map((start) => act<WorkOrderBody & ProblemBody>(crew.dispatcher, id, 'schedule', { start })),
    );

    const winners = responses.filter((response) => response.status === 200);
    expect(winners).toHaveLength(1);
    expect(responses.filter((response) => response.status === 409)).toHaveLength(19);
    const booked = await workflowIn(crew.dispatcher, id, 'AwaitDispatch');
    expect(booked.schedule?.start).toBe(winners[0]?.body.schedule?.start);
    const bookings = (await timeline(crew.dispatcher, id)).filter((event) => event.action === 'schedule');
    expect(bookings).toHaveLength(1);
    const outbox = await api<OutboxBody>('GET', '/local/outbox', { token: crew.dispatcher });
    const confirmations = outbox.body.items.filter(
      (message) => message.workOrderId === id && message.subject?.startsWith('Your AC repair visit'),
    );
    expect(confirmations).toHaveLength(1);
  });

  it('when a technician asks for a work order assigned to someone else, it does not exist for them', async () => {
    const id = await aNewWorkOrder(crew);
    await takeThrough(crew, id, 'dispatched');
    // Settled: the workflow's own writes (the confirmation record) are done before the comparison.
    await workflowIn(crew.dispatcher, id, 'AwaitFieldWork');

    const asAssigned = await read(crew.technician, id);
    const asOther = await read(crew.otherTechnician, id);
    const otherTimeline = await api('GET', `/v1/work-orders/${id}/timeline`, { token: crew.otherTechnician });
    const otherMoves = await act(crew.otherTechnician, id, 'field-status', { status: 'en_route' });
    const otherNotes = await act(crew.otherTechnician, id, 'notes', { text: 'Was here' });
    const otherList = await api<{ items: WorkOrderBody[] }>('GET', '/v1/work-orders?status=dispatched', {
      token: crew.otherTechnician,
    });

    expect(asAssigned.status).toBe(200);
    expect(asAssigned.body.allowedActions).toEqual(['startTravel']);
    expect([asOther.status, otherTimeline.status, otherMoves.status, otherNotes.status]).toEqual([
      404, 404, 404, 404,
    ]);
    expect(otherList.status).toBe(200);
    expect(otherList.body.items.map((workOrder) => workOrder.id)).not.toContain(id);
    expect((await read(crew.dispatcher, id)).body).toMatchObject({
      status: 'dispatched',
      version: asAssigned.body.version,
    });
  });

  it('when a follow-up is asked for at completion, the workflow creates it for the same customer and home, linked both ways', async () => {
    const id = await aNewWorkOrder(crew);
    await takeThrough(crew, id, 'in_progress');
    await recordTheWork(crew, id);

    await act(crew.technician, id, 'complete', {
      signature: await signatureOf(crew, id, 'Pat Doe'),
      followUp: { description: 'Condenser is 18 years old: quote a replacement', priority: 'routine' },
    });
    const original = await workflowIn(crew.dispatcher, id, 'AwaitApproval');

    expect(original.followUpWorkOrderIds).toHaveLength(1);
    const followUpId = original.followUpWorkOrderIds?.[0] ?? '';
    const followUp = await read(crew.dispatcher, followUpId);
    expect(followUp.status).toBe(200);
    expect(followUp.body).toMatchObject({
      followUpOf: id,
      status: 'new',
      customerId: crew.tenant.customerId,
      locationId: crew.tenant.locationId,
      serviceTypeId: crew.tenant.serviceTypeId,
      description: 'Condenser is 18 years old: quote a replacement',
    });
    await workflowIn(crew.dispatcher, followUpId, 'AwaitScheduling');
    const history = await api<{ items: WorkOrderBody[] }>(
      'GET',
      `/v1/work-orders?customerId=${crew.tenant.customerId}&limit=100`,
      { token: crew.dispatcher },
    );
    expect(history.body.items.find((workOrder) => workOrder.id === followUpId)?.followUpOf).toBe(id);
  });
});
