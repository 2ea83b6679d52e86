import { describe, expect, it } from 'vitest';
import {
  type ApiFunctionName,
  apiFunctions,
  type EventFunctionName,
  eventFunctions,
  type FunctionAccess,
  type ScheduleFunctionName,
  scheduleFunctions,
  type WorkflowFunctionName,
  workflowFunctions,
} from '../../lambdas/handlers/functions.ts';
import type { ServiceFunction } from '../../lib/constructs/functions.ts';
import {
  actionsOf,
  logicalIdOf,
  prodSender,
  propertiesOf,
  resourcesOf,
  resourcesOfType,
  type Synthesized,
  statementsOfRole,
  synthesize,
} from './synthesize.ts';

type PickFunction = (synthesized: Synthesized) => ServiceFunction;

/** Every registry entry: its name, its declared access, and how to find its construct. */
const registry: [string, FunctionAccess, PickFunction][] = [
  ...Object.entries(apiFunctions).map(([name, definition]): [string, FunctionAccess, PickFunction] => [
    name,
    definition.access,
    ({ stack }) => stack.functions.api[name as ApiFunctionName],
  ]),
  ...Object.entries(workflowFunctions).map(([name, definition]): [string, FunctionAccess, PickFunction] => [
    name,
    definition.access,
    ({ stack }) => stack.functions.workflow[name as WorkflowFunctionName],
  ]),
  ...Object.entries(eventFunctions).map(([name, definition]): [string, FunctionAccess, PickFunction] => [
    name,
    definition.access,
    ({ stack }) => stack.functions.events[name as EventFunctionName],
  ]),
  ...Object.entries(scheduleFunctions).map(([name, definition]): [string, FunctionAccess, PickFunction] => [
    name,
    definition.access,
    ({ stack }) => stack.functions.schedules[name as ScheduleFunctionName],
  ]),
];

/** The environment variable each kind of access brings, and nothing else does. */
const variablesByAccess: Record<keyof FunctionAccess, string[]> = {
  table: ['TABLE_NAME'],
  bucket: ['BUCKET_NAME'],
  workflow: ['STATE_MACHINE_ARN'],
  events: ['EVENT_BUS_NAME'],
  notifications: ['NOTIFICATION_TOPIC_ARN'],
  schedules: ['SCHEDULE_GROUP_NAME', 'SCHEDULER_ROLE_ARN', 'SCHEDULE_TARGET_ARN'],
  payments: ['STRIPE_SECRET_ARN'],
  customerLinks: ['CUSTOMER_LINK_KEYS_SECRET_ARN', 'CUSTOMER_PAGES_URL'],
};

const environmentOf = (synthesized: Synthesized, fn: ServiceFunction): Record<string, unknown> => {
  const properties = propertiesOf(synthesized.json, logicalIdOf(fn.function));
  return (properties.Environment as { Variables: Record<string, unknown> }).Variables;
};

