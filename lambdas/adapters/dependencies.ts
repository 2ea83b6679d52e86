import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import type { LinkDependencies } from '../domain/customer-pages/links.ts';
import type { CustomerDirectory } from '../domain/customers/customer-directory.ts';
import type { LocationHistory } from '../domain/dispatch/dispatch-package.ts';
import type { InventoryDependencies } from '../domain/inventory/manage-stock.ts';
import type { CustomerMessengerDependencies } from '../domain/notifications/customer-messenger.ts';
import type { SchedulingSettings } from '../domain/scheduling/scheduling-settings.ts';
import type { TechnicianStore } from '../domain/scheduling/technicians.ts';
import type { AgreementCoverage } from '../ports/agreement-coverage.ts';
import type { AgreementStore } from '../ports/agreement-store.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import { type Clock, systemClock } from '../ports/clock.ts';
import type { CompletedWork } from '../ports/completed-work.ts';
import type { CustomerLinkStore, LinkKeys } from '../ports/customer-link-store.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import type { FieldWorkStore } from '../ports/field-work-store.ts';
import type { FollowUpReminderStore } from '../ports/follow-up-reminder-store.ts';
import type { FollowUpTaskStore } from '../ports/follow-up-task-store.ts';
import type { IdempotencyStore } from '../ports/idempotency-store.ts';
import type { InventoryStore, PurchaseOrderStore } from '../ports/inventory-store.ts';
import type { InvoiceStore } from '../ports/invoice-store.ts';
import type { JobDurationStore } from '../ports/job-duration-store.ts';
import type { NotificationLog } from '../ports/notification-log.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { PartCatalog } from '../ports/part-catalog.ts';
import type { PaymentRecords, Payments } from '../ports/payments.ts';
import type { PhotoStore } from '../ports/photo-store.ts';
import type { PlannedVisitStore } from '../ports/planned-visit-store.ts';
import type { ReceivablesStore } from '../ports/receivables-store.ts';
import type { Scheduler } from '../ports/scheduler.ts';
import type { TenantWriteLimiter } from '../ports/tenant-write-limiter.ts';
import type { TravelTimes } from '../ports/travel-times.ts';
import type { WorkOrderStore } from '../ports/work-order-store.ts';
import type { Workflow } from '../ports/workflow.ts';
import { config, requireConfig } from '../shared/config.ts';
import { reportFailure, reportNeedsAttention } from '../shared/report-failure.ts';
import { DynamoAgreementCoverage } from './dynamodb/agreement-coverage.ts';
import { DynamoAgreementStore } from './dynamodb/agreement-store.ts';
import { DynamoCatalogStore } from './dynamodb/catalog-store.ts';
import { DynamoCompletedWork } from './dynamodb/completed-work-store.ts';
import { DynamoCustomerLinkStore } from './dynamodb/customer-link-store.ts';
import { DynamoCustomerDirectory } from './dynamodb/customer-store.ts';
import { entities } from './dynamodb/entities.ts';
import { DynamoFieldWorkStore } from './dynamodb/field-work-store.ts';
import { DynamoFollowUpReminderStore } from './dynamodb/follow-up-reminder-store.ts';
import { DynamoFollowUpTaskStore } from './dynamodb/follow-up-task-store.ts';
import { DynamoIdempotencyStore } from './dynamodb/idempotency-store.ts';
import { DynamoInventoryStore, DynamoPurchaseOrderStore } from './dynamodb/inventory-store.ts';
import { DynamoInvoiceStore } from './dynamodb/invoice-store.ts';
import { DynamoJobDurationStore } from './dynamodb/job-duration-store.ts';
import { DynamoLocationHistory } from './dynamodb/location-history-store.ts';
import { DynamoMessagingSettingsStore } from './dynamodb/messaging-settings-store.ts';
import { DynamoNotificationLog } from './dynamodb/notification-log-store.ts';
import { DynamoPartCatalog } from './dynamodb/part-catalog-store.ts';
import { DynamoPaymentRecords } from './dynamodb/payment-records-store.ts';
import { DynamoPhotoStore } from './dynamodb/photo-store.ts';
import { DynamoPlannedVisitStore } from './dynamodb/planned-visit-store.ts';
import { DynamoPricingStore } from './dynamodb/pricing-store.ts';
import { DynamoReceivablesStore } from './dynamodb/receivables-store.ts';
import { DynamoSchedulingSettingsStore } from './dynamodb/scheduling-settings-store.ts';
import { DynamoTechnicianStore } from './dynamodb/technician-store.ts';
import { DynamoTenantWriteLimiter } from './dynamodb/tenant-write-limiter.ts';
import { DynamoWorkOrderStore } from './dynamodb/work-order-store.ts';
import { EventBridgePublisher } from './eventbridge/event-bridge-publisher.ts';
import { localClock } from './local/adjustable-clock.ts';
import { localEventBus } from './local/in-process-event-bus.ts';
import { OutboxNotifier } from './local/outbox-notifier.ts';
import { TableScheduler } from './local/table-scheduler.ts';
import type { StripeKeys } from './payments/stripe-keys.ts';
import { EventBridgeScheduler } from './scheduler/event-bridge-scheduler.ts';
import { parseKeyring } from './secrets/link-keys.ts';
import { StepFunctionsWorkflow } from './sfn/step-functions-workflow.ts';
import { SnsSesNotifier } from './sns-ses/sns-ses-notifier.ts';
import { StraightLineTravel } from './travel/straight-line-travel.ts';
import { ulidGenerator } from './ulid-generator.ts';

