/**
 * API overhead: the main endpoints on an in-process local platform, one request at a time (the
 * workflow's steps and events that follow a request finish before the next), each measured
 * three ways in the same run: as the client sees it, as the Lambda handler ran, and the
 * DynamoDB Local round trips the handler waited for (with the commands it sent). Handler time
 * = handler duration − time waiting on AWS (DynamoDB, Step Functions, S3); the goal is at most
 * 20 % of the storage time. Raw round trips (GetItem, Query) straight to DynamoDB Local are
 * measured beside them. Prints one JSON object.
 *
 *     npx tsx test/bench/api-overhead.bench.ts      # API_REQUESTS=100 per endpoint by default
 */
import './bench-environment.ts';
import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { localCredentials, localRegion } from '../../lib/local/emulators.ts';
import { type BenchPlatform, startBenchPlatform, visitSlots, workflowReaches } from './bench-platform.ts';
import { distribution, numberFromEnv, p50p99, round, unionMs } from './bench-stats.ts';
import { type Invocation, invocationLog } from './invocations.ts';

const REQUESTS = numberFromEnv('API_REQUESTS', 100);
const GOAL_PERCENT = 20;

interface Sample {
  latencyMs: number;
  handlerMs: number;
  storageMs: number;
  otherAwsMs: number;
  handlerOverheadMs: number;
  commands: Record<string, number>;
  storageRoundTrips: number;
}

const samples = new Map<string, Sample[]>();
const failures = new Map<string, Record<string, number>>();

function sampleOf(invocation: Invocation, latencyMs: number, dynamodbTarget: string): Sample {
  const end = invocation.end ?? performance.now();
  // Only what the handler waited for: a round trip it started and that ended before it returned.
  const wire = invocation.wire.filter((call) => call.start >= invocation.start && call.end <= end);
  const storage = wire.filter((call) => call.target === dynamodbTarget);
  const handlerMs = end - invocation.start;
  const awaitedAws = unionMs(wire.map((call) => ({ start: call.start, end: call.end })));
  const commands: Record<string, number> = {};
  for (const call of invocation.storage) {
    const name = call.command.replace(/Command$/, '');
    commands[name] = (commands[name] ?? 0) + 1;
  }
  return {
    latencyMs,
    handlerMs,
    storageMs: unionMs(storage.map((call) => ({ start: call.start, end: call.end }))),
    otherAwsMs: unionMs(
      wire
        .filter((call) => call.target !== dynamodbTarget)
        .map((call) => ({ start: call.start, end: call.end })),
    ),
    handlerOverheadMs: Math.max(0, handlerMs - awaitedAws),
    commands,
    storageRoundTrips: storage.length,
  };
}

