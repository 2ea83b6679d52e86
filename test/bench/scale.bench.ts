/**
 * Scale: the dispatch board and the work-order lists of one tenant with 1,000, 10,000 and
 * 100,000 work orders in a fresh in-memory DynamoDB Local. The work orders (and the `created`
 * audit event each has) are written with BatchWriteItem through the ElectroDB entities, as the
 * store keeps them. A fixed part — the coming two weeks (40 visits a day, the first one the
 * board day), 100 unscheduled calls, one customer's 10 past jobs — is written first; then the
 * table grows with history, 40 closed visits a day going back. Each query runs through the store
 * (or the board's use case) SCALE_ROUNDS times at every size: latency, read units consumed
 * (ReturnConsumedCapacity) and queries sent per page. A page should cost the same whatever
 * the table holds. Prints one JSON object.
 *
 *     npx tsx test/bench/scale.bench.ts                  # SCALE_ITEMS=100000
 *     SCALE_ITEMS=5000 SCALE_ROUNDS=5 npx tsx test/bench/scale.bench.ts
 */
import './bench-environment.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { createEntities, type Entities } from '../../lambdas/adapters/dynamodb/entities.ts';
import { DynamoTechnicianStore } from '../../lambdas/adapters/dynamodb/technician-store.ts';
import { DynamoWorkOrderStore } from '../../lambdas/adapters/dynamodb/work-order-store.ts';
import { dispatchBoard } from '../../lambdas/domain/scheduling/dispatch-board.ts';
import type { Actor } from '../../lambdas/domain/shared/actor.ts';
import type { WorkOrder, WorkOrderStatus } from '../../lambdas/domain/work-orders/work-order.ts';
import { ensureTable, localCredentials, localRegion, startDynamoDbLocal } from '../../lib/local/emulators.ts';
import { fixtureWorkingHours } from '../fixtures/tenants.ts';
import { numberFromEnv, p50p99, round } from './bench-stats.ts';
import { invocationLog } from './invocations.ts';
import { observeTable } from './platform-probe.ts';
import { seededRandom } from './seeded-random.ts';

const ITEMS = numberFromEnv('SCALE_ITEMS', 100_000);
const ROUNDS = numberFromEnv('SCALE_ROUNDS', 20);
const WRITE_CONCURRENCY = numberFromEnv('SCALE_WRITE_CONCURRENCY', 8);
const CHECKPOINTS = [...new Set([...[1_000, 10_000, 100_000].filter((size) => size < ITEMS), ITEMS])].sort(
  (a, b) => a - b,
);
const SEED = 20_270_310;
const PAGE = 50;

const tenantId = 'ten_scale';
const technicianIds = Array.from({ length: 10 }, (_, index) => `tec_SCALE${String(index).padStart(21, '0')}`);
const boardDay = '2027-03-10';
const regularCustomer = 'cus_SCALE000000000000000000000';
const office: Actor = { tenantId, id: 'bench-dispatcher', role: 'dispatcher' };
const dayMs = 86_400_000;

/** What a closed day of the past holds: most work paid, some cancelled, a little still open. */
const historyStatuses: [WorkOrderStatus, number][] = [
  ['paid', 0.85],
  ['cancelled', 0.07],
  ['invoiced', 0.05],
  ['completed', 0.03],
];
const visitsPerDay = 40;
const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);

interface Shape {
  day?: string;
  status: WorkOrderStatus;
  technicianId?: string;
  customerId?: string;
}