/**
 * The composition root: each port's adapter, created once per process on first use.
 * `ADAPTERS=local` swaps the delivery services (SNS/SES, EventBridge, Scheduler) for their
 * local twins; storage and the workflow always go through the AWS SDK (DynamoDB Local and
 * the local workflow engine answer the same API).
 */
/* @__NO_SIDE_EFFECTS__ */
function once<T>(create: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= create();
    return value;
  };
}

/**
 * Like `once`, for an adapter whose module (and SDK) is imported on first use, so that the
 * functions that never call it do not load it at cold start; a failed load is tried again.
 */
/* @__NO_SIDE_EFFECTS__ */
function loadedOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= load().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}

const isLocal = () => config().ADAPTERS === 'local';

/**
 * The time every handler reads: the system's in AWS; with `ADAPTERS=local`, the local runtime's
 * clock, which tests and demos move forward to fire what is scheduled (`POST /local/clock`).
 */
export const clock: Clock = { now: () => (isLocal() ? localClock.now() : systemClock.now()) };

export const workOrderStore = once<WorkOrderStore>(() => new DynamoWorkOrderStore(entities()));
/** The directory the work order use cases read, which also finds, creates and changes customers. */
export const directoryStore = once<CustomerDirectory>(() => new DynamoCustomerDirectory(entities()));
/** The service catalogue, and the reads of past work orders for suggestions and history. */
export const catalogStore = once(() => new DynamoCatalogStore(entities()));
export const photoStore = once<PhotoStore>(() => new DynamoPhotoStore(entities()));
/** Labor timers, recommendations and messages of work orders. */
export const fieldWorkStore = once<FieldWorkStore>(() => new DynamoFieldWorkStore(entities()));
export const followUpTaskStore = once<FollowUpTaskStore>(() => new DynamoFollowUpTaskStore(entities()));
/** Follow-up reminders of work orders: a task and/or a customer message on a later day. */
export const followUpReminderStore = once<FollowUpReminderStore>(
  () => new DynamoFollowUpReminderStore(entities()),
);
/** The earlier work orders of a service location, for dispatch packages. */
export const locationHistoryStore = once<LocationHistory>(() => new DynamoLocationHistory(entities()));
export const schedulingSettingsStore = once(() => new DynamoSchedulingSettingsStore(entities()));
export const technicianStore = once<TechnicianStore>(() => new DynamoTechnicianStore(entities()));
/** The durations of completed jobs by service type, for duration estimates. */
export const jobDurationStore = once<JobDurationStore>(() => new DynamoJobDurationStore(entities()));
/** The parts catalogue, one part per SKU. */
export const partCatalog = once<PartCatalog>(() => new DynamoPartCatalog(entities()));
/** Stock per part and location, its movements, the warehouses and the low-stock alerts. */
export const inventoryStore = once<InventoryStore>(() => new DynamoInventoryStore(entities()));
/** Purchase orders, the parts on order and each supplier's open draft. */
export const purchaseOrderStore = once<PurchaseOrderStore>(() => new DynamoPurchaseOrderStore(entities()));
/** Service agreements and the invoices of their billing periods. */
export const agreementStore = once<AgreementStore>(() => new DynamoAgreementStore(entities()));
/** What became of each visit day of agreements' plans (created, skipped, passed while paused). */
export const plannedVisitStore = once<PlannedVisitStore>(() => new DynamoPlannedVisitStore(entities()));
/** Which agreement applies to a visit, counting each included visit once per work order. */
export const agreementCoverage = once<AgreementCoverage>(
  () => new DynamoAgreementCoverage(entities(), clock),
);
/** Invoices as collecting the money sees them: overdue checks, payment plans, payments. */
export const receivablesStore = once<ReceivablesStore>(() => new DynamoReceivablesStore(entities()));
/** The work orders completed, by completion time (job-costing reports). */
export const completedWork = once<CompletedWork>(() => new DynamoCompletedWork(entities()));
/** The tenants' pricing rules and what invoices are priced from besides the work. */
export const pricingStore = once(() => new DynamoPricingStore(entities()));
/** Invoices by id and by status and due date, for the office. */
export const invoiceStore = once<InvoiceStore>(() => new DynamoInvoiceStore(entities()));
/** The log of customer messages and their delivery status. */
export const notificationLog = once<NotificationLog>(() => new DynamoNotificationLog(entities()));
/** The tenants' message templates, quiet hours and SMS numbers (with the numbers' routes). */
export const messagingSettingsStore = once(() => new DynamoMessagingSettingsStore(entities()));

