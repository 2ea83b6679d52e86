import {
  ArnFormat,
  AssetHashType,
  type BundlingOptions,
  DockerImage,
  Duration,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import {
  type IGrantable,
  type IPrincipal,
  Policy,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { CfnBucket, IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import {
  type ApiFunctionName,
  apiFunctions,
  type EventFunctionName,
  eventFunctions,
  type FunctionAccess,
  type FunctionDefinition,
  type ScheduleFunctionName,
  scheduleFunctions,
  type WorkflowFunctionName,
  workflowFunctions,
} from '../../lambdas/handlers/functions.ts';
import type { Automation } from './automation.ts';
import { bundleEntryFile, functionBundleOptions } from './bundling.ts';
import { isProduction, logRetentionFor, removalPolicyFor, type Stage } from './stage.ts';

export type DataAccess = 'read' | 'readWrite';
export type BucketAccess = 'read' | 'readWrite' | 'readDelete';
/** Every object the functions touch lives under this prefix (`tenants/<tenantId>/…`). */
export const tenantObjectsPrefix = 'tenants/';
export type WorkflowAccess = 'start' | 'respond';

/**
 * The work-order state machine as the functions see it: referenced by its fixed name, so the
 * functions the state machine invokes can hold grants on it without a dependency cycle.
 */
export interface WorkflowTarget {
  readonly stateMachine: IStateMachine;
  readonly stateMachineName: string;
}

/** A table and its index names: grants name each index instead of `index/*`. */
export interface TableTarget {
  readonly table: ITable;
  readonly indexNames: readonly string[];
}

export interface ServiceFunctionProps {
  readonly stage: Stage;
  /** The repository root: entries are relative to it, and esbuild runs there with its lock file. */
  readonly projectRoot: string;
  /** The handler file, relative to the project root. */
  readonly entry: string;
  readonly description: string;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /**
   * `synchronous`: API Gateway and Step Functions wait for the result and see the error, so no
   * dead-letter queue is needed. `asynchronous` (EventBridge rules, Scheduler) gets no such
   * acknowledgment: cdk-nag then asks for a dead-letter queue, which such a function must add.
   */
  readonly invocation: 'synchronous' | 'asynchronous';
  /**
   * Gives the function a dead-letter queue of its own (encrypted, TLS only) for the asynchronous
   * events that failed every retry. @default false
   */
  readonly deadLetterQueue?: boolean;
  /** A fixed name, for a function others name before it exists (the schedule target). @default generated */
  readonly functionName?: string;
}

/** The Powertools service name and metrics namespace of every function; the alarms watch the same. */
export const serviceName = 'field-service';
export const metricsNamespace = 'FieldService';

/**
 * Bundles a function on this machine with the project's esbuild (a dev dependency, installed
 * wherever the app is synthesized), with the options the cold-start benchmark measures. A
 * failed build fails the synth; Docker is never needed, so the image is never run.
 */
function localBundling(projectRoot: string, entry: string): BundlingOptions {
  return {
    image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs24.x'),
    // Names the entry: CDK keys its cache of staged assets on these options, so without it every
    // function of the app would get the first one's bundle.
    environment: { FUNCTION_ENTRY: entry },
    local: {
      tryBundle(outputDir) {
        buildSync(functionBundleOptions(projectRoot, entry, outputDir));
        return true;
      },
    },
  };
}

const tableReadActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const tableWriteActions = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  // Condition checks are how transactions keep customers and bookings unique.
  'dynamodb:ConditionCheckItem',
];

/**
 * A Lambda function with the platform's defaults: Node.js 24 on arm64, an ESM bundle split
 * by first use (`bundling.ts`), active tracing, an explicit log group with retention, and its own role that
 * starts with nothing but writing to that log group. The `bind*` methods set the environment
 * variable a handler reads and grant the least privilege for it, in one call.
 */
export class ServiceFunction extends Construct implements IGrantable {
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** Asynchronous functions only: the events that failed every retry. */
  readonly deadLetterQueue?: Queue;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { stage } = props;

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: logRetentionFor(stage),
      removalPolicy: removalPolicyFor(stage),
    });

    // An own role instead of AWSLambdaBasicExecutionRole: that managed policy may create any
    // log group, while this function only ever writes to its own.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the function: ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);

    if (props.deadLetterQueue) {
      this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      Validations.of(this.deadLetterQueue).acknowledge({
        id: 'Serverless-SQSRedrivePolicy',
        reason:
          'This queue is the last stop for events that failed every retry: nothing consumes it automatically, so there is nothing to redrive from it.',
      });
    }

    // One level for Powertools and for Lambda's log controls: Lambda drops what is below its level.
    const logLevel = isProduction(stage) ? ApplicationLogLevel.INFO : ApplicationLogLevel.DEBUG;
    this.function = new LambdaFunction(this, 'Function', {
      code: Code.fromAsset(props.projectRoot, {
        // The bundle's own hash: a change anywhere in what the function loads deploys it anew.
        assetHashType: AssetHashType.OUTPUT,
        bundling: localBundling(props.projectRoot, props.entry),
      }),
      handler: `${bundleEntryFile.replace(/\.mjs$/, '')}.handler`,
      description: props.description,
      ...(props.functionName ? { functionName: props.functionName } : {}),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role: this.role,
      ...(this.deadLetterQueue ? { deadLetterQueue: this.deadLetterQueue } : {}),
      logGroup: this.logGroup,
      // JSON for the platform's lines (start, end, report) too, so one Logs Insights query reads all.
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: logLevel,
      systemLogLevelV2: SystemLogLevel.INFO,
      environment: {
        STAGE: stage,
        ADAPTERS: 'aws',
        POWERTOOLS_SERVICE_NAME: serviceName,
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
        POWERTOOLS_LOG_LEVEL: logLevel,
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions, so IAM requires Resource "*".',
    });
    if (props.invocation === 'synchronous') {
      Validations.of(this.function).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously only (API Gateway or Step Functions): the caller receives the error and retries; there is no asynchronous event to park in a queue.',
      });
    }
  }

  get grantPrincipal(): IPrincipal {
    return this.role;
  }

  /** TABLE_NAME, and item reads (and writes) on the table, queries on each named index. No Scan. */
  bindTable(target: TableTarget, mode: DataAccess): this {
    const { table } = target;
    this.function.addEnvironment('TABLE_NAME', table.tableName);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: mode === 'readWrite' ? [...tableReadActions, ...tableWriteActions] : tableReadActions,
        resources: [table.tableArn],
      }),
    );
    if (target.indexNames.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: target.indexNames.map((indexName) => `${table.tableArn}/index/${indexName}`),
        }),
      );
    }
    return this;
  }

  /**
   * BUCKET_NAME, and object reads under `tenants/` (download links, heads, a version's bytes);
   * `readWrite` adds PutObject, which presigned upload forms carry; `readDelete` adds the deletes
   * that remove a refused upload (its version, since the bucket keeps versions).
   */
  bindBucket(bucket: IBucket, mode: BucketAccess): this {
    this.function.addEnvironment('BUCKET_NAME', bucket.bucketName);
    const reads = ['s3:GetObject', 's3:GetObjectVersion'];
    const extra = {
      read: [],
      readWrite: ['s3:PutObject'],
      readDelete: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
    };
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...reads, ...extra[mode]],
        resources: [bucket.arnForObjects(`${tenantObjectsPrefix}*`)],
      }),
    );
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/${tenantObjectsPrefix}*]`,
      reason:
        'Object keys are built at run time from the tenant and work order ids, so the grant covers the tenant objects of this one bucket and nothing else.',
    });
    return this;
  }

  /**
   * `start`: STATE_MACHINE_ARN, StartExecution on the state machine and DescribeExecution on its
   * executions. `respond`: SendTaskSuccess/Failure/Heartbeat, scoped to the state machine.
   */
  bindWorkflow(target: WorkflowTarget, modes: readonly WorkflowAccess[]): this {
    const { stateMachine, stateMachineName } = target;
    if (modes.includes('start')) {
      this.function.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
      stateMachine.grantStartExecution(this);
      const executions = Stack.of(this).formatArn({
        service: 'states',
        resource: 'execution',
        resourceName: `${stateMachineName}:*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }),
      );
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName}:*]`,
        reason:
          'Executions are named by work order id at run time; DescribeExecution is limited to the executions of this one state machine.',
      });
    }
    if (modes.includes('respond')) {
      stateMachine.grantTaskResponse(this);
    }
    return this;
  }

  /** EVENT_BUS_NAME, and PutEvents on that bus. */
  bindEvents(eventBus: IEventBus): this {
    this.function.addEnvironment('EVENT_BUS_NAME', eventBus.eventBusName);
    eventBus.grantPutEventsTo(this);
    return this;
  }

  /**
   * NOTIFICATION_TOPIC_ARN and Publish on the office topic (with its key); SMS straight to
   * customers' phones; when a sender address is configured, SENDER_EMAIL and SES SendEmail from
   * that address only.
   */
  bindNotifications(automation: Automation, senderEmail?: string): this {
    this.function.addEnvironment('NOTIFICATION_TOPIC_ARN', automation.topic.topicArn);
    automation.topic.grantPublish(this);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'Publishing to the encrypted topic needs kms:GenerateDataKey* (as the SNS encryption guide lists it), granted on the topic key only.',
    });

    // A policy of its own, so that its acknowledgment covers this statement and nothing else.
    const sms = new Policy(this, 'SmsPolicy', {
      roles: [this.role],
      statements: [new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] })],
    });
    Validations.of(sms).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'SMS to a customer is published to a phone number, which has no ARN: IAM accepts only Resource "*" for sns:Publish to phone numbers.',
    });

    if (senderEmail) {
      const stack = Stack.of(this);
      const domain = senderEmail.slice(senderEmail.indexOf('@') + 1);
      this.function.addEnvironment('SENDER_EMAIL', senderEmail);
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail'],
          // The address may be verified on its own or through its domain.
          resources: [senderEmail, domain].map((identity) =>
            stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
          ),
          conditions: { StringEquals: { 'ses:FromAddress': senderEmail } },
        }),
      );
    }
    return this;
  }

  /**
   * SCHEDULE_GROUP_NAME, SCHEDULER_ROLE_ARN and SCHEDULE_TARGET_ARN; schedule reads and writes
   * inside the group and PassRole for the scheduler role only.
   */
  bindSchedules(automation: Automation): this {
    const { scheduleGroupName, schedulerRole, scheduleTarget, scheduleTargetArn } = automation;
    if (!scheduleTarget) {
      throw new Error(
        `${this.node.path}: choose the schedule target (Automation.setScheduleTarget) before binding schedules`,
      );
    }
    this.function.addEnvironment('SCHEDULE_GROUP_NAME', scheduleGroupName);
    this.function.addEnvironment('SCHEDULER_ROLE_ARN', schedulerRole.roleArn);
    // By its fixed name, not a reference: the target itself creates schedules too.
    this.function.addEnvironment('SCHEDULE_TARGET_ARN', scheduleTargetArn);
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          'scheduler:GetSchedule',
          'scheduler:CreateSchedule',
          'scheduler:UpdateSchedule',
          'scheduler:DeleteSchedule',
        ],
        resources: [
          Stack.of(this).formatArn({
            service: 'scheduler',
            resource: 'schedule',
            resourceName: `${scheduleGroupName}/*`,
          }),
        ],
      }),
    );
    schedulerRole.grantPassRole(this.role);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${scheduleGroupName}/*]`,
      reason:
        "Schedules are named per work order, agreement or reminder at run time; the grant is limited to the schedules of this stage's group.",
    });
    return this;
  }

  /**
   * STRIPE_SECRET_ARN and reading that one secret (the Stripe API key and webhook signing
   * secret); PAYMENT_RETURN_URL when the customer is sent somewhere after paying.
   */
  bindPayments(secret: ISecret, returnUrl?: string): this {
    this.function.addEnvironment('STRIPE_SECRET_ARN', secret.secretArn);
    if (returnUrl) this.function.addEnvironment('PAYMENT_RETURN_URL', returnUrl);
    secret.grantRead(this.role);
    return this;
  }

  /**
   * CUSTOMER_LINK_KEYS_SECRET_ARN and reading that one secret (the keys customer links are signed
   * with); CUSTOMER_PAGES_URL, the public base URL the links point at.
   */
  bindCustomerLinks(secret: ISecret, pagesUrl: string): this {
    this.function.addEnvironment('CUSTOMER_LINK_KEYS_SECRET_ARN', secret.secretArn);
    this.function.addEnvironment('CUSTOMER_PAGES_URL', pagesUrl);
    secret.grantRead(this.role);
    return this;
  }
}

