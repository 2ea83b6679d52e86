import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { slicesOf } from '../../lambdas/domain/scheduling/time-slices.ts';
import { actionRules, type WorkOrderAction } from '../../lambdas/domain/work-orders/lifecycle.ts';
import type { WorkOrderStatus } from '../../lambdas/domain/work-orders/work-order.ts';
import { aStoredWorkOrder, aWorkOrderRequest, fixtureWorkingHours } from '../fixtures/tenants.ts';
import { aCrew, type Crew } from '../helpers/crew.ts';
import {
  aJobInProgress,
  aPart,
  setNegativeStock,
  stockOf,
  stockUp,
  truckOf,
  useParts,
} from '../helpers/inventory.ts';
import {
  type ApiResponse,
  api,
  describeExecution,
  eventually,
  tableEntities,
} from '../helpers/local-platform.ts';
import { aSentInvoice } from '../helpers/payment-events.ts';
import { reliabilityFigures } from '../helpers/reliability-figures.ts';

const entities = tableEntities();

/** What the file sends at once, for the README's Reliability section. */
const figures = reliabilityFigures('concurrency', { concurrentRequests: 0 });

/** Sends the requests all at once, and counts them. */
function atOnce<T>(requests: Promise<T>[]): Promise<T[]> {
  figures.concurrentRequests += requests.length;
  return Promise.all(requests);
}

type WorkOrderBody = { id: string; status: WorkOrderStatus; version: number; technicianId?: string };
type Problem = { status: number; title: string; detail: string };
/** A work order on success, a problem document otherwise. */
type Answer = ApiResponse<WorkOrderBody & { title?: string; detail?: string }>;

/** One request of a storm on a work order: the action it asks for, through its route. */
interface Move {
  action: WorkOrderAction;
  verb: string;
  body: Record<string, unknown>;
  /** Sent with `If-Match` of the version read before the storm. */
  ifMatch?: boolean;
}

const inDays = (days: number, hourUtc: number, minute = 0) => {
  const at = new Date(Date.now() + days * 86_400_000);
  at.setUTCHours(hourUtc, minute, 0, 0);
  return at.toISOString();
};

/**
 * Twenty requests that mostly exclude each other on a scheduled work order: hold and resume
 * (which can take turns), dispatch, set out, report a delay, reschedule and book again, and
 * cancel last of all; one of each kind pinned with `If-Match` to the version read before.
 */
function conflictingMoves(crew: Crew, rebookAt: string): Move[] {
  const technicianId = crew.tenant.technicianId;
  const hold = (reason: string, ifMatch = false): Move => ({
    action: 'hold',
    verb: 'hold',
    body: { reason },
    ...(ifMatch ? { ifMatch } : {}),
  });
  const resume: Move = { action: 'resume', verb: 'resume', body: {} };
  const dispatch = (ifMatch = false): Move => ({
    action: 'dispatch',
    verb: 'dispatch',
    body: { technicianId },
    ...(ifMatch ? { ifMatch } : {}),
  });
  const setOut: Move = { action: 'startTravel', verb: 'field-status', body: { status: 'en_route' } };
  const delay: Move = { action: 'reportDelay', verb: 'delay', body: { reason: 'Traffic on the interstate' } };
  const reschedule = (ifMatch = false): Move => ({
    action: 'reschedule',
    verb: 'reschedule',
    body: { reason: 'Customer asked for later' },
    ...(ifMatch ? { ifMatch } : {}),
  });
  const book: Move = { action: 'schedule', verb: 'schedule', body: { start: rebookAt, technicianId } };
  const cancel = (ifMatch = false): Move => ({
    action: 'cancel',
    verb: 'cancel',
    body: { reason: 'Customer sold the house' },
    ...(ifMatch ? { ifMatch } : {}),
  });
  return [
    hold('Waiting for the landlord', true),
    dispatch(true),
    resume,
    hold('Parts on back order'),
    dispatch(),
    resume,
    setOut,
    hold('Customer travelling'),
    delay,
    resume,
    setOut,
    reschedule(true),
    hold('Gate locked'),
    delay,
    book,
    resume,
    reschedule(),
    book,
    cancel(true),
    cancel(),
  ];
}

