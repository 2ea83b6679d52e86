import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndexDescription,
  ListTablesCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import S3rver from 's3rver';
import { createEntities } from '../../lambdas/adapters/dynamodb/entities.ts';
import { allModels } from '../../lambdas/adapters/dynamodb/models.ts';
import {
  deriveTableDefinition,
  type TableDefinition,
} from '../../lambdas/adapters/dynamodb/table-definition.ts';
import { freePort } from './free-port.ts';

/** Local credentials: DynamoDB Local takes any; s3rver checks signatures against these. */
export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const localRegion = 'us-east-1';

/**
 * A platform killed with SIGKILL leaves its DynamoDB Local running on the data folder; the
 * next start stops it first (only if that pid is still a DynamoDB Local).
 */
async function stopLeftover(pidFile: string): Promise<void> {
  const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
  if (!Number.isInteger(pid) || pid <= 0) return;
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!commandLine.includes('DynamoDBLocal')) return;
  process.kill(pid, 'SIGKILL');
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (!(await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''))) return;
    await sleep(100);
  }
}

export class JavaMissingError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found on PATH. ' +
        'Install it (Debian/Ubuntu: `sudo apt-get install -y default-jre-headless`) and start again.',
    );
  }
}

function javaVersion(): number | undefined {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  const match = /version "(\d+)/.exec(`${result.stderr}${result.stdout}`);
  return match ? Number(match[1]) : undefined;
}

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts the official DynamoDB Local (shipped in amplify-dynamodb-simulator's emulator folder)
 * on a free port, keeping its data in `dataDir` (or in memory), and waits until it answers.
 */
export async function startDynamoDbLocal(options: {
  dataDir?: string;
  inMemory?: boolean;
}): Promise<DynamoDbLocal> {
  const version = javaVersion();
  if (version === undefined) throw new JavaMissingError();
  if (version < 17) throw new Error(`DynamoDB Local needs Java 17 or newer; found Java ${version}.`);
  const emulator = join(
    dirname(createRequire(import.meta.url).resolve('amplify-dynamodb-simulator/package.json')),
    'emulator',
  );
  const port = await freePort();
  const storage = options.inMemory || !options.dataDir ? ['-inMemory'] : ['-dbPath', options.dataDir];
  const pidFile =
    options.dataDir && !options.inMemory ? join(options.dataDir, 'dynamodb-local.pid') : undefined;
  if (options.dataDir && !options.inMemory) await mkdir(options.dataDir, { recursive: true });
  if (pidFile) await stopLeftover(pidFile);
  const child: ChildProcess = spawn(
    'java',
    [
      '-Xms128m',
      '-Xmx1g',
      `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(emulator, 'DynamoDBLocal.jar'),
      '-port',
      String(port),
      '-disableTelemetry',
      ...storage,
    ],
    // DynamoDB Local writes a metadata file into its working directory: keep it out of the repo.
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      cwd: options.dataDir && !options.inMemory ? options.dataDir : tmpdir(),
    },
  );
  if (pidFile && child.pid) await writeFile(pidFile, String(child.pid));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: localRegion,
    credentials: localCredentials,
    maxAttempts: 1,
  });
  const stop = async () => {
    client.destroy();
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
  };
  for (let attempt = 0; attempt < 300; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${stderr}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return { endpoint, stop };
    } catch {
      await sleep(100);
    }
  }
  await stop();
  throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s: ${stderr}`);
}

type IndexDefinition = TableDefinition['globalSecondaryIndexes'][number];

const projectionTypes = { all: 'ALL', keys_only: 'KEYS_ONLY' } as const;

/** A GSI as CreateTable and UpdateTable take it. */
const indexSpecification = (index: IndexDefinition) => ({
  IndexName: index.indexName,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
  ],
  Projection: { ProjectionType: projectionTypes[index.projection] },
});

const stringAttributes = (names: Iterable<string>) =>
  [...new Set(names)].map((name) => ({ AttributeName: name, AttributeType: 'S' as const }));

/** Whether an existing GSI has the keys and projection of its definition. */
function isAsDefined(existing: GlobalSecondaryIndexDescription, index: IndexDefinition): boolean {
  const wanted = indexSpecification(index);
  const keys = (schema: readonly { AttributeName?: string; KeyType?: string }[] = []) =>
    schema.map((key) => `${key.AttributeName} ${key.KeyType}`).join(', ');
  return (
    keys(existing.KeySchema) === keys(wanted.KeySchema) &&
    existing.Projection?.ProjectionType === wanted.Projection.ProjectionType
  );
}

async function untilIndexesAreActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexes = table?.GlobalSecondaryIndexes ?? [];
    if (table?.TableStatus === 'ACTIVE' && indexes.every((index) => index.IndexStatus === 'ACTIVE')) return;
    await sleep(100);
  }
  throw new Error(`The indexes of ${tableName} did not become active within 60 s`);
}

