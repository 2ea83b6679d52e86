import { describe, expect, it } from 'vitest';
import {
  actionsOf,
  logicalIdOf,
  propertiesOf,
  resourcesOfType,
  statementsOfRole,
  synthesize,
} from './synthesize.ts';

describe('customer milestones', () => {
  it('when synthesized, en route, completion, cancellation and reschedule events reach the milestones function, with a dead-letter queue', () => {
    // Arrange
    const { json, stack } = synthesize('dev');
    const target = stack.functions.events.CustomerMilestonesFunction;

    // Act
    const rules = resourcesOfType(json, 'AWS::Events::Rule').filter(([, rule]) =>
      JSON.stringify(rule.Properties?.EventPattern).includes('WorkOrder.EnRoute.v1'),
    );

    // Assert
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0]!;
    expect(rule.Properties?.EventPattern).toEqual({
      source: ['field-service.work-orders'],
      'detail-type': [
        'WorkOrder.EnRoute.v1',
        'WorkOrder.Completed.v1',
        'WorkOrder.Rescheduled.v1',
        'WorkOrder.Cancelled.v1',
      ],
    });
    expect(rule.Properties?.EventBusName).toEqual({ Ref: logicalIdOf(stack.automation.eventBus) });
    const [ruleTarget = {}] = (rule.Properties?.Targets ?? []) as Record<string, unknown>[];
    expect(ruleTarget).toMatchObject({
      Arn: { 'Fn::GetAtt': [logicalIdOf(target.function), 'Arn'] },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(target.deadLetterQueue!), 'Arn'] } },
      RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 },
    });
    // The whole event is delivered, as the function parses it.
    expect(ruleTarget).not.toHaveProperty('InputTransformer');
    expect(propertiesOf(json, logicalIdOf(target.function))).toMatchObject({
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [logicalIdOf(target.deadLetterQueue!), 'Arn'] } },
    });
  });

  it('when synthesized, the milestones function may message customers and manage schedules, but not start workflows', () => {
    // Arrange
    const { json, stack } = synthesize('dev');

    // Act
    const actions = statementsOfRole(json, stack.functions.events.CustomerMilestonesFunction).flatMap(
      actionsOf,
    );

    // Assert
    expect(actions).toContain('sns:Publish');
    expect(actions).toContain('scheduler:CreateSchedule');
    expect(actions).toContain('scheduler:DeleteSchedule');
    expect(actions.some((action) => action.startsWith('states:'))).toBe(false);
  });

  it('when synthesized, the reminders API may manage schedules aimed at the schedule target', () => {
    // Arrange
    const { json, stack } = synthesize('dev');

    // Act
    const actions = statementsOfRole(json, stack.functions.api.reminders).flatMap(actionsOf);

    // Assert
    expect(actions).toEqual(
      expect.arrayContaining(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'iam:PassRole']),
    );
    expect(actions.some((action) => action.startsWith('sns:'))).toBe(false);
  });
});
