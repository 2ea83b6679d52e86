import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { keyringToStore } from '../../lambdas/domain/customer-pages/link-tokens.ts';
import { startPlatform } from '../../lib/local/platform.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    dynamodbEndpoint: string;
    stepFunctionsEndpoint: string;
    s3Endpoint: string;
    tableName: string;
    bucketName: string;
    identityJwk: string;
    paymentsWebhookSecret: string;
    /** The keys customer links are signed with, as stored (`{"kid","secret"}`). */
    customerLinkKeys: string;
  }
}

/** One local platform per test run (DynamoDB Local in memory); every test file talks to it. */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(join(tmpdir(), 'fsm-test-'));
  // The suite drives hundreds of writes a minute through single tenants (the authorization matrix,
  // fuzzing): the platform-wide limit stays off here, and limits.test.ts gives its tenants their own.
  process.env.TENANT_WRITES_PER_MINUTE ??= '0';
  const platform = await startPlatform({ port: 0, dataDir, inMemory: true, logLevel: 'ERROR' });
  project.provide('apiUrl', platform.url);
  project.provide('dynamodbEndpoint', platform.endpoints.dynamodb);
  project.provide('stepFunctionsEndpoint', platform.endpoints.stepFunctions);
  project.provide('s3Endpoint', platform.endpoints.s3);
  project.provide('tableName', platform.tableName);
  project.provide('bucketName', platform.bucketName);
  project.provide('identityJwk', JSON.stringify(platform.identity.privateJwk));
  project.provide('paymentsWebhookSecret', platform.paymentsWebhookSecret);
  project.provide('customerLinkKeys', JSON.stringify(keyringToStore(platform.customerLinkKeys)));
  return async () => {
    await platform.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
