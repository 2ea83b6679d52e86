import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App, CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { afterAll } from 'vitest';
import { ServiceFunction } from '../../lib/constructs/functions.ts';
import type { Stage } from '../../lib/constructs/stage.ts';
import { createApp } from '../../lib/stacks/app.ts';
import type { FieldServiceStack } from '../../lib/stacks/field-service-stack.ts';

export interface Synthesized {
  readonly app: App;
  readonly stack: FieldServiceStack;
  readonly template: Template;
  /** The raw template, for walking every resource. */
  readonly json: CloudFormationTemplate;
  readonly assemblyDirectory: string;
}

export interface CloudFormationResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface CloudFormationTemplate {
  Resources: Record<string, CloudFormationResource>;
}

/** Production needs explicit origins and a sender; tests use ones that are obviously not real. */
export const prodOrigins = ['https://office.field-service.example'];
export const prodSender = 'office@field-service.example';
/** Prod is synthesized with an operators' address for the alarms; dev without one. */
export const prodAlarmEmail = 'operators@field-service.example';

const cache = new Map<Stage, Synthesized>();
const outdirs: string[] = [];

// Cloud assemblies hold bundles and templates; each test file removes the ones it made.
afterAll(() => {
  for (const directory of outdirs.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A cloud assembly directory, removed after the test file that asked for it. */
export function temporaryOutdir(name: string): string {
  const directory = mkdtempSync(join(tmpdir(), `field-service-${name}-`));
  outdirs.push(directory);
  return directory;
}

/**
 * The stack of a stage, synthesized once per test file without esbuild bundling (the Lambda
 * code becomes a placeholder asset). Synthesis also runs the cdk-nag packs: any finding that is
 * not acknowledged makes it throw.
 */
export function synthesize(stage: Stage): Synthesized {
  const cached = cache.get(stage);
  if (cached) return cached;
  const { app, stack } = createApp({
    stage,
    bundling: false,
    outdir: temporaryOutdir(stage),
    context:
      stage === 'prod'
        ? { allowedOrigins: prodOrigins, senderEmail: prodSender, alarmEmail: prodAlarmEmail }
        : {},
  });
  const assembly = app.synth();
  const template = Template.fromStack(stack);
  const synthesized = {
    app,
    stack,
    template,
    json: template.toJSON() as CloudFormationTemplate,
    assemblyDirectory: assembly.directory,
  };
  cache.set(stage, synthesized);
  return synthesized;
}

/** The logical id a construct's CloudFormation resource has in the template. */
export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return element.stack.resolve(element.logicalId) as string;
}

export interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Every statement of the inline policies attached to a role (or to a function's role). */
export function statementsOfRole(
  json: CloudFormationTemplate,
  owner: ServiceFunction | IRole,
): PolicyStatementJson[] {
  const roleId = logicalIdOf(owner instanceof ServiceFunction ? owner.role : owner);
  return Object.values(json.Resources)
    .filter((resource) => resource.Type === 'AWS::IAM::Policy')
    .filter((resource) => {
      const roles = (resource.Properties?.Roles ?? []) as unknown[];
      return roles.some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId }));
    })
    .flatMap((resource) => {
      const document = resource.Properties?.PolicyDocument as { Statement: PolicyStatementJson[] };
      return document.Statement;
    });
}

export const actionsOf = (statement: PolicyStatementJson): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

export const resourcesOf = (statement: PolicyStatementJson): unknown[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];

/** A resource's properties, failing the test with the id when there is no such resource. */
export function propertiesOf(json: CloudFormationTemplate, logicalId: string): Record<string, unknown> {
  const resource = json.Resources[logicalId];
  if (!resource) throw new Error(`The template has no resource ${logicalId}`);
  return resource.Properties ?? {};
}

/** The resources of one type, with their properties (empty when the template has none). */
export const resourcesOfType = (
  json: CloudFormationTemplate,
  type: string,
): [string, CloudFormationResource & { Properties: Record<string, unknown> }][] =>
  Object.entries(json.Resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id, resource]) => [id, { ...resource, Properties: resource.Properties ?? {} }]);
