import { Duration } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { TableDefinition } from '../../lambdas/adapters/dynamodb/table-definition.ts';
import { isProduction, removalPolicyFor, type Stage } from './stage.ts';

export interface DataProps {
  readonly stage: Stage;
  /** Keys and indexes, derived from the entity models so the table and the code cannot drift. */
  readonly tableDefinition: TableDefinition;
  /** Origins of the web clients that upload photos straight to the bucket. */
  readonly allowedOrigins: readonly string[];
}

/** Requests over older TLS are refused by the buckets' policies, as well as plain HTTP. */
const minimumTLSVersion = 1.2;

/** How long browsers may cache the bucket's answer to a CORS preflight. */
const corsPreflightCacheSeconds = 3_000;

/**
 * The single table and the bucket for photos, signatures and PDFs. Production data is retained
 * and protected against deletion; a dev stack removes its table with it.
 */
export class Data extends Construct {
  readonly table: Table;
  /** The names of the table's global secondary indexes, for grants scoped to each index. */
  readonly indexNames: readonly string[];
  readonly bucket: Bucket;
  readonly accessLogBucket: Bucket;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const { stage, tableDefinition } = props;
    const production = isProduction(stage);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: tableDefinition.timeToLiveAttribute,
      // The AWS managed key (aws/dynamodb): every use of it is in CloudTrail, with no key to run.
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: production,
      removalPolicy: removalPolicyFor(stage),
    });
    // DynamoDB allows 20 GSIs per table, and one CloudFormation update may create or delete only
    // one GSI: a deployed table would move to another index set one index per deploy (a projection
    // change is a delete and a create); before the first release the table is simply created anew.
    for (const index of tableDefinition.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: index.projection === 'keys_only' ? ProjectionType.KEYS_ONLY : ProjectionType.ALL,
      });
    }
    this.indexNames = tableDefinition.globalSecondaryIndexes.map((index) => index.indexName);

    // The destination of the photo bucket's access logs; it logs nothing of its own (a loop).
    this.accessLogBucket = new Bucket(this, 'AccessLogBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion,
      removalPolicy: removalPolicyFor(stage),
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(production ? 365 : 30) }],
    });

    this.bucket = new Bucket(this, 'PhotoBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion,
      versioned: true,
      removalPolicy: removalPolicyFor(stage),
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'photos/',
      cors: [
        {
          // Presigned POST from the SPA and the mobile web views; PUT for presigned URLs, GET to show them.
          allowedMethods: [HttpMethods.POST, HttpMethods.PUT, HttpMethods.GET],
          allowedOrigins: [...props.allowedOrigins],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: corsPreflightCacheSeconds,
        },
      ],
      lifecycleRules: [
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'ExpireReplacedVersions', noncurrentVersionExpiration: Duration.days(30) },
        {
          // Photos of finished jobs are rarely opened again, but must stay for the customer history.
          id: 'MoveOldObjectsToInfrequentAccess',
          transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) }],
        },
      ],
    });
  }
}
