/**
 * Every Lambda function of the platform, once: its entry file and what it may touch.
 * CDK creates one function per entry and grants exactly the access listed; the local
 * runtime loads the same entry files. Workflow functions are named by the substitution
 * their ARN fills in `statemachines/work-order.asl.json` (`${AwaitStageFunctionArn}`).
 */
export interface FunctionAccess {
  table?: 'read' | 'readWrite';
  /**
   * Objects under the tenants' prefix. `read`: GetObject (download links, heads); `readWrite`:
   * also PutObject (presigned upload forms); `readDelete`: also DeleteObject (refused uploads).
   */
  bucket?: 'read' | 'readWrite' | 'readDelete';
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
    description: 'Work order creation, next visits, reads, list and timeline',
    // `respond`: a next visit that lost a race is cancelled, which fails its waiting state.
    access: { table: 'readWrite', workflow: ['start', 'respond'], events: true },
  },
  workOrderActions: {
    entry: 'lambdas/handlers/api/work-order-actions.ts',
    description: 'Work order transitions, notes and labor; answers the waiting workflow state',
    // `read`: a completion signed with an uploaded image checks the image.
    access: { table: 'readWrite', bucket: 'read', workflow: ['respond'], events: true },
  },
  fieldWork: {
    entry: 'lambdas/handlers/api/field-work.ts',
    description:
      'Field-status history, labor timers, recommendations, messages, follow-up work orders and tasks',
    // `start`: a follow-up work order starts its own execution.
    access: { table: 'readWrite', workflow: ['start'], events: true },
  },
  customers: {
    entry: 'lambdas/handlers/api/customers.ts',
    description: 'Customers with unique phone and email, their locations, equipment and history',
    access: { table: 'readWrite' },
  },
  photos: {
    entry: 'lambdas/handlers/api/photos.ts',
    description: 'Photo upload forms (presigned POST) and photo lists with download links',
    access: { table: 'readWrite', bucket: 'readWrite' },
  },
  signOff: {
    entry: 'lambdas/handlers/api/sign-off.ts',
    description: 'Work summaries with their hash, signature upload forms and completion report links',
    access: { table: 'readWrite', bucket: 'readWrite' },
  },
  catalog: {
    entry: 'lambdas/handlers/api/catalog.ts',
    description: 'Service catalogue, service-type suggestions and the history preview at creation',
    access: { table: 'readWrite' },
  },
  dispatch: {
    entry: 'lambdas/handlers/api/dispatch.ts',
    description:
      "The technician's dispatch package: the job, customer, site, equipment history, earlier notes, photo links",
    access: { table: 'read', bucket: 'read' },
  },
  scheduling: {
    entry: 'lambdas/handlers/api/scheduling.ts',
    description: 'Scheduling settings, ranked slots and capacity for a calendar',
    access: { table: 'readWrite' },
  },
  parts: {
    entry: 'lambdas/handlers/api/parts.ts',
    description: 'Parts catalogue with unique SKUs, parts used on work orders and job costing',
    access: { table: 'readWrite' },
  },
  technicians: {
    entry: 'lambdas/handlers/api/technicians.ts',
    description: 'Technicians with skills, home base, working hours, time off and cost rate',
    access: { table: 'readWrite' },
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
    // `readWrite`: the completion report is written to the bucket, a signature image read from it.
    access: {
      table: 'readWrite',
      bucket: 'readWrite',
      workflow: ['start'],
      events: true,
      notifications: true,
    },
    timeoutSeconds: 30,
  },
  MarkNeedsAttentionFunction: {
    entry: 'lambdas/handlers/workflow/mark-needs-attention.ts',
    description: 'Marks a work order needs_attention when automation fails, and tells the office',
    access: { table: 'readWrite', events: true, notifications: true },
  },
} as const satisfies Record<string, FunctionDefinition>;

export type WorkflowFunctionName = keyof typeof workflowFunctions;

/**
 * Functions invoked asynchronously by events (S3 object creation through EventBridge, or the
 * local runtime): each gets a dead-letter queue for the events it could not process.
 */
export const eventFunctions = {
  PhotoUploadedFunction: {
    entry: 'lambdas/handlers/events/photo-uploaded.ts',
    description: 'Checks each uploaded photo and records it on its work order, or deletes it',
    access: { table: 'readWrite', bucket: 'readDelete' },
    timeoutSeconds: 30,
  },
} as const satisfies Record<string, FunctionDefinition>;

export type EventFunctionName = keyof typeof eventFunctions;
