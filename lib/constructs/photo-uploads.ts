import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { type ServiceFunction, tenantObjectsPrefix } from './functions.ts';

export interface PhotoUploadsProps {
  readonly bucket: Bucket;
  /** Checks and records each uploaded photo; invoked asynchronously, with its dead-letter queue. */
  readonly handler: ServiceFunction;
}

/**
 * Browser uploads arrive in the bucket without passing through the API: S3 sends each object
 * creation to EventBridge, and a rule invokes the photo function for keys under `tenants/`.
 * EventBridge instead of a bucket notification: that needs a custom-resource Lambda (with a
 * wildcard policy) to avoid a bucket ↔ permission cycle, and EventBridge takes a retry policy
 * and a dead-letter queue for the delivery itself.
 */
export class PhotoUploads extends Construct {
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: PhotoUploadsProps) {
    super(scope, id);
    const { bucket, handler } = props;
    if (!handler.deadLetterQueue)
      throw new Error(`${handler.node.path}: an event function needs its dead-letter queue`);

    // Set on the bucket resource itself: the L2 `eventBridgeEnabled` goes through a custom resource.
    (bucket.node.defaultChild as CfnBucket).addPropertyOverride(
      'NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled',
      true,
    );

    this.rule = new Rule(this, 'PhotoCreated', {
      description: 'Objects created under tenants/ in the photo bucket',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [bucket.bucketName] },
          object: { key: [{ prefix: tenantObjectsPrefix }] },
        },
      },
      targets: [
        new LambdaFunction(handler.function, {
          deadLetterQueue: handler.deadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
  }
}
