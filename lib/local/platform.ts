import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { localClock } from '../../lambdas/adapters/local/adjustable-clock.ts';
import { keyringToStore, type LinkKeyring } from '../../lambdas/domain/customer-pages/link-tokens.ts';
import type { Invoice } from '../../lambdas/domain/invoicing/invoice.ts';
import {
  apiFunctions,
  eventFunctions,
  scheduleFunctions,
  workflowFunctions,
} from '../../lambdas/handlers/functions.ts';
import { customerMilestoneEvents } from '../../lambdas/schemas/events/customer-milestone-events.ts';
import { demoTenantId, loadDemoData } from './demo-data.ts';
import { ensureTable, localCredentials, localRegion, startDynamoDbLocal, startS3Local } from './emulators.ts';
import { deliverBusEvents } from './event-rules.ts';
import { freePort } from './free-port.ts';
import { createGateway, type LambdaHandler, lambdaContext } from './gateway.ts';
import { inboundSmsRoutes } from './inbound-sms.ts';
import { loadLocalLinkKeys } from './link-keys-file.ts';
import { restoreClock } from './local-clock.ts';
import { LocalIdentity } from './local-identity.ts';
import { forwardObjectCreated } from './object-events.ts';
import { loadLocalWebhookSecret, localPayPages } from './pay-page.ts';
import { startScheduledJobs } from './scheduled-jobs.ts';
import { createStepFunctionsApi } from './step-functions-api.ts';
import { LocalWorkflowEngine } from './workflow-engine.ts';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface PlatformOptions {
  /** API port; 0 takes a free one. */
  port: number;
  dataDir: string;
  /** Keep DynamoDB in memory (tests); the default keeps it in `dataDir`. */
  inMemory?: boolean;
  seedDemoData?: boolean;
  logLevel?: string;
}

export interface Platform {
  url: string;
  identity: LocalIdentity;
  engine: LocalWorkflowEngine;
  endpoints: { dynamodb: string; s3: string; stepFunctions: string };
  tableName: string;
  bucketName: string;
  /** Signs and verifies the local pay page's payment events, as Stripe's webhook secret does. */
  paymentsWebhookSecret: string;
  /** The keys customer links are signed with (`CUSTOMER_LINK_KEYS`), kept in the data folder. */
  customerLinkKeys: LinkKeyring;
  stop(): Promise<void>;
}

const listen = (server: Server, port: number) =>
  new Promise<number>((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolvePort((server.address() as AddressInfo).port));
  });
const close = (server: Server) =>
  new Promise<void>((resolveClose) => {
    server.closeAllConnections();
    server.close(() => resolveClose());
  });