/** Work orders and their `created` events as the store writes them, in the shapes asked for. */
function workOrderFactory(random: () => number) {
  return ({ day, status, technicianId, customerId: customer }: Shape) => {
    // Created a few days before the visit (the unscheduled ones: a few days before the board day).
    const created =
      Date.parse(`${day ?? boardDay}T12:00:00Z`) -
      (1 + Math.floor(random() * 5)) * dayMs -
      Math.floor(random() * dayMs);
    const customerId = customer ?? `cus_SCALE${String(1 + Math.floor(random() * 20_000)).padStart(21, '0')}`;
    const at = new Date(created).toISOString();
    const done = ['completed', 'invoiced', 'paid'].includes(status);
    const start = day
      ? `${day}T${String(13 + Math.floor(random() * 9)).padStart(2, '0')}:00:00.000Z`
      : undefined;
    const workOrder = {
      tenantId,
      workOrderId: `wo_${ulid(created)}`,
      customerId,
      locationId: customerId.replace('cus_', 'loc_'),
      serviceTypeId: 'svc_SCALE000000000000000000001',
      description:
        'AC is blowing warm air upstairs; the unit is about 15 years old and was serviced last spring',
      priority: random() < 0.1 ? 'emergency' : 'routine',
      status,
      accessNotes: 'Gate code 1234, dog in the yard',
      estimatedMinutes: 90,
      durationBasis: 'service type',
      requiredSkills: ['hvac'],
      workflowState: done ? 'Closed' : 'AwaitFieldWork',
      workflowStateSince: at,
      createdBy: 'bench-dispatcher',
      version: done ? 14 : 4,
      createdAt: at,
      updatedAt: at,
      ...(start && technicianId
        ? {
            scheduledStart: start,
            scheduledEnd: new Date(Date.parse(start) + 90 * 60_000).toISOString(),
            scheduledDate: day,
            confirmedStart: start,
            technicianId,
          }
        : {}),
      ...(done
        ? {
            noteCount: 2,
            laborMinutes: 90,
            completedAt: at,
            summary:
              'Replaced the failed run capacitor (45/5 µF) on the condenser, cleaned the coil and checked the refrigerant charge; the system cools to 21 °C. Recommended replacing the condenser within two years.',
            signature: { signerName: 'Pat Doe', signedAt: at, summaryHash: 'a'.repeat(64) },
            invoiceId: `inv_${ulid(created)}`,
          }
        : {}),
    } as WorkOrder;
    // As the store writes a work order: the index keys it has no value for yet are `-`.
    const item = {
      ...workOrder,
      locationId: workOrder.locationId ?? '-',
      technicianId: workOrder.technicianId ?? '-',
      scheduledStart: workOrder.scheduledStart ?? '-',
      scheduledDate: workOrder.scheduledDate ?? '-',
    };
    const event = {
      tenantId,
      workOrderId: workOrder.workOrderId,
      eventId: `evt_${ulid(created)}`,
      action: 'created',
      actorId: 'bench-dispatcher',
      actorRole: 'dispatcher' as const,
      at,
      changes: { status: { after: 'new' } },
    };
    return { item, event };
  };
}

/**
 * The part that stays while the table grows: the coming two weeks (four visits a technician a
 * day; the board day's half dispatched), 100 unscheduled calls and one customer's ten past jobs.
 */
function fixedShapes(): Shape[] {
  const coming = Array.from({ length: 14 }, (_, offset) => addDays(boardDay, offset)).flatMap((day, offset) =>
    Array.from(
      { length: visitsPerDay },
      (_, visit): Shape => ({
        day,
        technicianId: technicianIds[visit % technicianIds.length]!,
        status: offset === 0 && visit % 2 === 1 ? 'dispatched' : 'scheduled',
      }),
    ),
  );
  const unscheduled = Array.from({ length: 100 }, (): Shape => ({ status: 'new' }));
  const regular = Array.from(
    { length: 10 },
    (_, job): Shape => ({
      day: addDays(boardDay, -30 * (job + 1)),
      technicianId: technicianIds[job % technicianIds.length]!,
      customerId: regularCustomer,
      status: 'paid',
    }),
  );
  return [...coming, ...unscheduled, ...regular];
}

/** The growing part: history, 40 visits a day going back from the day before the board day. */
function historyShape(random: () => number, index: number): Shape {
  const draw = random();
  let cumulative = 0;
  const status =
    historyStatuses.find(([, share]) => {
      cumulative += share;
      return draw < cumulative;
    })?.[0] ?? 'paid';
  return {
    day: addDays(boardDay, -1 - Math.floor(index / visitsPerDay)),
    technicianId: technicianIds[index % technicianIds.length]!,
    status,
  };
}

