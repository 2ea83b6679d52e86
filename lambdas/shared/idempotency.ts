import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { IdempotencyStore, StoredResponse } from '../ports/idempotency-store.ts';
import { ConflictError, UnprocessableError, ValidationError } from './errors.ts';

const keyPattern = /^[\x21-\x7e]{1,255}$/;
const lockSeconds = 30;

export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!keyPattern.test(header)) {
    throw new ValidationError([
      { field: 'header.idempotency-key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  return header;
}

/** The request a key stands for: method, path and the body's content (key order ignored). */
export function fingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body)}`)
    .digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const reusedKey = () =>
  new UnprocessableError('This Idempotency-Key was used with another request', {
    errors: [{ field: 'header.idempotency-key', message: 'already used with a different request' }],
  });

/**
 * Runs `execute` once per (tenant, key). A repeat with the same request gets the stored
 * response; a repeat with another request gets 422; a repeat while the first is running waits
 * for its response. Responses below 500 are kept; after a 5xx the key is freed for a retry.
 */
export async function runIdempotently(
  store: IdempotencyStore,
  scope: { tenantId: string; key: string; fingerprint: string },
  execute: () => Promise<StoredResponse>,
  waitMs = 10_000,
): Promise<StoredResponse & { replayed: boolean }> {
  const { tenantId, key } = scope;
  const deadline = Date.now() + waitMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    const claim = await store.claim(tenantId, key, scope.fingerprint, lockSeconds);
    if (claim.outcome === 'claimed') break;
    if (claim.fingerprint !== scope.fingerprint) throw reusedKey();
    if (claim.outcome === 'completed') return { ...claim.response, replayed: true };
    if (Date.now() + delay > deadline) {
      throw new ConflictError('A request with this Idempotency-Key is still in progress; retry shortly');
    }
    await sleep(delay);
  }

  let response: StoredResponse;
  try {
    response = await execute();
  } catch (error) {
    await store.release(tenantId, key).catch(() => undefined);
    throw error;
  }
  if (response.status >= 500) {
    await store.release(tenantId, key).catch(() => undefined);
  } else {
    await store.complete(tenantId, key, response);
  }
  return { ...response, replayed: false };
}
