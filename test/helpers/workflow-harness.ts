import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inject } from 'vitest';
import type { Actor } from '../../lambdas/domain/shared/actor.ts';
import type { CreateWorkOrderCommand } from '../../lambdas/domain/work-orders/create-work-order.ts';
import type { ActionDependencies, ActionInput } from '../../lambdas/domain/work-orders/perform-action.ts';
import type { WorkOrder } from '../../lambdas/domain/work-orders/work-order.ts';
import { type WorkflowFunctionName, workflowFunctions } from '../../lambdas/handlers/functions.ts';
import { localCredentials, localRegion } from '../../lib/local/emulators.ts';
import { lambdaContext } from '../../lib/local/gateway.ts';
import { projectRoot } from '../../lib/local/platform.ts';
import { createStepFunctionsApi } from '../../lib/local/step-functions-api.ts';
import {
  type ExecutionRecord,
  LocalWorkflowEngine,
  type TaskFunction,
} from '../../lib/local/workflow-engine.ts';

export const stateMachineArn = `arn:aws:states:${localRegion}:000000000000:stateMachine:work-order-workflow-test`;

/** An invocation held back until the test lets it run. */
export interface HeldInvocation {
  /** Resolves once the held function has been invoked (and is waiting). */
  reached: Promise<void>;
  release(): void;
}

export interface WorkflowHarness {
  engine: LocalWorkflowEngine;
  /** How often each workflow function was invoked. */
  invocations: Record<string, number>;
  /**
   * The Task states the work order's execution entered, in order, as the functions saw them
   * (`AwaitScheduling`, `SendConfirmation`, …, `MarkNeedsAttention`); a retry enters again.
   */
  statesEntered(workOrderId: string): string[];
  /** The types of the domain events published for the work order, in order. */
  eventsPublished(workOrderId: string): string[];
  /** What `create` and `act` reported as failed side effects (a workflow not told, an event not published). */
  failuresReported: { message: string; error: unknown }[];
  start(name: string, input: Record<string, unknown>): ExecutionRecord;
  /** Waits until the execution has ended, and returns its record. */
  finished(name: string, timeoutMs?: number): Promise<ExecutionRecord>;
  /**
   * Waits until the work order's execution waits in `state` with its token stored; fails as
   * soon as the execution ends instead.
   */
  waitingIn(tenantId: string, workOrderId: string, state: string, timeoutMs?: number): Promise<WorkOrder>;
  /** Swaps a workflow function for a test double until `restore()`; `real` runs the function itself. */
  replace(name: WorkflowFunctionName, double: TaskDouble): void;
  restore(): void;
  /** Holds the next invocation of the function for this work order until released. */
  hold(name: WorkflowFunctionName, workOrderId: string): HeldInvocation;
  /** The real create use case: writes the work order and starts its execution in this harness. */
  create(actor: Actor, command: CreateWorkOrderCommand): Promise<WorkOrder>;
  /** The real transition use case, as the API calls it; `overrides` swaps one of its ports. */
  act(
    actor: Actor,
    workOrderId: string,
    input: ActionInput,
    overrides?: Partial<ActionDependencies>,
  ): Promise<WorkOrder>;
  addNote(actor: Actor, workOrderId: string, text: string): Promise<void>;
  recordLabor(actor: Actor, workOrderId: string, minutes: number): Promise<void>;
  /** The hash of the work summary as the customer would be shown it now. */
  summaryHash(actor: Actor, workOrderId: string): Promise<string>;
  /** The work order as stored (a consistent read). */
  stored(tenantId: string, workOrderId: string): Promise<WorkOrder | undefined>;
  stop(): Promise<void>;
}

/** A stand-in for a workflow function, which may still call the real one. */
export type TaskDouble = (payload: Record<string, unknown>, real: () => Promise<unknown>) => Promise<unknown>;

let started = false;

/**
 * The work-order ASL run in this test process by the local engine with the real workflow
 * handlers over the run's DynamoDB Local, behind its own Step Functions endpoint (the
 * handlers and the use cases answer callbacks and start executions through it). Retries wait
 * `retryDelayMs` instead of the definition's backoff.
 *
 * One harness per test file: the handlers create their Step Functions client once per
 * process, with the endpoint of the first harness.
 */