/** What the functions may be bound to, by the names the registries use in `access`. */
export interface FunctionTargets {
  readonly table: TableTarget;
  readonly bucket: IBucket;
  readonly workflow: WorkflowTarget;
  readonly automation: Automation;
  readonly senderEmail?: string;
  /** The Stripe keys' secret, and where Stripe sends a customer after paying. */
  readonly paymentsSecret: ISecret;
  readonly paymentReturnUrl?: string;
  /** The customer links' signing keys, and the public base URL of the customer pages. */
  readonly linkKeysSecret: ISecret;
  readonly customerPagesUrl: string;
}

/** Grants exactly what a registry entry lists, nothing more. */
export function applyAccess(fn: ServiceFunction, access: FunctionAccess, targets: FunctionTargets): void {
  if (access.table) fn.bindTable(targets.table, access.table);
  if (access.bucket) fn.bindBucket(targets.bucket, access.bucket);
  if (access.workflow && access.workflow.length > 0) fn.bindWorkflow(targets.workflow, access.workflow);
  if (access.events) fn.bindEvents(targets.automation.eventBus);
  if (access.notifications) fn.bindNotifications(targets.automation, targets.senderEmail);
  if (access.schedules) fn.bindSchedules(targets.automation);
  if (access.payments) fn.bindPayments(targets.paymentsSecret, targets.paymentReturnUrl);
  if (access.customerLinks) fn.bindCustomerLinks(targets.linkKeysSecret, targets.customerPagesUrl);
}

