import { describe, expect, it } from 'vitest';
import {
  actionsOf,
  logicalIdOf,
  propertiesOf,
  resourcesOf,
  resourcesOfType,
  statementsOfRole,
  synthesize,
} from './synthesize.ts';

const environmentOf = (json: ReturnType<typeof synthesize>['json'], functionId: string) =>
  (propertiesOf(json, functionId).Environment as { Variables: Record<string, unknown> }).Variables;

describe('the schedule target', () => {
  it('when synthesized, it is one function with a fixed name, a dead-letter queue and every schedule grant', () => {
    // Arrange
    const { json, stack } = synthesize('dev');
    const target = stack.functions.schedules.ScheduleTargetFunction;

    // Act
    const properties = propertiesOf(json, logicalIdOf(target.function));
    const scheduleActions = statementsOfRole(json, target)
      .flatMap(actionsOf)
      .filter((action) => action.startsWith('scheduler:'));

    // Assert
    expect(properties).toMatchObject({
      FunctionName: 'FieldService-Dev-ScheduleTarget',
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [logicalIdOf(target.deadLetterQueue!), 'Arn'] } },
    });
    expect(scheduleActions.sort()).toEqual([
      'scheduler:CreateSchedule',
      'scheduler:DeleteSchedule',
      'scheduler:GetSchedule',
      'scheduler:UpdateSchedule',
    ]);
    expect(stack.automation.scheduleTarget).toBe(target.function);
  });

  it('when synthesized, the scheduler role may invoke the schedule target and nothing else', () => {
    // Arrange
    const { json, stack } = synthesize('dev');
    const targetId = logicalIdOf(stack.functions.schedules.ScheduleTargetFunction.function);

    // Act
    const statements = statementsOfRole(json, stack.automation.schedulerRole);

    // Assert
    expect(statements).toHaveLength(1);
    expect(actionsOf(statements[0]!)).toEqual(['lambda:InvokeFunction']);
    expect(resourcesOf(statements[0]!)).toEqual([{ 'Fn::GetAtt': [targetId, 'Arn'] }]);
  });

  it.each([
    ['the workflow steps (SendInvoice arranges the overdue check)', 'WorkflowStepsFunction'],
    ['the agreements API (billing periods)', 'agreements'],
    ['the schedule target itself (the next check, the next period)', 'ScheduleTargetFunction'],
  ])('when synthesized, %s create schedules aimed at the schedule target by its name', (_, name) => {
    // Arrange
    const { json, stack } = synthesize('dev');
    const { functions } = stack;
    const fn =
      name === 'WorkflowStepsFunction'
        ? functions.workflow.WorkflowStepsFunction
        : name === 'agreements'
          ? functions.api.agreements
          : functions.schedules.ScheduleTargetFunction;

    // Act
    const environment = environmentOf(json, logicalIdOf(fn.function));
    const passRole = statementsOfRole(json, fn).filter((statement) =>
      actionsOf(statement).includes('iam:PassRole'),
    );

    // Assert
    expect(environment.SCHEDULE_GROUP_NAME).toBe('FieldService-Dev');
    expect(JSON.stringify(environment.SCHEDULE_TARGET_ARN)).toContain(
      ':function:FieldService-Dev-ScheduleTarget',
    );
    expect(passRole.flatMap(resourcesOf)).toEqual([
      { 'Fn::GetAtt': [logicalIdOf(stack.automation.schedulerRole), 'Arn'] },
    ]);
  });

  it('when synthesized, a payment that leaves no balance reaches the schedule target as an invoice-paid payload', () => {
    // Arrange
    const { json, stack } = synthesize('dev');
    const target = stack.functions.schedules.ScheduleTargetFunction;

    // Act
    const rules = resourcesOfType(json, 'AWS::Events::Rule').filter(([, rule]) =>
      JSON.stringify(rule.Properties.EventPattern).includes('WorkOrder.PaymentRecorded.v1'),
    );

    // Assert
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0]!;
    expect(rule.Properties.EventPattern).toEqual({
      source: ['field-service.work-orders'],
      'detail-type': ['WorkOrder.PaymentRecorded.v1'],
      detail: { balance: [0] },
    });
    expect(rule.Properties.EventBusName).toEqual({ Ref: logicalIdOf(stack.automation.eventBus) });
    const [ruleTarget = {}] = rule.Properties.Targets as Record<string, unknown>[];
    expect(ruleTarget).toMatchObject({
      Arn: { 'Fn::GetAtt': [logicalIdOf(target.function), 'Arn'] },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(target.deadLetterQueue!), 'Arn'] } },
      InputTransformer: {
        InputPathsMap: {
          'detail-tenantId': '$.detail.tenantId',
          'detail-workOrderId': '$.detail.workOrderId',
          'detail-invoiceId': '$.detail.invoiceId',
        },
      },
    });
    expect(String((ruleTarget.InputTransformer as { InputTemplate: string }).InputTemplate)).toContain(
      '"kind":"invoice-paid"',
    );
  });

  it('when synthesized, the report function reads the table and writes nothing', () => {
    // Arrange
    const { json, stack } = synthesize('dev');

    // Act
    const actions = statementsOfRole(json, stack.functions.api.reports)
      .flatMap(actionsOf)
      .filter((action) => action.startsWith('dynamodb:'));

    // Assert
    expect([...new Set(actions)].sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
    ]);
  });
});
