import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoIds } from '../../lib/local/demo-data.ts';
import { projectRoot } from '../../lib/local/platform.ts';

/** One run of `bin/local.ts`, in a process group of its own (the platform and its Java child). */
interface Runtime {
  child: ChildProcess;
  url: string;
  dynamodb: string;
  dispatcher: string;
  technician: string;
}

const started: ChildProcess[] = [];

/** Starts the local runtime as `npm start` does, on a free port, and waits for its banner. */
async function startRuntime(dataDir: string): Promise<Runtime> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const url = /running at (http:\/\/\S+)/.exec(output)?.[1];
    const dynamodb = /DynamoDB Local (http:\/\/\S+)/.exec(output)?.[1];
    const dispatcher = /dispatcher:\s+(\S+)/.exec(output)?.[1];
    const technician = /technician:\s+(\S+)/.exec(output)?.[1];
    if (url && dynamodb && dispatcher && technician && output.includes('Ctrl-C'))
      return { child, url, dynamodb, dispatcher, technician };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  killGroup(child);
  throw new Error(`The local runtime did not start:\n${output}`);
}

/** SIGKILL to the whole process group: the runtime gets no chance to stop its Java child itself. */
function killGroup(child: ChildProcess) {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

const answers = (url: string) =>
  fetch(url, { method: 'POST', signal: AbortSignal.timeout(2000) }).then(
    () => true,
    () => false,
  );

interface WorkOrderBody {
  id: string;
  status: string;
  workflow: { state: string; since: string };
}

/** The API of one runtime, with one bearer token. */
function client(runtime: Runtime, token: string) {
  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  return {
    call,
    act: async (id: string, verb: string, body: unknown = {}) => {
      const response = await call<WorkOrderBody>('POST', `/v1/work-orders/${id}/${verb}`, body);
      expect(response.status, `${verb} on ${id}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
      return response.body;
    },
    /** Waits until the execution is in `state` (recorded after `after`); stops on any terminal state. */
    workflowIn: async (id: string, state: string, after = '') => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const { body } = await call<WorkOrderBody>('GET', `/v1/work-orders/${id}`);
        const { state: current, since } = body.workflow;
        if (current === state && since > after) return body;
        if (['Closed', 'WorkOrderCancelled', 'NeedsAttention'].includes(current) || Date.now() > deadline) {
          throw new Error(
            `${id} is in ${current} (since ${since}), not in ${state} after ${after || 'start'}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

/** The next weekday (the demo technicians work Monday to Friday, 08:00–17:00 in Boston) at an hour UTC. */
const tomorrowAt = (hour: number) => {
  const day = new Date(Date.now() + 24 * 60 * 60 * 1000);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
  day.setUTCHours(hour, 0, 0, 0);
  return day.toISOString();
};

type People = { office: ReturnType<typeof client>; field: ReturnType<typeof client> };

async function aWorkOrder(people: People, body: Record<string, unknown>): Promise<string> {
  const created = await people.office.call<WorkOrderBody>('POST', '/v1/work-orders', {
    priority: 'urgent',
    ...body,
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

/** Booked, dispatched to Maria (who has the demo services' skills), and she is on her way. */
async function bookAndSendOnTheWay(people: People, id: string, start: string) {
  await people.office.act(id, 'schedule', { start });
  await people.office.act(id, 'dispatch', { technicianId: demoIds.technicians.maria });
  await people.field.act(id, 'field-status', { status: 'en_route' });
}

/** From the technician's arrival to payment in full, the office answering each stage the workflow reaches. */
async function finishTheJob(people: People, id: string): Promise<WorkOrderBody> {
  await people.field.act(id, 'field-status', { status: 'arrived' });
  await people.field.act(id, 'field-status', { status: 'in_progress' });
  await people.field.act(id, 'notes', { text: 'Serviced and tested' });
  await people.field.act(id, 'labor', { minutes: 60 });
  const shown = await people.field.call<{ summaryHash: string }>('GET', `/v1/work-orders/${id}/summary`);
  await people.field.act(id, 'complete', {
    signature: { signerName: 'Homeowner', summaryHash: shown.body.summaryHash },
  });
  await people.office.workflowIn(id, 'AwaitApproval');
  await people.office.act(id, 'invoice/approve');
  await people.office.workflowIn(id, 'AwaitPayment');
  const { body } = await people.office.call<{
    items: { action: string; changes: { invoice?: { after: { total: number } } } }[];
  }>('GET', `/v1/work-orders/${id}/timeline?limit=100`);
  const total = body.items.find((event) => event.action === 'invoice_generated')?.changes.invoice?.after
    .total;
  await people.office.act(id, 'payments', { amount: total, method: 'check' });
  return people.office.workflowIn(id, 'Closed');
}

const kindOfMessage = (subject: string) => {
  if (subject.startsWith('Your ') && subject.includes(' visit on ')) return 'booking confirmation';
  if (subject.startsWith('New job')) return 'job package';
  if (subject.startsWith('Invoice ')) return 'invoice';
  // The other milestones (on the way, done, reminders), each by its own subject.
  return subject;
};

describe('the local runtime killed in the middle of the lifecycle', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fsm-restart-'));
  });
  afterAll(async () => {
    for (const child of started) killGroup(child);
    await Promise.all(started.map(exited));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('when killed with SIGKILL and started again on the same data, the waiting executions resume at their stored stage and both work orders reach the end', async () => {
    const first = await startRuntime(dataDir);
    const beforeKill = { office: client(first, first.dispatcher), field: client(first, first.technician) };
    const onTheWay = await aWorkOrder(beforeKill, {
      customerId: demoIds.customers.chen,
      locationId: demoIds.locations.chenHome,
      serviceTypeId: demoIds.serviceTypes.acRepair,
      description: 'AC blowing warm air',
    });
    const unbooked = await aWorkOrder(beforeKill, {
      customerId: demoIds.customers.alvarez,
      locationId: demoIds.locations.alvarezHome,
      serviceTypeId: demoIds.serviceTypes.furnaceTuneUp,
      description: 'Furnace tune-up before winter',
    });
    await bookAndSendOnTheWay(beforeKill, onTheWay, tomorrowAt(14));
    const [fieldWorkBefore, schedulingBefore] = await Promise.all([
      beforeKill.office.workflowIn(onTheWay, 'AwaitFieldWork'),
      beforeKill.office.workflowIn(unbooked, 'AwaitScheduling'),
    ]);

    killGroup(first.child);
    await exited(first.child);
    const databaseAnswersAfterKill = await answers(first.dynamodb);
    const second = await startRuntime(dataDir);
    // The tokens printed by the first run stay valid: the signing key is kept in the data folder.
    const afterRestart = {
      office: client(second, first.dispatcher),
      field: client(second, first.technician),
    };
    const [fieldWorkAfter, schedulingAfter] = await Promise.all([
      afterRestart.office.workflowIn(onTheWay, 'AwaitFieldWork', fieldWorkBefore.workflow.since),
      afterRestart.office.workflowIn(unbooked, 'AwaitScheduling', schedulingBefore.workflow.since),
    ]);
    const [fieldWorkClosed, schedulingClosed] = await Promise.all([
      finishTheJob(afterRestart, onTheWay),
      bookAndSendOnTheWay(afterRestart, unbooked, tomorrowAt(17)).then(() =>
        finishTheJob(afterRestart, unbooked),
      ),
    ]);

    expect(databaseAnswersAfterKill).toBe(false);
    expect(fieldWorkAfter.status).toBe('en_route');
    expect(schedulingAfter.status).toBe('new');
    expect(fieldWorkClosed.status).toBe('paid');
    expect(schedulingClosed.status).toBe('paid');
    // Resumed at their stages, not started over: each message went out once by each channel
    // (by SMS and email: these customers have both and prefer neither).
    const outbox = await afterRestart.office.call<{
      items: { workOrderId?: string; subject?: string; channel: string }[];
    }>('GET', '/local/outbox');
    const messagesAbout = (id: string) =>
      outbox.body.items
        .filter((message) => message.workOrderId === id)
        .map((message) => `${kindOfMessage(message.subject ?? '')} by ${message.channel}`)
        .sort();
    const theLifecycleMessages = [
      'booking confirmation by email',
      'booking confirmation by sms',
      'invoice by email',
      'invoice by sms',
      'job package by sms',
    ];
    for (const id of [onTheWay, unbooked]) {
      const messages = messagesAbout(id);
      expect(messages).toEqual(expect.arrayContaining(theLifecycleMessages));
      expect(messages, 'no message went out twice').toEqual([...new Set(messages)]);
    }

    second.child.kill('SIGINT');
    await exited(second.child);
  }, 150_000);
});