export const blobStore = once<BlobStore>(() => {
  const { BUCKET_NAME } = requireConfig('BUCKET_NAME');
  const s3 = loadedOnce(async () => {
    const [{ S3Client }, { S3BlobStore }] = await Promise.all([
      import('@aws-sdk/client-s3'),
      import('./s3/s3-blob-store.ts'),
    ]);
    // The endpoint comes from AWS_ENDPOINT_URL_S3 when set (s3rver), which serves buckets by path only.
    const client = new S3Client({ maxAttempts: 5, forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });
    return new S3BlobStore(client, BUCKET_NAME);
  });
  return {
    bucketName: BUCKET_NAME,
    createUploadForm: async (request) => (await s3()).createUploadForm(request),
    head: async (key) => (await s3()).head(key),
    readStart: async (key, count, versionId) => (await s3()).readStart(key, count, versionId),
    putObject: async (object) => (await s3()).putObject(object),
    delete: async (key, versionId) => (await s3()).delete(key, versionId),
    downloadUrl: async (key, options) => (await s3()).downloadUrl(key, options),
  };
});

/**
 * The bucket as the work-order use cases reach it: opened on first use, since only a
 * completion signed with an uploaded image touches it, and most functions have no bucket.
 */
const bucketOnFirstUse: Pick<BlobStore, 'head' | 'readStart'> = {
  head: (key) => blobStore().head(key),
  readStart: (key, count, versionId) => blobStore().readStart(key, count, versionId),
};

export const idempotencyStore = once<IdempotencyStore>(
  () => new DynamoIdempotencyStore(entities(), config().IDEMPOTENCY_TTL_SECONDS),
);

export const tenantWriteLimiter = once<TenantWriteLimiter>(
  () => new DynamoTenantWriteLimiter(entities(), config().TENANT_WRITES_PER_MINUTE),
);

export const workflow = once<Workflow>(() => {
  const client = new SFNClient({ maxAttempts: 5 });
  return new StepFunctionsWorkflow(client, requireConfig('STATE_MACHINE_ARN').STATE_MACHINE_ARN);
});

export const eventPublisher = once<EventPublisher>(() => {
  if (isLocal()) return localEventBus;
  const client = new EventBridgeClient({});
  return new EventBridgePublisher(client, requireConfig('EVENT_BUS_NAME').EVENT_BUS_NAME);
});

export const notifier = once<Notifier>(() => {
  if (isLocal()) return new OutboxNotifier(entities(), ulidGenerator, () => clock.now());
  const settings = requireConfig('SENDER_EMAIL');
  return new SnsSesNotifier(new SNSClient({}), new SESv2Client({}), settings.SENDER_EMAIL);
});

export const scheduler = once<Scheduler>(() => {
  if (isLocal()) return new TableScheduler(entities(), () => clock.now());
  const settings = requireConfig('SCHEDULE_GROUP_NAME', 'SCHEDULE_TARGET_ARN', 'SCHEDULER_ROLE_ARN');
  return new EventBridgeScheduler(new SchedulerClient({}), {
    groupName: settings.SCHEDULE_GROUP_NAME,
    targetArn: settings.SCHEDULE_TARGET_ARN,
    roleArn: settings.SCHEDULER_ROLE_ARN,
  });
});

/** Payments recorded on work orders, and the provider events already acted on. */
export const paymentRecords = once<PaymentRecords>(() => new DynamoPaymentRecords(entities()));