export interface ServiceFunctionsProps {
  readonly stage: Stage;
  readonly projectRoot: string;
  readonly targets: FunctionTargets;
}

/** One function per entry of the registries in `lambdas/handlers/functions.ts`. */
export class ServiceFunctions extends Construct {
  readonly api: Record<ApiFunctionName, ServiceFunction>;
  /** Keyed as the ASL file's substitutions are: `AwaitStageFunction` fills `${AwaitStageFunctionArn}`. */
  readonly workflow: Record<WorkflowFunctionName, ServiceFunction>;
  /** Invoked asynchronously by events; each has a dead-letter queue. */
  readonly events: Record<EventFunctionName, ServiceFunction>;
  /** The schedule target: invoked asynchronously by EventBridge Scheduler, with a dead-letter queue. */
  readonly schedules: Record<ScheduleFunctionName, ServiceFunction>;

  constructor(scope: Construct, id: string, props: ServiceFunctionsProps) {
    super(scope, id);
    const build = <Name extends string>(
      group: string,
      registry: Record<Name, FunctionDefinition>,
      invocation: ServiceFunctionProps['invocation'] = 'synchronous',
      named?: { functionName: string; chosen: (fn: ServiceFunction) => void },
    ): Record<Name, ServiceFunction> => {
      const groupScope = new Construct(this, group);
      const entries = (Object.entries(registry) as [Name, FunctionDefinition][]).map(([name, definition]) => {
        const fn = new ServiceFunction(groupScope, name, {
          stage: props.stage,
          projectRoot: props.projectRoot,
          entry: definition.entry,
          description: definition.description,
          // API Gateway and Step Functions both wait for the function's answer; events do not.
          invocation,
          deadLetterQueue: invocation === 'asynchronous',
          memorySize: definition.memorySize,
          timeout:
            definition.timeoutSeconds === undefined ? undefined : Duration.seconds(definition.timeoutSeconds),
          ...(named ? { functionName: named.functionName } : {}),
        });
        named?.chosen(fn);
        applyAccess(fn, definition.access, props.targets);
        return [name, fn] as const;
      });
      return Object.fromEntries(entries) as Record<Name, ServiceFunction>;
    };
    // The schedule target first: every function that creates schedules names it.
    const { automation } = props.targets;
    this.schedules = build('Schedules', scheduleFunctions, 'asynchronous', {
      functionName: automation.scheduleTargetFunctionName,
      chosen: (fn) => automation.setScheduleTarget(fn.function),
    });
    this.api = build('Api', apiFunctions);
    this.workflow = build('Workflow', workflowFunctions);
    this.events = build('Events', eventFunctions, 'asynchronous');
  }

  /** Every function: API, workflow, event and schedule functions alike. */
  all(): ServiceFunction[] {
    return [
      ...Object.values<ServiceFunction>(this.api),
      ...Object.values<ServiceFunction>(this.workflow),
      ...Object.values<ServiceFunction>(this.events),
      ...Object.values<ServiceFunction>(this.schedules),
    ];
  }
}

/** The logical id a bucket's ARN renders with in cdk-nag findings (`<DataPhotoBucket1234ABCD.Arn>`). */
function logicalIdOf(bucket: IBucket): string {
  const resource = bucket.node.defaultChild as CfnBucket | undefined;
  if (!resource) throw new Error(`Cannot scope an acknowledgment to the imported bucket ${bucket.node.path}`);
  return Stack.of(bucket).resolve(resource.logicalId);
}
