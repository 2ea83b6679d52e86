import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type {
  IdempotencyClaim,
  IdempotencyStore,
  StoredResponse,
} from '../../../lambdas/ports/idempotency-store.ts';
import { ConflictError, UnprocessableError, ValidationError } from '../../../lambdas/shared/errors.ts';
import { fingerprint, parseIdempotencyKey, runIdempotently } from '../../../lambdas/shared/idempotency.ts';
import { errorThrownBy } from '../support/caught-errors.ts';

type IdempotencyRecord =
  | { state: 'in_progress'; fingerprint: string; lockedUntil: number }
  | { state: 'completed'; fingerprint: string; response: StoredResponse };

/**
 * The store's contract in memory: a claim succeeds when the key is free or its holder's lock ran
 * out; otherwise it reports the holder's fingerprint and, once complete, its response.
 */
class InMemoryIdempotencyStore implements IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();

  async claim(
    tenantId: string,
    key: string,
    requestFingerprint: string,
    lockSeconds: number,
  ): Promise<IdempotencyClaim> {
    const id = `${tenantId}#${key}`;
    const existing = this.records.get(id);
    if (!existing || (existing.state === 'in_progress' && existing.lockedUntil < Date.now())) {
      this.records.set(id, {
        state: 'in_progress',
        fingerprint: requestFingerprint,
        lockedUntil: Date.now() + lockSeconds * 1000,
      });
      return { outcome: 'claimed' };
    }
    if (existing.state === 'completed') {
      return { outcome: 'completed', fingerprint: existing.fingerprint, response: existing.response };
    }
    return { outcome: 'in_progress', fingerprint: existing.fingerprint };
  }

  async complete(tenantId: string, key: string, response: StoredResponse): Promise<void> {
    const id = `${tenantId}#${key}`;
    const existing = this.records.get(id);
    if (!existing) throw new Error(`No claim on ${id}`);
    this.records.set(id, {
      state: 'completed',
      fingerprint: existing.fingerprint,
      response: { ...response },
    });
  }

  async release(tenantId: string, key: string): Promise<void> {
    const id = `${tenantId}#${key}`;
    if (this.records.get(id)?.state === 'in_progress') this.records.delete(id);
  }

  recordOf(tenantId: string, key: string): IdempotencyRecord | undefined {
    return this.records.get(`${tenantId}#${key}`);
  }
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}

const createBody = { customerId: 'cus_1', description: 'No heat upstairs', priority: 'urgent' };
const scopeOf = (overrides: Partial<{ tenantId: string; key: string; fingerprint: string }> = {}) => ({
  tenantId: 'ten_acme',
  key: 'key-3f6c1a',
  fingerprint: fingerprint('POST', '/v1/work-orders', createBody),
  ...overrides,
});
const created: StoredResponse = { status: 201, body: '{"id":"wo_0001"}' };

describe('parseIdempotencyKey', () => {
  it('when the header is absent, it returns undefined', () => {
    // Act
    const key = parseIdempotencyKey(undefined);

    // Assert
    expect(key).toBeUndefined();
  });

  it('when the header is a UUID, it returns it unchanged', () => {
    // Act
    const key = parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324');

    // Assert
    expect(key).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
  });

  it('when the header is 255 characters long, it accepts it', () => {
    // Arrange
    const header = 'k'.repeat(255);

    // Act
    const key = parseIdempotencyKey(header);

    // Assert
    expect(key).toBe(header);
  });

  it.each([
    { case: 'empty', header: '' },
    { case: 'longer than 255 characters', header: 'k'.repeat(256) },
    { case: 'holding a newline', header: 'abc\ndef' },
    { case: 'holding a NUL', header: 'abc\u0000' },
    { case: 'holding DEL', header: 'abc\u007f' },
    { case: 'holding a tab', header: '\tabc' },
  ])(
    'when the header is $case, it refuses with a ValidationError naming header.idempotency-key',
    ({ header }) => {
      // Act
      const error = errorThrownBy(() => parseIdempotencyKey(header));

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors.map((problem) => problem.field)).toEqual([
        'header.idempotency-key',
      ]);
    },
  );
});

