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

  /** The next starts fail with `error`, as when Step Functions is unreachable. */
  failStartsWith(error: Error): this {
    this.startFailure = error;
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
    this.successes.push({ taskToken, output: structuredClone(output) });
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    this.failures.push({ taskToken, error, cause });
  }
}
