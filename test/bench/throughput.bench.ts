/**
 * Throughput: the local platform started as `npm start` starts it (bin/local.ts, its own port
 * and data folder, DynamoDB Local on disk) in a child process, and a mixed workload from this
 * process over loopback: THROUGHPUT_CONCURRENCY office-and-field sessions, each taking work
 * orders through their day — create, schedule, dispatch, en route, arrived, in progress, note,
 * labor, complete — with a look at the dispatch board every third step. The sessions are spread
 * over THROUGHPUT_TENANTS tenants (one each by default), since each tenant's writes are
 * rate-limited (TENANT_WRITES_PER_MINUTE, passed through); a 429 counts as an error and is
 * reported as throttled too. Bounded in time
 * (DURATION_S) and in requests (THROUGHPUT_MAX_REQUESTS); each request times out after 10 s.
 * Reports requests per second, p50/p99 and the errors by operation and status. Prints one JSON
 * object.
 *
 *     npx tsx test/bench/throughput.bench.ts                 # 60 s, 8 sessions
 *     DURATION_S=10 THROUGHPUT_CONCURRENCY=4 npx tsx test/bench/throughput.bench.ts
 */
import './bench-environment.ts';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { createEntities, type Entities } from '../../lambdas/adapters/dynamodb/entities.ts';
import { localCredentials, localRegion } from '../../lib/local/emulators.ts';
import { freePort } from '../../lib/local/free-port.ts';
import { LocalIdentity } from '../../lib/local/local-identity.ts';
import { aTenant, fixtureWorkingHours, type TenantFixture } from '../fixtures/tenants.ts';
import { numberFromEnv, p50p99, round } from './bench-stats.ts';
import { node24, projectRoot } from './node-binary.ts';

const DURATION_S = numberFromEnv('DURATION_S', 60);
const CONCURRENCY = numberFromEnv('THROUGHPUT_CONCURRENCY', 8);
const MAX_REQUESTS = numberFromEnv('THROUGHPUT_MAX_REQUESTS', 100_000);
/** Offices the sessions are spread over: each tenant's writes are limited (TENANT_WRITES_PER_MINUTE). */
const TENANTS = numberFromEnv('THROUGHPUT_TENANTS', CONCURRENCY);
const TECHNICIANS = 20;
const REQUEST_TIMEOUT_MS = 10_000;

interface Started {
  child: ChildProcess;
  url: string;
  dynamodbEndpoint: string;
  dataDir: string;
}

/** `npm start` in a child process; resolves once it prints that it runs. */
async function startPlatformProcess(): Promise<Started> {
  const dataDir = await mkdtemp(join(tmpdir(), 'fsm-throughput-'));
  const port = await freePort();
  const child = spawn(node24(), ['--import', 'tsx', 'bin/local.ts'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  const ready = new Promise<Started>((resolve, reject) => {
    const exitedEarly = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`The platform exited (${code}) before it ran: ${errors || output}`));
    };
    const timer = setTimeout(() => {
      child.off('exit', exitedEarly);
      reject(new Error(`The platform did not start within 180 s: ${errors}`));
    }, 180_000);
    child.once('exit', exitedEarly);
    const readBanner = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /running at (http:\/\/\S+)/.exec(output)?.[1];
      const dynamodbEndpoint = /DynamoDB Local (http:\/\/\S+)/.exec(output)?.[1];
      if (!url || !dynamodbEndpoint) return;
      clearTimeout(timer);
      child.off('exit', exitedEarly);
      // What the platform prints from now on (its errors) is drained, not kept.
      child.stdout?.off('data', readBanner);
      child.stdout?.resume();
      resolve({ child, url, dynamodbEndpoint, dataDir });
    };
    child.stdout?.on('data', readBanner);
  });
  try {
    return await ready;
  } catch (error) {
    await stopPlatformProcess({ child, url: '', dynamodbEndpoint: '', dataDir });
    throw error;
  }
}