const paymentsAdapter = loadedOnce<Payments>(async () => {
  const settings = config();
  const returnUrl = settings.PAYMENT_RETURN_URL ? { returnUrl: settings.PAYMENT_RETURN_URL } : {};
  if (settings.STRIPE_SECRET_ARN) {
    const [{ SecretsManagerClient }, { secretsManagerStripeKeys }, { StripePayments }] = await Promise.all([
      import('@aws-sdk/client-secrets-manager'),
      import('./payments/stripe-keys.ts'),
      import('./payments/stripe-payments.ts'),
    ]);
    const keys = secretsManagerStripeKeys(
      new SecretsManagerClient({ maxAttempts: 5 }),
      settings.STRIPE_SECRET_ARN,
    );
    return new StripePayments(keys, { clock: systemClock, ...returnUrl });
  }
  if (settings.STRIPE_SECRET_KEY) {
    const keys: StripeKeys = {
      secretKey: settings.STRIPE_SECRET_KEY,
      webhookSecret: requireConfig('STRIPE_WEBHOOK_SECRET').STRIPE_WEBHOOK_SECRET,
    };
    const { StripePayments } = await import('./payments/stripe-payments.ts');
    return new StripePayments(async () => keys, { clock: systemClock, ...returnUrl });
  }
  if (!isLocal()) throw new Error('Missing environment variable(s): STRIPE_SECRET_ARN');
  const webhookSecret = requireConfig('STRIPE_WEBHOOK_SECRET').STRIPE_WEBHOOK_SECRET;
  const { LocalPayments } = await import('./local/local-payments.ts');
  return new LocalPayments({
    apiUrl: settings.LOCAL_API_URL ?? 'http://127.0.0.1:3000',
    webhookSecret,
    clock: systemClock,
  });
});

/**
 * Card payments: Stripe with the keys from Secrets Manager in the cloud (or from the
 * environment, for Stripe's test mode off AWS); locally, unless Stripe keys are given, the
 * local pay page, whose events are signed and verified as Stripe's are. Signatures are checked
 * against the real time (`systemClock`), never the local clock that tests move forward.
 * The adapter, with the Stripe SDK, is loaded on the first call.
 */
export const payments = once<Payments>(() => ({
  createCheckout: async (invoice, customer, options) =>
    (await paymentsAdapter()).createCheckout(invoice, customer, options),
  verifyWebhook: async (rawBody, headers) => (await paymentsAdapter()).verifyWebhook(rawBody, headers),
}));

export const ids = ulidGenerator;

/** The links sent to customers, in their work orders' item collections. */
export const customerLinkStore = once<CustomerLinkStore>(() => new DynamoCustomerLinkStore(entities()));

const linkKeysAdapter = loadedOnce<LinkKeys>(async () => {
  const settings = config();
  if (settings.CUSTOMER_LINK_KEYS_SECRET_ARN) {
    const [{ SecretsManagerClient }, { secretsManagerLinkKeys }] = await Promise.all([
      import('@aws-sdk/client-secrets-manager'),
      import('./secrets/link-keys.ts'),
    ]);
    return secretsManagerLinkKeys(
      new SecretsManagerClient({ maxAttempts: 5 }),
      settings.CUSTOMER_LINK_KEYS_SECRET_ARN,
    );
  }
  const keyring = parseKeyring(requireConfig('CUSTOMER_LINK_KEYS').CUSTOMER_LINK_KEYS, 'CUSTOMER_LINK_KEYS');
  return async () => keyring;
});

/**
 * The keys customer links are signed with: from Secrets Manager in the cloud (re-read every five
 * minutes, so a rolled key arrives), from the environment locally (the platform's key file).
 */
export const linkKeys: LinkKeys = async () => (await linkKeysAdapter())();

/** What issuing and opening customer links runs on. */
export const linkDependencies = (): LinkDependencies => ({
  links: customerLinkStore(),
  keys: linkKeys,
  workOrders: workOrderStore(),
  findInvoice: (tenantId, invoiceId) => invoiceStore().find(tenantId, invoiceId),
  clock,
  ids: ulidGenerator,
  pagesUrl: requireConfig('CUSTOMER_PAGES_URL').CUSTOMER_PAGES_URL,
});

/** What the customer messenger (`messageCustomer`) runs on: templates, log, delivery, quiet-hour releases. */
export const customerMessengerDependencies = (): CustomerMessengerDependencies => ({
  notifier: notifier(),
  notifications: notificationLog(),
  scheduler: scheduler(),
  clock,
  ids: ulidGenerator,
  reportFailure,
});

/** Travel times between visits: the straight line at the tenant's average speed. */
export const travelTimes = (settings: SchedulingSettings): TravelTimes =>
  new StraightLineTravel(settings.averageSpeedKmh);

/** What keeping stock runs on: stock, purchase orders, the catalogue, the trucks' technicians, events. */
export const inventoryDependencies = (): InventoryDependencies => ({
  inventory: inventoryStore(),
  purchaseOrders: purchaseOrderStore(),
  parts: partCatalog(),
  technicians: technicianStore(),
  events: eventPublisher(),
  clock,
  ids: ulidGenerator,
  reportFailure,
});

/** What the work-order use cases (create, actions, workflow steps) run on. */
export const workOrderDependencies = () => ({
  workOrders: workOrderStore(),
  directory: directoryStore(),
  workflow: workflow(),
  events: eventPublisher(),
  clock,
  ids: ulidGenerator,
  reportFailure,
  // A work order whose workflow did not start is flagged needs_attention: the operators count it.
  reportNeedsAttention,
  travelTimes,
  photos: photoStore(),
  blobs: bucketOnFirstUse,
});
