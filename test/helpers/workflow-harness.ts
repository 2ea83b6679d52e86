import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inject } from 'vitest';
import { workflowFunctions } from '../../lambdas/handlers/functions.ts';
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

export interface WorkflowHarness {
  engine: LocalWorkflowEngine;
  /** How often each workflow function was invoked. */
  invocations: Record<string, number>;
  start(name: string, input: Record<string, unknown>): ExecutionRecord;
  /** Waits until the execution has ended, and returns its record. */
  finished(name: string, timeoutMs?: number): Promise<ExecutionRecord>;
  stop(): Promise<void>;
}

/**
 * The work-order ASL run in this test process by the local engine with the real workflow
 * handlers over the run's DynamoDB Local, behind its own Step Functions endpoint (the
 * handlers answer callbacks through it). `replace` swaps a function for a test double.
 */
export async function startWorkflowHarness(
  replace: Partial<Record<string, TaskFunction>> = {},
): Promise<WorkflowHarness> {
  Object.assign(process.env, {
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
    TABLE_NAME: inject('tableName'),
    STATE_MACHINE_ARN: stateMachineArn,
    ADAPTERS: 'local',
    STAGE: 'test',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  });
  const invocations: Record<string, number> = {};
  const functions: Record<string, TaskFunction> = {};
  for (const [name, definition] of Object.entries(workflowFunctions)) {
    const real = (
      (await import(pathToFileURL(join(projectRoot, definition.entry)).href)) as {
        handler: (event: unknown, context: unknown) => Promise<unknown>;
      }
    ).handler;
    const chosen =
      replace[name] ?? ((payload: Record<string, unknown>) => real(payload, lambdaContext(name)));
    functions[name] = async (payload) => {
      invocations[name] = (invocations[name] ?? 0) + 1;
      return chosen(payload);
    };
  }
  const engine = await LocalWorkflowEngine.fromFile(
    join(projectRoot, 'statemachines/work-order.asl.json'),
    stateMachineArn,
    functions,
  );
  const server: Server = createStepFunctionsApi(engine);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.AWS_ENDPOINT_URL_SFN = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    engine,
    invocations,
    start: (name, input) => engine.startExecution(name, JSON.stringify(input)),
    finished: async (name, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const record = engine.describeExecution(engine.executionArnOf(name));
        if (record.status !== 'RUNNING') return record;
        if (Date.now() > deadline) throw new Error(`Execution ${name} still running after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    stop: async () => {
      await engine.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
