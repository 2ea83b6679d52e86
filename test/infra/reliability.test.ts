import { type App, CfnResource, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { operationalMetrics } from '../../lambdas/shared/operational-metrics.ts';
import { logRetentionFor, type Stage } from '../../lib/constructs/stage.ts';
import { ConfigurationError, createApp } from '../../lib/stacks/app.ts';
import {
  actionsOf,
  type CloudFormationResource,
  type CloudFormationTemplate,
  logicalIdOf,
  type PolicyStatementJson,
  prodAlarmEmail,
  resourcesOf,
  resourcesOfType,
  synthesize,
  temporaryOutdir,
} from './synthesize.ts';

/*
 * Reliability and security of the whole template, asserted over every resource of each type,
 * so a resource added later is held to the same rules without a test of its own.
 */

const stages = ['dev', 'prod'] as const satisfies readonly Stage[];

/**
 * The actions a policy may grant on Resource "*", each with the reason: IAM has no resource
 * for them (or, for SMS, the resource is a phone number, which has no ARN).
 */
const wildcardResourceReasons: Record<string, string> = {
  'xray:PutTraceSegments': 'X-Ray segments have no resource-level permission',
  'xray:PutTelemetryRecords': 'X-Ray telemetry has no resource-level permission',
  'xray:GetSamplingRules': 'X-Ray sampling rules are read account-wide',
  'xray:GetSamplingTargets': 'X-Ray sampling targets are read account-wide',
  'logs:CreateLogDelivery': 'Step Functions log delivery has no resource-level permission',
  'logs:GetLogDelivery': 'Step Functions log delivery has no resource-level permission',
  'logs:UpdateLogDelivery': 'Step Functions log delivery has no resource-level permission',
  'logs:DeleteLogDelivery': 'Step Functions log delivery has no resource-level permission',
  'logs:ListLogDeliveries': 'Step Functions log delivery has no resource-level permission',
  'logs:PutResourcePolicy': 'the log group resource policy for vended logs is account-wide',
  'logs:DescribeResourcePolicies': 'the log group resource policies are listed account-wide',
  'logs:DescribeLogGroups': 'log groups are listed account-wide',
  'sns:Publish': 'an SMS to a customer is published to a phone number, which has no ARN',
};

type NagMetadata = { rules_to_suppress: { id: string; reason: string }[] };

const acknowledgmentsOf = (resource: CloudFormationResource | undefined) =>
  (resource?.Metadata?.cdk_nag as NagMetadata | undefined)?.rules_to_suppress ?? [];

interface Finding {
  pack: string;
  ruleId: string;
  path: string;
}

const findingsByApp = new WeakMap<App, Finding[]>();

/**
 * What the two packs find with every acknowledgment ignored: the packs' own lookup of
 * acknowledgments is switched off, so every finding comes back with the resource it is on.
 */
function findingsIgnoringAcknowledgments(app: App): Finding[] {
  const cached = findingsByApp.get(app);
  if (cached) return cached;
  const findings = [new AwsSolutionsChecks(undefined, {}), new ServerlessChecks(undefined, {})].flatMap(
    (pack) => {
      (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
      return pack.validateScope(app).violations.flatMap((violation) =>
        violation.violatingResources.map((resource) => ({
          pack: pack.readPackName,
          ruleId: violation.ruleName,
          path: resource.constructPath ?? '',
        })),
      );
    },
  );
  findingsByApp.set(app, findings);
  return findings;
}

/** Every acknowledgment made in the construct tree, with the construct it was made on. */
function acknowledgmentsIn(app: App) {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.keys((entry.data ?? {}) as object))
      .map((key) => ({ path: construct.node.path, ruleId: key.replace(/^annotation::/i, '') })),
  );
}

/** The logical id a `Ref` or `Fn::GetAtt` points at. */
function referenced(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref === 'string') return ref;
  const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return String(getAtt[0]);
  return undefined;
}

/** Every logical id a value refers to, anywhere inside it. */
function referencesIn(value: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (inner: unknown): void => {
    if (Array.isArray(inner)) inner.forEach(walk);
    else if (inner && typeof inner === 'object') {
      const id = referenced(inner);
      if (id) found.add(id);
      else Object.values(inner).forEach(walk);
    }
  };
  walk(value);
  return found;
}

interface PolicyDocumentJson {
  Statement: (PolicyStatementJson & { Principal?: unknown; NotAction?: unknown; NotResource?: unknown })[];
}

