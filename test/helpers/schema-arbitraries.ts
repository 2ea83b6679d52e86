import fc from 'fast-check';
import { z } from 'zod';

/** The part of JSON Schema that `z.toJSONSchema` writes for the request schemas of the route table. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | false;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  default?: unknown;
  example?: unknown;
}

/** The request schema as JSON Schema, as the OpenAPI document describes it (the input side). */
export const jsonSchemaOf = (schema: z.ZodType): JsonSchema =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

/** Ids of records that exist, by prefix (`wo`, `cus`…): generated ids name one of them half the time. */
export type IdPools = Partial<Record<string, readonly string[]>>;

export interface ShapeOptions {
  /** Ids of a kind the pools know are always one of the pools' (never made up). */
  knownIdsOnly?: boolean;
  /**
   * Free text and numbers at their edges, still within the schema's bounds: the longest text,
   * control and bidirectional characters, lone surrogates, emoji; the bounds themselves, -0,
   * the smallest and largest doubles.
   */
  edgeValues?: boolean;
}

const edgeTexts = [
  '\u0000',
  'tab\there\r\nnew line',
  '\u202eevil\u202c',
  '\ud800',
  '\udfff\ud800',
  '👩🏽‍🔧 Ω ≈ ç 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '\ufeff',
  'O\'Brien & <Sons> "quoted"',
  '$fsm#tenantid_ten_other',
  'null',
];

function edgeTextOf(minLength: number, maxLength: number): fc.Arbitrary<string> {
  const fits = (text: string) => text.length >= minLength && text.length <= maxLength;
  const padded = (text: string) => (text.length >= minLength ? text : text.padEnd(minLength, 'x'));
  return fc.oneof(
    fc.constantFrom(
      ...edgeTexts.map(padded).filter(fits),
      'x'.repeat(Math.max(minLength, 1)).slice(0, maxLength),
    ),
    fc.constant(maxLength).map((length) => 'ü'.repeat(length)),
    fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, minLength + 40) }),
  );
}

const edgeNumbers = [
  0,
  -0,
  5e-324,
  -5e-324,
  1e-131,
  1e-130,
  0.1 + 0.2,
  2 ** 53 - 1,
  2 ** 53 + 2,
  1e125,
  1e126,
  1.7e308,
];

const prefixedIdPattern = /^\^([a-z]+)_\[0-9A-HJKMNP-TV-Z\]\{26\}\$$/;

/** A prefixed ULID nobody has: the shape is right, the record is not there. */
export const unknownId = (prefix: string) => fc.ulid().map((id) => `${prefix}_${id}`);

const instants = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
  .map((at) => at.toISOString());

const days = instants.map((at) => at.slice(0, 10));

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace(/^#\/\$defs\//, '');
  const target = root.$defs?.[name];
  if (!target) throw new Error(`No definition ${schema.$ref}`);
  return resolve(target, root);
}

function stringOf(schema: JsonSchema, pools: IdPools, options: ShapeOptions): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? minLength + 24, minLength + 24);
  if (schema.pattern) {
    const id = prefixedIdPattern.exec(schema.pattern);
    if (id?.[1]) {
      const known = pools[id[1]] ?? [];
      if (known.length === 0) return unknownId(id[1]);
      return options.knownIdsOnly
        ? fc.constantFrom(...known)
        : fc.oneof(fc.constantFrom(...known), unknownId(id[1]));
    }
    if (schema.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return days;
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter((text) => text.length >= minLength && text.length <= (schema.maxLength ?? Infinity));
  }
  if (schema.format === 'date-time') return instants;
  if (schema.format === 'date') return days;
  if (schema.format === 'email') return fc.emailAddress();
  if (options.edgeValues) return edgeTextOf(minLength, schema.maxLength ?? 10_000);
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength, maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength, maxLength }) },
  );
}

function numberOf(schema: JsonSchema, integer: boolean, options: ShapeOptions = {}): fc.Arbitrary<number> {
  const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum : -1e6);
  const high = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum : 1e6);
  if (options.edgeValues) {
    const within = (value: number) =>
      (schema.minimum === undefined || value >= schema.minimum) &&
      (schema.maximum === undefined || value <= schema.maximum) &&
      (schema.exclusiveMinimum === undefined || value > schema.exclusiveMinimum) &&
      (schema.exclusiveMaximum === undefined || value < schema.exclusiveMaximum) &&
      (!integer || Number.isInteger(value));
    const candidates = [
      ...edgeNumbers,
      ...[schema.minimum, schema.maximum].filter((bound): bound is number => bound !== undefined),
    ].filter(within);
    if (candidates.length > 0) return fc.constantFrom(...candidates);
  }
  if (integer) {
    const min = Math.max(Math.ceil(low + (schema.exclusiveMinimum !== undefined ? 1 : 0)), -1e9);
    const max = Math.min(Math.floor(high - (schema.exclusiveMaximum !== undefined ? 1 : 0)), 1e9);
    return fc.integer({ min, max: Math.max(min, max) });
  }
  return fc.double({
    min: Math.max(low, -1e9),
    max: Math.min(high, 1e9),
    minExcluded: schema.exclusiveMinimum !== undefined,
    maxExcluded: schema.exclusiveMaximum !== undefined,
    noNaN: true,
    noDefaultInfinity: true,
  });
}

