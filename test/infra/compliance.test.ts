import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { deriveTableDefinition } from '../../lambdas/adapters/dynamodb/table-definition.ts';
import { apiFunctions } from '../../lambdas/handlers/functions.ts';
import { Automation } from '../../lib/constructs/automation.ts';
import { Data } from '../../lib/constructs/data.ts';
import { ServiceFunction } from '../../lib/constructs/functions.ts';
import { WorkOrderWorkflow } from '../../lib/constructs/workflow.ts';
import { defaultProjectRoot } from '../../lib/stacks/app.ts';
import {
  actionsOf,
  type CloudFormationTemplate,
  logicalIdOf,
  propertiesOf,
  resourcesOf,
  resourcesOfType,
  statementsOfRole,
  synthesize,
  temporaryOutdir,
} from './synthesize.ts';

/** The unacknowledged findings of both packs, errors and warnings alike. */
function findings(scope: IConstruct): string[] {
  return [
    new AwsSolutionsChecks(undefined, { verbose: true }),
    new ServerlessChecks(undefined, { verbose: true }),
  ]
    .flatMap((pack) => pack.validateScope(scope).violations)
    .flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
    );
}

/**
 * The only actions allowed on Resource "*", each because IAM offers no resource-level
 * permission for it.
 */
const actionsWithoutResourceLevelPermissions = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
  // SMS straight to a phone number, which has no ARN.
  'sns:Publish',
]);

/** Resources a resource refers to, by Ref, Fn::GetAtt or DependsOn. */
function dependenciesOf(json: CloudFormationTemplate, logicalId: string): Set<string> {
  const resource = json.Resources[logicalId];
  const found = new Set<string>([resource?.DependsOn ?? []].flat());
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Ref' && typeof inner === 'string') found.add(inner);
        else if (key === 'Fn::GetAtt')
          found.add(Array.isArray(inner) ? String(inner[0]) : (String(inner).split('.')[0] ?? ''));
        else walk(inner);
      }
    }
  };
  walk(resource?.Properties);
  return new Set([...found].filter((id) => id in json.Resources));
}

function findCycle(json: CloudFormationTemplate): string[] | undefined {
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (visiting.has(id)) return [...path, id];
    if (done.has(id)) return undefined;
    visiting.add(id);
    for (const next of dependenciesOf(json, id)) {
      const cycle = visit(next, [...path, id]);
      if (cycle) return cycle;
    }
    visiting.delete(id);
    done.add(id);
    return undefined;
  };
  for (const id of Object.keys(json.Resources)) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('FieldServiceStack compliance', () => {
  it.each(['dev', 'prod'] as const)(
    'when the %s stack is checked by the AwsSolutions and Serverless packs, no finding is left unacknowledged',
    (stage) => {
      // Arrange
      const { app } = synthesize(stage);

      // Act
      const unacknowledged = findings(app);

      // Assert
      expect(unacknowledged).toEqual([]);
    },
  );

  it.each(['dev', 'prod'] as const)(
    'when the %s stack acknowledges a finding, the template records a specific reason for it',
    (stage) => {
      // Arrange
      const { json } = synthesize(stage);

      // Act
      const acknowledgments = Object.entries(json.Resources).flatMap(([logicalId, resource]) => {
        const metadata = resource.Metadata?.cdk_nag as
          | { rules_to_suppress: { id: string; reason: string }[] }
          | undefined;
        return (metadata?.rules_to_suppress ?? []).map((rule) => ({ logicalId, ...rule }));
      });

      // Assert
      expect(acknowledgments.length).toBeGreaterThan(0);
      for (const acknowledgment of acknowledgments) {
        expect(acknowledgment.id).toMatch(/^(AwsSolutions|Serverless)-/);
        expect(acknowledgment.reason.trim().length, JSON.stringify(acknowledgment)).toBeGreaterThanOrEqual(
          40,
        );
      }
    },
  );

  it('when an IAM statement grants on Resource "*", it holds only actions without resource-level permissions', () => {
    // Arrange
    const { json } = synthesize('dev');

    // Act
    const wildcardActions = resourcesOfType(json, 'AWS::IAM::Policy')
      .flatMap(([, policy]) => (policy.Properties.PolicyDocument as { Statement: never[] }).Statement)
      .filter((statement) => resourcesOf(statement).includes('*'))
      .flatMap(actionsOf);

    // Assert
    expect(wildcardActions.filter((action) => !actionsWithoutResourceLevelPermissions.has(action))).toEqual(
      [],
    );
  });

  it('when synthesized, no resource depends on itself through references', () => {
    // Arrange
    const { json } = synthesize('dev');

    // Act
    const cycle = findCycle(json);

    // Assert
    expect(cycle).toBeUndefined();
  });
});