/** The identity policies of the template: standalone, managed, and inline in roles. */
function identityPolicies(
  json: CloudFormationTemplate,
): { logicalId: string; document: PolicyDocumentJson }[] {
  return Object.entries(json.Resources).flatMap(([logicalId, resource]) => {
    const properties = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy')
      return [{ logicalId, document: properties.PolicyDocument as PolicyDocumentJson }];
    if (resource.Type === 'AWS::IAM::Role')
      return ((properties.Policies ?? []) as { PolicyDocument: PolicyDocumentJson }[]).map((policy) => ({
        logicalId,
        document: policy.PolicyDocument,
      }));
    return [];
  });
}

const resourcePolicyTypes: Record<string, string> = {
  'AWS::KMS::Key': 'KeyPolicy',
  'AWS::SNS::TopicPolicy': 'PolicyDocument',
  'AWS::SQS::QueuePolicy': 'PolicyDocument',
  'AWS::S3::BucketPolicy': 'PolicyDocument',
};

/** The resource policies of the template (keys, topics, queues, buckets), with their type. */
function resourcePolicies(json: CloudFormationTemplate) {
  return Object.entries(json.Resources).flatMap(([logicalId, resource]) => {
    const property = resourcePolicyTypes[resource.Type];
    if (!property) return [];
    return [
      { logicalId, type: resource.Type, document: resource.Properties?.[property] as PolicyDocumentJson },
    ];
  });
}

/**
 * The statement every key policy opens with: the account's root may administer the key, which
 * hands the key's use over to IAM policies (without it the key could become unmanageable).
 */
const isKeyAdministration = (
  json: CloudFormationTemplate,
  logicalId: string,
  statement: PolicyStatementJson,
) =>
  json.Resources[logicalId]?.Type === 'AWS::KMS::Key' &&
  JSON.stringify((statement as { Principal?: unknown }).Principal) ===
    JSON.stringify({
      AWS: {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']],
      },
    });

const isAnyone = (principal: unknown) =>
  principal === '*' || JSON.stringify(principal) === JSON.stringify({ AWS: '*' });

