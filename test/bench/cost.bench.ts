/**
 * Cost per work order: one happy-path lifecycle at a time (create → schedule → dispatch → en
 * route → arrived → in progress → note, labor, signed summary → complete → invoice generated →
 * approved → sent → paid → closed, then the clock moved on so that every schedule it left
 * fires) on an in-process local platform. Every DynamoDB command asks for its consumed units
 * (ReturnConsumedCapacity); every Lambda handler call is timed and billed at its function's
 * memory; the state machine's transitions, API requests, S3 requests, bus events and fired
 * schedules are counted; all priced at the published us-east-1 prices per 1,000 work orders.
 * Messaging (SNS, SES) is excluded, and so are the local stand-ins' own items (outbox, local
 * schedules), which SNS/SES and EventBridge Scheduler hold in the cloud. Prints one JSON object.
 *
 *     npx tsx test/bench/cost.bench.ts          # COST_LIFECYCLES=3 by default
 */
import './bench-environment.ts';
import { localClock } from '../../lambdas/adapters/local/adjustable-clock.ts';
import { type BenchPlatform, startBenchPlatform, visitSlots, workflowReaches } from './bench-platform.ts';
import { numberFromEnv, round } from './bench-stats.ts';
import { isApiFunction, memoryMbOf } from './function-registry.ts';
import { type Invocation, invocationLog } from './invocations.ts';
import { stateTransitions } from './platform-probe.ts';

const LIFECYCLES = numberFromEnv('COST_LIFECYCLES', 3);

/**
 * AWS prices, us-east-1, from the public price lists (aws.amazon.com/<service>/pricing), on-demand,
 * without free tiers, as listed in 2025.
 */
const prices = {
  /** DynamoDB on-demand, Standard table class: $0.625 per million write request units. */
  dynamodbWriteUnit: 0.625 / 1e6,
  /** DynamoDB on-demand, Standard table class: $0.125 per million read request units. */
  dynamodbReadUnit: 0.125 / 1e6,
  /** Lambda, Arm (Graviton), first 7.5 billion GB-seconds a month. */
  lambdaGbSecond: 0.0000133334,
  /** Lambda requests: $0.20 per million. */
  lambdaRequest: 0.2 / 1e6,
  /** Step Functions Standard workflows: $0.025 per 1,000 state transitions. */
  stateTransition: 0.025 / 1000,
  /** API Gateway HTTP APIs: $1.00 per million requests (first 300 million a month). */
  httpApiRequest: 1 / 1e6,
  /** S3 Standard: PUT, COPY, POST, LIST $0.005 per 1,000 requests. */
  s3Put: 0.005 / 1000,
  /** S3 Standard: GET, SELECT and all other requests $0.0004 per 1,000. */
  s3Get: 0.0004 / 1000,
  /** EventBridge: custom events published, $1.00 per million. */
  eventBridgeEvent: 1 / 1e6,
  /** EventBridge Scheduler: $1.00 per million invocations. */
  schedulerInvocation: 1 / 1e6,
};

interface ApiStep {
  name: string;
  status: number;
}

