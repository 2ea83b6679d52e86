import type { Page } from '../../ports/work-order-store.ts';
import { ValidationError } from '../../shared/errors.ts';

/**
 * Errors that mean the cursor is not a key of this query: ElectroDB cannot decode it, or
 * DynamoDB refuses it as the starting key (a tampered cursor, or one from another list or tenant).
 */
function isBadCursor(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (/cursor|Exclusive ?Start ?Key|starting key/i.test(`${current.name} ${current.message}`)) return true;
  }
  return false;
}

/** Runs one page of a Query; a cursor that is not one of this query's is bad input (400), not a failure. */
export async function pagedQuery<T>(
  page: { limit: number; cursor?: string | undefined },
  run: (options: { limit: number; cursor: string | null }) => Promise<{ data: T[]; cursor: string | null }>,
): Promise<Page<T>> {
  try {
    const { data, cursor } = await run({ limit: page.limit, cursor: page.cursor ?? null });
    return { items: data, ...(cursor ? { nextCursor: cursor } : {}) };
  } catch (error) {
    if (page.cursor && isBadCursor(error)) {
      throw new ValidationError([{ field: 'query.cursor', message: 'not a cursor of this list' }]);
    }
    throw error;
  }
}
