/**
 * Every benchmark, one after the other, each in a process of its own (they start platforms and
 * patch what they watch), and one JSON report of them all on stdout: each benchmark's own
 * JSON, the machine's load around it, and the figures that have goals. A benchmark's
 * progress and errors go to stderr. The settings of each benchmark (COLD_START_RUNS,
 * API_REQUESTS, DURATION_S, COST_LIFECYCLES, SCALE_ITEMS…) pass through the environment;
 * BENCH_ONLY=cost,scale runs some of them.
 *
 *     npm run bench
 *     BENCH_ONLY=cold-start,cost npm run bench
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { round } from './bench-stats.ts';
import { node24, projectRoot } from './node-binary.ts';

const benchmarks = {
  'cold-start': 'test/bench/cold-start.bench.ts',
  'api-overhead': 'test/bench/api-overhead.bench.ts',
  throughput: 'test/bench/throughput.bench.ts',
  cost: 'test/bench/cost.bench.ts',
  scale: 'test/bench/scale.bench.ts',
  slots: 'test/bench/slots.bench.ts',
  suggestion: 'test/bench/suggestion.bench.ts',
} as const;
type BenchmarkName = keyof typeof benchmarks;

const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
const unknown = only?.filter((name) => !(name in benchmarks));
if (unknown?.length) throw new Error(`BENCH_ONLY names no benchmark: ${unknown.join(', ')}`);
const selected = (Object.keys(benchmarks) as BenchmarkName[]).filter((name) => !only || only.includes(name));

/** The last JSON object a benchmark printed (its report), however much it printed before. */
function lastJsonObject(stdout: string): unknown {
  const lines = stdout.trimEnd().split('\n');
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    if (lines[index] !== '{') continue;
    try {
      return JSON.parse(lines.slice(index).join('\n'));
    } catch {
      // An opening brace of something else: keep looking further up.
    }
  }
  throw new Error('no JSON report on stdout');
}

const load = () => loadavg().map((value) => round(value, 2));

interface Outcome {
  loadBefore: number[];
  loadAfter: number[];
  seconds: number;
  result?: unknown;
  error?: string;
  stderr?: string;
  stdout?: string;
}

async function run(name: BenchmarkName): Promise<Outcome> {
  const loadBefore = load();
  const started = performance.now();
  const child = spawn(node24(), ['--import', 'tsx', join(projectRoot, benchmarks[name])], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderrTail = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk.toString()).slice(-2000);
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const seconds = round((performance.now() - started) / 1000, 1);
  const machine = { loadBefore, loadAfter: load(), seconds };
  if (code !== 0) return { ...machine, error: `exited with ${code}`, stderr: stderrTail.trim() };
  try {
    return { ...machine, result: lastJsonObject(stdout) };
  } catch (error) {
    return { ...machine, error: (error as Error).message, stdout: stdout.slice(-2000) };
  }
}

/** The figures with goals, picked from each report (absent when that benchmark did not run or failed). */
function goals(outcomes: Record<string, Outcome>) {
  // biome-ignore lint/suspicious/noExplicitAny: the reports are the benchmarks' own JSON, read loosely here.
  const results = outcomes as Record<string, { result?: any }>;
  const cold = results['cold-start']?.result;
  const overhead = results['api-overhead']?.result;
  const throughput = results.throughput?.result;
  const cost = results.cost?.result;
  const scale = results.scale?.result;
  const slots = results.slots?.result;
  return {
    ...(cold && {
      coldStart: { goal: 'init ≤ 60 ms per function', max: cold.maxInitMs, overGoal: cold.overGoal },
    }),
    ...(overhead && {
      apiOverhead: {
        goal: overhead.goal,
        endpointsMissingGoal: overhead.endpointsMissingGoal,
      },
    }),
    ...(throughput && {
      throughput: {
        goal: '0 errors',
        requestsPerSecond: throughput.requestsPerSecond,
        latencyMs: throughput.latencyMs,
        errors: throughput.errors,
      },
    }),
    ...(cost && {
      cost: {
        goal: '≤ $1.00 per 1,000 work orders',
        dollarsPer1000WorkOrders: cost.dollarsPer1000WorkOrders?.total,
        meetsGoal: cost.meetsGoal,
      },
    }),
    ...(scale && {
      scale: {
        goal: 'latency and read units per page independent of table size',
        growingWithTable: scale.growingWithTable,
      },
    }),
    ...(slots && {
      slotRanking: {
        goal: `p95 ≤ ${slots.goalP95Ms} ms`,
        exactTimesP95Ms: slots.exactTimesEvery30Min?.p95Ms,
        arrivalWindowsP95Ms: slots.arrivalWindows?.p95Ms,
        asapP95Ms: slots.asap?.p95Ms,
      },
    }),
  };
}

const results: Record<string, Outcome> = {};
for (const name of selected) {
  process.stderr.write(`\n▶ ${name}\n`);
  results[name] = await run(name);
}
process.stdout.write(
  `${JSON.stringify(
    {
      report: 'performance',
      node: process.version,
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: round(totalmem() / 2 ** 30, 1) },
      goals: goals(results),
      benchmarks: results,
      failed: Object.entries(results)
        .filter(([, outcome]) => outcome.error !== undefined)
        .map(([name]) => name),
    },
    null,
    2,
  )}\n`,
);
