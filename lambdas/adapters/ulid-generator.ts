import { monotonicFactory } from 'ulid';
import type { IdGenerator, IdPrefix } from '../ports/id-generator.ts';

const nextUlid = monotonicFactory();

/** Prefixed ULIDs, monotonic within a process so ids made in the same millisecond still sort. */
export const ulidGenerator: IdGenerator = {
  next: (prefix: IdPrefix) => `${prefix}_${nextUlid()}`,
};
