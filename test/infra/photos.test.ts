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

const s3Actions = (statements: ReturnType<typeof statementsOfRole>) =>
  statements.flatMap(actionsOf).filter((action) => action.startsWith('s3:'));

describe('photo uploads', () => {
  it('when synthesized, the photo API function may put and get objects under tenants/ only, and delete none', () => {
    // Arrange
    const { json, stack } = synthesize('dev');
    const bucketId = logicalIdOf(stack.data.bucket);

    // Act
    const statements = statementsOfRole(json, stack.functions.api.photos).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('s3:')),
    );

    // Assert
    expect(s3Actions(statements).sort()).toEqual(['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject']);
    for (const statement of statements) {
      expect(resourcesOf(statement)).toEqual([
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/tenants/*']] },
      ]);
    }
  });

  it('when synthesized, the dispatch package function may only get objects under tenants/ and read the table', () => {
    // Arrange
    const { json, stack } = synthesize('dev');
    const bucketId = logicalIdOf(stack.data.bucket);

    // Act
    const statements = statementsOfRole(json, stack.functions.api.dispatch);
    const s3Statements = statements.filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('s3:')),
    );

    // Assert
    expect(s3Actions(s3Statements).sort()).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    for (const statement of s3Statements) {
      expect(resourcesOf(statement)).toEqual([
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/tenants/*']] },
      ]);
    }
    const tableActions = statements.flatMap(actionsOf).filter((action) => action.startsWith('dynamodb:'));
    expect([...new Set(tableActions)].sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
    ]);
  });

  it('when synthesized, the upload function may read and delete objects under tenants/ and write the table, but put none', () => {
    const { json, stack } = synthesize('dev');
    const bucketId = logicalIdOf(stack.data.bucket);
    const statements = statementsOfRole(json, stack.functions.events.PhotoUploadedFunction);

    const s3Statements = statements.filter((statement) =>
      actionsOf(statement).some((a) => a.startsWith('s3:')),
    );

    expect(s3Actions(s3Statements).sort()).toEqual([
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:GetObject',
      's3:GetObjectVersion',
    ]);
    for (const statement of s3Statements) {
      expect(resourcesOf(statement)).toEqual([
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/tenants/*']] },
      ]);
    }
    expect(statements.flatMap(actionsOf)).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']),
    );
  });

  it('when synthesized, the bucket sends its events to EventBridge itself, without a notification custom resource', () => {
    const { json, stack } = synthesize('dev');

    const bucket = propertiesOf(json, logicalIdOf(stack.data.bucket));

    expect(bucket.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    expect(resourcesOfType(json, 'Custom::S3BucketNotifications')).toEqual([]);
  });

  it('when an object is created under tenants/ in the photo bucket, a rule invokes the upload function with retries and a dead-letter queue', () => {
    const { json, stack } = synthesize('dev');
    const handler = stack.functions.events.PhotoUploadedFunction;
    const queue = handler.deadLetterQueue;
    if (!queue) throw new Error('the upload function has no dead-letter queue');

    const rule = propertiesOf(json, logicalIdOf(stack.photoUploads.rule));

    expect(rule.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: [{ Ref: logicalIdOf(stack.data.bucket) }] },
        object: { key: [{ prefix: 'tenants/' }] },
      },
    });
    expect(rule.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [logicalIdOf(handler.function), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(queue), 'Arn'] } },
        RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: 8 }),
      }),
    ]);
    const permissions = resourcesOfType(json, 'AWS::Lambda::Permission').filter(
      ([, permission]) =>
        JSON.stringify(permission.Properties.FunctionName).includes(logicalIdOf(handler.function)) &&
        permission.Properties.Principal === 'events.amazonaws.com',
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.[1].Properties.SourceArn).toEqual({
      'Fn::GetAtt': [logicalIdOf(stack.photoUploads.rule), 'Arn'],
    });
  });

  it('when the upload function fails every retry, the event lands in its encrypted, TLS-only dead-letter queue', () => {
    const { json, stack } = synthesize('dev');
    const handler = stack.functions.events.PhotoUploadedFunction;
    const queue = handler.deadLetterQueue;
    if (!queue) throw new Error('the upload function has no dead-letter queue');
    const queueId = logicalIdOf(queue);

    const fn = propertiesOf(json, logicalIdOf(handler.function));
    const queueProperties = propertiesOf(json, queueId);
    const policies = resourcesOfType(json, 'AWS::SQS::QueuePolicy').filter(([, policy]) =>
      JSON.stringify(policy.Properties.Queues).includes(queueId),
    );
    const statements = policies.flatMap(
      ([, policy]) =>
        (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );

    expect(fn.DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    expect(queueProperties.SqsManagedSseEnabled).toBe(true);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
        expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } }),
      ]),
    );
  });

  it('when synthesized, the photo routes are served by the photo function', () => {
    const { json, stack } = synthesize('dev');

    const routes = resourcesOfType(json, 'AWS::ApiGatewayV2::Route')
      .map(([, route]) => String(route.Properties.RouteKey))
      .filter((routeKey) => routeKey.endsWith('/photos'));

    expect(routes.sort()).toEqual(['GET /v1/work-orders/{id}/photos', 'POST /v1/work-orders/{id}/photos']);
    expect(stack.functions.api.photos).toBeDefined();
  });
});