/** Stops the child as Ctrl-C would; if it does not stop, kills it and the DynamoDB Local it left. */
async function stopPlatformProcess(started: Started): Promise<void> {
  const { child, dataDir } = started;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), 20_000);
    });
    const outcome = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  }
  const pid = Number(await readFile(join(dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8').catch(() => ''));
  if (Number.isInteger(pid) && pid > 0) {
    const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (commandLine.includes('DynamoDBLocal')) process.kill(pid, 'SIGKILL');
  }
  await rm(dataDir, { recursive: true, force: true });
}

/** One tenant's office: its fixture, tokens, and visit slots that never collide. */
interface Office {
  tenant: TenantFixture;
  dispatcher: string;
  technicianTokens: Record<string, string>;
  nextSlot(): { technicianId: string; start: string };
}

/** A tenant arranged straight in the platform's table, as the integration tests do, with 20 technicians. */
async function arrangeOffice(entities: Entities, identity: LocalIdentity): Promise<Office> {
  const tenant = await aTenant(entities);
  const at = new Date().toISOString();
  const technicianIds = [
    tenant.technicianId,
    ...Array.from({ length: TECHNICIANS - 1 }, () => `tec_${ulid()}`),
  ];
  await Promise.all(
    technicianIds.slice(1).map((technicianId, index) =>
      entities.technician
        .put({
          tenantId: tenant.tenantId,
          technicianId,
          name: `Technician ${index + 2}`,
          skills: ['hvac', 'refrigerant'],
          workingHours: fixtureWorkingHours,
          createdAt: at,
          updatedAt: at,
        })
        .go(),
    ),
  );
  const firstMorning = new Date(Date.now() + 2 * 86_400_000).setUTCHours(13, 0, 0, 0);
  let slotsTaken = 0;
  return {
    tenant,
    dispatcher: await identity.issue({ role: 'dispatcher', tenantId: tenant.tenantId }),
    technicianTokens: Object.fromEntries(
      await Promise.all(
        technicianIds.map(
          async (technicianId) =>
            [
              technicianId,
              await identity.issue({ role: 'technician', tenantId: tenant.tenantId, technicianId }),
            ] as const,
        ),
      ),
    ),
    /** Six visits a day per technician, two hours apart, never the same twice. */
    nextSlot: () => {
      const technicianId = technicianIds[slotsTaken % technicianIds.length]!;
      const slot = Math.floor(slotsTaken / technicianIds.length);
      slotsTaken += 1;
      const hours = Math.floor(slot / 6) * 24 + (slot % 6) * 2;
      return { technicianId, start: new Date(firstMorning + hours * 3_600_000).toISOString() };
    },
  };
}

interface Outcome {
  operation: string;
  status: number | 'timeout' | 'network';
  ms: number;
}

async function main() {
  const started = await startPlatformProcess();
  const onSignal = () => void stopPlatformProcess(started).finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const entities = createEntities(
      DynamoDBDocumentClient.from(
        new DynamoDBClient({
          endpoint: started.dynamodbEndpoint,
          region: localRegion,
          credentials: localCredentials,
        }),
        { marshallOptions: { removeUndefinedValues: true } },
      ),
      'field-service-local',
    );
    const identity = await LocalIdentity.load(join(started.dataDir, 'identity-key.json'));
    const offices = await Promise.all(
      Array.from({ length: TENANTS }, () => arrangeOffice(entities, identity)),
    );

    const outcomes: Outcome[] = [];
    const deadline = performance.now() + DURATION_S * 1000;
    let budget = MAX_REQUESTS;
    let lifecyclesCompleted = 0;

    /** One request; false when the session should stop (time or budget spent) or the step failed. */
    const request = async (
      operation: string,
      method: string,
      path: string,
      token: string,
      body?: unknown,
    ) => {
      if (performance.now() >= deadline || budget <= 0) return undefined;
      budget -= 1;
      const begun = performance.now();
      try {
        const response = await fetch(`${started.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await response.text();
        outcomes.push({ operation, status: response.status, ms: performance.now() - begun });
        if (response.status >= 300) return undefined;
        return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      } catch (error) {
        const status = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network';
        outcomes.push({ operation, status, ms: performance.now() - begun });
        return undefined;
      }
    };

    const session = async (office: Office) => {
      const { tenant, dispatcher } = office;
      while (performance.now() < deadline && budget > 0) {
        const slot = office.nextSlot();
        const technician = office.technicianTokens[slot.technicianId]!;
        const board = () =>
          request('board', 'GET', `/v1/dispatch-board?date=${slot.start.slice(0, 10)}`, dispatcher);
        const created = await request('create', 'POST', '/v1/work-orders', dispatcher, {
          customerId: tenant.customerId,
          locationId: tenant.locationId,
          serviceTypeId: tenant.serviceTypeId,
          description: 'AC is blowing warm air upstairs',
          priority: 'urgent',
        });
        if (!created) continue;
        const id = String(created.id);
        const steps: [string, string, unknown, string][] = [
          ['schedule', 'schedule', { start: slot.start }, dispatcher],
          ['dispatch', 'dispatch', { technicianId: slot.technicianId }, dispatcher],
          ['field status', 'field-status', { status: 'en_route' }, technician],
          ['field status', 'field-status', { status: 'arrived' }, technician],
          ['field status', 'field-status', { status: 'in_progress' }, technician],
          ['note', 'notes', { text: 'Capacitor failed; replaced it and tested' }, technician],
          ['labor', 'labor', { minutes: 90 }, technician],
          ['complete', 'complete', { noSignatureReason: 'Customer away; the tenant let us in' }, technician],
        ];
        let completed = true;
        for (const [index, [operation, verb, body, token]] of steps.entries()) {
          if (index % 3 === 0 && !(await board())) {
            completed = false;
            break;
          }
          if (!(await request(operation, 'POST', `/v1/work-orders/${id}/${verb}`, token, body))) {
            completed = false;
            break;
          }
        }
        if (completed) lifecyclesCompleted += 1;
      }
    };

    const begun = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, index) => session(offices[index % TENANTS]!)));
    const elapsedS = (performance.now() - begun) / 1000;

    const failures = outcomes.filter(
      (outcome) => typeof outcome.status !== 'number' || outcome.status >= 300,
    );
    const errorsByOperation: Record<string, Record<string, number>> = {};
    for (const { operation, status } of failures) {
      errorsByOperation[operation] ??= {};
      errorsByOperation[operation][String(status)] = (errorsByOperation[operation][String(status)] ?? 0) + 1;
    }
    const operations = [...new Set(outcomes.map((outcome) => outcome.operation))];
    process.stdout.write(
      `${JSON.stringify(
        {
          benchmark: 'throughput',
          node: process.version,
          durationS: round(elapsedS, 1),
          concurrency: CONCURRENCY,
          tenants: TENANTS,
          requests: outcomes.length,
          requestsPerSecond: round(outcomes.length / elapsedS, 1),
          latencyMs: p50p99(outcomes.map((outcome) => outcome.ms)),
          errors: failures.length,
          errorsByOperation,
          lifecyclesCompleted,
          byOperation: Object.fromEntries(
            operations.map((operation) => {
              const mine = outcomes.filter((outcome) => outcome.operation === operation);
              return [
                operation,
                { requests: mine.length, latencyMs: p50p99(mine.map((outcome) => outcome.ms)) },
              ];
            }),
          ),
          throttled: failures.filter((outcome) => outcome.status === 429).length,
          goal: '0 errors',
          meetsGoal: failures.length === 0,
          stoppedBy: budget <= 0 ? 'request budget' : 'time',
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await stopPlatformProcess(started);
  }
}

await main();