/** Writes with BatchWriteItem, WRITE_CONCURRENCY batches at a time, until nothing is left unprocessed. */
async function writeAll<T>(items: T[], put: (items: T[]) => Promise<{ unprocessed: unknown[] }>) {
  let pending = items;
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    if (attempt > 5) throw new Error(`${pending.length} items stayed unprocessed`);
    const { unprocessed } = await put(pending);
    pending = unprocessed as T[];
  }
}

async function write(entities: Entities, records: ReturnType<ReturnType<typeof workOrderFactory>>[]) {
  const options = { concurrency: WRITE_CONCURRENCY };
  await writeAll(
    records.map((record) => record.item),
    (items) => entities.workOrder.put(items).go(options),
  );
  await writeAll(
    records.map((record) => record.event),
    (items) => entities.workOrderEvent.put(items).go(options),
  );
}

/** Follows the cursor to the end (at most 1,000 pages); resolves with the items found. */
async function everyPage(read: (cursor?: string) => Promise<{ items: unknown[]; nextCursor?: string }>) {
  let found = 0;
  let cursor: string | undefined;
  for (let page = 0; page < 1_000; page += 1) {
    const result = await read(cursor);
    found += result.items.length;
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return found;
}

interface QueryFigures {
  latencyMs: { p50: number; p99: number };
  readUnitsPerCall: number;
  queriesPerCall: number;
  items: number;
}

async function measure(run: () => Promise<number>): Promise<QueryFigures> {
  // Warm-up: connections, and DynamoDB Local's JIT, which would otherwise slow the smallest table only.
  for (let warmUp = 0; warmUp < 3; warmUp += 1) await run();
  const times: number[] = [];
  let units = 0;
  let queries = 0;
  let items = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    invocationLog.clear();
    const started = performance.now();
    items = await run();
    times.push(performance.now() - started);
    for (const call of invocationLog.outside.storage) {
      units += call.readUnits;
      queries += 1;
    }
  }
  return {
    latencyMs: p50p99(times),
    readUnitsPerCall: round(units / ROUNDS, 1),
    queriesPerCall: round(queries / ROUNDS, 1),
    items,
  };
}

