import { fileURLToPath } from 'node:url';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { isProduction, isStage, resourceName, stages } from '../constructs/stage.ts';
import { type DeploymentSettings, FieldServiceStack } from './field-service-stack.ts';

export interface CreateAppOptions {
  /** `dev` or `prod`; otherwise the `stage` context value (`cdk synth -c stage=prod`). */
  readonly stage?: string;
  /** `false` skips esbuild bundling (assets become placeholders): fast synthesis for tests. */
  readonly bundling?: boolean;
  /** Extra context, as `-c key=value` would give it. */
  readonly context?: Record<string, unknown>;
  /** Where the cloud assembly goes; defaults to the CLI's choice or a temporary directory. */
  readonly outdir?: string;
  /** The repository root; defaults to the one this file lives in. */
  readonly projectRoot?: string;
}

export interface FieldServiceApp {
  readonly app: App;
  readonly stack: FieldServiceStack;
}

/** A deployment setting that is missing or wrong: the message says what to pass instead. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export const defaultProjectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Feature flags this app relies on, whatever cdk.json says. */
const featureFlags = {
  // Grant S3 server access log delivery through a bucket policy rather than an ACL, which the
  // log bucket (owner-enforced object ownership) would refuse.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

/**
 * The CDK app: one stack per stage, checked by the cdk-nag AwsSolutions and Serverless packs.
 * Any unacknowledged finding fails synthesis; acknowledgments (with their reasons) are written
 * to the template metadata.
 */
export function createApp(options: CreateAppOptions = {}): FieldServiceApp {
  const app = new App({
    outdir: options.outdir,
    context: {
      ...featureFlags,
      ...options.context,
      ...(options.bundling === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
    },
  });
  const settings = readSettings(app, options.stage);

  const stack = new FieldServiceStack(app, resourceName(settings.stage), {
    settings,
    projectRoot: options.projectRoot ?? defaultProjectRoot,
  });
  Tags.of(app).add('project', 'field-service');
  Tags.of(app).add('stage', settings.stage);

  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
    new ServerlessChecks(undefined, { verbose: true }),
  );
  return { app, stack };
}

/** The stage and its settings from the context, refused with a message saying what to pass. */
export function readSettings(app: App, stageOverride?: string): DeploymentSettings {
  const stage = stageOverride ?? app.node.tryGetContext('stage');
  if (!isStage(stage)) {
    throw new ConfigurationError(
      `Unknown stage ${JSON.stringify(stage)}: pass one of ${stages.join(', ')} (cdk synth -c stage=dev)`,
    );
  }
  const configuredOrigins = parseList(app.node.tryGetContext('allowedOrigins'), 'allowedOrigins');
  if (isProduction(stage) && (!configuredOrigins || configuredOrigins.includes('*'))) {
    throw new ConfigurationError(
      'prod needs the web origins it serves: -c allowedOrigins=https://app.example.com[,https://…] (no "*")',
    );
  }
  const senderEmail = app.node.tryGetContext('senderEmail');
  if (
    senderEmail !== undefined &&
    (typeof senderEmail !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(senderEmail))
  ) {
    throw new ConfigurationError(`senderEmail must be an email address, got ${JSON.stringify(senderEmail)}`);
  }
  if (isProduction(stage) && senderEmail === undefined) {
    // Without it the notifier cannot email customers; a dev stack may run without email.
    throw new ConfigurationError(
      'prod needs the verified SES address it sends from: -c senderEmail=office@example.com',
    );
  }
  const alarmEmail = app.node.tryGetContext('alarmEmail');
  if (alarmEmail !== undefined && (typeof alarmEmail !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(alarmEmail))) {
    throw new ConfigurationError(`alarmEmail must be an email address, got ${JSON.stringify(alarmEmail)}`);
  }
  const paymentReturnUrl = app.node.tryGetContext('paymentReturnUrl');
  if (
    paymentReturnUrl !== undefined &&
    (typeof paymentReturnUrl !== 'string' || !/^https:\/\/\S+$/.test(paymentReturnUrl))
  ) {
    throw new ConfigurationError(
      `paymentReturnUrl must be an https URL, got ${JSON.stringify(paymentReturnUrl)}`,
    );
  }
  const customerPagesUrl = app.node.tryGetContext('customerPagesUrl');
  if (
    customerPagesUrl !== undefined &&
    (typeof customerPagesUrl !== 'string' || !/^https:\/\/\S+$/.test(customerPagesUrl))
  ) {
    throw new ConfigurationError(
      `customerPagesUrl must be an https URL, got ${JSON.stringify(customerPagesUrl)}`,
    );
  }
  return {
    stage,
    allowedOrigins: configuredOrigins ?? ['*'],
    senderEmail,
    ...(paymentReturnUrl ? { paymentReturnUrl } : {}),
    ...(customerPagesUrl ? { customerPagesUrl } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
  };
}

/** Context lists arrive as arrays from cdk.json and as strings (comma-separated or JSON) from `-c`. */
function parseList(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  let list: unknown = value;
  if (typeof value === 'string') {
    try {
      list = value.trim().startsWith('[') ? JSON.parse(value) : value.split(',').map((item) => item.trim());
    } catch {
      throw new ConfigurationError(`${name} is not valid JSON: ${value}`);
    }
  }
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((item) => typeof item === 'string' && item !== '')
  ) {
    throw new ConfigurationError(`${name} must be a non-empty list of strings, got ${JSON.stringify(value)}`);
  }
  return list;
}