/**
 * Values of the schema's shape: the right types, lengths, patterns and bounds. Checks the JSON
 * Schema cannot say (a day that exists, a refinement across fields) may still fail; callers
 * who need a valid value ask the zod schema itself.
 */
export function shapedValueOf(
  schema: JsonSchema,
  pools: IdPools = {},
  options: ShapeOptions = {},
  root: JsonSchema = schema,
): fc.Arbitrary<unknown> {
  const current = resolve(schema, root);
  if (current.const !== undefined) return fc.constant(current.const);
  if (current.enum) return fc.constantFrom(...current.enum);
  const alternatives = current.anyOf ?? current.oneOf;
  if (alternatives)
    return fc.oneof(...alternatives.map((alternative) => shapedValueOf(alternative, pools, options, root)));
  if (Array.isArray(current.type)) {
    return fc.oneof(...current.type.map((type) => shapedValueOf({ ...current, type }, pools, options, root)));
  }
  switch (current.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return numberOf(current, true, options);
    case 'number':
      return numberOf(current, false, options);
    case 'string':
      return stringOf(current, pools, options);
    case 'array': {
      if (current.prefixItems) {
        return fc.tuple(...current.prefixItems.map((item) => shapedValueOf(item, pools, options, root)));
      }
      const minLength = current.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(current.maxItems ?? 3, 3));
      const items = current.items ? shapedValueOf(current.items, pools, options, root) : fc.jsonValue();
      return fc.array(items, { minLength, maxLength });
    }
    case 'object': {
      const properties = current.properties ?? {};
      const record = fc.record(
        Object.fromEntries(
          Object.entries(properties).map(([name, property]) => [
            name,
            shapedValueOf(property, pools, options, root),
          ]),
        ),
        { requiredKeys: (current.required ?? []).filter((name) => name in properties) },
      );
      if (current.additionalProperties && typeof current.additionalProperties === 'object') {
        const extra = fc.dictionary(
          fc.string({ minLength: 1, maxLength: 12 }),
          shapedValueOf(current.additionalProperties, pools, options, root),
          { maxKeys: 3 },
        );
        return fc.tuple(record, extra).map(([known, more]) => ({ ...more, ...known }));
      }
      return record;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A value the zod schema accepts, when the shape generator finds one (`undefined` otherwise). */
export function validValueOf(schema: z.ZodType, pools: IdPools = {}): fc.Arbitrary<unknown> {
  return shapedValueOf(jsonSchemaOf(schema), pools).filter((value) => schema.safeParse(value).success);
}

/**
 * JSON text standing for a number that `JSON.stringify` cannot write: kept in a string until the
 * document is written, then put in bare (`-0`, `1e999`, a 30-digit integer).
 */
const rawNumberMark = '\u0000raw-number:';
export const rawNumber = (text: string) => `${rawNumberMark}${text}`;

/** Writes a value as JSON text, with the raw numbers put in bare; nothing for no value. */
export function toJsonText(value: unknown): string {
  return (JSON.stringify(value) ?? '').replace(/"\\u0000raw-number:([^"]*)"/g, '$1');
}

/** Nested arrays `depth` deep: a parser or validator that recurses must not fall over. */
export const deeplyNested = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? [value] : { nested: value };
  return value;
};

/** An object with an own `__proto__` member, as JSON.parse makes one. */
const prototypePollution = (): unknown => JSON.parse('{"__proto__":{"isAdmin":true},"constructor":{"x":1}}');

