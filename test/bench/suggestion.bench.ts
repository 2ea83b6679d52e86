/**
 * Service-type suggestion: accuracy on the labelled calls of the fixture, time to build the
 * index and time per suggestion, for the fixture's history and for 10,000 past jobs made
 * from the fixture's vocabulary. Prints one JSON object.
 *
 *     npx tsx test/bench/suggestion.bench.ts
 */
import {
  buildServiceTypeSuggester,
  type PastWorkOrder,
  type ServiceTypeSuggester,
} from '../../lambdas/domain/work-orders/service-type-suggester.ts';
import {
  evaluationProblems,
  pastDescriptionsByServiceType,
  pastWorkOrders,
  serviceTypeCatalogue,
} from '../fixtures/problem-descriptions.ts';
import { seededRandom } from './seeded-random.ts';

const SYNTHETIC_HISTORY_SIZE = 10_000;
const SEED = 20_250_310;
const SUGGESTION_ROUNDS = 200;
const BUILD_ROUNDS = 5;

/** How often each trade comes up in the synthetic office's calls. */
const CALL_SHARES: Record<string, number> = {
  svc_ac_repair: 0.2,
  svc_furnace_repair: 0.15,
  svc_hvac_tune_up: 0.15,
  svc_thermostat_install: 0.05,
  svc_drain_cleaning: 0.15,
  svc_water_heater: 0.1,
  svc_electrical: 0.1,
  svc_pest_control: 0.1,
};

/** What the office adds to any job, whatever the trade. */
const OFFICE_REMARKS = [
  'customer called twice',
  'gate code 4411',
  'dog in the yard',
  'please call 30 minutes before arriving',
  'tenant will let the tech in',
  'check warranty',
  'repeat customer',
  'park on the street',
  'prefers morning appointments',
];

/**
 * Past jobs recombined from the fixture's descriptions: each keeps most words of one past job
 * of its type, often borrows a few from another, sometimes a stray word of another trade, and
 * sometimes an office remark.
 */
function syntheticHistory(size: number, random: () => number): PastWorkOrder[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const wordsByType = Object.fromEntries(
    Object.entries(pastDescriptionsByServiceType).map(([id, descriptions]) => [
      id,
      descriptions.map((description) => description.split(/\s+/)),
    ]),
  );
  const typeIds = Object.keys(CALL_SHARES);
  const pickType = (): string => {
    let remaining = random();
    for (const id of typeIds) {
      remaining -= CALL_SHARES[id]!;
      if (remaining < 0) return id;
    }
    return typeIds.at(-1)!;
  };

  return Array.from({ length: size }, () => {
    const serviceTypeId = pickType();
    const ownDescriptions = wordsByType[serviceTypeId]!;
    const words = pick(ownDescriptions).filter(() => random() < 0.85);
    if (random() < 0.5) {
      const other = pick(ownDescriptions);
      const start = Math.floor(random() * other.length);
      words.push(...other.slice(start, start + 2 + Math.floor(random() * 4)));
    }
    if (random() < 0.25) {
      const strayType = pick(typeIds.filter((id) => id !== serviceTypeId));
      words.splice(Math.floor(random() * (words.length + 1)), 0, pick(pick(wordsByType[strayType]!)));
    }
    if (random() < 0.3) words.push(`- ${pick(OFFICE_REMARKS)}`);
    return { serviceTypeId, description: words.join(' ') };
  });
}

function percentile(sortedValues: readonly number[], fraction: number): number {
  const index = Math.min(sortedValues.length - 1, Math.ceil(fraction * sortedValues.length) - 1);
  return sortedValues[Math.max(0, index)]!;
}

const round = (value: number, decimals: number): number => Number(value.toFixed(decimals));

function measure(history: readonly PastWorkOrder[]) {
  const buildTimes: number[] = [];
  let suggester: ServiceTypeSuggester | undefined;
  for (let round = 0; round < BUILD_ROUNDS; round += 1) {
    const started = performance.now();
    suggester = buildServiceTypeSuggester(serviceTypeCatalogue, history);
    buildTimes.push(performance.now() - started);
  }
  const built = suggester!;

  let top1 = 0;
  let top3 = 0;
  for (const problem of evaluationProblems) {
    const rank = built
      .suggest(problem.description)
      .findIndex((suggestion) => suggestion.serviceTypeId === problem.expectedServiceTypeId);
    if (rank === 0) top1 += 1;
    if (rank >= 0 && rank < 3) top3 += 1;
  }

  const suggestTimes: number[] = [];
  for (let round = 0; round < SUGGESTION_ROUNDS; round += 1) {
    for (const problem of evaluationProblems) {
      const started = process.hrtime.bigint();
      built.suggest(problem.description);
      suggestTimes.push(Number(process.hrtime.bigint() - started) / 1_000);
    }
  }
  buildTimes.sort((first, second) => first - second);
  suggestTimes.sort((first, second) => first - second);

  return {
    historySize: built.size.pastWorkOrders,
    indexedTerms: built.size.terms,
    top1Accuracy: round(top1 / evaluationProblems.length, 3),
    top3Accuracy: round(top3 / evaluationProblems.length, 3),
    buildMs: {
      median: round(percentile(buildTimes, 0.5), 2),
      max: round(buildTimes.at(-1)!, 2),
      rounds: BUILD_ROUNDS,
    },
    suggestMicroseconds: {
      p50: round(percentile(suggestTimes, 0.5), 1),
      p99: round(percentile(suggestTimes, 0.99), 1),
      max: round(suggestTimes.at(-1)!, 1),
      calls: suggestTimes.length,
    },
  };
}

const runs = [
  { history: 'none (catalogue only)', ...measure([]) },
  { history: 'fixture', ...measure(pastWorkOrders) },
  {
    history: `synthetic (seed ${SEED})`,
    ...measure(syntheticHistory(SYNTHETIC_HISTORY_SIZE, seededRandom(SEED))),
  },
];

console.log(
  JSON.stringify(
    {
      benchmark: 'service-type-suggestion',
      node: process.version,
      serviceTypes: serviceTypeCatalogue.length,
      evaluationCases: evaluationProblems.length,
      runs,
    },
    null,
    2,
  ),
);
