/**
 * Every Lambda function of the platform, once: its entry file and what it may touch.
 * CDK creates one function per entry and grants exactly the access listed; the local
 * runtime loads the same entry files. Workflow functions are named by the substitution
 * their ARN fills in `statemachines/work-order.asl.json` (`${AwaitStageFunctionArn}`).
 */
export interface FunctionAccess {
  table?: 'read' | 'readWrite';
  bucket?: 'read' | 'readWrite';
  /** `start`: StartExecution/DescribeExecution; `respond`: SendTaskSuccess/Failure/Heartbeat. */
  workflow?: ('start' | 'respond')[];
  events?: boolean;
  notifications?: boolean;
  schedules?: boolean;
}

export interface FunctionDefinition {
  entry: string;
  description: string;
  access: FunctionAccess;
  memorySize?: number;
  timeoutSeconds?: number;
}

export const apiFunctions = {
  system: {
    entry: 'lambdas/handlers/api/system.ts',
    description: 'Health and the OpenAPI document',
    access: {},
  },
  workOrders: {
    entry: 'lambdas/handlers/api/work-orders.ts',
    description: 'Work order creation, reads, list and timeline',
    access: { table: 'readWrite', workflow: ['start'], events: true },
  },
  workOrderActions: {
    entry: 'lambdas/handlers/api/work-order-actions.ts',
    description: 'Work order transitions, notes and labor; answers the waiting workflow state',
    access: { table: 'readWrite', workflow: ['respond'], events: true },
  },
} as const satisfies Record<string, FunctionDefinition>;

export type ApiFunctionName = keyof typeof apiFunctions;

export const workflowFunctions = {
  AwaitStageFunction: {
    entry: 'lambdas/handlers/workflow/await-stage.ts',
    description: 'Stores the task token of a waiting stage, or answers at once if the stage is already past',
    access: { table: 'readWrite', workflow: ['respond'] },
  },
  WorkflowStepsFunction: {
    entry: 'lambdas/handlers/workflow/steps.ts',
    description: 'The automated steps: enrich, confirm, notify, summarize, follow up, invoice, close',
    access: { table: 'readWrite', workflow: ['start'], events: true, notifications: true },
    timeoutSeconds: 30,
  },
  MarkNeedsAttentionFunction: {
    entry: 'lambdas/handlers/workflow/mark-needs-attention.ts',
    description: 'Marks a work order needs_attention when automation fails, and tells the office',
    access: { table: 'readWrite', events: true, notifications: true },
  },
} as const satisfies Record<string, FunctionDefinition>;

export type WorkflowFunctionName = keyof typeof workflowFunctions;
