/**
 * Cold start of every Lambda function of the registry: each entry is bundled with esbuild with
 * the very options CDK bundles it with (`functionBundleOptions` of `lib/constructs/bundling.ts`),
 * then its minified size (the entry file and the chunks it imports statically, which load at
 * init; chunks imported dynamically load on first use and are listed apart), and its init time:
 * the wall time of a fresh Node 24 process that imports the bundle, with the environment a
 * Lambda of the function has, minus that of a process importing an empty module (medians of
 * COLD_START_RUNS, interleaved so that the machine's load falls on all alike). The AWS SDK is
 * bundled too, so the bundle is all the function loads. Beside the functions, the same is
 * measured for a bundle of the DynamoDB document client alone: the floor of any function that
 * reads the table. Prints one JSON object.
 *
 *     npx tsx test/bench/cold-start.bench.ts
 *     COLD_START_RUNS=5 COLD_START_FUNCTIONS=system,workOrders npx tsx test/bench/cold-start.bench.ts
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { bundleEntryFile, functionBundleOptions } from '../../lib/constructs/bundling.ts';
import { median, numberFromEnv, round } from './bench-stats.ts';
import { registry } from './function-registry.ts';
import { node24, projectRoot } from './node-binary.ts';

const RUNS = numberFromEnv('COLD_START_RUNS', 20);
const GOAL_INIT_MS = 60;
const selected = process.env.COLD_START_FUNCTIONS?.split(',').map((name) => name.trim());
/** The bundle of the DynamoDB document client alone, measured beside the functions. */
const floorName = '(DynamoDB document client alone)';

interface Bundle {
  outfile: string;
  /** Bytes of the files loaded at init. */
  bytes: number;
  files: number;
  lazyBytes: number;
  heaviest: unknown;
}

/**
 * The output files a bundle loads at init, its entry and the chunks it imports statically, and
 * those it loads only when a dynamic import runs; paths as the metafile names them.
 */