/** Values that break naive code: wrong types, edge numbers, odd text, injections, containers. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    2 ** 53 + 2,
    1e308,
    -1e308,
    5e-324,
    rawNumber('-0'),
    rawNumber('1e999'),
    rawNumber('-1e999'),
    rawNumber('123456789012345678901234567890'),
    rawNumber('1E-400'),
    '',
    ' ',
    '\u0000',
    '\u0007\u001b[31mred',
    '\ud800',
    '\udfff\ud800',
    '\u202eevil\u202c',
    '\ufeffbom',
    'Ωmega ≈ ç√ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩🏽‍🔧',
    'NaN',
    'Infinity',
    '-0',
    '1e308',
    "'; DROP TABLE work_orders; --",
    '<script>alert(1)</script>',
    '{{7*7}} #{7*7} <%= 7*7 %>',
    '../../../etc/passwd',
    '%00%2e%2e%2f',
    'wo_../../tenants',
    'x'.repeat(5_000),
    [],
    [null],
    {},
    { $ne: null },
    { S: 'attribute-value' },
  ),
  fc.constant(null).map(prototypePollution),
  fc.constant(null).map(() => deeplyNested(64)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }),
);

type Path = (string | number)[];

function pathsOf(value: unknown, path: Path = [], depth = 0): Path[] {
  const paths: Path[] = [path];
  if (depth > 6) return paths;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      paths.push(...pathsOf(item, [...path, index], depth + 1));
    });
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...path, key], depth + 1));
  }
  return paths;
}

function clone(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

type Mutation =
  | { kind: 'replace'; value: unknown }
  | { kind: 'remove' }
  | { kind: 'add'; key: string; value: unknown }
  | { kind: 'wrap' }
  | { kind: 'huge' };

/** Members a client must never set, and names that trip naive object handling. */
const sneakyKeys = [
  'tenantId',
  'status',
  'version',
  'id',
  'total',
  'createdBy',
  '__proto__',
  'constructor',
  '',
];

function mutate(value: unknown, at: Path, mutation: Mutation): unknown {
  const copy = clone(value);
  if (at.length === 0) {
    if (mutation.kind === 'replace') return mutation.value;
    if (mutation.kind === 'wrap') return [copy];
    if (mutation.kind === 'huge') return 'h'.repeat(300 * 1024);
    if (mutation.kind === 'add' && copy && typeof copy === 'object' && !Array.isArray(copy)) {
      Object.defineProperty(copy, mutation.key, { value: mutation.value, enumerable: true, writable: true });
      return copy;
    }
    return mutation.kind === 'remove' ? undefined : copy;
  }
  let parent = copy as Record<string | number, unknown>;
  for (const step of at.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = at[at.length - 1] as string | number;
  switch (mutation.kind) {
    case 'replace':
      parent[last] = mutation.value;
      break;
    case 'remove':
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
      break;
    case 'wrap':
      parent[last] = [parent[last]];
      break;
    case 'huge':
      parent[last] = 'h'.repeat(300 * 1024);
      break;
    case 'add': {
      const target = parent[last];
      if (target && typeof target === 'object' && !Array.isArray(target)) {
        Object.defineProperty(target, mutation.key, {
          value: mutation.value,
          enumerable: true,
          writable: true,
        });
      } else parent[last] = { [mutation.key]: mutation.value };
      break;
    }
  }
  return copy;
}

const mutations: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: hostileValue.map((value) => ({ kind: 'replace' as const, value })) },
  { weight: 3, arbitrary: fc.constant({ kind: 'remove' as const }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.oneof(fc.constantFrom(...sneakyKeys), fc.string({ maxLength: 10 })), hostileValue)
      .map(([key, value]) => ({ kind: 'add' as const, key, value })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'wrap' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'huge' as const }) },
);

/**
 * Malformed values for a schema: a value of the right shape with one thing broken in it (a
 * member of the wrong type or an edge value, one removed or added, wrapped in an array, made
 * huge), or something else altogether. Whether the result is still valid is for the caller
 * to ask the zod schema (an edge value may be allowed).
 */
export function malformedValueOf(schema: JsonSchema, pools: IdPools = {}): fc.Arbitrary<unknown> {
  const shaped = shapedValueOf(schema, pools);
  return fc.oneof(
    { weight: 1, arbitrary: hostileValue },
    {
      weight: 5,
      arbitrary: fc.tuple(shaped, fc.nat(), mutations).map(([value, pick, mutation]) => {
        const paths = pathsOf(value);
        return mutate(value, paths[pick % paths.length] ?? [], mutation);
      }),
    },
  );
}

/** Bodies that are not JSON, or not one JSON document. */
export const brokenJsonText = fc.constantFrom(
  '{',
  '}',
  '{"a":}',
  "{'single':'quotes'}",
  '{"trailing":1,}',
  '[1,2',
  'NaN',
  'Infinity',
  '-Infinity',
  'undefined',
  '\ufeff{}',
  '{"a":1}garbage',
  '{"a":1}{"b":2}',
  '{"a":"\u0001raw control"}',
  '{"a":"\\x41"}',
  '{"a":"\\ud800"',
  '<xml/>',
  'a=1&b=2',
  '\u0000\u0000',
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
);
