/**
 * Watches an in-process local platform for the benchmarks, without changing it: every Lambda
 * handler call becomes a timed invocation (`lambda-hooks.ts`), and while each runs, the
 * process's HTTP requests to the emulators, the DynamoDB commands with the request units they
 * consumed, the state machine's state transitions, bus events and schedules are recorded
 * (`invocations.ts`). Install it before the platform starts; `observeTable` once it runs.
 */
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StateMachine } from 'aws-local-stepfunctions';
import { InProcessEventBus } from '../../lambdas/adapters/local/in-process-event-bus.ts';
import { TableScheduler } from '../../lambdas/adapters/local/table-scheduler.ts';
import { registry } from './function-registry.ts';
import { type Invocation, invocationLog, type StorageCall, type WireCall } from './invocations.ts';
import type { LambdaHooksData } from './lambda-hooks.ts';
import { projectRoot } from './node-binary.ts';

/** State transitions of each execution (by execution name), as Step Functions Standard bills them. */
export const stateTransitions = new Map<string, number>();

let installed = false;

export function installProbe(): void {
  if (installed) return;
  installed = true;

  const functions = Object.fromEntries(
    Object.entries(registry).map(([name, definition]) => [
      pathToFileURL(join(projectRoot, definition.entry)).href,
      name,
    ]),
  );
  const data: LambdaHooksData = {
    functions,
    invocationsUrl: new URL('./invocations.ts', import.meta.url).href,
  };
  register(new URL('./lambda-hooks.ts', import.meta.url), { data });

  observeRoundTrips();
  countStateTransitions();
  countBusEventsAndSchedules();
}

/**
 * The AWS SDK sends with node:http: each request to an emulator is timed from its start to the
 * response, and kept with the invocation that made it. (The benchmarks call the gateway with
 * `fetch`, which does not use node:http, so their own requests are not counted here.)
 */
function observeRoundTrips(): void {
  const open = new WeakMap<ClientRequest, { call: WireCall; owner: Invocation | { wire: WireCall[] } }>();
  diagnostics.subscribe('http.client.request.start', (message) => {
    // Started from the request's creation: a round trip waits for its connection too.
    const { request } = message as { request: ClientRequest };
    const call: WireCall = {
      target: String(request.getHeader('host') ?? request.host),
      method: request.method,
      start: performance.now(),
      end: Number.NaN,
    };
    open.set(request, { call, owner: invocationLog.current() });
    invocationLog.inFlight += 1;
    invocationLog.touch();
  });
  const close = (request: ClientRequest, status?: number) => {
    const entry = open.get(request);
    if (!entry) return;
    open.delete(request);
    entry.call.end = performance.now();
    if (status !== undefined) entry.call.status = status;
    entry.owner.wire.push(entry.call);
    invocationLog.inFlight -= 1;
    invocationLog.touch();
  };
  // Published when the response's head arrives: the round trip ends with the last byte of its body.
  diagnostics.subscribe('http.client.response.finish', (message) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const done = () => close(request, response.statusCode);
    response.once('end', done);
    response.once('close', done);
    response.once('error', done);
  });
  diagnostics.subscribe('http.client.request.error', (message) => {
    close((message as { request: ClientRequest }).request);
  });
}

/** Every state an execution enters is one billed transition (retries enter it again). */
function countStateTransitions(): void {
  const run = StateMachine.prototype.run;
  StateMachine.prototype.run = function runCounted(this: StateMachine, input, options) {
    const execution = run.call(this, input, options);
    const name = String(options?.context?.Execution?.Name ?? 'unnamed');
    void (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'StateEntered' || event.type === 'StateRetried') {
          stateTransitions.set(name, (stateTransitions.get(name) ?? 0) + 1);
        }
      }
    })().catch(() => undefined);
    return execution;
  };
}

/** Events published on the bus (PutEvents entries in the cloud) and schedules made or deleted. */
function countBusEventsAndSchedules(): void {
  const publish = InProcessEventBus.prototype.publish;
  InProcessEventBus.prototype.publish = function publishCounted(this: InProcessEventBus, events) {
    invocationLog.current().busEvents += events.length;
    return publish.call(this, events);
  };
  const put = TableScheduler.prototype.put;
  TableScheduler.prototype.put = function putCounted(this: TableScheduler, schedule) {
    invocationLog.current().schedulesCreated += 1;
    return put.call(this, schedule);
  };
  const remove = TableScheduler.prototype.delete;
  TableScheduler.prototype.delete = function deleteCounted(this: TableScheduler, name) {
    invocationLog.current().schedulesDeleted += 1;
    return remove.call(this, name);
  };
}

const readCommands = new Set([
  'GetItemCommand',
  'QueryCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);
/** Sort-key prefixes (ElectroDB's `$<entity>_<version>`) of the items only the local stand-ins write. */
const localOnlyEntities = ['$outboxmessage_', '$localschedule_'];

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

/**
 * Records every command of the platform's document client on the invocation that sent it;
 * with `consumedCapacity`, asks DynamoDB for the units each consumed (table and indexes).
 */
export function observeTable(client: DynamoDBDocumentClient, options: { consumedCapacity: boolean }): void {
  const middleware =
    (
      next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>,
      context: {
        commandName?: string;
      },
    ) =>
    async (args: { input: Record<string, unknown> }) => {
      if (options.consumedCapacity) args.input.ReturnConsumedCapacity = 'INDEXES';
      const command = context.commandName ?? 'UnknownCommand';
      const call: StorageCall = {
        command,
        start: performance.now(),
        end: Number.NaN,
        readUnits: 0,
        writeUnits: 0,
        indexUnits: 0,
        localOnly: localOnlyEntities.some((marker) => JSON.stringify(args.input).includes(marker)),
        failed: true,
      };
      const owner = invocationLog.current();
      try {
        const result = await next(args);
        const consumed = result.output.ConsumedCapacity as Capacity | Capacity[] | undefined;
        for (const capacity of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
          const total = capacity.CapacityUnits ?? 0;
          if (capacity.ReadCapacityUnits !== undefined || capacity.WriteCapacityUnits !== undefined) {
            call.readUnits += capacity.ReadCapacityUnits ?? 0;
            call.writeUnits += capacity.WriteCapacityUnits ?? 0;
          } else if (readCommands.has(command)) {
            call.readUnits += total;
          } else {
            call.writeUnits += total;
          }
          for (const index of Object.values(capacity.GlobalSecondaryIndexes ?? {}))
            call.indexUnits += index.CapacityUnits ?? 0;
        }
        call.failed = false;
        return result;
      } finally {
        call.end = performance.now();
        owner.storage.push(call);
      }
    };
  client.middlewareStack.add(middleware as never, {
    step: 'initialize',
    priority: 'high',
    name: 'benchmarkTableObserver',
  });
}
