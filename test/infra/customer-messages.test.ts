import { describe, expect, it } from 'vitest';
import {
  actionsOf,
  logicalIdOf,
  propertiesOf,
  resourcesOfType,
  statementsOfRole,
  synthesize,
} from './synthesize.ts';

describe('customer messages', () => {
  it('when synthesized, texts to the tenants’ numbers reach the inbound-SMS function through an encrypted topic, with a dead-letter queue', () => {
    // Arrange
    const { json, stack } = synthesize('dev');
    const topic = logicalIdOf(stack.automation.inboundSmsTopic);
    const target = stack.functions.events.InboundSmsFunction;

    // Act
    const subscriptions = resourcesOfType(json, 'AWS::SNS::Subscription').filter(
      ([, subscription]) =>
        JSON.stringify(subscription.Properties?.TopicArn) === JSON.stringify({ Ref: topic }),
    );

    // Assert
    expect(propertiesOf(json, topic)).toMatchObject({
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(stack.automation.topicKey), 'Arn'] },
    });
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]?.[1].Properties).toMatchObject({
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': [logicalIdOf(target.function), 'Arn'] },
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(target.deadLetterQueue!), 'Arn'] },
      },
    });
  });

  it('when synthesized, only two-way SMS of this account may publish to the inbound topic', () => {
    // Arrange
    const { json, stack } = synthesize('dev');
    const topic = logicalIdOf(stack.automation.inboundSmsTopic);

    // Act
    const statements = resourcesOfType(json, 'AWS::SNS::TopicPolicy')
      .filter(([, policy]) => JSON.stringify(policy.Properties?.Topics) === JSON.stringify([{ Ref: topic }]))
      .flatMap(
        ([, policy]) =>
          (policy.Properties?.PolicyDocument as { Statement?: Record<string, unknown>[] } | undefined)
            ?.Statement ?? [],
      );

    // Assert
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'sms-voice.amazonaws.com' },
          Action: 'sns:Publish',
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        }),
      ]),
    );
  });

  it('when synthesized, the inbound-SMS function reads and writes the table and sends nothing', () => {
    // Arrange
    const { json, stack } = synthesize('dev');

    // Act
    const actions = statementsOfRole(json, stack.functions.events.InboundSmsFunction).flatMap(actionsOf);

    // Assert
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem']));
    expect(actions).not.toContain('sns:Publish');
    expect(actions).not.toContain('ses:SendEmail');
  });
});
