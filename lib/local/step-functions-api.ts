import { createServer, type Server } from 'node:http';
import { readBody } from './http-body.ts';
import { type LocalWorkflowEngine, WorkflowEngineError } from './workflow-engine.ts';

const epochSeconds = (iso: string | undefined) => (iso ? new Date(iso).getTime() / 1000 : undefined);

/**
 * The Step Functions API (JSON 1.0 protocol) in front of the local engine, so the handlers'
 * own SFN client and adapter work unchanged through AWS_ENDPOINT_URL_SFN.
 */
export function createStepFunctionsApi(engine: LocalWorkflowEngine): Server {
  const operations: Record<string, (input: Record<string, string>) => unknown> = {
    StartExecution: (input) => {
      if (input.stateMachineArn !== engine.stateMachineArn) {
        throw new WorkflowEngineError(
          'ExecutionDoesNotExist',
          `State machine ${input.stateMachineArn} does not exist`,
        );
      }
      const record = engine.startExecution(input.name ?? '', input.input ?? '{}');
      return { executionArn: record.executionArn, startDate: epochSeconds(record.startDate) };
    },
    DescribeExecution: (input) => {
      const record = engine.describeExecution(input.executionArn ?? '');
      return {
        executionArn: record.executionArn,
        stateMachineArn: engine.stateMachineArn,
        name: record.name,
        status: record.status,
        startDate: epochSeconds(record.startDate),
        stopDate: epochSeconds(record.stopDate),
        input: record.input,
        output: record.output,
        error: record.error,
        cause: record.cause,
      };
    },
    SendTaskSuccess: (input) => {
      engine.sendTaskSuccess(input.taskToken ?? '', input.output ?? '{}');
      return {};
    },
    SendTaskFailure: (input) => {
      engine.sendTaskFailure(input.taskToken ?? '', input.error ?? '', input.cause ?? '');
      return {};
    },
    SendTaskHeartbeat: () => ({}),
    StopExecution: (input) => {
      engine.stopExecution(input.executionArn ?? '');
      return { stopDate: Date.now() / 1000 };
    },
  };

  return createServer(async (request, response) => {
    const target = String(request.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
    const reply = (status: number, body: unknown, errorType?: string) => {
      response.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      });
      response.end(JSON.stringify(body));
    };
    try {
      const operation = operations[target];
      if (!operation)
        return reply(
          400,
          { __type: 'UnknownOperationException', message: target },
          'UnknownOperationException',
        );
      const input = JSON.parse((await readBody(request, 1024 * 1024)).toString('utf8') || '{}') as Record<
        string,
        string
      >;
      reply(200, operation(input) ?? {});
    } catch (error) {
      if (error instanceof WorkflowEngineError)
        return reply(400, { __type: error.code, message: error.message }, error.code);
      reply(500, { __type: 'InternalFailure', message: String(error) }, 'InternalFailure');
    }
  });
}
