/**
 * A local platform in this process for the benchmarks that look inside it (API overhead, cost):
 * DynamoDB Local in memory, no demo data, the probe installed before anything loads, and one
 * fresh tenant (the integration tests' fixture) with extra qualified technicians.
 */
import './bench-environment.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { createEntities, type Entities } from '../../lambdas/adapters/dynamodb/entities.ts';
import { localCredentials, localRegion } from '../../lib/local/emulators.ts';
import type { Platform } from '../../lib/local/platform.ts';
import { aTenant, fixtureWorkingHours, type TenantFixture } from '../fixtures/tenants.ts';
import { invocationLog } from './invocations.ts';
import { installProbe, observeTable } from './platform-probe.ts';

export interface Tokens {
  admin: string;
  dispatcher: string;
  /** One technician token per qualified technician, by technician id. */
  technicians: Record<string, string>;
}

export interface ApiResult<T> {
  status: number;
  body: T;
  ms: number;
}

export interface BenchPlatform {
  platform: Platform;
  tenant: TenantFixture;
  /** Qualified technicians: the fixture's own first, then the extra ones. */
  technicianIds: string[];
  tokens: Tokens;
  /** The table through a client of its own, which the probe does not count (waiting, reading totals). */
  unobserved: Entities;
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; benchRequest?: string },
  ): Promise<ApiResult<T>>;
  stop(): Promise<void>;
}

export async function startBenchPlatform(options: {
  consumedCapacity: boolean;
  extraTechnicians?: number;
}): Promise<BenchPlatform> {
  installProbe();
  const dataDir = await mkdtemp(join(tmpdir(), 'fsm-bench-'));
  const { startPlatform } = await import('../../lib/local/platform.ts');
  let platform: Platform;
  try {
    platform = await startPlatform({
      port: 0,
      dataDir,
      inMemory: true,
      seedDemoData: false,
      logLevel: 'ERROR',
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await platform.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  // A benchmark stopped with Ctrl-C still stops DynamoDB Local.
  const onSignal = (signal: NodeJS.Signals) => {
    void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const { entities } = await import('../../lambdas/adapters/dynamodb/entities.ts');
    observeTable(entities().documentClient, { consumedCapacity: options.consumedCapacity });
    const documentClient = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: platform.endpoints.dynamodb,
        region: localRegion,
        credentials: localCredentials,
      }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    const unobserved = createEntities(documentClient, platform.tableName);

    const tenant = await aTenant(unobserved);
    // The write limiter runs and is counted as in production, with a limit a benchmark's
    // hundreds of writes a minute from one tenant never reach.
    await unobserved.tenant
      .patch({ tenantId: tenant.tenantId })
      .set({ limits: { writesPerMinute: 1_000_000 } })
      .go();
    const at = new Date().toISOString();
    const extra = Array.from({ length: options.extraTechnicians ?? 0 }, () => `tec_${ulid()}`);
    await Promise.all(
      extra.map((technicianId, index) =>
        unobserved.technician
          .put({
            tenantId: tenant.tenantId,
            technicianId,
            name: `Technician ${index + 2}`,
            phone: `+1312555${String(1000 + index).padStart(4, '0')}`,
            skills: ['hvac', 'refrigerant'],
            workingHours: fixtureWorkingHours,
            createdAt: at,
            updatedAt: at,
          })
          .go(),
      ),
    );
    const technicianIds = [tenant.technicianId, ...extra];
    const issue = platform.identity.issue.bind(platform.identity);
    const tokens: Tokens = {
      admin: await issue({ role: 'admin', tenantId: tenant.tenantId }),
      dispatcher: await issue({ role: 'dispatcher', tenantId: tenant.tenantId }),
      technicians: Object.fromEntries(
        await Promise.all(
          technicianIds.map(
            async (technicianId) =>
              [
                technicianId,
                await issue({ role: 'technician', tenantId: tenant.tenantId, technicianId }),
              ] as const,
          ),
        ),
      ),
    };

    const api = async <T>(
      method: string,
      path: string,
      request: { token?: string; body?: unknown; benchRequest?: string } = {},
    ): Promise<ApiResult<T>> => {
      const started = performance.now();
      const response = await fetch(`${platform.url}${path}`, {
        method,
        headers: {
          ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
          ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(request.benchRequest ? { 'x-bench-request': request.benchRequest } : {}),
        },
        ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      });
      const text = await response.text();
      const ms = performance.now() - started;
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T, ms };
    };

    await invocationLog.quiet(100, 30_000);
    invocationLog.clear();
    return { platform, tenant, technicianIds, tokens, unobserved, api, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Visit starts no two work orders share on a technician: six a day two hours apart from 13:00Z
 * (07:00 or 08:00 in Chicago, inside the fixture's 06:00–20:00), from the day after tomorrow
 * by `now` (the local clock, when a benchmark moves it), spread over the technicians.
 */
export function visitSlots(
  technicianIds: readonly string[],
  now: () => Date = () => new Date(),
): () => { start: string; technicianId: string } {
  let taken = 0;
  return () => {
    const firstMorning = new Date(now().getTime() + 2 * 86_400_000).setUTCHours(13, 0, 0, 0);
    const technicianIndex = taken % technicianIds.length;
    const slot = Math.floor(taken / technicianIds.length);
    taken += 1;
    const hours = Math.floor(slot / 6) * 24 + (slot % 6) * 2;
    return {
      start: new Date(firstMorning + hours * 3_600_000).toISOString(),
      technicianId: technicianIds[technicianIndex]!,
    };
  };
}

/** Polls the work order's stored workflow state (through the unobserved client) until it is `state`. */
export async function workflowReaches(
  bench: BenchPlatform,
  workOrderId: string,
  state: string | ((current: Record<string, unknown>) => boolean),
  timeoutMs = 30_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, unknown> | undefined;
  while (Date.now() < deadline) {
    const { data } = await bench.unobserved.workOrder
      .get({ tenantId: bench.tenant.tenantId, workOrderId })
      .go({ consistent: true });
    last = (data ?? undefined) as Record<string, unknown> | undefined;
    if (last && (typeof state === 'string' ? last.workflowState === state : state(last))) return last;
    if (last && ['NeedsAttention', 'WorkOrderCancelled'].includes(String(last.workflowState))) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(
    `Work order ${workOrderId} did not reach ${String(state)}: workflow state ${String(last?.workflowState)}`,
  );
}
