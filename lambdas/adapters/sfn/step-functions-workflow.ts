import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { Workflow } from '../../ports/workflow.ts';

/**
 * The work-order state machine through the Step Functions API. Locally the same client talks
 * to the local workflow engine through AWS_ENDPOINT_URL_SFN.
 */
export class StepFunctionsWorkflow implements Workflow {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(executionName: string, input: Record<string, unknown>): Promise<{ executionArn: string }> {
    // Same name and same input while running is idempotent in Step Functions; anything else
    // (another input, or a finished execution of that name) fails with ExecutionAlreadyExists.
    const output = await this.client.send(
      new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn,
        name: executionName,
        input: JSON.stringify(input),
      }),
    );
    return { executionArn: output.executionArn ?? '' };
  }

  async succeed(taskToken: string, output: Record<string, unknown>): Promise<void> {
    await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    await this.client.send(new SendTaskFailureCommand({ taskToken, error, cause }));
  }
}