describe('ServiceFunction bindings', () => {
  /** A function bound to every kind of target, in a stack of its own, without bundling. */
  function boundFunctions() {
    const app = new App({ outdir: temporaryOutdir('bindings'), context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Bindings');
    const data = new Data(stack, 'Data', {
      stage: 'dev',
      tableDefinition: deriveTableDefinition(),
      allowedOrigins: ['*'],
    });
    const automation = new Automation(stack, 'Automation', { stage: 'dev' });
    const workflow = WorkOrderWorkflow.target(stack, 'StateMachine', 'FieldService-Dev-WorkOrder');
    const make = (id: string, functionName?: string) =>
      new ServiceFunction(stack, id, {
        stage: 'dev',
        projectRoot: defaultProjectRoot,
        entry: apiFunctions.system.entry,
        description: `Binding probe ${id}`,
        invocation: 'synchronous',
        ...(functionName ? { functionName } : {}),
      });
    const target = make('ScheduleTarget', automation.scheduleTargetFunctionName);
    automation.setScheduleTarget(target.function);
    const reader = make('Reader').bindTable(data, 'read').bindBucket(data.bucket, 'read');
    const writer = make('Writer')
      .bindTable(data, 'readWrite')
      .bindBucket(data.bucket, 'readWrite')
      .bindWorkflow(workflow, ['start', 'respond'])
      .bindEvents(automation.eventBus)
      .bindNotifications(automation, 'office@field-service.example')
      .bindSchedules(automation);
    // The target creates schedules too (an overdue check arranges the next): it names itself by name.
    target.bindSchedules(automation);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
    const json = app.synth().getStackByName('Bindings').template as CloudFormationTemplate;
    return { app, json, reader, writer, target };
  }

  it('when a function is bound to every kind of target, each acknowledgment matches its finding and none is left over', () => {
    // Arrange
    const { app } = boundFunctions();

    // Act
    const unacknowledged = findings(app);

    // Assert
    expect(unacknowledged).toEqual([]);
  });

  it('when a function is invoked asynchronously, cdk-nag still asks for its dead-letter queue', () => {
    // Arrange
    const app = new App({ outdir: temporaryOutdir('bindings'), context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Asynchronous');
    new ServiceFunction(stack, 'EventHandler', {
      stage: 'dev',
      projectRoot: defaultProjectRoot,
      entry: apiFunctions.system.entry,
      description: 'Asynchronous probe',
      invocation: 'asynchronous',
    });

    // Act
    const unacknowledged = findings(app);

    // Assert
    expect(unacknowledged).toContain('Serverless-LambdaDLQ at Asynchronous/EventHandler/Function/Resource');
  });

  it('when a function only reads, it gets no write action on the table or the bucket', () => {
    // Arrange
    const { json, reader } = boundFunctions();

    // Act
    const actions = statementsOfRole(json, reader).flatMap(actionsOf);

    // Assert
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 's3:GetObject']));
    expect(actions.filter((action) => /^(dynamodb|s3):(Put|Update|Delete|BatchWrite)/.test(action))).toEqual(
      [],
    );
  });

  it('when a function sends SMS, its Publish on "*" is a policy of its own, so the acknowledgment covers nothing else', () => {
    // Arrange
    const { json, writer } = boundFunctions();
    const smsPolicy = writer.node.findChild('SmsPolicy');

    // Act
    const statements = (propertiesOf(json, logicalIdOf(smsPolicy)).PolicyDocument as { Statement: never[] })
      .Statement;

    // Assert
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }]);
  });

  it('when schedules are bound before the schedule target is chosen, it refuses', () => {
    // Arrange
    const app = new App({ outdir: temporaryOutdir('bindings'), context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'NoTarget');
    const automation = new Automation(stack, 'Automation', { stage: 'dev' });
    const fn = new ServiceFunction(stack, 'Reminders', {
      stage: 'dev',
      projectRoot: defaultProjectRoot,
      entry: apiFunctions.system.entry,
      description: 'Schedules without a target',
      invocation: 'synchronous',
    });

    // Act
    const act = () => fn.bindSchedules(automation);

    // Assert
    expect(act).toThrow(/choose the schedule target/);
  });

  it('when the schedule target is not given its fixed name, it refuses', () => {
    // Arrange
    const app = new App({ outdir: temporaryOutdir('bindings'), context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'UnnamedTarget');
    const automation = new Automation(stack, 'Automation', { stage: 'dev' });
    const fn = new ServiceFunction(stack, 'Target', {
      stage: 'dev',
      projectRoot: defaultProjectRoot,
      entry: apiFunctions.system.entry,
      description: 'A target without the fixed name',
      invocation: 'asynchronous',
      deadLetterQueue: true,
    });

    // Act
    const act = () => automation.setScheduleTarget(fn.function);

    // Assert
    expect(act).toThrow(/must be named FieldService-Dev-ScheduleTarget/);
  });

  it('when the schedule target creates schedules itself, it names itself by its fixed name and nothing depends on itself', () => {
    // Arrange
    const { json, target } = boundFunctions();

    // Act
    const variables = (
      propertiesOf(json, logicalIdOf(target.function)).Environment as { Variables: Record<string, unknown> }
    ).Variables;
    const cycle = findCycle(json);

    // Assert
    expect(JSON.stringify(variables.SCHEDULE_TARGET_ARN)).toContain(
      ':function:FieldService-Dev-ScheduleTarget',
    );
    expect(cycle).toBeUndefined();
  });

  it('when a function sends email, it may send from the configured address only', () => {
    // Arrange
    const { json, writer } = boundFunctions();

    // Act
    const statements = statementsOfRole(json, writer).filter((statement) =>
      actionsOf(statement).includes('ses:SendEmail'),
    );

    // Assert
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Condition).toEqual({
      StringEquals: { 'ses:FromAddress': 'office@field-service.example' },
    });
  });
});
