/** The work order's Step Functions execution, as the use cases see it. */
export interface Workflow {
  /** Starts the execution named `executionName`; starting it again with the same input is a no-op. */
  start(executionName: string, input: Record<string, unknown>): Promise<{ executionArn: string }>;
  /** Resumes a waiting state with its output. */
  succeed(taskToken: string, output: Record<string, unknown>): Promise<void>;
  /** Ends a waiting state with an error that the state machine's Catch routes (`WorkOrder.Cancelled`). */
  fail(taskToken: string, error: string, cause: string): Promise<void>;
}