const deniesWithoutTls = (document: PolicyDocumentJson) =>
  document.Statement.some(
    (statement) =>
      statement.Effect === 'Deny' &&
      isAnyone(statement.Principal) &&
      JSON.stringify(statement.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
  );

/** The policy document attached to a resource (a bucket, a queue, a topic) by its policy resource. */
function policyOn(json: CloudFormationTemplate, type: string, targetProperty: string, targetId: string) {
  return resourcesOfType(json, type)
    .filter(([, policy]) => referencesIn(policy.Properties[targetProperty]).has(targetId))
    .map(([, policy]) => policy.Properties.PolicyDocument as PolicyDocumentJson);
}

interface AlarmedMetric {
  namespace: string;
  metricName: string;
  dimensions: { Name: string; Value: unknown }[];
}

/** The metrics an alarm watches: its own metric, or each metric of its math expression. */
function metricsOf(alarm: Record<string, unknown>): AlarmedMetric[] {
  if (typeof alarm.MetricName === 'string') {
    return [
      {
        namespace: alarm.Namespace as string,
        metricName: alarm.MetricName,
        dimensions: (alarm.Dimensions ?? []) as AlarmedMetric['dimensions'],
      },
    ];
  }
  return ((alarm.Metrics ?? []) as { MetricStat?: { Metric: Record<string, unknown> } }[]).flatMap((query) =>
    query.MetricStat
      ? [
          {
            namespace: query.MetricStat.Metric.Namespace as string,
            metricName: query.MetricStat.Metric.MetricName as string,
            dimensions: (query.MetricStat.Metric.Dimensions ?? []) as AlarmedMetric['dimensions'],
          },
        ]
      : [],
  );
}

/** The alarms that watch a metric of a namespace whose dimension names the given resource. */
function alarmsOn(
  json: CloudFormationTemplate,
  namespace: string,
  metricName: string,
  dimension: string,
  matches: (value: unknown) => boolean,
) {
  return resourcesOfType(json, 'AWS::CloudWatch::Alarm')
    .map(([, alarm]) => alarm.Properties)
    .filter((alarm) =>
      metricsOf(alarm).some(
        (metric) =>
          metric.namespace === namespace &&
          metric.metricName === metricName &&
          metric.dimensions.some((entry) => entry.Name === dimension && matches(entry.Value)),
      ),
    );
}

const refersTo = (logicalId: string) => (value: unknown) => referenced(value) === logicalId;

describe('reliability of the infrastructure', () => {
  describe('cdk-nag', () => {
    it.each(stages)(
      'when the %s stack is checked by the AwsSolutions and Serverless packs, every finding is acknowledged on its resource with a reason in the template',
      (stage) => {
        // Arrange
        const { app, json } = synthesize(stage);
        const resourcesByPath = new Map(
          app.node
            .findAll()
            .filter((construct) => CfnResource.isCfnResource(construct))
            .map((construct) => [construct.node.path, logicalIdOf(construct)] as const),
        );

        // Act
        const findings = findingsIgnoringAcknowledgments(app);
        const unexplained = findings.filter(({ ruleId, path }) => {
          const acknowledgment = acknowledgmentsOf(json.Resources[resourcesByPath.get(path) ?? '']).find(
            (rule) => rule.id === ruleId,
          );
          return !acknowledgment || acknowledgment.reason.trim().length < 40;
        });

        // Assert
        expect(new Set(findings.map((finding) => finding.pack))).toEqual(
          new Set(['AwsSolutions', 'Serverless']),
        );
        expect(unexplained).toEqual([]);
      },
    );

    it.each(stages)(
      'when the %s stack acknowledges a rule, the packs still raise that rule there (no acknowledgment is stale)',
      (stage) => {
        // Arrange
        const { app } = synthesize(stage);
        const findings = findingsIgnoringAcknowledgments(app);

        // Act
        const acknowledgments = acknowledgmentsIn(app);
        const stale = acknowledgments.filter(
          ({ path, ruleId }) =>
            !findings.some(
              (finding) =>
                finding.ruleId === ruleId && (finding.path === path || finding.path.startsWith(`${path}/`)),
            ),
        );

        // Assert
        expect(acknowledgments.length).toBeGreaterThan(0);
        expect(stale).toEqual([]);
      },
    );

    it('when acknowledgments give reasons, a reason explains one rule and is not reused for another', () => {
      // Arrange
      const { json } = synthesize('prod');

      // Act
      const rulesByReason = new Map<string, Set<string>>();
      for (const resource of Object.values(json.Resources)) {
        for (const { id, reason } of acknowledgmentsOf(resource)) {
          const rule = id.replace(/\[.*$/, '');
          rulesByReason.set(reason, (rulesByReason.get(reason) ?? new Set()).add(rule));
        }
      }
      const shared = [...rulesByReason].filter(([, rules]) => rules.size > 1);

      // Assert
      expect(rulesByReason.size).toBeGreaterThan(0);
      expect(shared).toEqual([]);
    });
  });

  describe('IAM', () => {
    it.each(stages)(
      'when any identity policy of the %s stack grants on Resource "*", each action is one without resource-level permissions and the resource records why',
      (stage) => {
        // Arrange
        const { json } = synthesize(stage);

        // Act
        const wildcardGrants = identityPolicies(json).flatMap(({ logicalId, document }) =>
          document.Statement.filter(
            (statement) => statement.Effect === 'Allow' && resourcesOf(statement).includes('*'),
          ).map((statement) => ({ logicalId, actions: actionsOf(statement) })),
        );

        // Assert
        expect(wildcardGrants.length).toBeGreaterThan(0);
        for (const { logicalId, actions } of wildcardGrants) {
          expect(actions.filter((action) => !(action in wildcardResourceReasons))).toEqual([]);
          const acknowledgment = acknowledgmentsOf(json.Resources[logicalId]).find(
            (rule) => rule.id === 'AwsSolutions-IAM5[Resource::*]',
          );
          expect(acknowledgment?.reason, logicalId).toMatch(/resource-level|no ARN/);
        }
      },
    );

    it('when any policy allows something, it names the actions and the resources: no "*" action, no whole service, no NotAction or NotResource', () => {
      // Arrange
      const { json } = synthesize('prod');
      const documents = [...identityPolicies(json), ...resourcePolicies(json)];

      // Act
      const allows = documents.flatMap(({ logicalId, document }) =>
        document.Statement.filter((statement) => statement.Effect === 'Allow').map((statement) => ({
          logicalId,
          statement,
        })),
      );
      const broad = allows.filter(
        ({ logicalId, statement }) =>
          !isKeyAdministration(json, logicalId, statement) &&
          (statement.NotAction !== undefined ||
            statement.NotResource !== undefined ||
            actionsOf(statement).some((action) => action === '*' || /^[a-z0-9-]+:\*$/.test(action))),
      );

      // Assert
      expect(allows.length).toBeGreaterThan(0);
      expect(broad).toEqual([]);
    });

    it('when a resource policy names anyone ("*") as principal, it only denies (requests without TLS)', () => {
      // Arrange
      const { json } = synthesize('prod');

      // Act
      const openToAnyone = resourcePolicies(json).flatMap(({ logicalId, document }) =>
        document.Statement.filter((statement) => isAnyone(statement.Principal))
          .filter((statement) => statement.Effect !== 'Deny')
          .map((statement) => ({ logicalId, statement })),
      );

      // Assert
      expect(openToAnyone).toEqual([]);
    });

    it('when a resource policy allows on Resource "*", it is a key policy, where "*" means that key alone', () => {
      // Arrange
      const { json } = synthesize('prod');

      // Act
      const wildcardTypes = resourcePolicies(json)
        .filter(({ document }) =>
          document.Statement.some(
            (statement) => statement.Effect === 'Allow' && resourcesOf(statement).includes('*'),
          ),
        )
        .map(({ type }) => type);

      // Assert
      expect(new Set(wildcardTypes)).toEqual(new Set(['AWS::KMS::Key']));
    });

    it('when synthesized, no role carries an AWS managed policy (they grant on "*")', () => {
      // Arrange
      const { json } = synthesize('prod');

      // Act
      const withManaged = resourcesOfType(json, 'AWS::IAM::Role')
        .filter(([, role]) => role.Properties.ManagedPolicyArns !== undefined)
        .map(([logicalId]) => logicalId);

      // Assert
      expect(withManaged).toEqual([]);
    });
  });

  describe('data', () => {
    it.each(stages)(
      'when the %s stack has a table, it is point-in-time recoverable, encrypted with the AWS managed key and expires items by TTL',
      (stage) => {
        // Arrange
        const { json } = synthesize(stage);

        // Act
        const tables = resourcesOfType(json, 'AWS::DynamoDB::Table');

        // Assert
        expect(tables.length).toBeGreaterThan(0);
        for (const [, table] of tables) {
          expect(table.Properties).toMatchObject({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            SSESpecification: { SSEEnabled: true },
            TimeToLiveSpecification: { AttributeName: expect.any(String), Enabled: true },
          });
          // Enabled without a key id: KMS with the AWS managed key (aws/dynamodb), not the AWS owned
          // key (SSE disabled) and not a customer managed one.
          expect(table.Properties.SSESpecification).not.toHaveProperty('KMSMasterKeyId');
        }
      },
    );

    it.each([
      ['prod', true, 'Retain'],
      ['dev', false, 'Delete'],
    ] as const)(
      'when the %s stack has a table, deletion protection is %s and the stack going would %s it',
      (stage, protectedFromDeletion, policy) => {
        // Arrange
        const { json } = synthesize(stage);

        // Act
        const tables = resourcesOfType(json, 'AWS::DynamoDB::Table');

        // Assert
        for (const [, table] of tables) {
          expect(Boolean(table.Properties.DeletionProtectionEnabled)).toBe(protectedFromDeletion);
          expect([table.DeletionPolicy, table.UpdateReplacePolicy]).toEqual([policy, policy]);
        }
      },
    );

    it.each(stages)(
      'when the %s stack has a bucket, it blocks all public access, is encrypted and refuses requests without TLS or below TLS 1.2',
      (stage) => {
        // Arrange
        const { json } = synthesize(stage);

        // Act
        const buckets = resourcesOfType(json, 'AWS::S3::Bucket');

        // Assert
        expect(buckets.length).toBeGreaterThan(0);
        for (const [logicalId, bucket] of buckets) {
          expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          });
          expect(bucket.Properties.BucketEncryption).toEqual({
            ServerSideEncryptionConfiguration: [
              {
                ServerSideEncryptionByDefault: { SSEAlgorithm: expect.stringMatching(/^(AES256|aws:kms)$/) },
              },
            ],
          });
          const policies = policyOn(json, 'AWS::S3::BucketPolicy', 'Bucket', logicalId);
          expect(policies.some(deniesWithoutTls), logicalId).toBe(true);
          expect(
            policies.some((document) =>
              document.Statement.some(
                (statement) =>
                  statement.Effect === 'Deny' &&
                  JSON.stringify(statement.Condition) ===
                    JSON.stringify({ NumericLessThan: { 's3:TlsVersion': 1.2 } }),
              ),
            ),
            logicalId,
          ).toBe(true);
        }
      },
    );

    it('when a bucket holds data, it is versioned and logs its access to a log bucket; a log bucket expires its logs instead', () => {
      // Arrange
      const { json } = synthesize('prod');
      const buckets = resourcesOfType(json, 'AWS::S3::Bucket');
      const logDestinations = new Set(
        buckets.flatMap(([, bucket]) => [
          ...referencesIn(
            (bucket.Properties.LoggingConfiguration as { DestinationBucketName?: unknown })
              ?.DestinationBucketName,
          ),
        ]),
      );

      // Act
      const dataBuckets = buckets.filter(([logicalId]) => !logDestinations.has(logicalId));
      const logBuckets = buckets.filter(([logicalId]) => logDestinations.has(logicalId));

      // Assert
      expect(dataBuckets.length).toBeGreaterThan(0);
      expect(logBuckets.length).toBeGreaterThan(0);
      for (const [, bucket] of dataBuckets) {
        expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
        expect(bucket.Properties.LoggingConfiguration).toBeDefined();
      }
      for (const [, bucket] of logBuckets) {
        const rules = (bucket.Properties.LifecycleConfiguration as { Rules: { ExpirationInDays?: number }[] })
          .Rules;
        expect(rules.some((rule) => (rule.ExpirationInDays ?? 0) > 0)).toBe(true);
      }
    });

    it('when the stage is prod, every bucket, key, secret, log group and user pool stays with the stack gone', () => {
      // Arrange
      const { json } = synthesize('prod');
      const kept = [
        'AWS::S3::Bucket',
        'AWS::KMS::Key',
        'AWS::SecretsManager::Secret',
        'AWS::Logs::LogGroup',
        'AWS::Cognito::UserPool',
        'AWS::DynamoDB::Table',
      ];

      // Act
      const deleted = kept
        .flatMap((type) => resourcesOfType(json, type))
        .filter(([, resource]) => resource.DeletionPolicy !== 'Retain')
        .map(([logicalId]) => logicalId);

      // Assert
      expect(deleted).toEqual([]);
    });
  });

  describe('asynchronous delivery', () => {
    it.each(stages)(
      'when the %s stack has a queue, it is encrypted, refuses requests without TLS, keeps messages 14 days and is the dead-letter queue of something',
      (stage) => {
        // Arrange
        const { json } = synthesize(stage);
        const deadLetterTargets = new Set([
          ...resourcesOfType(json, 'AWS::Lambda::Function').flatMap(([, fn]) => [
            ...referencesIn(fn.Properties.DeadLetterConfig),
          ]),
          ...resourcesOfType(json, 'AWS::Events::Rule').flatMap(([, rule]) => [
            ...referencesIn(
              ((rule.Properties.Targets ?? []) as { DeadLetterConfig?: unknown }[]).map(
                (target) => target.DeadLetterConfig,
              ),
            ),
          ]),
          ...resourcesOfType(json, 'AWS::SNS::Subscription').flatMap(([, subscription]) => [
            ...referencesIn(subscription.Properties.RedrivePolicy),
          ]),
        ]);

        // Act
        const queues = resourcesOfType(json, 'AWS::SQS::Queue');

        // Assert
        expect(queues.length).toBeGreaterThan(0);
        for (const [logicalId, queue] of queues) {
          expect(
            queue.Properties.SqsManagedSseEnabled === true || queue.Properties.KmsMasterKeyId !== undefined,
          ).toBe(true);
          expect(policyOn(json, 'AWS::SQS::QueuePolicy', 'Queues', logicalId).some(deniesWithoutTls)).toBe(
            true,
          );
          expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 60 * 60);
          expect(deadLetterTargets.has(logicalId), logicalId).toBe(true);
        }
      },
    );

    it('when a function is invoked asynchronously (by a rule, a topic or a schedule), the events that fail every retry land in a dead-letter queue', () => {
      // Arrange
      const { json } = synthesize('prod');
      const asynchronousPrincipals = new Set([
        'events.amazonaws.com',
        'sns.amazonaws.com',
        's3.amazonaws.com',
      ]);
      const rolesOfAsynchronousServices = resourcesOfType(json, 'AWS::IAM::Role')
        .filter(([, role]) =>
          JSON.stringify(role.Properties.AssumeRolePolicyDocument).match(
            /"(scheduler|events|pipes)\.amazonaws\.com"/,
          ),
        )
        .map(([logicalId]) => logicalId);

      // Act
      const invokedByPermission = resourcesOfType(json, 'AWS::Lambda::Permission')
        .filter(([, permission]) => asynchronousPrincipals.has(String(permission.Properties.Principal)))
        .flatMap(([, permission]) => [...referencesIn(permission.Properties.FunctionName)]);
      const invokedByRole = identityPolicies(json)
        .filter(({ logicalId }) => {
          const roles = (json.Resources[logicalId]?.Properties?.Roles ?? []) as unknown[];
          return roles.some((role) => rolesOfAsynchronousServices.includes(referenced(role) ?? ''));
        })
        .flatMap(({ document }) =>
          document.Statement.filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction')),
        )
        .flatMap((statement) =>
          resourcesOf(statement).flatMap((resource) => {
            const byReference = [...referencesIn(resource)];
            // The schedule target is named, not referenced (it creates schedules itself): match the name.
            const named = resourcesOfType(json, 'AWS::Lambda::Function')
              .filter(([, fn]) => typeof fn.Properties.FunctionName === 'string')
              .filter(([, fn]) =>
                JSON.stringify(resource).includes(`:function:${fn.Properties.FunctionName}`),
              )
              .map(([logicalId]) => logicalId);
            return [...byReference, ...named];
          }),
        );
      const asynchronous = new Set([...invokedByPermission, ...invokedByRole]);
      const unprotected = [...asynchronous].filter((logicalId) => {
        const fn = json.Resources[logicalId];
        const onFailure = resourcesOfType(json, 'AWS::Lambda::EventInvokeConfig').some(
          ([, config]) =>
            referencesIn(config.Properties.FunctionName).has(logicalId) &&
            (config.Properties.DestinationConfig as { OnFailure?: unknown } | undefined)?.OnFailure,
        );
        return (
          !(fn?.Properties?.DeadLetterConfig as { TargetArn?: unknown } | undefined)?.TargetArn && !onFailure
        );
      });

      // Assert
      expect(invokedByRole.length).toBeGreaterThan(0);
      expect(asynchronous.size).toBeGreaterThanOrEqual(4);
      expect(unprotected).toEqual([]);
    });

    it('when a rule or a topic delivers to a function, the delivery has retries and a dead-letter queue of its own', () => {
      // Arrange
      const { json } = synthesize('prod');

      // Act
      const ruleTargets = resourcesOfType(json, 'AWS::Events::Rule').flatMap(
        ([, rule]) => (rule.Properties.Targets ?? []) as Record<string, unknown>[],
      );
      const lambdaSubscriptions = resourcesOfType(json, 'AWS::SNS::Subscription')
        .map(([, subscription]) => subscription.Properties)
        .filter((subscription) => subscription.Protocol === 'lambda');

      // Assert
      expect(ruleTargets.length).toBeGreaterThan(0);
      for (const target of ruleTargets) {
        expect(target).toMatchObject({
          DeadLetterConfig: { Arn: expect.anything() },
          RetryPolicy: { MaximumRetryAttempts: expect.any(Number) },
        });
      }
      expect(lambdaSubscriptions.length).toBeGreaterThan(0);
      for (const subscription of lambdaSubscriptions) {
        expect(subscription).toMatchObject({ RedrivePolicy: { deadLetterTargetArn: expect.anything() } });
      }
    });
  });

  describe('logs and traces', () => {
    it.each(stages)(
      'when the %s stack has a function, it logs JSON at the Powertools level to a log group of its own with retention, and is traced',
      (stage) => {
        // Arrange
        const { json } = synthesize(stage);
        const retention = logRetentionFor(stage);

        // Act
        const functions = resourcesOfType(json, 'AWS::Lambda::Function');

        // Assert
        expect(functions.length).toBeGreaterThan(0);
        const logGroups = new Set<string>();
        for (const [logicalId, fn] of functions) {
          const logging = fn.Properties.LoggingConfig as Record<string, unknown>;
          const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
          expect(logging, logicalId).toMatchObject({
            LogFormat: 'JSON',
            ApplicationLogLevel: variables.POWERTOOLS_LOG_LEVEL,
            SystemLogLevel: 'INFO',
          });
          const logGroupId = referenced(logging.LogGroup) ?? '';
          expect(json.Resources[logGroupId]?.Properties?.RetentionInDays).toBe(retention);
          logGroups.add(logGroupId);
          expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
        }
        expect(logGroups.size).toBe(functions.length);
      },
    );

    it.each(stages)('when the %s stack has a log group, it keeps its logs for a set time', (stage) => {
      // Arrange
      const { json } = synthesize(stage);

      // Act
      const retentions = resourcesOfType(json, 'AWS::Logs::LogGroup').map(
        ([, logGroup]) => logGroup.Properties.RetentionInDays,
      );

      // Assert
      expect(retentions.length).toBeGreaterThan(0);
      expect(new Set(retentions)).toEqual(new Set([logRetentionFor(stage)]));
    });

    it.each([
      ['dev', true],
      ['prod', false],
    ] as const)(
      'when the %s stack has a state machine, it logs every event to a log group and is traced (execution data logged: %s)',
      (stage, includeExecutionData) => {
        // Arrange
        const { json } = synthesize(stage);

        // Act
        const stateMachines = resourcesOfType(json, 'AWS::StepFunctions::StateMachine');

        // Assert
        expect(stateMachines.length).toBeGreaterThan(0);
        for (const [, stateMachine] of stateMachines) {
          const logging = stateMachine.Properties.LoggingConfiguration as {
            Level: string;
            IncludeExecutionData: boolean;
            Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: unknown } }[];
          };
          expect(logging.Level).toBe('ALL');
          expect(logging.IncludeExecutionData).toBe(includeExecutionData);
          const logGroupId = referenced(logging.Destinations[0]?.CloudWatchLogsLogGroup.LogGroupArn) ?? '';
          expect(json.Resources[logGroupId]?.Type).toBe('AWS::Logs::LogGroup');
          expect(stateMachine.Properties.TracingConfiguration).toEqual({ Enabled: true });
        }
      },
    );

    it('when an HTTP API stage is synthesized, it writes JSON access logs to a log group and is throttled', () => {
      // Arrange
      const { json } = synthesize('prod');

      // Act
      const apiStages = resourcesOfType(json, 'AWS::ApiGatewayV2::Stage');

      // Assert
      expect(apiStages.length).toBeGreaterThan(0);
      for (const [, apiStage] of apiStages) {
        const accessLogs = apiStage.Properties.AccessLogSettings as {
          DestinationArn: unknown;
          Format: string;
        };
        expect(json.Resources[referenced(accessLogs.DestinationArn) ?? '']?.Type).toBe('AWS::Logs::LogGroup');
        expect(JSON.parse(accessLogs.Format)).toMatchObject({
          requestId: expect.any(String),
          status: expect.any(String),
        });
        expect(apiStage.Properties.DefaultRouteSettings).toMatchObject({
          ThrottlingRateLimit: expect.any(Number),
          ThrottlingBurstLimit: expect.any(Number),
        });
      }
    });
  });

  describe('alarms', () => {
    it('when the stack has a function, one alarm watches its errors and one its throttles', () => {
      // Arrange
      const { json } = synthesize('prod');

      // Act
      const functions = resourcesOfType(json, 'AWS::Lambda::Function').map(([logicalId]) => logicalId);
      const unwatched = functions.flatMap((logicalId) =>
        ['Errors', 'Throttles']
          .filter(
            (metricName) =>
              alarmsOn(json, 'AWS/Lambda', metricName, 'FunctionName', refersTo(logicalId)).length === 0,
          )
          .map((metricName) => `${logicalId} ${metricName}`),
      );

      // Assert
      expect(functions.length).toBeGreaterThan(0);
      expect(unwatched).toEqual([]);
    });

    it('when the stack has a state machine, alarms watch its failed and its timed-out executions', () => {
      // Arrange
      const { json } = synthesize('prod');

      // Act
      const stateMachines = resourcesOfType(json, 'AWS::StepFunctions::StateMachine').map(([id]) => id);
      const unwatched = stateMachines.flatMap((logicalId) =>
        ['ExecutionsFailed', 'ExecutionsTimedOut']
          .filter(
            (metricName) =>
              alarmsOn(json, 'AWS/States', metricName, 'StateMachineArn', refersTo(logicalId)).length === 0,
          )
          .map((metricName) => `${logicalId} ${metricName}`),
      );

      // Assert
      expect(stateMachines.length).toBeGreaterThan(0);
      expect(unwatched).toEqual([]);
    });

    it('when the stack has an HTTP API, alarms watch its 5xx answers, its 4xx rate and its p95 latency', () => {
      // Arrange
      const { json } = synthesize('prod');
      const apis = resourcesOfType(json, 'AWS::ApiGatewayV2::Api').map(([logicalId]) => logicalId);

      // Act
      const alarms = apis.map((logicalId) => ({
        serverErrors: alarmsOn(json, 'AWS/ApiGateway', '5xx', 'ApiId', refersTo(logicalId)),
        clientErrorRate: alarmsOn(json, 'AWS/ApiGateway', '4xx', 'ApiId', refersTo(logicalId)),
        latency: alarmsOn(json, 'AWS/ApiGateway', 'Latency', 'ApiId', refersTo(logicalId)),
      }));

      // Assert
      expect(apis.length).toBeGreaterThan(0);
      for (const { serverErrors, clientErrorRate, latency } of alarms) {
        expect(serverErrors.length).toBeGreaterThan(0);
        // A rate: the 4xx count over the request count, in one expression.
        expect(clientErrorRate).toContainEqual(
          expect.objectContaining({
            Metrics: expect.arrayContaining([
              expect.objectContaining({ Expression: expect.stringMatching(/clientErrors \/ requests/) }),
            ]),
          }),
        );
        expect(
          metricsOf(clientErrorRate[0] ?? {})
            .map((metric) => metric.metricName)
            .sort(),
        ).toEqual(['4xx', 'Count']);
        expect(latency).toContainEqual(expect.objectContaining({ ExtendedStatistic: 'p95' }));
      }
    });

    it('when the stack has a queue, an alarm goes off as soon as one message waits in it', () => {
      // Arrange
      const { json } = synthesize('prod');

      // Act
      const queues = resourcesOfType(json, 'AWS::SQS::Queue').map(([logicalId]) => logicalId);
      const watching = queues.map((logicalId) =>
        alarmsOn(json, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', refersTo(logicalId)),
      );

      // Assert
      expect(queues.length).toBeGreaterThan(0);
      for (const alarms of watching) {
        expect(alarms).toContainEqual(
          expect.objectContaining({
            Threshold: 1,
            ComparisonOperator: 'GreaterThanOrEqualToThreshold',
            Statistic: 'Maximum',
          }),
        );
      }
    });

    it('when the stack has a schedule group, an alarm watches the schedules it dropped after every retry', () => {
      // Arrange
      const { json } = synthesize('prod');

      // Act
      const groups = resourcesOfType(json, 'AWS::Scheduler::ScheduleGroup');
      const watching = groups.map(([logicalId, group]) =>
        alarmsOn(
          json,
          'AWS/Scheduler',
          'InvocationDroppedCount',
          'ScheduleGroup',
          (value) => referenced(value) === logicalId || value === group.Properties.Name,
        ),
      );

      // Assert
      expect(groups.length).toBeGreaterThan(0);
      for (const alarms of watching) expect(alarms.length).toBeGreaterThan(0);
    });

    it('when the functions count work orders needing attention, failed customer messages and failed side effects, an alarm watches each count in their namespace', () => {
      // Arrange
      const { json } = synthesize('prod');
      const publishers = new Set(
        resourcesOfType(json, 'AWS::Lambda::Function').map(([, fn]) => {
          const variables = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables;
          return JSON.stringify([variables.POWERTOOLS_METRICS_NAMESPACE, variables.POWERTOOLS_SERVICE_NAME]);
        }),
      );

      // Act
      const unwatched = [...publishers].flatMap((publisher) => {
        const [namespace, service] = JSON.parse(publisher) as [string, string];
        return Object.values(operationalMetrics)
          .filter(
            (metricName) =>
              alarmsOn(json, namespace, metricName, 'service', (value) => value === service).filter(
                (alarm) => alarm.Threshold === 1 && alarm.Statistic === 'Sum',
              ).length === 0,
          )
          .map((metricName) => `${namespace}/${service} ${metricName}`);
      });

      // Assert
      expect(publishers.size).toBe(1);
      expect(unwatched).toEqual([]);
    });

    it("when an alarm changes state to ALARM, it tells the operators' topic, which is encrypted, refuses publishing without TLS and admits this account's alarms", () => {
      // Arrange
      const { json, stack } = synthesize('prod');
      const topicId = logicalIdOf(stack.observability.topic);

      // Act
      const alarms = resourcesOfType(json, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
      const topic = json.Resources[topicId];
      const [policy] = policyOn(json, 'AWS::SNS::TopicPolicy', 'Topics', topicId);
      const keyId = referenced(topic?.Properties?.KmsMasterKeyId) ?? '';
      const keyPolicy = json.Resources[keyId]?.Properties?.KeyPolicy as PolicyDocumentJson;

      // Assert
      expect(alarms.length).toBeGreaterThan(0);
      for (const alarm of alarms) {
        expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
        expect(alarm.TreatMissingData).toBe('notBreaching');
      }
      expect(json.Resources[keyId]?.Type).toBe('AWS::KMS::Key');
      expect(policy && deniesWithoutTls(policy)).toBe(true);
      expect(policy?.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        }),
      );
      expect(keyPolicy.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        }),
      );
    });

    it.each([
      ['prod', [prodAlarmEmail]],
      ['dev', []],
    ] as const)(
      "when the %s stack is given an alarm email (or not), the operators' topic emails %j",
      (stage, addresses) => {
        // Arrange
        const { json, stack } = synthesize(stage);
        const topicId = logicalIdOf(stack.observability.topic);

        // Act
        const emails = resourcesOfType(json, 'AWS::SNS::Subscription')
          .map(([, subscription]) => subscription.Properties)
          .filter((subscription) => referenced(subscription.TopicArn) === topicId)
          .map((subscription) => [subscription.Protocol, subscription.Endpoint]);

        // Assert
        expect(emails).toEqual(addresses.map((address) => ['email', address]));
      },
    );

    it('when the alarm email is not an address, synthesis refuses and says what to pass', () => {
      // Arrange
      const options = {
        stage: 'dev',
        bundling: false,
        outdir: temporaryOutdir('alarm-email'),
        context: { alarmEmail: 'the operators' },
      };

      // Act
      const act = () => createApp(options);

      // Assert
      expect(act).toThrow(ConfigurationError);
      expect(act).toThrow(/alarmEmail must be an email address, got "the operators"/);
    });
  });

  it.each(stages)(
    'when the %s stack is synthesized, it stays under the 500 resources CloudFormation accepts',
    (stage) => {
      // Arrange
      const { json } = synthesize(stage);

      // Act
      const resourceCount = Object.keys(json.Resources).length;

      // Assert
      expect(resourceCount).toBeLessThan(500);
    },
  );
});