/**
 * The whole platform on this machine: DynamoDB Local, s3rver, the local workflow engine
 * behind the Step Functions API, and the HTTP gateway in front of the very Lambda handlers
 * CDK deploys. Handlers find the emulators through the standard AWS_ENDPOINT_URL_* variables.
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  await mkdir(options.dataDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse())
      await step().catch((error: unknown) => console.error('Stopping failed:', error));
  };
  try {
    const dynamodb = await startDynamoDbLocal({
      dataDir: join(options.dataDir, 'dynamodb'),
      inMemory: options.inMemory ?? false,
    });
    stops.push(dynamodb.stop);
    const tableName = 'field-service-local';
    const bucketName = 'field-service-photos-local';
    const s3 = await startS3Local({ directory: join(options.dataDir, 's3'), buckets: [bucketName] });
    stops.push(s3.stop);

    const stateMachineArn = `arn:aws:states:${localRegion}:000000000000:stateMachine:work-order-local`;
    // Known before any handler runs: pay links sent by a resumed execution point at the gateway.
    const apiPort = options.port === 0 ? await freePort() : options.port;
    const paymentsWebhookSecret =
      process.env.STRIPE_WEBHOOK_SECRET ??
      (await loadLocalWebhookSecret(join(options.dataDir, 'payments-webhook-secret.json')));
    const customerLinkKeys = await loadLocalLinkKeys(join(options.dataDir, 'customer-link-keys.json'));
    Object.assign(process.env, {
      AWS_REGION: localRegion,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      STAGE: 'local',
      ADAPTERS: 'local',
      TABLE_NAME: tableName,
      BUCKET_NAME: bucketName,
      STATE_MACHINE_ARN: stateMachineArn,
      LOCAL_API_URL: `http://127.0.0.1:${apiPort}`,
      STRIPE_WEBHOOK_SECRET: paymentsWebhookSecret,
      CUSTOMER_LINK_KEYS: JSON.stringify(keyringToStore(customerLinkKeys)),
      // Customer links point at the gateway, which serves the pages.
      CUSTOMER_PAGES_URL: `http://127.0.0.1:${apiPort}`,
      POWERTOOLS_SERVICE_NAME: 'work-orders',
      POWERTOOLS_LOG_LEVEL: options.logLevel ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    await ensureTable(dynamodb.endpoint, tableName);
    // The local clock stays where the last run left it: handlers and the schedules read it.
    const clockFile = join(options.dataDir, 'clock.json');
    await restoreClock(localClock, clockFile);

    const load = async (entry: string) =>
      ((await import(pathToFileURL(join(projectRoot, entry)).href)) as { handler: LambdaHandler }).handler;
    const taskFunctions = Object.fromEntries(
      await Promise.all(
        Object.entries(workflowFunctions).map(async ([name, definition]) => {
          const handler = await load(definition.entry);
          return [
            name,
            (payload: Record<string, unknown>) => handler(payload as never, lambdaContext(name, 60_000)),
          ] as const;
        }),
      ),
    );
    const engine = await LocalWorkflowEngine.fromFile(
      join(projectRoot, 'statemachines/work-order.asl.json'),
      stateMachineArn,
      taskFunctions,
      join(options.dataDir, 'executions.json'),
    );
    stops.push(() => engine.close());
    const stepFunctionsApi = createStepFunctionsApi(engine);
    const stepFunctionsPort = await listen(stepFunctionsApi, 0);
    stops.push(() => close(stepFunctionsApi));
    process.env.AWS_ENDPOINT_URL_SFN = `http://127.0.0.1:${stepFunctionsPort}`;

    const { entities } = await import('../../lambdas/adapters/dynamodb/entities.ts');
    const { OutboxNotifier } = await import('../../lambdas/adapters/local/outbox-notifier.ts');
    const { ulidGenerator } = await import('../../lambdas/adapters/ulid-generator.ts');
    if (options.seedDemoData ?? true) await loadDemoData(entities());

    // Executions that were waiting when the platform stopped resume at the stage stored on the work order.
    await engine.resume(async (record) => {
      const input = JSON.parse(record.input) as { tenantId: string; workOrderId: string };
      const { data } = await entities()
        .workOrder.get({ tenantId: input.tenantId, workOrderId: input.workOrderId })
        .go();
      if (!data || ['Closed', 'WorkOrderCancelled', 'NeedsAttention'].includes(data.workflowState))
        return undefined;
      // A waiting state resumes where it waited; anything else starts over, every step being safe to repeat.
      return { ...input, resumeAt: data.workflowState };
    });

    const identity = await LocalIdentity.load(join(options.dataDir, 'identity-key.json'));
    const handlers = Object.fromEntries(
      await Promise.all(
        Object.entries(apiFunctions).map(
          async ([name, definition]) => [name, await load(definition.entry)] as const,
        ),
      ),
    );
    // s3rver has no bucket notifications: uploads reach the photo function as S3 would send them.
    const photoEvents = forwardObjectCreated(s3, {
      prefix: 'tenants/',
      region: localRegion,
      functionName: 'PhotoUploadedFunction',
      handler: await load(eventFunctions.PhotoUploadedFunction.entry),
    });
    stops.push(() => photoEvents.drain());
    // EventBridge Scheduler's part: due schedules fire by the local clock into the schedule target.
    const { TableScheduler } = await import('../../lambdas/adapters/local/table-scheduler.ts');
    const { localEventBus } = await import('../../lambdas/adapters/local/in-process-event-bus.ts');
    // The customer-milestones rule's part: en route, completion, cancellation and reschedule events.
    deliverBusEvents(
      localEventBus,
      customerMilestoneEvents,
      'CustomerMilestonesFunction',
      await load(eventFunctions.CustomerMilestonesFunction.entry),
    );
    const scheduledJobs = startScheduledJobs({
      clock: localClock,
      clockFile,
      schedules: new TableScheduler(entities(), () => localClock.now()),
      bus: localEventBus,
      target: await load(scheduleFunctions.ScheduleTargetFunction.entry),
    });
    stops.push(() => scheduledJobs.stop());
    const outbox = new OutboxNotifier(entities(), ulidGenerator);
    const gateway = createGateway({
      identity,
      handlers,
      localRoutes: {
        'GET /local/outbox': async (_request, _url, claims) => ({
          status: 200,
          body: { items: await outbox.list(String(claims?.['custom:tenantId'] ?? demoTenantId)) },
        }),
        ...scheduledJobs.routes,
        ...inboundSmsRoutes(entities, await load(eventFunctions.InboundSmsFunction.entry)),
      },
      localPages: localPayPages({
        webhookSecret: paymentsWebhookSecret,
        gatewayUrl: () => `http://127.0.0.1:${apiPort}`,
        findInvoice: async (tenantId, workOrderId, invoiceId) => {
          const { data } = await entities().invoice.get({ tenantId, workOrderId, invoiceId }).go();
          return (data as Invoice | null) ?? undefined;
        },
      }),
    });
    const port = await listen(gateway, apiPort);
    stops.push(() => close(gateway));
    return {
      url: `http://127.0.0.1:${port}`,
      identity,
      engine,
      endpoints: {
        dynamodb: dynamodb.endpoint,
        s3: s3.endpoint,
        stepFunctions: process.env.AWS_ENDPOINT_URL_SFN,
      },
      tableName,
      bucketName,
      paymentsWebhookSecret,
      customerLinkKeys,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
