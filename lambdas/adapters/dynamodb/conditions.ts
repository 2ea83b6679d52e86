/**
 * Condition builders for ElectroDB's `where` callbacks, shared by the stores. ElectroDB types a
 * callback by its entity, so a builder over any entity takes the loose types here and is passed
 * as `never` at the call site.
 */
export type Operations = Record<string, (...args: unknown[]) => string>;
export type Condition = (attributes: Record<string, unknown>, operations: Operations) => string;

/** `attribute = value`, or `attribute_not_exists(attribute)` when the value is absent. */
export const sameAs =
  (attribute: string, value: unknown): Condition =>
  (attributes, { eq, notExists }) =>
    value === undefined
      ? (notExists as (a: unknown) => string)(attributes[attribute])
      : (eq as (a: unknown, v: unknown) => string)(attributes[attribute], value);

/** Every condition holds (the empty ones left out). */
export const all =
  (...conditions: Condition[]): Condition =>
  (attributes, operations) =>
    conditions
      .map((condition) => condition(attributes, operations))
      .filter((expression) => expression !== '')
      .map((expression) => `(${expression})`)
      .join(' AND ');

/** The item's `status` is one of `statuses`. */
export const statusIn =
  (statuses: readonly string[]): Condition =>
  ({ status }, { eq }) =>
    statuses.map((allowed) => (eq as (a: unknown, v: unknown) => string)(status, allowed)).join(' OR ');
