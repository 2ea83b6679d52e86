import type { FieldProblem } from './errors.ts';

/** DynamoDB keeps numbers of magnitude 1e-130 to below 1e126 (and 0); JSON can say more. */
const smallest = 1e-130;
const beyondLargest = 1e126;

/** Deeper than any request schema goes: what lies below is refused by the schema anyway. */
const maxDepth = 16;

/**
 * The numbers in a request body that could never be stored (5e-324, 1e200, the Infinity that
 * `1e999` parses to), each named as a field (`body.homeBase.latitude`): refused as bad input
 * where the request arrives, rather than failing at the table.
 */
export function unstorableNumbers(value: unknown, at: string[] = ['body'], depth = 0): FieldProblem[] {
  if (typeof value === 'number') {
    const size = Math.abs(value);
    return value === 0 || (size >= smallest && size < beyondLargest)
      ? []
      : [{ field: at.join('.'), message: 'must be 0 or between 1e-130 and 1e126 in size' }];
  }
  if (depth >= maxDepth || value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value);
  return entries.flatMap(([key, item]) => unstorableNumbers(item, [...at, key], depth + 1));
}
