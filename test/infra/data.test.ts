import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { deriveTableDefinition } from '../../lambdas/adapters/dynamodb/table-definition.ts';
import { logicalIdOf, resourcesOfType, synthesize } from './synthesize.ts';

describe('Data', () => {
  describe('the table', () => {
    it('when synthesized, it has exactly the keys and GSIs derived from the entity models', () => {
      // Arrange
      const definition = deriveTableDefinition();
      const { json } = synthesize('dev');

      // Act
      const tables = resourcesOfType(json, 'AWS::DynamoDB::Table');

      // Assert
      expect(tables).toHaveLength(1);
      const properties = tables[0]?.[1].Properties as Record<string, unknown>;
      expect(properties.KeySchema).toEqual([
        { AttributeName: definition.partitionKey, KeyType: 'HASH' },
        { AttributeName: definition.sortKey, KeyType: 'RANGE' },
      ]);
      expect(properties.GlobalSecondaryIndexes).toEqual(
        definition.globalSecondaryIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: index.projection === 'keys_only' ? 'KEYS_ONLY' : 'ALL' },
        })),
      );
      const keyAttributes = [
        definition.partitionKey,
        definition.sortKey,
        ...definition.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
      ];
      expect(properties.AttributeDefinitions).toEqual(
        expect.arrayContaining(keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
      );
      expect(properties.AttributeDefinitions).toHaveLength(new Set(keyAttributes).size);
    });

    it("when synthesized, the work order's five indexes hold keys only and the shared ones whole items", () => {
      // Arrange
      const { json } = synthesize('dev');

      // Act
      const tables = resourcesOfType(json, 'AWS::DynamoDB::Table');

      // Assert
      const properties = (tables[0]?.[1].Properties ?? {}) as Record<string, unknown>;
      const indexes = properties.GlobalSecondaryIndexes as {
        IndexName: string;
        Projection: { ProjectionType: string };
      }[];
      expect(
        Object.fromEntries(indexes.map((index) => [index.IndexName, index.Projection.ProjectionType])),
      ).toEqual({
        gsi1: 'ALL',
        gsi2: 'ALL',
        gsi3: 'ALL',
        gsi4: 'KEYS_ONLY',
        gsi5: 'KEYS_ONLY',
        gsi6: 'KEYS_ONLY',
        gsi7: 'KEYS_ONLY',
        gsi8: 'KEYS_ONLY',
      });
    });

    it('when synthesized, it is on demand, point-in-time recoverable, encrypted and expires items by TTL', () => {
      // Arrange
      const { template } = synthesize('dev');

      // Act & Assert
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: {
          AttributeName: deriveTableDefinition().timeToLiveAttribute,
          Enabled: true,
        },
        SSESpecification: { SSEEnabled: true },
      });
    });

    it('when the stage is prod, it is protected against deletion and retained', () => {
      // Arrange
      const { template } = synthesize('prod');

      // Act & Assert
      template.hasResource('AWS::DynamoDB::Table', {
        Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    it('when the stage is dev, it is neither protected nor retained', () => {
      // Arrange
      const { template } = synthesize('dev');

      // Act & Assert
      template.hasResource('AWS::DynamoDB::Table', {
        Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
        DeletionPolicy: 'Delete',
      });
    });
  });

  describe('the photo bucket', () => {
    it('when synthesized, it blocks public access, is encrypted and versioned, and logs access to the log bucket', () => {
      // Arrange
      const { template, stack } = synthesize('dev');

      // Act & Assert
      template.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: { Ref: logicalIdOf(stack.data.accessLogBucket) } },
      });
    });

    it('when synthesized, every bucket policy denies requests without TLS', () => {
      // Arrange
      const { json, stack } = synthesize('dev');
      const bucketIds = [logicalIdOf(stack.data.bucket), logicalIdOf(stack.data.accessLogBucket)];

      // Act
      const deniedBuckets = resourcesOfType(json, 'AWS::S3::BucketPolicy')
        .filter(([, policy]) => {
          const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
            .Statement;
          return statements.some(
            (statement) =>
              statement.Effect === 'Deny' &&
              JSON.stringify(statement.Condition) ===
                JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
          );
        })
        .map(([, policy]) => (policy.Properties.Bucket as { Ref: string }).Ref);

      // Assert
      expect(deniedBuckets.sort()).toEqual(bucketIds.sort());
    });

    it('when synthesized, it accepts browser uploads by CORS from the configured origins', () => {
      // Arrange
      const { template } = synthesize('prod');

      // Act & Assert
      template.hasResourceProperties('AWS::S3::Bucket', {
        CorsConfiguration: {
          CorsRules: [
            Match.objectLike({
              AllowedMethods: ['POST', 'PUT', 'GET'],
              AllowedOrigins: ['https://office.field-service.example'],
            }),
          ],
        },
      });
    });

    it('when synthesized, its lifecycle aborts stale uploads, expires old versions and moves old photos to IA', () => {
      // Arrange
      const { template } = synthesize('dev');

      // Act & Assert
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
              Status: 'Enabled',
            }),
            Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' }),
            Match.objectLike({
              Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 90 }],
              Status: 'Enabled',
            }),
          ]),
        },
      });
    });

    it('when the stage is prod, the buckets are retained with the stack gone', () => {
      // Arrange
      const { json } = synthesize('prod');

      // Act
      const policies = resourcesOfType(json, 'AWS::S3::Bucket').map(([, bucket]) => bucket.DeletionPolicy);

      // Assert
      expect(policies).toEqual(['Retain', 'Retain']);
    });
  });
});
