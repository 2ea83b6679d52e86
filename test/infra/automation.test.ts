import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { logicalIdOf, resourcesOfType, synthesize } from './synthesize.ts';

describe('Automation', () => {
  it('when synthesized, the notification topic is encrypted with a rotated key and refuses publishing without TLS', () => {
    // Arrange
    const { template, stack } = synthesize('dev');
    const topicId = logicalIdOf(stack.automation.topic);

    // Act & Assert
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(stack.automation.topicKey), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('when synthesized, the key lets CloudWatch alarms publish to the encrypted topic', () => {
    // Arrange
    const { template } = synthesize('dev');

    // Act & Assert
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  it('when synthesized, there is one event bus and one schedule group named for the stage', () => {
    // Arrange
    const { template } = synthesize('dev');

    // Act & Assert
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'FieldService-Dev' });
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'FieldService-Dev' });
  });

  it("when synthesized, only EventBridge Scheduler can assume the scheduler role, for this account's group", () => {
    // Arrange
    const { json, stack } = synthesize('dev');

    // Act
    const role = json.Resources[logicalIdOf(stack.automation.schedulerRole)];
    const trust = role?.Properties?.AssumeRolePolicyDocument as { Statement: Record<string, unknown>[] };

    // Assert
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0]).toMatchObject({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    expect(JSON.stringify(trust.Statement[0])).toContain(':schedule/FieldService-Dev/*');
  });
});

describe('Observability', () => {
  it("when synthesized, failed work-order executions and every function error raise an alarm to the operators' topic, not the office's", () => {
    // Arrange
    const { json, stack } = synthesize('dev');
    const topic = { Ref: logicalIdOf(stack.observability.topic) };
    const functionIds = stack.functions.all().map((fn) => logicalIdOf(fn.function));

    // Act
    const alarms = resourcesOfType(json, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    const watchedFunctions = alarms
      .filter((alarm) => alarm.Namespace === 'AWS/Lambda' && alarm.MetricName === 'Errors')
      .map((alarm) => (alarm.Dimensions as { Value: { Ref: string } }[])[0]?.Value.Ref);

    // Assert
    expect(topic).not.toEqual({ Ref: logicalIdOf(stack.automation.topic) });
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([topic]);
    expect(alarms).toContainEqual(
      expect.objectContaining({
        Namespace: 'AWS/States',
        MetricName: 'ExecutionsFailed',
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: logicalIdOf(stack.workflow.stateMachine) } }],
      }),
    );
    expect(watchedFunctions.sort()).toEqual(functionIds.sort());
  });
});
