import type { Workflow } from '../../../lambdas/ports/workflow.ts';

/**
 * Executions and task answers kept in memory. Starting the same execution again with the same
 * input is a no-op, with another input an error, as Step Functions does for a running execution.
 */
export class RecordingWorkflow implements Workflow {
  readonly executions = new Map<string, Record<string, unknown>>();
  readonly successes: { taskToken: string; output: Record<string, unknown> }[] = [];
  readonly failures: { taskToken: string; error: string; cause: string }[] = [];
  private startFailure: Error | undefined;
  private answerFailure: Error | undefined;

  /** The next starts fail with `error`, as when Step Functions is unreachable. */
  failStartsWith(error: Error): this {
    this.startFailure = error;
    return this;
  }

  /** Answers to waiting states fail with `error` and are not recorded (`TaskDoesNotExist`, throttling). */
  failAnswersWith(error: Error): this {
    this.answerFailure = error;
    return this;
  }

  async start(executionName: string, input: Record<string, unknown>): Promise<{ executionArn: string }> {
    if (this.startFailure) throw this.startFailure;
    const existing = this.executions.get(executionName);
    if (existing && JSON.stringify(existing) !== JSON.stringify(input)) {
      throw new Error(`Execution ${executionName} exists with another input`);
    }
    this.executions.set(executionName, structuredClone(input));
    return { executionArn: `arn:aws:states:us-east-1:123456789012:execution:work-order:${executionName}` };
  }

  async succeed(taskToken: string, output: Record<string, unknown>): Promise<void> {
    if (this.answerFailure) throw this.answerFailure;
    this.successes.push({ taskToken, output: structuredClone(output) });
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    if (this.answerFailure) throw this.answerFailure;
    this.failures.push({ taskToken, error, cause });
  }
}

/** An error named as the Step Functions SDK names its exceptions. */
export function stepFunctionsError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
