import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createEntities, type Entities } from '../../lambdas/adapters/dynamodb/entities.ts';
import type { Role } from '../../lambdas/shared/roles.ts';
import { localCredentials, localRegion } from '../../lib/local/emulators.ts';
import { LocalIdentity } from '../../lib/local/local-identity.ts';

/** Direct access to the platform's table, for arranging data and checking what was (not) written. */
export function tableEntities(): Entities {
  const client = new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    region: localRegion,
    credentials: localCredentials,
  });
  return createEntities(
    DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    inject('tableName'),
  );
}

let identity: Promise<LocalIdentity> | undefined;

/** A token signed by the platform's local identity key, as `npm run token` makes. */
export async function tokenFor(
  role: Role,
  tenantId: string,
  extra: { technicianId?: string; expiresIn?: string; subject?: string } = {},
) {
  identity ??= LocalIdentity.fromJwk(JSON.parse(inject('identityJwk')));
  return (await identity).issue({ role, tenantId, ...extra });
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** Real HTTP against the running local gateway. */
export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  const response = await fetch(`${inject('apiUrl')}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(hasBody ? { body: options.rawBody ?? JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

export async function describeExecution(executionName: string) {
  const client = new SFNClient({
    endpoint: inject('stepFunctionsEndpoint'),
    region: localRegion,
    credentials: localCredentials,
  });
  try {
    return await client.send(
      new DescribeExecutionCommand({
        executionArn: `arn:aws:states:${localRegion}:000000000000:execution:work-order-local:${executionName}`,
      }),
    );
  } finally {
    client.destroy();
  }
}

/** Polls until `check` returns a value, failing with the last observation after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}