/** One lifecycle through the API; returns the steps it took and the work order's id. */
async function lifecycle(bench: BenchPlatform, slot: { start: string; technicianId: string }) {
  const { tenant, tokens } = bench;
  const technician = tokens.technicians[slot.technicianId]!;
  const steps: ApiStep[] = [];
  const call = async <T = Record<string, unknown>>(
    name: string,
    token: string,
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const response = await bench.api<T>(method, path, { token, ...(body !== undefined ? { body } : {}) });
    steps.push({ name, status: response.status });
    if (response.status >= 300) {
      throw new Error(`${name}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response.body;
  };
  const created = await call<{ id: string }>('create', tokens.dispatcher, 'POST', '/v1/work-orders', {
    customerId: tenant.customerId,
    locationId: tenant.locationId,
    serviceTypeId: tenant.serviceTypeId,
    description: 'AC is blowing warm air upstairs',
    priority: 'urgent',
  });
  const id = created.id;
  const act = (name: string, token: string, verb: string, body: unknown = {}) =>
    call(name, token, 'POST', `/v1/work-orders/${id}/${verb}`, body);
  await act('schedule', tokens.dispatcher, 'schedule', { start: slot.start });
  await act('dispatch', tokens.dispatcher, 'dispatch', { technicianId: slot.technicianId });
  await act('en route', technician, 'field-status', { status: 'en_route' });
  await act('arrived', technician, 'field-status', { status: 'arrived' });
  await act('in progress', technician, 'field-status', { status: 'in_progress' });
  await act('note', technician, 'notes', { text: 'Capacitor failed; replaced it and tested' });
  await act('labor', technician, 'labor', { minutes: 90 });
  const summary = await call<{ summaryHash: string }>(
    'summary shown to the customer',
    technician,
    'GET',
    `/v1/work-orders/${id}/summary`,
  );
  await act('complete (signed)', technician, 'complete', {
    signature: { signerName: 'Pat Doe', summaryHash: summary.summaryHash },
  });
  const awaiting = await workflowReaches(bench, id, 'AwaitApproval');
  await act('approve invoice', tokens.dispatcher, 'invoice/approve');
  await workflowReaches(bench, id, 'AwaitPayment');
  const invoiceId = String(awaiting.invoiceId);
  const { data: invoice } = await bench.unobserved.invoice
    .get({ tenantId: tenant.tenantId, workOrderId: id, invoiceId })
    .go();
  const total = Number((invoice as { total?: number } | null)?.total);
  if (!Number.isInteger(total) || total <= 0) throw new Error(`Invoice ${invoiceId} has no total`);
  await act('paid (card)', tokens.dispatcher, 'payments', { amount: total, method: 'card' });
  await workflowReaches(bench, id, 'Closed');
  await invocationLog.quiet(200, 30_000);
  // What the lifecycle left scheduled (reminders, checks) fires later in the cloud: fire it now.
  const moved = await bench.api('POST', '/local/clock', {
    token: tokens.admin,
    body: { advanceMinutes: 120 * 24 * 60 },
  });
  if (moved.status !== 200) throw new Error(`Moving the local clock: ${moved.status}`);
  await invocationLog.quiet(200, 30_000);
  return { id, steps };
}

function tally(invocations: Invocation[], stateTransitionCount: number, s3Target: string) {
  const byFunction = new Map<
    string,
    { invocations: number; gbSeconds: number; durationMs: number[]; readUnits: number; writeUnits: number }
  >();
  let readUnits = 0;
  let writeUnits = 0;
  let indexUnits = 0;
  let localOnlyUnits = 0;
  const commands: Record<string, number> = {};
  let s3Put = 0;
  let s3Get = 0;
  let busEvents = 0;
  let scheduledInvocations = 0;
  let schedulesCreated = 0;
  for (const invocation of invocations) {
    const durationMs = Math.ceil((invocation.end ?? performance.now()) - invocation.start);
    const entry = byFunction.get(invocation.functionName) ?? {
      invocations: 0,
      gbSeconds: 0,
      durationMs: [],
      readUnits: 0,
      writeUnits: 0,
    };
    entry.invocations += 1;
    entry.gbSeconds += (memoryMbOf(invocation.functionName) / 1024) * (durationMs / 1000);
    entry.durationMs.push(durationMs);
    byFunction.set(invocation.functionName, entry);
    for (const call of invocation.storage) {
      if (call.localOnly) {
        localOnlyUnits += call.readUnits + call.writeUnits;
        continue;
      }
      readUnits += call.readUnits;
      writeUnits += call.writeUnits;
      entry.readUnits += call.readUnits;
      entry.writeUnits += call.writeUnits;
      indexUnits += call.indexUnits;
      const name = call.command.replace(/Command$/, '');
      commands[name] = (commands[name] ?? 0) + 1;
    }
    for (const call of invocation.wire) {
      if (call.target !== s3Target) continue;
      if (['PUT', 'POST'].includes(call.method)) s3Put += 1;
      else s3Get += 1;
    }
    busEvents += invocation.busEvents;
    schedulesCreated += invocation.schedulesCreated;
    // A schedule target run for anything but the invoice-paid rule was fired by EventBridge Scheduler.
    if (invocation.functionName === 'ScheduleTargetFunction' && invocation.payloadKind !== 'invoice-paid')
      scheduledInvocations += 1;
  }
  return {
    byFunction,
    readUnits,
    writeUnits,
    indexUnits,
    localOnlyUnits,
    commands,
    s3Put,
    s3Get,
    busEvents,
    scheduledInvocations,
    schedulesCreated,
    stateTransitionCount,
  };
}

async function main() {
  const bench = await startBenchPlatform({ consumedCapacity: true, extraTechnicians: 2 });
  try {
    const s3Target = new URL(bench.platform.endpoints.s3).host;
    const nextSlot = visitSlots(bench.technicianIds, () => localClock.now());
    const runs: { id: string; steps: ApiStep[]; totals: ReturnType<typeof tally> }[] = [];
    for (let index = 0; index < LIFECYCLES; index += 1) {
      await invocationLog.quiet(200, 30_000);
      invocationLog.clear();
      const { id, steps } = await lifecycle(bench, nextSlot());
      const totals = tally(invocationLog.invocations, stateTransitions.get(id) ?? 0, s3Target);
      runs.push({ id, steps, totals });
    }

    // The first lifecycle also pays for loading each handler's modules; the others are warm.
    const warm = runs.length > 1 ? runs.slice(1) : runs;
    const mean = (pick: (run: (typeof runs)[number]) => number) =>
      warm.reduce((sum, run) => sum + pick(run), 0) / warm.length;
    const functionNames = [...new Set(warm.flatMap((run) => [...run.totals.byFunction.keys()]))].sort();
    const lambda = Object.fromEntries(
      functionNames.map((name) => {
        const invocations = mean((run) => run.totals.byFunction.get(name)?.invocations ?? 0);
        const gbSeconds = mean((run) => run.totals.byFunction.get(name)?.gbSeconds ?? 0);
        const durations = warm.flatMap((run) => run.totals.byFunction.get(name)?.durationMs ?? []);
        return [
          name,
          {
            memoryMb: memoryMbOf(name),
            invocations: round(invocations, 2),
            meanDurationMs: round(durations.reduce((a, b) => a + b, 0) / Math.max(1, durations.length), 1),
            gbSeconds: round(gbSeconds, 4),
            dynamodbReadUnits: round(
              mean((run) => run.totals.byFunction.get(name)?.readUnits ?? 0),
              1,
            ),
            dynamodbWriteUnits: round(
              mean((run) => run.totals.byFunction.get(name)?.writeUnits ?? 0),
              1,
            ),
          },
        ];
      }),
    );
    const units = {
      dynamodbReadUnits: mean((run) => run.totals.readUnits),
      dynamodbWriteUnits: mean((run) => run.totals.writeUnits),
      dynamodbIndexUnitsIncluded: mean((run) => run.totals.indexUnits),
      lambdaInvocations: mean((run) =>
        [...run.totals.byFunction.values()].reduce((sum, entry) => sum + entry.invocations, 0),
      ),
      lambdaGbSeconds: mean((run) =>
        [...run.totals.byFunction.values()].reduce((sum, entry) => sum + entry.gbSeconds, 0),
      ),
      stateTransitions: mean((run) => run.totals.stateTransitionCount),
      apiRequests: mean((run) =>
        [...run.totals.byFunction.entries()]
          .filter(([name]) => isApiFunction(name))
          .reduce((sum, [, entry]) => sum + entry.invocations, 0),
      ),
      s3PutRequests: mean((run) => run.totals.s3Put),
      s3GetRequests: mean((run) => run.totals.s3Get),
      eventBridgeEvents: mean((run) => run.totals.busEvents),
      schedulerInvocations: mean((run) => run.totals.scheduledInvocations),
      /** CreateSchedule calls: not billed; each schedule that fires is one scheduler invocation. */
      schedulesCreated: mean((run) => run.totals.schedulesCreated),
    };
    const dollarsPerWorkOrder = {
      dynamodb:
        units.dynamodbReadUnits * prices.dynamodbReadUnit +
        units.dynamodbWriteUnits * prices.dynamodbWriteUnit,
      lambda: units.lambdaGbSeconds * prices.lambdaGbSecond + units.lambdaInvocations * prices.lambdaRequest,
      stepFunctions: units.stateTransitions * prices.stateTransition,
      apiGateway: units.apiRequests * prices.httpApiRequest,
      s3: units.s3PutRequests * prices.s3Put + units.s3GetRequests * prices.s3Get,
      eventBridge:
        units.eventBridgeEvents * prices.eventBridgeEvent +
        units.schedulerInvocations * prices.schedulerInvocation,
    };
    const perThousand = Object.fromEntries(
      Object.entries(dollarsPerWorkOrder).map(([service, dollars]) => [service, round(dollars * 1000, 4)]),
    );
    const totalPerThousand = round(
      Object.values(dollarsPerWorkOrder).reduce((sum, dollars) => sum + dollars, 0) * 1000,
      4,
    );
    const commandsPerLifecycle: Record<string, number> = {};
    for (const run of warm)
      for (const [command, count] of Object.entries(run.totals.commands))
        commandsPerLifecycle[command] = (commandsPerLifecycle[command] ?? 0) + count / warm.length;

    console.log(
      JSON.stringify(
        {
          benchmark: 'cost per work order',
          node: process.version,
          lifecycles: LIFECYCLES,
          averagedOver: warm.length === runs.length ? 'all lifecycles' : 'lifecycles 2…n (warm)',
          apiSteps: runs[0]?.steps,
          units: Object.fromEntries(Object.entries(units).map(([name, value]) => [name, round(value, 2)])),
          dynamodbCommandsPerLifecycle: Object.fromEntries(
            Object.entries(commandsPerLifecycle).map(([name, value]) => [name, round(value, 1)]),
          ),
          excludedLocalStandInUnits: round(
            mean((run) => run.totals.localOnlyUnits),
            1,
          ),
          lambda,
          dollarsPer1000WorkOrders: { ...perThousand, total: totalPerThousand },
          goalDollarsPer1000: 1,
          meetsGoal: totalPerThousand <= 1,
          prices,
          notes: [
            'Lambda durations are measured on this machine against DynamoDB Local; a 512 MB function has about a third of a vCPU, and real DynamoDB answers faster than DynamoDB Local.',
            'Payment is recorded by the office (one API request); a Stripe checkout adds the customer page, the webhook and Stripe fees.',
            'Not priced: SNS/SES messages, CloudWatch Logs, X-Ray traces, Secrets Manager reads, data transfer, and Lambda INIT time of cold starts.',
          ],
        },
        null,
        2,
      ),
    );
  } finally {
    await bench.stop();
  }
}

await main();
