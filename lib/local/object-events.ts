import { setTimeout as sleep } from 'node:timers/promises';
import type { S3Event } from 'aws-lambda';
import type { S3Local, S3LocalEvent } from './emulators.ts';
import { type LambdaHandler, lambdaContext } from './gateway.ts';

/** As S3 writes keys in event notifications: URL-encoded per segment, `+` for spaces. */
const encodeKey = (key: string) =>
  key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replaceAll('%20', '+'))
    .join('/');

/** The S3 event notification AWS would deliver for one object s3rver has stored. */
export function toS3Event(record: S3LocalEvent['Records'][number], region: string): S3Event {
  const { bucket, object } = record.s3;
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: region,
        eventTime: new Date().toISOString(),
        eventName: record.eventName,
        userIdentity: { principalId: 'local' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'local', 'x-amz-id-2': 'local' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'local-object-created',
          bucket: {
            name: bucket.name,
            ownerIdentity: { principalId: 'local' },
            arn: `arn:aws:s3:::${bucket.name}`,
          },
          object: {
            key: encodeKey(object.key),
            size: object.size ?? 0,
            eTag: object.eTag ?? '',
            sequencer: Date.now().toString(16).toUpperCase(),
          },
        },
      },
    ],
  };
}

/**
 * What the bucket notification does in AWS: every object created under `prefix` is handed to
 * the handler as an asynchronous invocation (two retries, as Lambda makes, then logged).
 * `drain` waits for the invocations in flight, so stopping never cuts one in half.
 */
export function forwardObjectCreated(
  s3: S3Local,
  options: { prefix: string; region: string; functionName: string; handler: LambdaHandler },
): { drain(): Promise<void> } {
  const inFlight = new Set<Promise<void>>();
  const invoke = async (event: S3Event) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await options.handler(event as never, lambdaContext(options.functionName, 30_000));
        return;
      } catch (error) {
        if (attempt >= 3) {
          console.error(`${options.functionName} failed for ${event.Records[0]?.s3.object.key}:`, error);
          return;
        }
        await sleep(200 * attempt);
      }
    }
  };
  s3.onEvent((notification) => {
    for (const record of notification.Records) {
      if (!record.eventName.startsWith('ObjectCreated:') || !record.s3.object.key.startsWith(options.prefix))
        continue;
      const running = invoke(toS3Event(record, options.region));
      inFlight.add(running);
      void running.finally(() => inFlight.delete(running));
    }
  });
  return {
    drain: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