describe('ServiceFunctions', () => {
  it('when synthesized, there is one function per registry entry and no other', () => {
    // Arrange
    const { json } = synthesize('dev');

    // Act
    const functions = resourcesOfType(json, 'AWS::Lambda::Function');

    // Assert
    expect(functions).toHaveLength(registry.length);
  });

  it.each(registry)(
    'when %s is synthesized, it runs Node.js 24 on arm64, traced, with a retained log group',
    (_, __, pick) => {
      // Arrange
      const synthesized = synthesize('dev');
      const fn = pick(synthesized);

      // Act
      const properties = synthesized.json.Resources[logicalIdOf(fn.function)]?.Properties;
      const logGroup = synthesized.json.Resources[logicalIdOf(fn.logGroup)];

      // Assert
      expect(properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        MemorySize: expect.any(Number),
        Timeout: expect.any(Number),
        LoggingConfig: { LogGroup: { Ref: logicalIdOf(fn.logGroup) } },
      });
      expect(logGroup?.Properties).toMatchObject({ RetentionInDays: 30 });
    },
  );

  it.each(registry)(
    'when %s is synthesized, its environment holds exactly what its access needs',
    (_, access, pick) => {
      // Arrange
      const synthesized = synthesize('dev');
      const granted = (Object.keys(variablesByAccess) as (keyof FunctionAccess)[]).filter((kind) =>
        kind === 'workflow' ? access.workflow?.includes('start') : Boolean(access[kind]),
      );

      // Act
      const environment = environmentOf(synthesized, pick(synthesized));

      // Assert
      expect(environment).toMatchObject({
        STAGE: 'dev',
        ADAPTERS: 'aws',
        POWERTOOLS_SERVICE_NAME: expect.any(String),
        POWERTOOLS_METRICS_NAMESPACE: expect.any(String),
        POWERTOOLS_LOG_LEVEL: expect.any(String),
      });
      // No source maps to read at init: bundles keep their names instead.
      expect(environment).not.toHaveProperty('NODE_OPTIONS');
      const accessVariables = Object.values(variablesByAccess).flat();
      const present = Object.keys(environment).filter((name) => accessVariables.includes(name));
      expect(present.sort()).toEqual(granted.flatMap((kind) => variablesByAccess[kind]).sort());
    },
  );

  it.each(registry)(
    'when %s is deployed to prod, it gets the sender address only if it sends notifications',
    (_, access, pick) => {
      // Arrange
      const synthesized = synthesize('prod');

      // Act
      const environment = environmentOf(synthesized, pick(synthesized));

      // Assert
      if (access.notifications) expect(environment.SENDER_EMAIL).toBe(prodSender);
      else expect(environment).not.toHaveProperty('SENDER_EMAIL');
    },
  );

  it('when the system function is synthesized, its role may write its logs and traces, and touch no data', () => {
    // Arrange
    const synthesized = synthesize('dev');

    // Act
    const actions = statementsOfRole(synthesized.json, synthesized.stack.functions.api.system).flatMap(
      actionsOf,
    );

    // Assert
    expect(actions.sort()).toEqual(
      [
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    expect(actions.filter((action) => action.startsWith('dynamodb:'))).toEqual([]);
  });

  it('when the workOrders function is synthesized, its DynamoDB grants name the table and its indexes, never "*"', () => {
    // Arrange
    const synthesized = synthesize('dev');
    const tableArn = { 'Fn::GetAtt': [logicalIdOf(synthesized.stack.data.table), 'Arn'] };
    const indexArns = synthesized.stack.data.indexNames.map((indexName) => ({
      'Fn::Join': ['', [tableArn, `/index/${indexName}`]],
    }));

    // Act
    const statements = statementsOfRole(synthesized.json, synthesized.stack.functions.api.workOrders).filter(
      (statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
    );

    // Assert
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      for (const resource of resourcesOf(statement))
        expect([tableArn, ...indexArns]).toContainEqual(resource);
      expect(actionsOf(statement)).not.toContain('dynamodb:Scan');
      expect(actionsOf(statement).every((action) => !action.includes('*'))).toBe(true);
    }
    const onTable = JSON.stringify(tableArn);
    const indexStatements = statements.filter((statement) =>
      resourcesOf(statement).every((resource) => JSON.stringify(resource) !== onTable),
    );
    expect(indexStatements.flatMap(resourcesOf)).toEqual(indexArns);
    expect(indexStatements.flatMap(actionsOf)).toEqual(['dynamodb:Query']);
  });

  it('when the workOrders function starts workflows, it may start, describe and answer executions of the work-order state machine only', () => {
    // Arrange
    const synthesized = synthesize('dev');

    // Act
    const statements = statementsOfRole(synthesized.json, synthesized.stack.functions.api.workOrders).filter(
      (statement) => actionsOf(statement).some((action) => action.startsWith('states:')),
    );
    const rendered = JSON.stringify(statements);

    // Assert
    // Answering: a next visit that loses the race to be linked is cancelled, failing its wait.
    expect(statements.flatMap(actionsOf).sort()).toEqual([
      'states:DescribeExecution',
      'states:SendTaskFailure',
      'states:SendTaskHeartbeat',
      'states:SendTaskSuccess',
      'states:StartExecution',
    ]);
    expect(rendered).toContain(':stateMachine:FieldService-Dev-WorkOrder"');
    expect(rendered).toContain(':execution:FieldService-Dev-WorkOrder:*"');
  });

  it('when AwaitStageFunction answers the workflow, it may send task results for the work-order state machine only', () => {
    // Arrange
    const synthesized = synthesize('dev');

    // Act
    const statements = statementsOfRole(
      synthesized.json,
      synthesized.stack.functions.workflow.AwaitStageFunction,
    ).filter((statement) => actionsOf(statement).some((action) => action.startsWith('states:')));

    // Assert
    expect(statements.flatMap(actionsOf).sort()).toEqual([
      'states:SendTaskFailure',
      'states:SendTaskHeartbeat',
      'states:SendTaskSuccess',
    ]);
    expect(JSON.stringify(statements.flatMap(resourcesOf))).toMatch(
      /:stateMachine:FieldService-Dev-WorkOrder"\]\]\}\]$/,
    );
  });
});
