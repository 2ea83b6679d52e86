import type { IdempotencyClaim, IdempotencyStore, StoredResponse } from '../../ports/idempotency-store.ts';
import { isConditionalCheckFailure } from './conditional-check.ts';
import type { Entities } from './entities.ts';

/**
 * Idempotency keys in the single table, one item per (tenant, key), kept for `ttlSeconds`.
 * A claim is a conditional put: it succeeds when no record exists or the previous holder's
 * lock has run out (a crashed request); otherwise the existing record is returned.
 */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly entities: Entities,
    private readonly ttlSeconds: number,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async claim(
    tenantId: string,
    key: string,
    fingerprint: string,
    lockSeconds: number,
  ): Promise<IdempotencyClaim> {
    const now = this.nowSeconds();
    try {
      await this.entities.idempotencyRecord
        .put({
          tenantId,
          key,
          fingerprint,
          state: 'in_progress',
          lockedUntil: now + lockSeconds,
          expiresAt: now + this.ttlSeconds,
        })
        .where(
          ({ state, lockedUntil }, { notExists, eq, lt }) =>
            `${notExists(state)} OR (${eq(state, 'in_progress')} AND ${lt(lockedUntil, now)})`,
        )
        .go();
      return { outcome: 'claimed' };
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
    const { data } = await this.entities.idempotencyRecord.get({ tenantId, key }).go({ consistent: true });
    if (!data) return this.claim(tenantId, key, fingerprint, lockSeconds);
    if (data.state === 'completed' && data.responseStatus !== undefined && data.responseBody !== undefined) {
      return {
        outcome: 'completed',
        fingerprint: data.fingerprint,
        response: { status: data.responseStatus, body: data.responseBody },
      };
    }
    return { outcome: 'in_progress', fingerprint: data.fingerprint };
  }

  async complete(tenantId: string, key: string, response: StoredResponse): Promise<void> {
    await this.entities.idempotencyRecord
      .patch({ tenantId, key })
      .set({ state: 'completed', responseStatus: response.status, responseBody: response.body })
      .go();
  }

  async release(tenantId: string, key: string): Promise<void> {
    await this.entities.idempotencyRecord
      .delete({ tenantId, key })
      .where(({ state }, { eq }) => eq(state, 'in_progress'))
      .go();
  }
}
