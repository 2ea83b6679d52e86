import { join } from 'node:path';
import { CfnOutput, Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { deriveTableDefinition } from '../../lambdas/adapters/dynamodb/table-definition.ts';
import { routes } from '../../lambdas/handlers/api/routes.ts';
import { Api } from '../constructs/api.ts';
import { Auth } from '../constructs/auth.ts';
import { Automation } from '../constructs/automation.ts';
import { CustomerLinks } from '../constructs/customer-links.ts';
import { CustomerMilestonesRule } from '../constructs/customer-milestones-rule.ts';
import { Data } from '../constructs/data.ts';
import { ServiceFunctions } from '../constructs/functions.ts';
import { InvoicePaidRule } from '../constructs/invoice-paid-rule.ts';
import { Observability } from '../constructs/observability.ts';
import { Payments } from '../constructs/payments.ts';
import { PhotoUploads } from '../constructs/photo-uploads.ts';
import { isProduction, resourceName, type Stage } from '../constructs/stage.ts';
import { WorkOrderWorkflow } from '../constructs/workflow.ts';

export interface DeploymentSettings {
  readonly stage: Stage;
  /** Web origins allowed by the API's and the bucket's CORS rules. */
  readonly allowedOrigins: readonly string[];
  /** Verified SES sender; without it the functions get no SES permission. */
  readonly senderEmail?: string;
  /** Where Stripe Checkout sends the customer after paying; Stripe shows its own page without it. */
  readonly paymentReturnUrl?: string;
  /** The public base URL of the customer pages (a domain in front of the API); the API's URL without it. */
  readonly customerPagesUrl?: string;
  /** The operators' address the alarms are emailed to; without it, subscribe to the AlarmTopicArn output. */
  readonly alarmEmail?: string;
}

export interface FieldServiceStackProps extends StackProps {
  readonly settings: DeploymentSettings;
  /** The repository root: Lambda entries and the ASL file are found from here. */
  readonly projectRoot: string;
}

/** The whole platform of one stage. */
export class FieldServiceStack extends Stack {
  readonly settings: DeploymentSettings;
  readonly data: Data;
  readonly automation: Automation;
  readonly auth: Auth;
  readonly functions: ServiceFunctions;
  readonly workflow: WorkOrderWorkflow;
  readonly api: Api;
  readonly observability: Observability;
  readonly photoUploads: PhotoUploads;
  readonly invoicePaidRule: InvoicePaidRule;
  readonly customerMilestonesRule: CustomerMilestonesRule;
  readonly payments: Payments;
  readonly customerLinks: CustomerLinks;

  constructor(scope: Construct, id: string, props: FieldServiceStackProps) {
    super(scope, id, {
      ...props,
      description: props.description ?? `Field service work orders (${props.settings.stage})`,
      terminationProtection: props.terminationProtection ?? isProduction(props.settings.stage),
    });
    const { settings, projectRoot } = props;
    const { stage } = settings;
    this.settings = settings;

    this.data = new Data(this, 'Data', {
      stage,
      tableDefinition: deriveTableDefinition(),
      allowedOrigins: settings.allowedOrigins,
    });
    this.automation = new Automation(this, 'Automation', { stage });
    this.auth = new Auth(this, 'Auth', { stage });
    this.payments = new Payments(this, 'Payments', { stage });
    this.customerLinks = new CustomerLinks(this, 'CustomerLinks', { stage });

    // The state machine invokes workflow functions that answer it, so functions hold grants on
    // it by its fixed name rather than on the resource, which would close a dependency cycle.
    const stateMachineName = resourceName(stage, 'WorkOrder');
    this.functions = new ServiceFunctions(this, 'Functions', {
      stage,
      projectRoot,
      targets: {
        table: this.data,
        bucket: this.data.bucket,
        workflow: WorkOrderWorkflow.target(this, 'WorkOrderStateMachineByName', stateMachineName),
        automation: this.automation,
        senderEmail: settings.senderEmail,
        paymentsSecret: this.payments.stripeSecret,
        paymentReturnUrl: settings.paymentReturnUrl,
        linkKeysSecret: this.customerLinks.keySecret,
        // The API is made after the functions (its routes integrate them): its URL is read at synthesis.
        customerPagesUrl: settings.customerPagesUrl ?? Lazy.string({ produce: () => this.api.url }),
      },
    });

    this.photoUploads = new PhotoUploads(this, 'PhotoUploads', {
      bucket: this.data.bucket,
      handler: this.functions.events.PhotoUploadedFunction,
    });

    this.invoicePaidRule = new InvoicePaidRule(this, 'InvoicePaid', {
      eventBus: this.automation.eventBus,
      target: this.functions.schedules.ScheduleTargetFunction,
    });

    this.customerMilestonesRule = new CustomerMilestonesRule(this, 'CustomerMilestones', {
      eventBus: this.automation.eventBus,
      target: this.functions.events.CustomerMilestonesFunction,
    });

    const inboundSms = this.functions.events.InboundSmsFunction;
    if (!inboundSms.deadLetterQueue) throw new Error('The inbound-SMS function has no dead-letter queue');
    this.automation.subscribeInboundSms(inboundSms.function, inboundSms.deadLetterQueue);

    this.workflow = new WorkOrderWorkflow(this, 'Workflow', {
      stage,
      stateMachineName,
      definitionFile: join(projectRoot, 'statemachines', 'work-order.asl.json'),
      functions: this.functions.workflow,
    });

    this.api = new Api(this, 'Api', {
      stage,
      routes,
      functions: this.functions.api,
      issuerUrl: this.auth.issuerUrl,
      audience: this.auth.client.userPoolClientId,
      allowedOrigins: settings.allowedOrigins,
    });

    this.observability = new Observability(this, 'Observability', {
      stage,
      topicKey: this.automation.topicKey,
      ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
      stateMachine: this.workflow.stateMachine,
      functions: this.functions.all(),
      httpApi: this.api.httpApi,
      scheduleGroup: this.automation.scheduleGroup,
    });

    const outputs: Record<string, string> = {
      ApiUrl: this.api.url,
      UserPoolId: this.auth.userPool.userPoolId,
      UserPoolClientId: this.auth.client.userPoolClientId,
      TableName: this.data.table.tableName,
      BucketName: this.data.bucket.bucketName,
      StateMachineArn: this.workflow.stateMachine.stateMachineArn,
      EventBusName: this.automation.eventBus.eventBusName,
      NotificationTopicArn: this.automation.topic.topicArn,
      AlarmTopicArn: this.observability.topic.topicArn,
      InboundSmsTopicArn: this.automation.inboundSmsTopic.topicArn,
      StripeSecretArn: this.payments.stripeSecret.secretArn,
      StripeWebhookUrl: `${this.api.url}v1/payments/stripe/webhook`,
      CustomerLinkKeysSecretArn: this.customerLinks.keySecret.secretArn,
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
  }
}