export async function startWorkflowHarness(
  options: {
    retryDelayMs?: number;
    /** Shorter timeouts of Task states for the file (a waiting state's day in a second). */
    timeoutSeconds?: Record<string, number>;
  } = {},
): Promise<WorkflowHarness> {
  if (started) throw new Error('A workflow harness was already started in this process: use one per file');
  started = true;
  Object.assign(process.env, {
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
    TABLE_NAME: inject('tableName'),
    AWS_ENDPOINT_URL_S3: inject('s3Endpoint'),
    BUCKET_NAME: inject('bucketName'),
    STATE_MACHINE_ARN: stateMachineArn,
    STRIPE_WEBHOOK_SECRET: inject('paymentsWebhookSecret'),
    ADAPTERS: 'local',
    STAGE: 'test',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  // Imported only now, so that they read the environment above.
  const adapters = await import('../../lambdas/adapters/dependencies.ts');
  const { performAction } = await import('../../lambdas/domain/work-orders/perform-action.ts');
  const { createWorkOrder } = await import('../../lambdas/domain/work-orders/create-work-order.ts');
  const fieldWork = await import('../../lambdas/domain/execution/record-field-work.ts');
  const { readWorkSummary } = await import('../../lambdas/domain/execution/work-summary.ts');
  const { localEventBus } = await import('../../lambdas/adapters/local/in-process-event-bus.ts');

  const invocations: Record<string, number> = {};
  const entered: { workOrderId: string; state: string }[] = [];
  const doubles: Partial<Record<string, TaskDouble>> = {};
  const holds = new Map<string, { arrive: () => void; released: Promise<void> }>();
  const releases: (() => void)[] = [];
  const failuresReported: WorkflowHarness['failuresReported'] = [];

  const stateOf = (name: string, payload: Record<string, unknown>) =>
    String(payload.state ?? payload.step ?? name.replace(/Function$/, ''));

  const functions: Record<string, TaskFunction> = {};
  for (const [name, definition] of Object.entries(workflowFunctions)) {
    const real = (
      (await import(pathToFileURL(join(projectRoot, definition.entry)).href)) as {
        handler: (event: unknown, context: unknown) => Promise<unknown>;
      }
    ).handler;
    functions[name] = async (payload) => {
      const workOrderId = String(payload.workOrderId);
      invocations[name] = (invocations[name] ?? 0) + 1;
      entered.push({ workOrderId, state: stateOf(name, payload) });
      const held = holds.get(`${name} ${workOrderId}`);
      if (held) {
        holds.delete(`${name} ${workOrderId}`);
        held.arrive();
        await held.released;
      }
      const double = doubles[name];
      const runReal = () => real(payload, lambdaContext(name));
      return double ? double(payload, runReal) : runReal();
    };
  }
  const engine = await LocalWorkflowEngine.fromFile(
    join(projectRoot, 'statemachines/work-order.asl.json'),
    stateMachineArn,
    functions,
    undefined,
    {
      retryDelayMs: options.retryDelayMs ?? 5,
      ...(options.timeoutSeconds ? { timeoutSeconds: options.timeoutSeconds } : {}),
    },
  );
  const server: Server = createStepFunctionsApi(engine);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.AWS_ENDPOINT_URL_SFN = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const dependencies = (): ActionDependencies => ({
    workOrders: adapters.workOrderStore(),
    directory: adapters.directoryStore(),
    workflow: adapters.workflow(),
    events: adapters.eventPublisher(),
    clock: adapters.clock,
    ids: adapters.ids,
    reportFailure: (message, error) => {
      failuresReported.push({ message, error });
    },
    travelTimes: adapters.travelTimes,
    photos: adapters.photoStore(),
    blobs: adapters.blobStore(),
  });
  const fieldDependencies = () => ({
    workOrders: adapters.workOrderStore(),
    clock: adapters.clock,
    ids: adapters.ids,
  });
  const describe = (name: string) => engine.describeExecution(engine.executionArnOf(name));

  return {
    engine,
    invocations,
    failuresReported,
    statesEntered: (workOrderId) =>
      entered.filter((entry) => entry.workOrderId === workOrderId).map((entry) => entry.state),
    eventsPublished: (workOrderId) =>
      localEventBus.delivered
        .filter((event) => (event.detail as { workOrderId?: string }).workOrderId === workOrderId)
        .map((event) => event.type),
    start: (name, input) => engine.startExecution(name, JSON.stringify(input)),
    finished: async (name, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const record = describe(name);
        if (record.status !== 'RUNNING') return record;
        if (Date.now() > deadline) throw new Error(`Execution ${name} still running after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    waitingIn: async (tenantId, workOrderId, state, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      let last: WorkOrder | undefined;
      for (;;) {
        last = await adapters.workOrderStore().get(tenantId, workOrderId);
        if (last?.workflowState === state && last.taskToken !== undefined) return last;
        const record = describe(workOrderId);
        if (record.status !== 'RUNNING') {
          throw new Error(
            `Execution ${workOrderId} ended ${record.status} (${record.error ?? 'no error'}: ${record.cause ?? ''}) ` +
              `instead of waiting in ${state}`,
          );
        }
        if (Date.now() > deadline) {
          throw new Error(
            `Work order ${workOrderId} not waiting in ${state} after ${timeoutMs} ms ` +
              `(it is ${last?.status}, in ${last?.workflowState})`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    replace: (name, double) => {
      doubles[name] = double;
    },
    restore: () => {
      for (const name of Object.keys(doubles)) delete doubles[name];
    },
    hold: (name, workOrderId) => {
      let arrive = () => {};
      let release = () => {};
      const reached = new Promise<void>((resolve) => {
        arrive = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      holds.set(`${name} ${workOrderId}`, { arrive, released });
      releases.push(release);
      return { reached, release };
    },
    create: (actor, command) => createWorkOrder(dependencies(), actor, command),
    act: (actor, workOrderId, input, overrides = {}) =>
      performAction({ ...dependencies(), ...overrides }, actor, workOrderId, input),
    addNote: async (actor, workOrderId, text) => {
      await fieldWork.addNote(fieldDependencies(), actor, workOrderId, text);
    },
    recordLabor: async (actor, workOrderId, minutes) => {
      await fieldWork.recordLabor(fieldDependencies(), actor, workOrderId, { minutes });
    },
    summaryHash: async (actor, workOrderId) =>
      (
        await readWorkSummary(
          {
            workOrders: adapters.workOrderStore(),
            directory: adapters.directoryStore(),
            photos: adapters.photoStore(),
          },
          actor,
          workOrderId,
        )
      ).summaryHash,
    stored: (tenantId, workOrderId) => adapters.workOrderStore().get(tenantId, workOrderId),
    stop: async () => {
      for (const release of releases) release();
      await engine.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