describe('fingerprint', () => {
  it('when two bodies differ only in key order, it gives the same fingerprint', () => {
    // Arrange
    const first = { customerId: 'cus_1', serviceLocation: { address: { city: 'Boston', line1: '12 Elm' } } };
    const second = { serviceLocation: { address: { line1: '12 Elm', city: 'Boston' } }, customerId: 'cus_1' };

    // Act
    const fingerprints = [
      fingerprint('POST', '/v1/work-orders', first),
      fingerprint('POST', '/v1/work-orders', second),
    ];

    // Assert
    expect(fingerprints[0]).toBe(fingerprints[1]);
  });

  it('when a member is undefined, it gives the fingerprint of the body without it', () => {
    // Act
    const withUndefined = fingerprint('POST', '/v1/work-orders', { ...createBody, accessNotes: undefined });
    const without = fingerprint('POST', '/v1/work-orders', createBody);

    // Assert
    expect(withUndefined).toBe(without);
  });

  it('when a value differs, it gives another fingerprint', () => {
    // Act
    const urgent = fingerprint('POST', '/v1/work-orders', createBody);
    const emergency = fingerprint('POST', '/v1/work-orders', { ...createBody, priority: 'emergency' });

    // Assert
    expect(urgent).not.toBe(emergency);
  });

  it('when array items are in another order, it gives another fingerprint', () => {
    // Act
    const first = fingerprint('POST', '/v1/notes', { tags: ['a', 'b'] });
    const second = fingerprint('POST', '/v1/notes', { tags: ['b', 'a'] });

    // Assert
    expect(first).not.toBe(second);
  });

  it('when the path differs, it gives another fingerprint', () => {
    // Act
    const first = fingerprint('POST', '/v1/work-orders/wo_1/cancel', { reason: 'duplicate' });
    const second = fingerprint('POST', '/v1/work-orders/wo_2/cancel', { reason: 'duplicate' });

    // Assert
    expect(first).not.toBe(second);
  });

  it('when the method differs, it gives another fingerprint', () => {
    // Act
    const first = fingerprint('POST', '/v1/work-orders/wo_1', createBody);
    const second = fingerprint('PATCH', '/v1/work-orders/wo_1', createBody);

    // Assert
    expect(first).not.toBe(second);
  });

  it('when the body is absent, it gives the same fingerprint as null', () => {
    // Act
    const absent = fingerprint('POST', '/v1/work-orders/wo_1/dispatch', undefined);
    const nullBody = fingerprint('POST', '/v1/work-orders/wo_1/dispatch', null);

    // Assert
    expect(absent).toBe(nullBody);
  });

  it('when the keys of any JSON object are permuted at every depth, it gives the same fingerprint', () => {
    // Arrange
    const jsonObject = fc.dictionary(fc.string(), fc.jsonValue());

    // Act & Assert
    fc.assert(
      fc.property(jsonObject, fc.integer(), (body, seed) => {
        const permuted = permuteKeys(body, seed);
        expect(fingerprint('POST', '/v1/work-orders', permuted)).toBe(
          fingerprint('POST', '/v1/work-orders', body),
        );
      }),
    );
  });
});

/** A deep copy of `value` with the keys of every object in a seeded pseudo-random order. */
function permuteKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item, index) => permuteKeys(item, seed + index));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  let state = seed >>> 0 || 1;
  for (let index = entries.length - 1; index > 0; index -= 1) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    const other = state % (index + 1);
    [entries[index], entries[other]] = [entries[other]!, entries[index]!];
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, permuteKeys(item, seed + key.length)]));
}