function createMeasurer(bench: BenchPlatform) {
  const dynamodbTarget = new URL(bench.platform.endpoints.dynamodb).host;
  let counter = 0;
  return async function measured<T = Record<string, unknown>>(
    label: string,
    method: string,
    path: string,
    token: string,
    body?: unknown,
  ): Promise<T> {
    // Whatever the previous request set off (workflow steps, event deliveries) runs to its end first.
    await invocationLog.quiet(20, 15_000);
    invocationLog.clear();
    counter += 1;
    const tag = `${label}#${counter}`;
    const response = await bench.api<T>(method, path, {
      token,
      benchRequest: tag,
      ...(body !== undefined ? { body } : {}),
    });
    if (response.status >= 300) {
      const byStatus = failures.get(label) ?? {};
      byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
      failures.set(label, byStatus);
      throw new Error(`${label}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    const invocation = invocationLog.invocations.find((candidate) => candidate.benchRequest === tag);
    if (!invocation) throw new Error(`${label}: no handler invocation was recorded`);
    const list = samples.get(label) ?? [];
    list.push(sampleOf(invocation, response.ms, dynamodbTarget));
    samples.set(label, list);
    return response.body;
  };
}

async function rawRoundTrips(bench: BenchPlatform, workOrderId: string) {
  const client = new DynamoDBClient({
    endpoint: bench.platform.endpoints.dynamodb,
    region: localRegion,
    credentials: localCredentials,
  });
  try {
    const key = bench.unobserved.workOrder.get({ tenantId: bench.tenant.tenantId, workOrderId }).params<{
      Key: Record<string, string>;
    }>().Key;
    const query = bench.unobserved.workOrder.query
      .byStatus({ tenantId: bench.tenant.tenantId, status: 'paid' })
      .params<{
        IndexName: string;
        KeyConditionExpression: string;
        ExpressionAttributeNames: Record<string, string>;
        ExpressionAttributeValues: Record<string, string>;
      }>({ limit: 25 });
    const marshal = (values: Record<string, string>) =>
      Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { S: value }]));
    const time = async (send: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let index = 0; index < REQUESTS; index += 1) {
        const started = performance.now();
        await send();
        times.push(performance.now() - started);
      }
      return distribution(times, 2);
    };
    return {
      getItemConsistentMs: await time(() =>
        client.send(
          new GetItemCommand({
            TableName: bench.platform.tableName,
            Key: marshal(key),
            ConsistentRead: true,
          }),
        ),
      ),
      queryPageOf25Ms: await time(() =>
        client.send(
          new QueryCommand({
            TableName: bench.platform.tableName,
            IndexName: query.IndexName,
            KeyConditionExpression: query.KeyConditionExpression,
            ExpressionAttributeNames: query.ExpressionAttributeNames,
            ExpressionAttributeValues: marshal(query.ExpressionAttributeValues),
            Limit: 25,
          }),
        ),
      ),
    };
  } finally {
    client.destroy();
  }
}

/** The requests, endpoint by endpoint, each one a step further in the work orders' lives. */
async function exercise(bench: BenchPlatform, ids: string[]): Promise<void> {
  const { tenant, tokens } = bench;
  const measured = createMeasurer(bench);
  const nextSlot = visitSlots(bench.technicianIds);
  const slots = Array.from({ length: REQUESTS }, nextSlot);

  for (let index = 0; index < REQUESTS; index += 1) {
    const created = await measured<{ id: string }>(
      'createWorkOrder',
      'POST',
      '/v1/work-orders',
      tokens.dispatcher,
      {
        customerId: tenant.customerId,
        locationId: tenant.locationId,
        serviceTypeId: tenant.serviceTypeId,
        description: `AC is blowing warm air upstairs (${index})`,
        priority: 'urgent',
      },
    );
    ids.push(created.id);
  }
  for (const id of ids) await measured('getWorkOrder', 'GET', `/v1/work-orders/${id}`, tokens.dispatcher);
  for (let index = 0; index < REQUESTS; index += 1)
    await measured(
      'listWorkOrders (status, 25)',
      'GET',
      '/v1/work-orders?status=new&limit=25',
      tokens.dispatcher,
    );
  for (const id of ids) await measured('listSlots', 'GET', `/v1/work-orders/${id}/slots`, tokens.dispatcher);
  for (const [index, id] of ids.entries())
    await measured('scheduleWorkOrder', 'POST', `/v1/work-orders/${id}/schedule`, tokens.dispatcher, {
      start: slots[index]!.start,
    });
  for (const [index, id] of ids.entries())
    await measured('dispatchWorkOrder', 'POST', `/v1/work-orders/${id}/dispatch`, tokens.dispatcher, {
      technicianId: slots[index]!.technicianId,
    });
  const boardDay = slots[0]!.start.slice(0, 10);
  for (let index = 0; index < REQUESTS; index += 1)
    await measured('getDispatchBoard', 'GET', `/v1/dispatch-board?date=${boardDay}`, tokens.dispatcher);

  const technicianOf = (index: number) => tokens.technicians[slots[index]!.technicianId]!;
  const fieldWork: [string, string, unknown][] = [
    ['setFieldStatus (en_route)', 'field-status', { status: 'en_route' }],
    ['setFieldStatus (arrived)', 'field-status', { status: 'arrived' }],
    ['setFieldStatus (in_progress)', 'field-status', { status: 'in_progress' }],
    ['addNote', 'notes', { text: 'Capacitor failed; replaced it and tested' }],
    ['recordLabor', 'labor', { minutes: 90 }],
  ];
  for (const [label, verb, body] of fieldWork)
    for (const [index, id] of ids.entries())
      await measured(label, 'POST', `/v1/work-orders/${id}/${verb}`, technicianOf(index), body);
  for (const [index, id] of ids.entries()) {
    const summary = await measured<{ summaryHash: string }>(
      'getWorkSummary',
      'GET',
      `/v1/work-orders/${id}/summary`,
      technicianOf(index),
    );
    await measured(
      'completeWorkOrder (signed)',
      'POST',
      `/v1/work-orders/${id}/complete`,
      technicianOf(index),
      {
        signature: { signerName: 'Pat Doe', summaryHash: summary.summaryHash },
      },
    );
  }
  const invoiceIds: string[] = [];
  for (const id of ids)
    invoiceIds.push(String((await workflowReaches(bench, id, 'AwaitApproval')).invoiceId));
  const totals: number[] = [];
  for (const invoiceId of invoiceIds) {
    const invoice = await measured<{ total: number }>(
      'getInvoice',
      'GET',
      `/v1/invoices/${invoiceId}`,
      tokens.dispatcher,
    );
    totals.push(invoice.total);
  }
  for (const id of ids)
    await measured('approveInvoice', 'POST', `/v1/work-orders/${id}/invoice/approve`, tokens.dispatcher, {});
  for (const [index, id] of ids.entries()) {
    await workflowReaches(bench, id, 'AwaitPayment');
    await measured('recordPayment (in full)', 'POST', `/v1/work-orders/${id}/payments`, tokens.dispatcher, {
      amount: totals[index],
      method: 'card',
    });
  }
}

async function main() {
  const bench = await startBenchPlatform({ consumedCapacity: false, extraTechnicians: 4 });
  try {
    // A failed request stops the run; what was measured until then is still reported.
    let aborted: string | undefined;
    const ids: string[] = [];
    try {
      await exercise(bench, ids);
    } catch (error) {
      aborted = (error as Error).message;
    }
    await invocationLog.quiet(100, 30_000);
    const raw = ids[0] ? await rawRoundTrips(bench, ids[0]) : undefined;

    const endpoints = Object.fromEntries(
      [...samples.entries()].map(([label, list]) => {
        const storage = p50p99(list.map((sample) => sample.storageMs));
        const overhead = p50p99(list.map((sample) => sample.handlerOverheadMs));
        const percent = storage.p50 > 0 ? round((overhead.p50 / storage.p50) * 100, 0) : Number.NaN;
        const commands: Record<string, number> = {};
        for (const sample of list)
          for (const [name, count] of Object.entries(sample.commands))
            commands[name] = (commands[name] ?? 0) + count / list.length;
        return [
          label,
          {
            requests: list.length,
            errors: failures.get(label) ?? {},
            latencyMs: p50p99(list.map((sample) => sample.latencyMs)),
            handlerMs: p50p99(list.map((sample) => sample.handlerMs)),
            storageMs: storage,
            otherAwsMs: p50p99(list.map((sample) => sample.otherAwsMs)),
            handlerOverheadMs: overhead,
            handlerOverheadPercentOfStorage: percent,
            meetsGoal: percent <= GOAL_PERCENT,
            dynamodbRoundTripsPerRequest: round(
              list.reduce((sum, sample) => sum + sample.storageRoundTrips, 0) / list.length,
              1,
            ),
            dynamodbCommandsPerRequest: Object.fromEntries(
              Object.entries(commands).map(([name, count]) => [name, round(count, 1)]),
            ),
          },
        ];
      }),
    );
    const missing = Object.entries(endpoints)
      .filter(([, figures]) => !figures.meetsGoal)
      .map(([label]) => label);
    process.stdout.write(
      `${JSON.stringify(
        {
          benchmark: 'api overhead',
          node: process.version,
          requestsPerEndpoint: REQUESTS,
          ...(aborted ? { aborted } : {}),
          goal: `handler time (handler − AWS round trips) ≤ ${GOAL_PERCENT} % of storage time, at p50`,
          rawDynamodbLocalRoundTrips: raw,
          endpoints,
          endpointsMissingGoal: missing,
          notes: [
            'latencyMs: as the client sees it through the local gateway (JWT check, event mapping) on loopback.',
            'storageMs: DynamoDB Local round trips the handler waited for (overlapping ones counted once); otherAwsMs: Step Functions and S3.',
            'The client, the gateway, the handlers, the workflow engine and s3rver share this one process; DynamoDB Local runs beside it.',
          ],
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await bench.stop();
  }
}

await main();