/** Sends every move at once, as the office would from many screens. */
function storm(crew: Crew, workOrderId: string, moves: Move[], versionRead: number) {
  return atOnce(
    moves.map((move) =>
      api<WorkOrderBody & { title?: string; detail?: string }>(
        'POST',
        `/v1/work-orders/${workOrderId}/${move.verb}`,
        {
          token: crew.dispatcher,
          body: move.body,
          ...(move.ifMatch ? { headers: { 'if-match': `"${versionRead}"` } } : {}),
        },
      ),
    ),
  );
}

interface Accepted {
  move: Move;
  answer: Answer;
}

/**
 * What every storm must leave: each answer a success or a clean 409 problem, no two accepted
 * changes writing the same version, each accepted action legal from the status the one
 * before it left, and a request pinned to the version read only accepted as the first change.
 */
function expectNoLostUpdate(
  moves: Move[],
  answers: Answer[],
  before: { status: WorkOrderStatus; version: number },
): Accepted[] {
  for (const answer of answers) {
    expect([200, 409], JSON.stringify(answer.body)).toContain(answer.status);
    if (answer.status === 409) {
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      expect(answer.body as unknown).toMatchObject({ status: 409, title: 'Conflict' });
    }
  }
  const accepted = moves
    .map((move, index) => ({ move, answer: answers[index] as Answer }))
    .filter(({ answer }) => answer.status === 200)
    .sort((a, b) => a.answer.body.version - b.answer.body.version);
  expect(accepted.length).toBeGreaterThan(0);
  const versions = accepted.map(({ answer }) => answer.body.version);
  expect(new Set(versions).size, `versions ${versions}`).toBe(versions.length);
  let status = before.status;
  for (const { move, answer } of accepted) {
    expect(actionRules[move.action].from, `${move.action} from ${status}`).toContain(status);
    if (move.ifMatch) expect(answer.body.version).toBe(before.version + 1);
    status = answer.body.status;
  }
  return accepted;
}

async function timelineOf(crew: Crew, workOrderId: string) {
  const { data } = await entities.workOrderEvent.query
    .byWorkOrder({ tenantId: crew.tenant.tenantId, workOrderId })
    .go({ pages: 'all' });
  return data;
}

const countBy = (values: string[]) =>
  values.reduce<Record<string, number>>((counts, value) => {
    counts[value] = (counts[value] ?? 0) + 1;
    return counts;
  }, {});

/** The waiting states an execution may rest in for each status a storm can leave. */
const restingStates: Partial<Record<WorkOrderStatus, string[]>> = {
  new: ['AwaitScheduling'],
  scheduled: ['AwaitDispatch'],
  dispatched: ['AwaitFieldWork'],
  en_route: ['AwaitFieldWork'],
  on_hold: ['AwaitScheduling', 'AwaitDispatch', 'AwaitFieldWork'],
};