async function main() {
  const database = await startDynamoDbLocal({ inMemory: true });
  const stop = async () => database.stop();
  const onSignal = () => void stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const tableName = 'field-service-scale';
    await ensureTable(database.endpoint, tableName);
    const documentClient = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: database.endpoint, region: localRegion, credentials: localCredentials }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    observeTable(documentClient, { consumedCapacity: true });
    const entities = createEntities(documentClient, tableName);
    const store = new DynamoWorkOrderStore(entities);
    const technicians = new DynamoTechnicianStore(entities);
    const at = new Date().toISOString();
    await entities.tenant
      .put({
        tenantId,
        name: 'Scale Heating & Air',
        timeZone: 'America/Chicago',
        currency: 'USD',
        country: 'US',
        createdAt: at,
        updatedAt: at,
      })
      .go();
    await Promise.all(
      technicianIds.map((technicianId, index) =>
        entities.technician
          .put({
            tenantId,
            technicianId,
            name: `Technician ${index + 1}`,
            skills: ['hvac', 'refrigerant'],
            workingHours: fixtureWorkingHours,
            createdAt: at,
            updatedAt: at,
          })
          .go(),
      ),
    );

    const random = seededRandom(SEED);
    const build = workOrderFactory(random);
    const fixed = fixedShapes();
    if (fixed.length > CHECKPOINTS[0]!) throw new Error(`SCALE_ITEMS must be at least ${fixed.length}`);

    /** The queries, afresh for each table size (the second page's cursor is read once per size). */
    const queriesForSize = (): Record<string, () => Promise<number>> => {
      let secondPage: string | undefined;
      return {
        'dispatch board (one day, 40 visits, 10 technicians)': async () => {
          const board = await dispatchBoard({ workOrders: store, technicians }, office, boardDay);
          return board.unassigned.length + board.lanes.reduce((sum, lane) => sum + lane.workOrders.length, 0);
        },
        [`list by status (paid), first page of ${PAGE}`]: async () =>
          (await store.list({ tenantId, status: 'paid' }, { limit: PAGE })).items.length,
        [`list by status (scheduled), second page of ${PAGE}`]: async () => {
          secondPage ??= (await store.list({ tenantId, status: 'scheduled' }, { limit: PAGE })).nextCursor;
          if (!secondPage) return 0;
          return (await store.list({ tenantId, status: 'scheduled' }, { limit: PAGE, cursor: secondPage }))
            .items.length;
        },
        'customer history (10 jobs)': async () =>
          (await store.list({ tenantId, customerId: regularCustomer }, { limit: PAGE })).items.length,
        'technician visits over 14 days (slots, technician schedule)': async () =>
          (
            await store.visitsOf(
              tenantId,
              technicianIds[0]!,
              `${boardDay}T00:00:00.000Z`,
              '2027-03-24T00:00:00.000Z',
            )
          ).length,
        // A technician's days are a key range on their index; the status index does not key days,
        // so a page holds what matched among the work orders read and the client follows the cursor.
        "a technician's own list for one day, every page (technician index, day keyed)": async () =>
          everyPage((cursor) =>
            store.list(
              { tenantId, technicianId: technicianIds[0]!, from: boardDay, to: boardDay },
              { limit: PAGE, ...(cursor ? { cursor } : {}) },
            ),
          ),
        'list by status (scheduled) within one week, every page (status index, days filtered)': async () =>
          everyPage((cursor) =>
            store.list(
              { tenantId, status: 'scheduled', from: boardDay, to: '2027-03-16' },
              { limit: PAGE, ...(cursor ? { cursor } : {}) },
            ),
          ),
      };
    };

    const sizes: Record<string, { writeSeconds: number; queries: Record<string, QueryFigures> }> = {};
    let written = 0;
    let history = 0;
    for (const size of CHECKPOINTS) {
      const started = performance.now();
      while (written < size) {
        const count = Math.min(2_500, size - written);
        const shapes = fixed.slice(written, written + count);
        while (shapes.length < count) shapes.push(historyShape(random, history++));
        await write(entities, shapes.map(build));
        written += count;
        invocationLog.clear();
      }
      const writeSeconds = round((performance.now() - started) / 1000, 1);
      const figures: Record<string, QueryFigures> = {};
      for (const [name, run] of Object.entries(queriesForSize())) figures[name] = await measure(run);
      sizes[String(size)] = { writeSeconds, queries: figures };
    }

    const smallest = sizes[String(CHECKPOINTS[0])]!;
    const largest = sizes[String(CHECKPOINTS.at(-1))]!;
    const growth = Object.fromEntries(
      Object.keys(largest.queries).map((name) => {
        const from = smallest.queries[name]!;
        const to = largest.queries[name]!;
        const unitsRatio =
          from.readUnitsPerCall > 0 ? round(to.readUnitsPerCall / from.readUnitsPerCall, 2) : null;
        const latencyRatio = from.latencyMs.p50 > 0 ? round(to.latencyMs.p50 / from.latencyMs.p50, 2) : null;
        return [
          name,
          {
            readUnitsRatio: unitsRatio,
            latencyP50Ratio: latencyRatio,
            dependsOnPageOnly: (unitsRatio ?? 1) <= 1.5,
          },
        ];
      }),
    );
    process.stdout.write(
      `${JSON.stringify(
        {
          benchmark: 'scale',
          node: process.version,
          workOrders: ITEMS,
          checkpoints: CHECKPOINTS,
          rounds: ROUNDS,
          itemsWritten: 'each work order and its created event (BatchWriteItem)',
          sizes,
          growthFromSmallestToLargest: growth,
          growingWithTable: Object.entries(growth)
            .filter(([, figures]) => !figures.dependsOnPageOnly)
            .map(([name]) => name),
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await stop();
  }
}

await main();
