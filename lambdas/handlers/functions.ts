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
  /** STRIPE_SECRET_ARN and reading that secret (the Stripe API key and webhook signing secret). */
  payments?: boolean;
  /**
   * CUSTOMER_LINK_KEYS_SECRET_ARN and reading that secret (the keys customer links are signed
   * with), and CUSTOMER_PAGES_URL, where the links point.
   */
  customerLinks?: boolean;
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
    // `events`: a part used that leaves its stock at the reorder point publishes Inventory.LowStock.
    access: { table: 'readWrite', events: true },
  },
  inventory: {
    entry: 'lambdas/handlers/api/inventory.ts',
    description: 'Stock per warehouse and truck, transfers, adjustments, reorder points and purchase orders',
    // `events`: a transfer or adjustment that leaves stock at the reorder point publishes Inventory.LowStock.
    access: { table: 'readWrite', events: true },
  },
  payments: {
    entry: 'lambdas/handlers/api/payments.ts',
    description: "Stripe's webhook (verified, once per event), invoice payments and invoice PDF links",
    // `respond`: a payment in full answers the AwaitPayment wait; `read`: the PDF's download link;
    // `schedules`: an agreement's invoice paid in full has its overdue check deleted.
    access: {
      table: 'readWrite',
      bucket: 'read',
      workflow: ['respond'],
      events: true,
      payments: true,
      schedules: true,
    },
  },
  invoices: {
    entry: 'lambdas/handlers/api/invoices.ts',
    description: 'Pricing rules, invoice reads and lists, draft edits, recalculation and voids',
    // `respond`: a void of an invoice awaiting payment takes the waiting workflow back to approval.
    access: { table: 'readWrite', workflow: ['respond'], events: true },
  },
  agreements: {
    entry: 'lambdas/handlers/api/agreements.ts',
    description: 'Service agreements: coverage, billing schedule, member discount, included visits',
    // `schedules`: each agreement's billing periods are one-time schedules.
    access: { table: 'readWrite', schedules: true },
  },
  paymentPlans: {
    entry: 'lambdas/handlers/api/payment-plans.ts',
    description: 'Payment plans of invoices: instalments with due dates and where each stands',
    access: { table: 'readWrite' },
  },
  reports: {
    entry: 'lambdas/handlers/api/reports.ts',
    description: 'Reports for the office: revenue, cost and margin of the work completed in a period',
    access: { table: 'read' },
  },
  reminders: {
    entry: 'lambdas/handlers/api/reminders.ts',
    description: 'Follow-up reminders: set from done work or a recommendation, listed, cancelled',
    // `schedules`: each reminder fires through a one-time schedule, deleted when it is cancelled.
    access: { table: 'readWrite', schedules: true },
  },
  notifications: {
    entry: 'lambdas/handlers/api/notifications.ts',
    description:
      'Customer message templates, quiet hours and SMS number; the message log with delivery status',
    access: { table: 'readWrite' },
  },
  customerLinks: {
    entry: 'lambdas/handlers/api/customer-links.ts',
    description: 'Signed links to the customer pages: issued, listed and revoked by the office',
    access: { table: 'readWrite', customerLinks: true },
  },
  customerPages: {
    entry: 'lambdas/handlers/pages/customer-pages.ts',
    description:
      "The customer's pages behind signed links: appointment (access notes, another time, cancel), sign-off, invoice and paying it",
    // The pages act through the work-order use cases (`respond`, `events`), show photos and the
    // invoice PDF (`read`), make checkouts on demand (`payments`) and search open slots.
    access: {
      table: 'readWrite',
      bucket: 'read',
      workflow: ['respond'],
      events: true,
      payments: true,
      customerLinks: true,
    },
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
      // SendInvoice arranges the invoice's overdue check.
      schedules: true,
      // The confirmation and the invoice carry signed links to the customer's pages; the invoice
      // page makes the checkout when the customer pays, so these steps never ask Stripe.
      customerLinks: true,
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
  CustomerMilestonesFunction: {
    entry: 'lambdas/handlers/events/customer-milestones.ts',
    description:
      'Tells customers the technician is on the way (with the ETA) and the work is done; withdraws day-before reminders',
    // `schedules`: a cancellation or a reschedule deletes the day-before reminder; a message held
    // for the customer's quiet hours is released by a schedule.
    access: { table: 'readWrite', notifications: true, schedules: true },
    timeoutSeconds: 30,
  },
  InboundSmsFunction: {
    entry: 'lambdas/handlers/events/inbound-sms.ts',
    description:
      "Customers' replies to a tenant's SMS number: STOP opts the phone out of texts, START back in",
    access: { table: 'readWrite' },
  },
} as const satisfies Record<string, FunctionDefinition>;

export type EventFunctionName = keyof typeof eventFunctions;

/**
 * The function EventBridge Scheduler invokes with each one-time schedule's payload (overdue
 * checks, agreement billing), and the rule on the bus with an invoice paid in full: invoked
 * asynchronously, with a dead-letter queue. It has a fixed name, so functions (itself included:
 * a check arranges the next) name it in SCHEDULE_TARGET_ARN without a reference to it.
 */
export const scheduleFunctions = {
  ScheduleTargetFunction: {
    entry: 'lambdas/handlers/schedules/schedule-target.ts',
    description:
      'Runs what schedules bring: overdue invoice checks, agreement billing and visits, day-before and follow-up reminders',
    // `bucket` and `payments`: an agreement's period invoice is sent with its PDF and a pay link;
    // `start` and `events`: an agreement's planned visit is a work order, which starts its execution.
    access: {
      table: 'readWrite',
      bucket: 'readWrite',
      notifications: true,
      schedules: true,
      payments: true,
      workflow: ['start'],
      events: true,
    },
    timeoutSeconds: 60,
  },
} as const satisfies Record<string, FunctionDefinition>;

export type ScheduleFunctionName = keyof typeof scheduleFunctions;