describe('conflicting requests at once (DynamoDB Local, real HTTP)', () => {
  it('when 20 conflicting transitions hit one work order at once, each is accepted or a clean 409, one audit event and one version per accepted change', async () => {
    // Arrange: a booked work order with no execution, so that only these requests change it.
    const crew = await aCrew(entities);
    const stored = await aStoredWorkOrder(entities, crew.tenant, {
      status: 'new',
      serviceTypeId: crew.tenant.serviceTypeId,
    });
    const id = stored.workOrderId;
    const booked = await api<WorkOrderBody>('POST', `/v1/work-orders/${id}/schedule`, {
      token: crew.dispatcher,
      body: { start: inDays(3, 15), technicianId: crew.tenant.technicianId },
    });
    expect(booked.status).toBe(200);
    const moves = conflictingMoves(crew, inDays(4, 15));
    expect(moves).toHaveLength(20);
    const eventsBefore = (await timelineOf(crew, id)).length;

    // Act
    const answers = await storm(crew, id, moves, booked.body.version);

    // Assert
    const accepted = expectNoLostUpdate(moves, answers, booked.body);
    // Nothing else writes this work order: the accepted changes are versions v+1 … v+n.
    expect(accepted.map(({ answer }) => answer.body.version)).toEqual(
      accepted.map((_, index) => booked.body.version + index + 1),
    );
    const final = await api<WorkOrderBody>('GET', `/v1/work-orders/${id}`, { token: crew.dispatcher });
    expect(final.body).toMatchObject({
      status: accepted.at(-1)?.answer.body.status,
      version: booked.body.version + accepted.length,
    });
    const events = (await timelineOf(crew, id)).slice(eventsBefore);
    expect(countBy(events.map((event) => event.action))).toEqual(
      countBy(accepted.map(({ move }) => move.action)),
    );
    // The technician's time is held exactly while the work order holds a booking.
    const { data: slices } = await entities.technicianTimeSlice.query
      .byTechnician({ tenantId: crew.tenant.tenantId, technicianId: crew.tenant.technicianId })
      .go({ pages: 'all' });
    const stillBooked = await entities.workOrder
      .get({ tenantId: crew.tenant.tenantId, workOrderId: id })
      .go();
    const held = ['cancelled', 'new'].includes(final.body.status)
      ? []
      : slicesOf(
          crew.tenant.technicianId,
          String(stillBooked.data?.scheduledStart),
          String(stillBooked.data?.scheduledEnd),
        ).map((slice) => slice.start);
    expect(slices.map((slice) => slice.sliceStart).sort()).toEqual(held.sort());
    expect(slices.every((slice) => slice.workOrderId === id)).toBe(true);
  });

  it('when 20 conflicting transitions hit a work order whose execution is waiting, the execution still follows the work order to where it rests', async () => {
    // Arrange: created and booked through the API, its execution waiting in AwaitDispatch.
    const crew = await aCrew(entities);
    const created = await api<WorkOrderBody>('POST', '/v1/work-orders', {
      token: crew.dispatcher,
      body: aWorkOrderRequest(crew.tenant),
    });
    const id = created.body.id;
    const storedNow = async () =>
      (await entities.workOrder.get({ tenantId: crew.tenant.tenantId, workOrderId: id }).go()).data;
    await eventually(async () =>
      (await storedNow())?.workflowState === 'AwaitScheduling' ? true : undefined,
    );
    await api('POST', `/v1/work-orders/${id}/schedule`, {
      token: crew.dispatcher,
      body: { start: inDays(3, 17), technicianId: crew.tenant.technicianId },
    });
    const waiting = await eventually(async () => {
      const item = await storedNow();
      return item?.workflowState === 'AwaitDispatch' && item.taskToken ? item : undefined;
    });
    const moves = conflictingMoves(crew, inDays(4, 17));
    expect(moves).toHaveLength(20);
    const eventsBefore = (await timelineOf(crew, id)).length;

    // Act
    const answers = await storm(crew, id, moves, waiting.version);

    // Assert
    const accepted = expectNoLostUpdate(moves, answers, {
      status: waiting.status as WorkOrderStatus,
      version: waiting.version,
    });
    const byTheOffice = (await timelineOf(crew, id))
      .slice(eventsBefore)
      .filter((event) => event.actorRole === 'dispatcher');
    expect(countBy(byTheOffice.map((event) => event.action))).toEqual(
      countBy(accepted.map(({ move }) => move.action)),
    );
    // The execution comes to rest where the work order's status says, never needs_attention.
    const rest = await eventually(async () => {
      const item = await storedNow();
      const execution = await describeExecution(id);
      if (!item) return undefined;
      if (item.status === 'cancelled') return execution.status === 'SUCCEEDED' ? item : undefined;
      const places = restingStates[item.status as WorkOrderStatus] ?? [];
      return execution.status === 'RUNNING' && item.taskToken && places.includes(item.workflowState)
        ? item
        : undefined;
    }, 15_000);
    expect(rest.status).not.toBe('needs_attention');
    const final = await api<WorkOrderBody>('GET', `/v1/work-orders/${id}`, { token: crew.dispatcher });
    expect(final.body.status).toBe(accepted.at(-1)?.answer.body.status);
  });

  it('when 30 bookings of overlapping times race across three technicians and fifteen work orders, no technician is booked twice and every held quarter hour belongs to an accepted booking', async () => {
    // Arrange: two more qualified technicians, fifteen unbooked work orders of 90 minutes.
    const crew = await aCrew(entities);
    const { tenantId } = crew.tenant;
    const at = new Date().toISOString();
    const colleagues = [`tec_${ulid()}`, `tec_${ulid()}`];
    await Promise.all(
      colleagues.map((technicianId, index) =>
        entities.technician
          .put({
            tenantId,
            technicianId,
            name: `Colleague ${index}`,
            skills: ['hvac'],
            workingHours: fixtureWorkingHours,
            createdAt: at,
            updatedAt: at,
          })
          .go(),
      ),
    );
    const technicians = [crew.tenant.technicianId, ...colleagues];
    const workOrders = await Promise.all(
      Array.from({ length: 15 }, () =>
        aStoredWorkOrder(entities, crew.tenant, { serviceTypeId: crew.tenant.serviceTypeId }),
      ),
    );
    // Starts half an hour apart: every 90-minute visit overlaps the ones next to it.
    const starts = [0, 30, 60, 90, 120].map((minute) => inDays(5, 14, minute));
    const requests = workOrders.flatMap((workOrder, index) =>
      [0, 1].map((attempt) => ({
        workOrderId: workOrder.workOrderId,
        technicianId: technicians[(index + attempt) % technicians.length] as string,
        start: starts[(index * 2 + attempt * 3) % starts.length] as string,
      })),
    );
    expect(requests).toHaveLength(30);

    // Act
    const answers = await atOnce(
      requests.map((request) =>
        api<WorkOrderBody & { title?: string; detail?: string }>(
          'POST',
          `/v1/work-orders/${request.workOrderId}/schedule`,
          {
            token: crew.dispatcher,
            body: { start: request.start, technicianId: request.technicianId },
          },
        ),
      ),
    );

    // Assert
    for (const answer of answers) expect([200, 409], JSON.stringify(answer.body)).toContain(answer.status);
    const accepted = requests.filter((_, index) => answers[index]?.status === 200);
    expect(accepted.length).toBeGreaterThanOrEqual(technicians.length);
    // A work order is booked at most once.
    expect(new Set(accepted.map((booking) => booking.workOrderId)).size).toBe(accepted.length);
    for (const technicianId of technicians) {
      const theirs = accepted
        .filter((booking) => booking.technicianId === technicianId)
        .map((booking) => ({
          ...booking,
          end: new Date(Date.parse(booking.start) + 90 * 60_000).toISOString(),
        }))
        .sort((a, b) => a.start.localeCompare(b.start));
      // Sorted by start, each visit begins no earlier than the one before it ends.
      theirs.slice(1).forEach((booking, index) => {
        expect(booking.start >= String(theirs[index]?.end), technicianId).toBe(true);
      });
      const expected = theirs.flatMap((booking) =>
        slicesOf(technicianId, booking.start, booking.end).map(
          (slice) => `${slice.start} ${booking.workOrderId}`,
        ),
      );
      const { data: slices } = await entities.technicianTimeSlice.query
        .byTechnician({ tenantId, technicianId })
        .go({ pages: 'all' });
      expect(slices.map((slice) => `${slice.sliceStart} ${slice.workOrderId}`).sort(), technicianId).toEqual(
        expected.sort(),
      );
    }
    const refusedOrders = workOrders.filter(
      (workOrder) => !accepted.some((booking) => booking.workOrderId === workOrder.workOrderId),
    );
    for (const workOrder of refusedOrders) {
      const { data } = await entities.workOrder.get({ tenantId, workOrderId: workOrder.workOrderId }).go();
      expect(data).toMatchObject({ status: 'new', version: 1 });
    }
  });

  it('when 20 uses of a part race for the five on a truck under the refuse rule, five are recorded and stock never goes below zero', async () => {
    // Arrange
    const crew = await aCrew(entities);
    await setNegativeStock(crew, 'refuse');
    const partId = await aPart(crew, { sku: 'CAP-RUSH' });
    const truck = truckOf(crew.tenant.technicianId);
    await stockUp(crew, partId, truck, 5);
    const jobs = [await aJobInProgress(crew), await aJobInProgress(crew), await aJobInProgress(crew)];
    const uses = Array.from({ length: 20 }, (_, index) => jobs[index % jobs.length] as string);

    // Act
    const answers = await atOnce(
      uses.map((workOrderId) => useParts(crew.technician, workOrderId, { partId, quantity: 1 })),
    );

    // Assert
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(5);
    expect(statuses.filter((status) => status === 409)).toHaveLength(15);
    for (const answer of answers.filter((candidate) => candidate.status === 201)) {
      expect(answer.body.stock?.onHand).toBeGreaterThanOrEqual(0);
    }
    expect(await stockOf(crew, partId, truck)).toMatchObject({ onHand: 0, negative: false });
    const recorded = await Promise.all(
      jobs.map((workOrderId) =>
        entities.partUsage.query.byWorkOrder({ tenantId: crew.tenant.tenantId, workOrderId }).go(),
      ),
    );
    expect(recorded.flatMap((result) => result.data)).toHaveLength(5);
    const counted = await Promise.all(
      jobs.map(async (workOrderId) => {
        const { data } = await entities.workOrder.get({ tenantId: crew.tenant.tenantId, workOrderId }).go();
        return data?.partCount ?? 0;
      }),
    );
    expect(counted.reduce((sum, count) => sum + count, 0)).toBe(5);
  });

  it('when 16 payments race on one invoice through both routes, what is paid is the sum of the accepted ones and never more than the total', async () => {
    // Arrange: an invoiced work order (no execution) with its sent invoice of 180.00.
    const crew = await aCrew(entities);
    const stored = await aStoredWorkOrder(entities, crew.tenant, { status: 'invoiced' });
    const invoice = await aSentInvoice(entities, stored);
    await entities.workOrder
      .patch({ tenantId: crew.tenant.tenantId, workOrderId: stored.workOrderId })
      .set({ invoiceId: invoice.invoiceId })
      .go();
    const amounts = [
      5_000, 4_000, 3_000, 2_500, 2_000, 1_500, 1_000, 6_000, 7_000, 500, 800, 1_200, 3_300, 900, 2_200,
      4_400,
    ];
    expect(amounts).toHaveLength(16);
    expect(amounts.reduce((sum, amount) => sum + amount, 0)).toBeGreaterThan(invoice.total);

    // Act
    const answers = await atOnce(
      amounts.map((amount, index) =>
        index % 2 === 0
          ? api<Problem>('POST', `/v1/invoices/${invoice.invoiceId}/payments`, {
              token: crew.dispatcher,
              body: { amount, method: 'check', reference: `CHK ${index}` },
            })
          : api<Problem>('POST', `/v1/work-orders/${stored.workOrderId}/payments`, {
              token: crew.dispatcher,
              body: { amount, method: 'cash', reference: `CASH ${index}` },
            }),
      ),
    );

    // Assert
    for (const [index, answer] of answers.entries()) {
      const success = index % 2 === 0 ? 201 : 200;
      expect([success, 409, 422], JSON.stringify(answer.body)).toContain(answer.status);
      if (answer.status >= 400) expect(answer.headers.get('content-type')).toBe('application/problem+json');
    }
    const acceptedAmounts = amounts.filter(
      (_, index) => answers[index]?.status === (index % 2 === 0 ? 201 : 200),
    );
    const paidSum = acceptedAmounts.reduce((sum, amount) => sum + amount, 0);
    const listed = await api<{
      amountPaid: number;
      balance: number;
      status: string;
      items: { amount: number }[];
    }>('GET', `/v1/invoices/${invoice.invoiceId}/payments`, { token: crew.dispatcher });
    expect(listed.body.amountPaid).toBe(paidSum);
    expect(listed.body.amountPaid).toBeLessThanOrEqual(invoice.total);
    expect(listed.body.balance).toBe(invoice.total - paidSum);
    expect(listed.body.items.map((payment) => payment.amount).sort()).toEqual([...acceptedAmounts].sort());
    const workOrder = await api<WorkOrderBody>('GET', `/v1/work-orders/${stored.workOrderId}`, {
      token: crew.dispatcher,
    });
    expect(workOrder.body.status).toBe(paidSum === invoice.total ? 'paid' : 'invoiced');
    expect(listed.body.status).toBe(paidSum === invoice.total ? 'paid' : 'partially_paid');
    // One version and one audit event per accepted payment.
    expect(workOrder.body.version).toBe(stored.version + acceptedAmounts.length);
    const payments = (await timelineOf(crew, stored.workOrderId)).filter(
      (event) => event.action === 'recordPayment',
    );
    expect(payments).toHaveLength(acceptedAmounts.length);
  });
});
