import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createEntities, type Entities } from '../../lambdas/adapters/dynamodb/entities.ts';
import type { Role } from '../../lambdas/shared/roles.ts';
import { localCredentials, localRegion } from '../../lib/local/emulators.ts';
import { type Platform, startPlatform } from '../../lib/local/platform.ts';
import type { TenantFixture } from '../fixtures/tenants.ts';

export interface OwnPlatform {
  platform: Platform;
  /** The platform's table, for arranging and reading what the API does not show. */
  entities: Entities;
  /** Stops the platform and deletes its data. */
  stop(): Promise<void>;
}

/**
 * A platform of a test file's own, in memory and without demo data: for tests that move the
 * local clock, which belongs to the whole platform and would move every other test's.
 */
export async function startOwnPlatform(name: string): Promise<OwnPlatform> {
  const dataDir = await mkdtemp(join(tmpdir(), `fsm-${name}-`));
  const platform = await startPlatform({
    port: 0,
    dataDir,
    inMemory: true,
    seedDemoData: false,
    logLevel: 'ERROR',
  });
  const client = new DynamoDBClient({
    endpoint: platform.endpoints.dynamodb,
    region: localRegion,
    credentials: localCredentials,
  });
  const entities = createEntities(
    DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    platform.tableName,
  );
  return {
    platform,
    entities,
    stop: async () => {
      await platform.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A request to the platform's API with `token` as its bearer; the answer's body parsed as JSON when it has one. */
export async function callApi<T = Record<string, unknown>>(
  platform: Platform,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${platform.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A token of the platform's identity for `role` in the tenant; a technician's names the tenant's technician. */
export function tokenOfRole(platform: Platform, role: Role, tenant: TenantFixture) {
  return platform.identity.issue({
    role,
    tenantId: tenant.tenantId,
    ...(role === 'technician' ? { technicianId: tenant.technicianId } : {}),
  });
}