function filesByLoading(metafile: Metafile, entryOutput: string) {
  const atInit = new Set<string>();
  const visit = (path: string) => {
    if (atInit.has(path)) return;
    atInit.add(path);
    for (const imported of metafile.outputs[path]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(entryOutput);
  const code = Object.keys(metafile.outputs).filter((path) => path.endsWith('.mjs'));
  return { atInit: [...atInit], onFirstUse: code.filter((path) => !atInit.has(path)) };
}

/** The packages that weigh most in some output files of a bundle, by their bytes in them. */
function heaviestPackages(metafile: Metafile, outputs: string[], count = 5) {
  const byPackage = new Map<string, number>();
  for (const output of outputs) {
    for (const [path, { bytesInOutput }] of Object.entries(metafile.outputs[output]?.inputs ?? {})) {
      const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? '(project code)';
      byPackage.set(packageName, (byPackage.get(packageName) ?? 0) + bytesInOutput);
    }
  }
  return [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => ({ package: name, kB: round(bytes / 1024, 0) }));
}

/** What a function of the platform finds in its environment in Lambda (values made up, none called at init). */
function lambdaEnvironment(functionName: string, memoryMb: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2025/01/01/[$LATEST]00000000000000000000000000000000',
    AWS_ACCESS_KEY_ID: 'ASIABENCHMARK0000000',
    AWS_SECRET_ACCESS_KEY: 'benchmark-secret-not-used',
    AWS_SESSION_TOKEN: 'benchmark-session-not-used',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
    STAGE: 'dev',
    ADAPTERS: 'aws',
    POWERTOOLS_SERVICE_NAME: 'field-service',
    POWERTOOLS_METRICS_NAMESPACE: 'FieldService',
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
    TABLE_NAME: 'FieldService-Dev-Table',
    BUCKET_NAME: 'fieldservice-dev-photos',
    STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:work-order-dev',
    EVENT_BUS_NAME: 'field-service-dev',
    NOTIFICATION_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:field-service-dev-office',
    SCHEDULE_GROUP_NAME: 'field-service-dev',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/field-service-dev-scheduler',
    SCHEDULE_TARGET_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:field-service-dev-schedule-target',
    STRIPE_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:field-service-dev-stripe',
    CUSTOMER_LINK_KEYS_SECRET_ARN:
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:field-service-dev-link-keys',
    CUSTOMER_PAGES_URL: 'https://pages.example.com',
  };
}

/** Wall time of one fresh process that imports `module` and exits; rejects with its stderr on failure. */
function timeImport(nodeBinary: string, importer: string, module: string, env: NodeJS.ProcessEnv) {
  return new Promise<number>((resolveTime, reject) => {
    const started = performance.now();
    const child = spawn(nodeBinary, [importer, pathToFileURL(module).href], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const elapsed = performance.now() - started;
      if (code === 0) resolveTime(elapsed);
      else reject(new Error(`importing ${module} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

const shuffle = <T>(items: T[]): T[] => {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
};

async function main() {
  const names = Object.keys(registry).filter((name) => !selected || selected.includes(name));
  if (names.length === 0)
    throw new Error(`COLD_START_FUNCTIONS matches no function: ${selected?.join(', ')}`);
  const nodeBinary = node24();
  const nodeVersion = spawnSync(nodeBinary, ['-p', 'process.version'], { encoding: 'utf8' }).stdout.trim();
  const outDir = await mkdtemp(join(tmpdir(), 'fsm-cold-start-'));
  try {
    // Bundles, a few at a time: every function's, and the DynamoDB document client's alone.
    const floorEntry = join(outDir, 'floor-entry.mjs');
    await writeFile(
      floorEntry,
      [
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
        "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
        'export const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
        '',
      ].join('\n'),
    );
    const entries: Record<string, string> = {
      ...Object.fromEntries(names.map((name) => [name, registry[name]!.entry])),
      [floorName]: floorEntry,
    };
    const bundles = new Map<string, Bundle>();
    const queue = Object.keys(entries);
    const bundleNext = async (): Promise<void> => {
      const name = queue.shift();
      if (!name) return;
      const outdir = join(outDir, name);
      const options = functionBundleOptions(projectRoot, entries[name]!, outdir);
      // The floor's entry is outside the project: its packages resolve from the project's.
      const result = await build({
        ...options,
        nodePaths: [join(projectRoot, 'node_modules')],
        metafile: true,
        logLevel: 'error',
      });
      const entryOutput = Object.keys(result.metafile.outputs).find((path) =>
        resolve(projectRoot, path).endsWith(`/${name}/${bundleEntryFile}`),
      )!;
      const { atInit, onFirstUse } = filesByLoading(result.metafile, entryOutput);
      const sizeOf = async (paths: string[]) =>
        (await Promise.all(paths.map(async (path) => (await stat(resolve(projectRoot, path))).size))).reduce(
          (sum, bytes) => sum + bytes,
          0,
        );
      bundles.set(name, {
        outfile: join(outdir, bundleEntryFile),
        bytes: await sizeOf(atInit),
        files: atInit.length,
        lazyBytes: await sizeOf(onFirstUse),
        heaviest: heaviestPackages(result.metafile, atInit),
      });
      return bundleNext();
    };
    await Promise.all(Array.from({ length: 4 }, bundleNext));

    const emptyModule = join(outDir, 'empty', 'index.mjs');
    await mkdir(dirname(emptyModule), { recursive: true });
    await writeFile(emptyModule, 'export const handler = async () => ({});\n');
    const importer = join(outDir, 'import-once.mjs');
    await writeFile(importer, 'await import(process.argv[2]);\n');

    const times = new Map<string, number[]>();
    const failures = new Map<string, string>();
    const envFor = (name: string) => lambdaEnvironment(name, registry[name]?.memorySize ?? 512);
    const empty = '(empty)';
    const jobs = [
      { key: empty, module: emptyModule, env: envFor('empty') },
      ...[...names, floorName].map((name) => ({
        key: name,
        module: bundles.get(name)!.outfile,
        env: envFor(name),
      })),
    ];
    for (let run = 0; run < RUNS; run += 1) {
      for (const job of shuffle(jobs)) {
        if (failures.has(job.key)) continue;
        try {
          const elapsed = await timeImport(nodeBinary, importer, job.module, job.env);
          times.set(job.key, [...(times.get(job.key) ?? []), elapsed]);
        } catch (error) {
          failures.set(job.key, (error as Error).message);
        }
      }
    }

    const emptyMs = median(times.get(empty) ?? []);
    const initOf = (name: string) => {
      const samples = times.get(name);
      return samples?.length ? round(median(samples) - emptyMs, 1) : null;
    };
    const figuresOf = (name: string) => {
      const bundle = bundles.get(name)!;
      return {
        bytes: bundle.bytes,
        filesAtInit: bundle.files,
        bytesLoadedOnFirstUse: bundle.lazyBytes,
        initMs: initOf(name),
        heaviestPackages: bundle.heaviest,
        ...(failures.has(name) ? { error: failures.get(name) } : {}),
      };
    };
    const functions = Object.fromEntries(
      names.map((name) => {
        return [name, { group: registry[name]!.group, ...figuresOf(name) }];
      }),
    );
    const measured = Object.entries(functions).filter(([, figures]) => figures.initMs !== null);
    const slowest = measured.reduce<[string, number] | undefined>(
      (worst, [name, figures]) => (!worst || figures.initMs! > worst[1] ? [name, figures.initMs!] : worst),
      undefined,
    );
    const largest = Object.entries(functions).reduce<[string, number] | undefined>(
      (worst, [name, figures]) => (!worst || figures.bytes > worst[1] ? [name, figures.bytes] : worst),
      undefined,
    );
    process.stdout.write(
      `${JSON.stringify(
        {
          benchmark: 'cold start',
          node: nodeVersion,
          runs: RUNS,
          bundling: {
            ...functionBundleOptions(projectRoot, '(entry)', '(outdir)'),
            banner: '(createRequire shim)',
          },
          emptyProcessMs: round(emptyMs, 1),
          functions,
          dynamodbDocumentClientAlone: figuresOf(floorName),
          maxInitMs: slowest ? { function: slowest[0], initMs: slowest[1] } : null,
          maxBytes: largest ? { function: largest[0], bytes: largest[1] } : null,
          goalInitMs: GOAL_INIT_MS,
          overGoal: measured
            .filter(([, figures]) => figures.initMs! > GOAL_INIT_MS)
            .map(([name, figures]) => ({ function: name, initMs: figures.initMs })),
          failed: [...failures.keys()],
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    if (process.env.COLD_START_KEEP === '1') console.error(`Bundles kept in ${outDir}`);
    else await rm(outDir, { recursive: true, force: true });
  }
}

await main();
