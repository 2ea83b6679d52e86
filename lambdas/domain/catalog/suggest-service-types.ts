import type { Clock } from '../../ports/clock.ts';
import {
  buildServiceTypeSuggester,
  type ServiceTypeSuggester,
  type ServiceTypeSuggestion,
} from '../work-orders/service-type-suggester.ts';
import type { CatalogStore } from './catalog-store.ts';

/** How many of the tenant's newest finished jobs the suggester learns from. */
export const HISTORY_LIMIT = 2_000;
/** How long a built suggester serves a tenant before it is rebuilt from the table. */
export const SUGGESTER_TTL_MS = 5 * 60 * 1000;
/** Tenants kept warm at once in one Lambda instance; the least recently built goes first. */
const MAX_WARM_TENANTS = 200;

/**
 * The built suggesters of the tenants this process has served, each for `ttlMs`. A warm
 * Lambda answers repeated suggestions from memory; a catalogue change made through this
 * process drops the tenant's entry at once, one made through another instance is seen
 * within the TTL. Concurrent requests of a cold tenant share one build, and a failed build
 * is not kept.
 */
export class WarmSuggesters {
  private readonly entries = new Map<string, { builtAt: number; suggester: Promise<ServiceTypeSuggester> }>();

  constructor(
    private readonly ttlMs = SUGGESTER_TTL_MS,
    private readonly maxTenants = MAX_WARM_TENANTS,
  ) {}

  get(
    tenantId: string,
    now: number,
    build: () => Promise<ServiceTypeSuggester>,
  ): Promise<ServiceTypeSuggester> {
    const entry = this.entries.get(tenantId);
    if (entry && now - entry.builtAt < this.ttlMs) return entry.suggester;
    this.entries.delete(tenantId);
    const suggester = build();
    this.entries.set(tenantId, { builtAt: now, suggester });
    suggester.catch(() => {
      if (this.entries.get(tenantId)?.suggester === suggester) this.entries.delete(tenantId);
    });
    while (this.entries.size > this.maxTenants) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return suggester;
  }

  invalidate(tenantId: string): void {
    this.entries.delete(tenantId);
  }
}

/** The suggesters of this process (one per Lambda instance). */
export const warmSuggesters = new WarmSuggesters();

export interface SuggestionDependencies {
  catalog: Pick<CatalogStore, 'listServiceTypes' | 'pastJobs'>;
  clock: Clock;
  /** Defaults to the process-wide `warmSuggesters`. */
  suggesters?: WarmSuggesters;
}

/**
 * Ranks the tenant's service types for a problem described in the customer's words.
 *
 * Contract (work order creation calls this when no service type is given):
 * - `tenantId` comes from the verified actor; only that tenant's catalogue and history are read.
 * - Answers at most `limit` suggestions (1–20 is sensible; 0 or less answers `[]`), best
 *   first, each with `serviceTypeId`, `name`, `score` (comparable only within one answer),
 *   `confidence` (its share in [0, 1] of the score of every type that matched) and
 *   `matchedTerms` (which words of the description counted, from the catalogue or from
 *   past jobs, and how much).
 * - A description that matches nothing, or a tenant without service types, answers `[]`:
 *   never an error. Only a storage failure throws.
 * - Reads the catalogue (one Query) and the newest `HISTORY_LIMIT` finished jobs (completed,
 *   invoiced, paid: one Query each on the status index) when the tenant's suggester is cold
 *   or older than `SUGGESTER_TTL_MS`; otherwise it touches no storage and costs microseconds.
 */
export async function suggestServiceTypes(
  deps: SuggestionDependencies,
  tenantId: string,
  description: string,
  limit = 3,
): Promise<ServiceTypeSuggestion[]> {
  const suggesters = deps.suggesters ?? warmSuggesters;
  const suggester = await suggesters.get(tenantId, deps.clock.now().getTime(), async () => {
    const [serviceTypes, history] = await Promise.all([
      deps.catalog.listServiceTypes(tenantId),
      deps.catalog.pastJobs(tenantId, HISTORY_LIMIT),
    ]);
    return buildServiceTypeSuggester(
      serviceTypes.map(({ serviceTypeId, name, keywords }) => ({ serviceTypeId, name, keywords })),
      history,
    );
  });
  return suggester.suggest(description, { limit });
}