describe('runIdempotently', () => {
  it('when the key is new, it executes the request and stores its response', async () => {
    // Arrange
    const store = new InMemoryIdempotencyStore();
    const execute = vi.fn(async () => created);

    // Act
    const result = await runIdempotently(store, scopeOf(), execute);

    // Assert
    expect(result).toEqual({ ...created, replayed: false });
    expect(execute).toHaveBeenCalledOnce();
    expect(store.recordOf('ten_acme', 'key-3f6c1a')).toMatchObject({ state: 'completed', response: created });
  });

  it('when the same request is repeated, it returns the stored response as replayed without executing', async () => {
    // Arrange
    const store = new InMemoryIdempotencyStore();
    await runIdempotently(store, scopeOf(), async () => created);
    const repeat = vi.fn(async (): Promise<StoredResponse> => ({ status: 201, body: '{"id":"wo_0002"}' }));

    // Act
    const result = await runIdempotently(store, scopeOf(), repeat);

    // Assert
    expect(result).toEqual({ ...created, replayed: true });
    expect(repeat).not.toHaveBeenCalled();
  });

  it('when the key was used with another request, it refuses with 422 and does not execute', async () => {
    // Arrange
    const store = new InMemoryIdempotencyStore();
    await runIdempotently(store, scopeOf(), async () => created);
    const otherRequest = scopeOf({
      fingerprint: fingerprint('POST', '/v1/work-orders', { ...createBody, priority: 'routine' }),
    });
    const execute = vi.fn(async () => created);

    // Act
    const attempt = runIdempotently(store, otherRequest, execute);

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(UnprocessableError);
    await expect(attempt).rejects.toMatchObject({
      status: 422,
      extensions: { errors: [expect.objectContaining({ field: 'header.idempotency-key' })] },
    });
    expect(execute).not.toHaveBeenCalled();
  });

  it('when another tenant uses the same key, it executes their request separately', async () => {
    // Arrange
    const store = new InMemoryIdempotencyStore();
    await runIdempotently(store, scopeOf(), async () => created);
    const execute = vi.fn(async (): Promise<StoredResponse> => ({ status: 201, body: '{"id":"wo_9"}' }));

    // Act
    const result = await runIdempotently(store, scopeOf({ tenantId: 'ten_globex' }), execute);

    // Assert
    expect(result).toEqual({ status: 201, body: '{"id":"wo_9"}', replayed: false });
    expect(execute).toHaveBeenCalledOnce();
  });

  it('when a client error response was stored, a repeat replays it', async () => {
    // Arrange
    const store = new InMemoryIdempotencyStore();
    const refused: StoredResponse = { status: 409, body: '{"title":"Conflict"}' };
    await runIdempotently(store, scopeOf(), async () => refused);
    const execute = vi.fn(async () => created);

    // Act
    const result = await runIdempotently(store, scopeOf(), execute);

    // Assert
    expect(result).toEqual({ ...refused, replayed: true });
    expect(execute).not.toHaveBeenCalled();
  });

  it('when the request answered 5xx, it frees the key so that a retry executes again', async () => {
    // Arrange
    const store = new InMemoryIdempotencyStore();
    const failed = await runIdempotently(store, scopeOf(), async () => ({ status: 503, body: '{}' }));
    const retry = vi.fn(async () => created);

    // Act
    const result = await runIdempotently(store, scopeOf(), retry);

    // Assert
    expect(failed).toEqual({ status: 503, body: '{}', replayed: false });
    expect(result).toEqual({ ...created, replayed: false });
    expect(retry).toHaveBeenCalledOnce();
  });

  it('when the request throws, it rethrows and frees the key so that a retry executes again', async () => {
    // Arrange
    const store = new InMemoryIdempotencyStore();
    const failure = new Error('DynamoDB unreachable');
    const first = runIdempotently(store, scopeOf(), async () => {
      throw failure;
    });
    await expect(first).rejects.toBe(failure);
    const retry = vi.fn(async () => created);

    // Act
    const result = await runIdempotently(store, scopeOf(), retry);

    // Assert
    expect(result).toEqual({ ...created, replayed: false });
    expect(retry).toHaveBeenCalledOnce();
  });

  it('when the same request arrives while the first is running, it waits and returns the first response', async () => {
    // Arrange
    const store = new InMemoryIdempotencyStore();
    const firstResponse = deferred<StoredResponse>();
    const first = runIdempotently(store, scopeOf(), () => firstResponse.promise);
    const repeat = vi.fn(async () => created);
    const second = runIdempotently(store, scopeOf(), repeat, 2_000);

    // Act
    await sleep(80);
    firstResponse.resolve(created);

    // Assert
    await expect(first).resolves.toEqual({ ...created, replayed: false });
    await expect(second).resolves.toEqual({ ...created, replayed: true });
    expect(repeat).not.toHaveBeenCalled();
  });

  it('when the first request runs longer than the wait, it refuses the repeat with ConflictError', async () => {
    // Arrange
    const store = new InMemoryIdempotencyStore();
    const firstResponse = deferred<StoredResponse>();
    const first = runIdempotently(store, scopeOf(), () => firstResponse.promise);
    const repeat = vi.fn(async () => created);

    // Act
    const second = runIdempotently(store, scopeOf(), repeat, 120);

    // Assert
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    expect(repeat).not.toHaveBeenCalled();
    firstResponse.resolve(created);
    await first;
  });
});