/**
 * Brings the GSIs of a table kept from an earlier run (`npm start` keeps its data) to the derived
 * definition, one index per update as DynamoDB requires: drops the indexes no model declares or
 * declares otherwise (a projection cannot change in place), then creates the missing ones, which
 * DynamoDB Local fills from the items already there.
 */
async function matchIndexes(
  client: DynamoDBClient,
  tableName: string,
  definition: TableDefinition,
  existing: readonly GlobalSecondaryIndexDescription[],
): Promise<IndexDefinition[]> {
  const created: IndexDefinition[] = [];
  const wanted = new Map(definition.globalSecondaryIndexes.map((index) => [index.indexName, index]));
  const kept = new Set<string>();
  for (const index of existing) {
    const name = index.IndexName ?? '';
    const declared = wanted.get(name);
    if (declared && isAsDefined(index, declared)) {
      kept.add(name);
      continue;
    }
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: name } }],
      }),
    );
    await untilIndexesAreActive(client, tableName);
  }
  for (const index of definition.globalSecondaryIndexes) {
    if (kept.has(index.indexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: stringAttributes([index.partitionKey, index.sortKey]),
        GlobalSecondaryIndexUpdates: [{ Create: indexSpecification(index) }],
      }),
    );
    await untilIndexesAreActive(client, tableName);
    created.push(index);
  }
  return created;
}

/**
 * Writes again, through its entity, every item of an entity that declares a newly created index
 * but lacks that index's key: an item stored before its model named the index (a work order from
 * before its own keys-only indexes) is otherwise missing from it for good, since items that are
 * never changed again are never rewritten. Runs once, when the index is created, on the local
 * table only (a Scan, at start, never in a request).
 */
async function addKeysOfNewIndexes(
  client: DynamoDBClient,
  tableName: string,
  created: readonly IndexDefinition[],
): Promise<number> {
  const documents = DynamoDBDocumentClient.from(client);
  const entities = createEntities(documents, tableName) as unknown as Record<
    string,
    {
      parse: (item: { Item: Record<string, unknown> }) => { data: Record<string, unknown> | null };
      put: (item: Record<string, unknown>) => { go: () => Promise<unknown> };
    }
  >;
  let rewritten = 0;
  for (const index of created) {
    // Each model's entity is named as the entities object names it (`workOrder`, `customer`…).
    const owners = allModels.filter((model) =>
      Object.values(model.indexes).some(
        (declared) => (declared as { index?: string }).index === index.indexName,
      ),
    );
    for (const model of owners) {
      const entity = entities[model.model.entity];
      if (!entity) throw new Error(`No entity named ${model.model.entity} to add ${index.indexName} keys to`);
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await documents.send(
          new ScanCommand({
            TableName: tableName,
            FilterExpression: '#entity = :entity AND attribute_not_exists(#key)',
            ExpressionAttributeNames: { '#entity': '__edb_e__', '#key': index.partitionKey },
            ExpressionAttributeValues: { ':entity': model.model.entity },
            ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
          }),
        );
        for (const raw of page.Items ?? []) {
          const { data } = entity.parse({ Item: raw });
          if (!data) continue;
          await entity.put(data).go();
          rewritten += 1;
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }
  }
  return rewritten;
}

/**
 * Creates the single table with the keys and GSIs derived from the entity models, the same as
 * CDK declares them; a table that exists already gets its GSIs brought to that definition.
 */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials });
  const definition = deriveTableDefinition();
  try {
    const existing = await client
      .send(new DescribeTableCommand({ TableName: tableName }))
      .catch((error: Error) => {
        if (error.name === 'ResourceNotFoundException') return undefined;
        throw error;
      });
    if (existing) {
      const created = await matchIndexes(
        client,
        tableName,
        definition,
        existing.Table?.GlobalSecondaryIndexes ?? [],
      );
      await addKeysOfNewIndexes(client, tableName, created);
      return;
    }
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: stringAttributes([
          definition.partitionKey,
          definition.sortKey,
          ...definition.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
        ]),
        KeySchema: [
          { AttributeName: definition.partitionKey, KeyType: 'HASH' },
          { AttributeName: definition.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map(indexSpecification),
      }),
    );
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
      }),
    );
  } finally {
    client.destroy();
  }
}

/** What s3rver reports for each write: an S3 event notification, its key not URL-encoded. */
export interface S3LocalEvent {
  Records: {
    eventName: string;
    s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
  }[];
}

export interface S3Local {
  endpoint: string;
  /** Calls `listener` for every object s3rver stores or removes (it has no bucket notifications). */
  onEvent(listener: (event: S3LocalEvent) => void): void;
  stop(): Promise<void>;
}

/** Starts s3rver on a free port with the platform's bucket. */
export async function startS3Local(options: { directory: string; buckets: string[] }): Promise<S3Local> {
  await mkdir(options.directory, { recursive: true });
  const port = await freePort();
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory: options.directory,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    onEvent: (listener) => server.on('event', listener),
    stop: () => server.close(),
  };
}
