import { describe, expect, it } from 'vitest';
import type { CatalogStore } from '../../../../lambdas/domain/catalog/catalog-store.ts';
import { newServiceType } from '../../../../lambdas/domain/catalog/service-type.ts';
import {
  suggestServiceTypes,
  WarmSuggesters,
} from '../../../../lambdas/domain/catalog/suggest-service-types.ts';
import type { PastWorkOrder } from '../../../../lambdas/domain/work-orders/service-type-suggester.ts';

const at = '2026-03-01T09:00:00.000Z';

function aCatalog(history: PastWorkOrder[] = []) {
  const reads = { catalogue: 0, history: 0 };
  const serviceTypes = [
    newServiceType(
      'ten_a',
      'svc_drain',
      {
        name: 'Drain cleaning',
        trade: 'plumbing',
        keywords: ['drain', 'clog', 'backup'],
        estimatedMinutes: 60,
      },
      at,
    ),
    newServiceType(
      'ten_a',
      'svc_ac',
      {
        name: 'AC repair',
        trade: 'hvac',
        keywords: ['air conditioner', 'warm air'],
        estimatedMinutes: 120,
      },
      at,
    ),
  ];
  const catalog: Pick<CatalogStore, 'listServiceTypes' | 'pastJobs'> = {
    listServiceTypes: async () => {
      reads.catalogue += 1;
      return serviceTypes;
    },
    pastJobs: async () => {
      reads.history += 1;
      return history;
    },
  };
  return { catalog, reads };
}

const clockAt = (milliseconds: number) => ({ now: () => new Date(milliseconds) });

describe('suggestServiceTypes', () => {
  it('when the description is about a clogged drain, drain cleaning comes first with the matched terms', async () => {
    // Arrange
    const { catalog } = aCatalog();

    // Act
    const [first] = await suggestServiceTypes(
      { catalog, clock: clockAt(0), suggesters: new WarmSuggesters() },
      'ten_a',
      'Kitchen drain is clogged and backing up',
      3,
    );

    // Assert
    expect(first?.serviceTypeId).toBe('svc_drain');
    expect(first?.matchedTerms.map((term) => term.term)).toEqual(expect.arrayContaining(['drain', 'clog']));
    expect(first?.confidence).toBeGreaterThan(0.5);
  });

  it('when called again within the TTL, it reuses the built suggester; after it, it rebuilds', async () => {
    const { catalog, reads } = aCatalog();
    const suggesters = new WarmSuggesters(1_000);

    await suggestServiceTypes({ catalog, clock: clockAt(0), suggesters }, 'ten_a', 'drain', 3);
    await suggestServiceTypes({ catalog, clock: clockAt(999), suggesters }, 'ten_a', 'warm air', 3);
    const readsWithinTtl = { ...reads };
    await suggestServiceTypes({ catalog, clock: clockAt(1_000), suggesters }, 'ten_a', 'drain', 3);

    expect(readsWithinTtl).toEqual({ catalogue: 1, history: 1 });
    expect(reads).toEqual({ catalogue: 2, history: 2 });
  });

  it('when the tenant is invalidated, the next call rebuilds', async () => {
    const { catalog, reads } = aCatalog();
    const suggesters = new WarmSuggesters();

    await suggestServiceTypes({ catalog, clock: clockAt(0), suggesters }, 'ten_a', 'drain', 3);
    suggesters.invalidate('ten_a');
    await suggestServiceTypes({ catalog, clock: clockAt(1), suggesters }, 'ten_a', 'drain', 3);

    expect(reads.catalogue).toBe(2);
  });

  it('when past jobs use a word the catalogue lacks, it matches through history', async () => {
    const { catalog } = aCatalog([
      { serviceTypeId: 'svc_ac', description: 'Condenser fan not spinning' },
      { serviceTypeId: 'svc_ac', description: 'Condenser humming loudly' },
    ]);

    const [first] = await suggestServiceTypes(
      { catalog, clock: clockAt(0), suggesters: new WarmSuggesters() },
      'ten_a',
      'the condenser outside is making noise',
      3,
    );

    expect(first?.serviceTypeId).toBe('svc_ac');
    expect(first?.matchedTerms[0]?.sources).toEqual(['history']);
  });

  it('when nothing matches, it answers no suggestions', async () => {
    const { catalog } = aCatalog();

    const suggestions = await suggestServiceTypes(
      { catalog, clock: clockAt(0), suggesters: new WarmSuggesters() },
      'ten_a',
      'hello there',
      3,
    );

    expect(suggestions).toEqual([]);
  });

  it('when a build fails, the failure is not kept', async () => {
    const suggesters = new WarmSuggesters();
    const { catalog } = aCatalog();
    const failing = { ...catalog, listServiceTypes: async () => Promise.reject(new Error('throttled')) };

    await expect(
      suggestServiceTypes({ catalog: failing, clock: clockAt(0), suggesters }, 'ten_a', 'drain', 3),
    ).rejects.toThrow('throttled');
    const [first] = await suggestServiceTypes(
      { catalog, clock: clockAt(1), suggesters },
      'ten_a',
      'drain',
      3,
    );

    expect(first?.serviceTypeId).toBe('svc_drain');
  });
});
