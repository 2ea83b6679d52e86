import type { TenantWriteLimiter, WriteAdmission } from '../../ports/tenant-write-limiter.ts';
import { isConditionalCheckFailure } from './conditional-check.ts';
import type { Entities } from './entities.ts';

const minuteMs = 60_000;
/** How long a Lambda instance trusts a tenant's limit as read: a change applies within a minute. */
const limitCacheMs = 60_000;

/**
 * A fixed window per tenant and minute in the table: each write is one UpdateItem that adds 1 to
 * the minute's counter on condition that it is still below the limit, so concurrent writes in
 * every Lambda instance share one count and none slips past it. The counter expires by TTL two
 * minutes after its minute. A tenant's own limit (`limits.writesPerMinute` on its item) replaces
 * the platform's, read once a minute per instance; a limit of 0 counts nothing.
 */
export class DynamoTenantWriteLimiter implements TenantWriteLimiter {
  private readonly limits = new Map<string, { limit: number; until: number }>();

  constructor(
    private readonly entities: Entities,
    private readonly defaultLimit: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  async admit(tenantId: string): Promise<WriteAdmission> {
    const limit = await this.limitOf(tenantId);
    if (limit <= 0) return { admitted: true };
    const now = this.nowMs();
    const windowStart = Math.floor(now / minuteMs) * minuteMs;
    const windowEnd = windowStart + minuteMs;
    try {
      await this.entities.tenantWriteWindow
        .update({ tenantId, window: new Date(windowStart).toISOString().slice(0, 16) })
        .add({ writes: 1 })
        .set({ expiresAt: Math.ceil(windowEnd / 1000) + 120 })
        .where(({ writes }, { notExists, lt }) => `${notExists(writes)} OR ${lt(writes, limit)}`)
        .go({ response: 'none' });
      return { admitted: true };
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      return { admitted: false, limit, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now) / 1000)) };
    }
  }

  private async limitOf(tenantId: string): Promise<number> {
    const now = this.nowMs();
    const cached = this.limits.get(tenantId);
    if (cached && cached.until > now) return cached.limit;
    const { data } = await this.entities.tenant.get({ tenantId }).go({ attributes: ['limits'] });
    const limit = data?.limits?.writesPerMinute ?? this.defaultLimit;
    this.limits.set(tenantId, { limit, until: now + limitCacheMs });
    return limit;
  }
}
