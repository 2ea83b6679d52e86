import fc from 'fast-check';
import type { z } from 'zod';
import type { RouteDefinition } from '../../lambdas/handlers/api/routes.ts';
import { unstorableNumbers } from '../../lambdas/shared/storable-numbers.ts';
import type { RawRequest, RawResponse } from './raw-http.ts';
import {
  brokenJsonText,
  hostileValue,
  type IdPools,
  type JsonSchema,
  jsonSchemaOf,
  malformedValueOf,
  shapedValueOf,
  toJsonText,
  unknownId,
} from './schema-arbitraries.ts';

/** The parts of a request a 400 names (`path.id`, `query.limit`, `body.customer.phone`, `header.idempotency-key`). */
export type RequestPart = 'path' | 'query' | 'body' | 'header';

/** What the fuzz requests may use of the tenant they run in. */
export interface FuzzTenant {
  /** A bearer token allowed on every route (an admin's). */
  token: string;
  /** Records that exist, by id prefix: reads name them, writes only when another part is broken. */
  pools: IdPools;
  /** Customer link tokens that open a page, by the page's path prefix (`/pages/appointment/`). */
  linkTokens: Record<string, string>;
  /** Cursors of other lists and of another tenant's lists. */
  foreignCursors: string[];
}

export interface FuzzCase {
  route: RouteDefinition;
  request: RawRequest;
  /** The parts that the route's own schemas (or the HTTP rules) refuse: the answer must be a 4xx naming one of them. */
  broken: RequestPart[];
}

const parameterNames = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);

/** Decodes a path segment as the gateway does: text that does not decode stays as it came. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The query as API Gateway hands it over: repeated names joined with commas. */
export function queryObject(rawQuery: string): Record<string, string> | undefined {
  if (rawQuery === '') return undefined;
  const search = new URLSearchParams(rawQuery);
  const names = [...new Set(search.keys())];
  return names.length === 0
    ? undefined
    : Object.fromEntries(names.map((name) => [name, search.getAll(name).join(',')]));
}

const idPrefixOf = (schema: JsonSchema | undefined) =>
  /^\^([a-z]+)_\[0-9A-HJKMNP-TV-Z\]/.exec(schema?.pattern ?? '')?.[1];

const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** Path segments that no route's id or token accepts, or that try to leave their segment. */
const malformedSegment = (prefix: string | undefined): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      '..%2F..%2Fcustomers',
      '%2e%2e',
      '..%5C..%5Cwindows',
      '%E0%A4%A',
      '%',
      '%zz',
      '%C0%AF',
      '%FF%FE',
      '%00',
      '%0D%0ASet-Cookie:%20x=1',
      '%F0%9F%94%A5',
      "wo_01'OR'1'='1",
      '%7B%22%24ne%22%3Anull%7D',
      'null',
      'undefined',
      '-1',
      '0',
      'A'.repeat(4_000),
    ),
    fc.ulid().map((id) => `${prefix === 'cus' ? 'wo' : 'cus'}_${id}`),
    fc.ulid().map((id) => `${prefix ?? 'wo'}_${id.toLowerCase()}`),
    fc.ulid().map((id) => `${prefix ?? 'wo'}_${id.slice(0, 20)}`),
    fc.ulid().map((id) => `${prefix ?? 'wo'}_${id}${id}`),
    fc.ulid().map((id) => `${prefix ?? 'wo'}_${id.slice(0, 25)}U`),
    fc.ulid().map((id) => `${prefix ?? 'wo'}_${id}`.replace('_', '%5F')),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(encode),
  );

/** Link tokens that open nothing: made up, or a real one altered. */
const forgedLinkTokens = (real: string | undefined): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      'k1.e30.AAAA',
      `k1.${base64url('{"t":"ten_other","w":"wo_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3","p":"view"}')}.c2ln`,
      `none.${base64url('{"alg":"none"}')}.`,
      'a.b.c',
      `${'k'.repeat(600)}.${'c'.repeat(600)}.s`,
    ),
    fc.string({ maxLength: 40 }).map(encode),
    real
      ? fc.nat({ max: real.length - 1 }).map((at) => {
          const flipped = real[at] === 'A' ? 'B' : 'A';
          return real[at] === '.' ? `${real}A` : `${real.slice(0, at)}${flipped}${real.slice(at + 1)}`;
        })
      : fc.constant('k1.e30.AAAA'),
  );

const limitValues = fc.constantFrom(
  '0',
  '-1',
  '101',
  '100000',
  '1e308',
  '-0',
  'NaN',
  'Infinity',
  'abc',
  '',
  '1.5',
  '0x10',
  ' 5',
  '5 ',
  '9'.repeat(400),
  '%00',
);

const cursorValues = (foreign: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      'garbage',
      '',
      'e30',
      base64url('{"pk":"$fsm#tenantid_ten_other","sk":"$x"}'),
      base64url('{"pk":{"S":"x"}}'),
      base64url('[1,2,3]'),
      base64url('null'),
      base64url('"just a string"'),
      'x'.repeat(3_000),
      '%E0%A4%A',
    ),
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.base64String({ maxLength: 120 }),
    foreign.length > 0 ? fc.constantFrom(...foreign) : fc.constant('e30'),
  );

/** `name=value` pairs that a query schema might refuse, and some it might take. */
function queryPairs(schema: z.ZodType | undefined, tenant: FuzzTenant): fc.Arbitrary<[string, string][]> {
  const shape = schema ? jsonSchemaOf(schema) : undefined;
  const properties = Object.keys(shape?.properties ?? {});
  const shaped = shape
    ? shapedValueOf(shape, tenant.pools).map((value) =>
        Object.entries((value ?? {}) as Record<string, unknown>).map(
          ([name, item]) => [name, String(item)] as [string, string],
        ),
      )
    : fc.constant([] as [string, string][]);
  const odd: fc.Arbitrary<[string, string]> = fc.oneof(
    limitValues.map((value) => ['limit', value] as [string, string]),
    cursorValues(tenant.foreignCursors).map((value) => ['cursor', value] as [string, string]),
    fc.constantFrom<[string, string]>(
      ['limit', '1'],
      ['limit', '2'],
      ['tenantId', 'ten_other'],
      ['__proto__', 'x'],
      ['constructor', 'x'],
      ['version', '-1'],
      ['version', 'abc'],
    ),
    properties.length > 0
      ? fc
          .tuple(fc.constantFrom(...properties), hostileValue)
          .map(([name, value]) => [name, typeof value === 'string' ? value : (JSON.stringify(value) ?? '')])
      : fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })),
  ) as fc.Arbitrary<[string, string]>;
  return fc
    .tuple(shaped, fc.array(odd, { maxLength: 3 }))
    .map(([pairs, extra]) => [...pairs, ...extra] as [string, string][]);
}

/** Percent-encodes text, lone surrogates as U+FFFD (they have no UTF-8). */
const encode = (text: string) => encodeURIComponent(text.toWellFormed());

const encodeQuery = (pairs: [string, string][]) =>
  pairs.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&');

/** Content types a JSON route must refuse (415) and some it takes. */
const contentTypes = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/merge-patch+json',
      'text/plain',
      'text/html',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=xyz',
      'application/jsonp',
      'application/octet-stream',
      '',
      '*/*',
    ),
  },
);

const jsonContentType = (type: string | undefined) => /^application\/(.+\+)?json\b/i.test(type ?? '');

const badIdempotencyKeys = fc.constantFrom(
  ' ',
  'has space',
  'tab\there',
  'caf\u00e9',
  'k'.repeat(256),
  '\u00ff\u00fe',
);

const oddIfMatch = fc.constantFrom(
  'abc',
  '"-1"',
  '*',
  'W/"x"',
  '"1.5"',
  '"99999999999999999999999"',
  '"0"',
  '',
);

/** A form body: the schema's fields as typed into a browser, or something else posted to the page. */
function formBody(schema: z.ZodType | undefined, tenant: FuzzTenant) {
  const shape = schema ? jsonSchemaOf(schema) : undefined;
  const fields = shape
    ? shapedValueOf(shape, tenant.pools).map((value) =>
        Object.entries((value ?? {}) as Record<string, unknown>).map(
          ([name, item]) =>
            [name, typeof item === 'string' ? item : JSON.stringify(item)] as [string, string],
        ),
      )
    : fc.constant([] as [string, string][]);
  const hostileField = fc
    .tuple(
      fc.oneof(
        fc.constantFrom(...Object.keys(shape?.properties ?? { name: {} })),
        fc.string({ maxLength: 8 }),
      ),
      fc.oneof(
        hostileValue.map((value) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))),
        fc.constant('x'.repeat(3_000)),
      ),
    )
    .map(([name, value]) => [name, value] as [string, string]);
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(fields, fc.array(hostileField, { maxLength: 3 }), fc.boolean())
        .map(([typed, extra, dropOne]) => {
          const pairs = [...typed, ...extra];
          if (dropOne && pairs.length > 0) pairs.shift();
          return {
            text: new URLSearchParams(pairs).toString(),
            contentType: 'application/x-www-form-urlencoded',
          };
        }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        { text: '%E0%A4%A=%zz&&&==', contentType: 'application/x-www-form-urlencoded' },
        { text: '{"signerName":"Pat"}', contentType: 'application/json' },
        { text: 'x'.repeat(300 * 1024), contentType: 'application/x-www-form-urlencoded' },
        { text: 'a=1', contentType: 'text/plain' },
        { text: '', contentType: 'application/x-www-form-urlencoded' },
      ),
    },
  );
}

/** Whether a JSON body passes where requests arrive: the route's schema, and numbers the table can store. */
export const takesJsonBody = (schema: z.ZodType, body: unknown) =>
  schema.safeParse(body).success && unstorableNumbers(body).length === 0;

/** The parts the route's schemas and the HTTP rules refuse, worked out as the handlers will. */
function brokenParts(
  route: RouteDefinition,
  request: {
    segments: Record<string, string>;
    rawQuery: string;
    body?: string;
    headers: Record<string, string>;
  },
): RequestPart[] {
  const broken: RequestPart[] = [];
  const schemas = route.request ?? {};
  const params = Object.fromEntries(
    Object.entries(request.segments).map(([name, segment]) => [name, decodeSegment(segment)]),
  );
  if (schemas.params && !schemas.params.safeParse(params).success) broken.push('path');
  if (!route.page && schemas.query && !schemas.query.safeParse(queryObject(request.rawQuery) ?? {}).success) {
    broken.push('query');
  }
  const key = request.headers['idempotency-key'];
  if (route.method === 'POST' && !route.page && key !== undefined && !/^[\x21-\x7e]{1,255}$/.test(key)) {
    broken.push('header');
  }
  const text = request.body ?? '';
  const size = Buffer.byteLength(text);
  if (route.rawBody) {
    broken.push('header', 'body');
  } else if (route.page) {
    if (route.method === 'POST') {
      const empty = text.trim() === '';
      const form =
        !empty && !/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '');
      if (size > 256 * 1024 || form) broken.push('body');
      else {
        const fields = empty ? {} : Object.fromEntries(new URLSearchParams(text));
        const parsed = schemas.body?.safeParse(fields);
        if (parsed && (!parsed.success || unstorableNumbers(parsed.data).length > 0)) broken.push('body');
      }
    }
  } else if (schemas.body) {
    if (size > 256 * 1024) broken.push('body');
    else if (text.trim() !== '') {
      if (!jsonContentType(request.headers['content-type'])) broken.push('header');
      else {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
          if (!takesJsonBody(schemas.body, parsed)) broken.push('body');
        } catch {
          broken.push('body');
        }
      }
    } else if (!schemas.body.safeParse({}).success) broken.push('body');
  }
  return broken;
}

interface Draft {
  segments: Record<string, string>;
  realSegments: boolean;
  query: [string, string][];
  body?: { text: string; contentType: string } | undefined;
  headers: Record<string, string>;
}

/**
 * Fuzz requests for one route, from its schemas: its path ids malformed, forged or unknown;
 * its query out of range, repeated, with garbage or foreign cursors; its body malformed (wrong
 * types, members missing or extra, edge numbers, odd text, huge, deeply nested, not JSON, not
 * the right content type); its headers bad. A request every part of which the route would take
 * is kept only when it cannot change anything: a read, or a write naming records that do not exist.
 */
export function fuzzCasesOf(route: RouteDefinition, tenant: FuzzTenant): fc.Arbitrary<FuzzCase | undefined> {
  const names = parameterNames(route.path);
  const paramsShape = route.request?.params ? jsonSchemaOf(route.request.params) : undefined;
  const isRead = route.method === 'GET';
  const realToken = Object.entries(tenant.linkTokens).find(([prefix]) => route.path.startsWith(prefix))?.[1];

  const segment = (name: string): fc.Arbitrary<{ text: string; real: boolean }> => {
    const property = paramsShape?.properties?.[name];
    const prefix = idPrefixOf(property);
    const known = prefix ? (tenant.pools[prefix] ?? []) : realToken ? [realToken] : [];
    const wellFormed = prefix ? unknownId(prefix) : fc.constant('k1.e30.AAAA');
    return fc.oneof(
      { weight: 3, arbitrary: wellFormed.map((text) => ({ text, real: false })) },
      {
        weight: known.length > 0 ? 3 : 0,
        arbitrary: fc
          .constantFrom(...(known.length > 0 ? known : ['-']))
          .map((text) => ({ text, real: true })),
      },
      {
        weight: 2,
        arbitrary: (prefix ? malformedSegment(prefix) : forgedLinkTokens(realToken)).map((text) => ({
          text,
          real: false,
        })),
      },
    );
  };
  const segments = fc.tuple(...names.map((name) => segment(name))).map((picked) => ({
    segments: Object.fromEntries(names.map((name, index) => [name, picked[index]?.text ?? ''])),
    real: picked.some((item) => item?.real),
  }));

  const hasBody = route.method !== 'GET';
  const bodySchema = route.request?.body;
  const bodyShape = bodySchema ? jsonSchemaOf(bodySchema) : undefined;
  const jsonBody: fc.Arbitrary<{ text: string; contentType: string } | undefined> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(bodyShape ? malformedValueOf(bodyShape, tenant.pools) : hostileValue, contentTypes)
        .map(([value, contentType]) => ({ text: toJsonText(value), contentType })),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(bodyShape ? shapedValueOf(bodyShape, tenant.pools) : fc.constant({}), contentTypes)
        .map(([value, contentType]) => ({ text: toJsonText(value), contentType })),
    },
    {
      weight: 2,
      arbitrary: brokenJsonText.map((text) => ({ text, contentType: 'application/json' })),
    },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const body = !hasBody
    ? fc.constant(undefined)
    : route.page
      ? formBody(bodySchema, tenant)
      : route.rawBody
        ? fc
            .tuple(
              fc.oneof(
                brokenJsonText,
                hostileValue.map((value) => toJsonText(value)),
              ),
              contentTypes,
            )
            .map(([text, contentType]) => ({ text, contentType }))
        : jsonBody;

  const headers = fc.record(
    {
      idempotencyKey: fc.oneof(badIdempotencyKeys, fc.uuid()),
      ifMatch: oddIfMatch,
      stripeSignature: fc.constantFrom(
        '',
        't=1,v1=00',
        't=abc',
        `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`,
      ),
      junk: fc.constantFrom('x'.repeat(8_000), '\u00e9\u00e8', 'a\tb'),
    },
    { requiredKeys: [] },
  );

  const query = route.page ? fc.constant([] as [string, string][]) : queryPairs(route.request?.query, tenant);

  return fc
    .record({
      segments,
      query: fc.oneof(
        { weight: 2, arbitrary: fc.constant([] as [string, string][]) },
        { weight: 1, arbitrary: query },
      ),
      body,
      headers,
    })
    .map(
      ({ segments: picked, query: pairs, body: sent, headers: extra }): Draft => ({
        segments: picked.segments,
        realSegments: picked.real,
        query: pairs,
        body: sent,
        headers: {
          ...(route.auth === 'public' ? {} : { authorization: `Bearer ${tenant.token}` }),
          ...(sent?.contentType ? { 'content-type': sent.contentType } : {}),
          ...(extra.idempotencyKey !== undefined && route.method === 'POST'
            ? { 'idempotency-key': extra.idempotencyKey }
            : {}),
          ...(extra.ifMatch !== undefined && !isRead ? { 'if-match': extra.ifMatch } : {}),
          ...(extra.stripeSignature !== undefined && route.rawBody
            ? { 'stripe-signature': extra.stripeSignature }
            : {}),
          ...(extra.junk !== undefined ? { 'x-junk': extra.junk } : {}),
        },
      }),
    )
    .map((draft) => {
      const rawQuery = encodeQuery(draft.query);
      const broken = brokenParts(route, {
        segments: draft.segments,
        rawQuery,
        ...(draft.body ? { body: draft.body.text } : {}),
        headers: draft.headers,
      });
      // A write every part of which the route takes would do what it says: keep it only when the
      // records it names do not exist (and it names some).
      if (!isRead && broken.length === 0 && (draft.realSegments || names.length === 0)) return undefined;
      const path = names.reduce(
        (built, name) => built.replace(`{${name}}`, draft.segments[name] ?? ''),
        route.path,
      );
      return {
        route,
        broken,
        request: {
          method: route.method,
          path: rawQuery ? `${path}?${rawQuery}` : path,
          headers: draft.headers,
          ...(draft.body ? { body: draft.body.text } : {}),
        },
      };
    });
}

const leaks =
  /\n\s+at |node_modules|ElectroError|ValidationException|ConditionalCheckFailed|TypeError|Cannot read/;

/**
 * What is wrong with an answer, or undefined: never a 5xx; a JSON route answers a refusal as
 * `application/problem+json` with its title and status (a 400 naming the fields, one of them in
 * a part that was broken), a page as a friendly HTML page; a request with a broken part is
 * refused; nothing internal shows.
 */
export function judge(fuzz: FuzzCase, response: RawResponse): string | undefined {
  const { route, broken } = fuzz;
  const { status } = response;
  const type = response.headers['content-type'] ?? '';
  if (status >= 500 || status < 100) return `answered ${status}`;
  if (leaks.test(response.text)) return `answered ${status} with internals: ${response.text.slice(0, 200)}`;
  if (broken.length > 0 && (status < 400 || status >= 500)) {
    return `took a request with a broken ${broken.join(', ')} (${status})`;
  }
  // A path that matches no route is answered by the gateway itself, as API Gateway would.
  const routed = !(status === 404 && type.startsWith('application/problem+json'));
  if (route.page && routed) {
    if (status === 303) return broken.length > 0 ? 'redirected after a broken form' : undefined;
    if (!type.startsWith('text/html')) return `a page answered ${status} as ${type}`;
    if (!/<html[\s>]/i.test(response.text)) return `a page answered ${status} without an HTML page`;
    return undefined;
  }
  if (status < 400) {
    return type.startsWith('application/json') ? undefined : `answered ${status} as ${type}`;
  }
  if (!type.startsWith('application/problem+json')) return `refused with ${status} as ${type}`;
  let problem: { title?: unknown; status?: unknown; errors?: { field?: unknown }[] };
  try {
    problem = JSON.parse(response.text);
  } catch {
    return `refused with ${status} and a body that is not JSON`;
  }
  if (typeof problem.title !== 'string' || problem.title === '') return 'a problem without a title';
  if (problem.status !== status) return `a problem whose status ${String(problem.status)} is not ${status}`;
  if (status === 400) {
    const fields = (problem.errors ?? []).map((error) => error.field);
    if (fields.length === 0 || fields.some((field) => typeof field !== 'string')) {
      return 'a 400 that names no field';
    }
    const inPart = (field: string, part: RequestPart) => field === part || field.startsWith(`${part}.`);
    const named =
      broken.length === 0 || fields.some((field) => broken.some((part) => inPart(String(field), part)));
    if (!named) return `a 400 naming ${fields.join(', ')}, none in the broken ${broken.join(', ')}`;
  }
  return undefined;
}

/**
 * Requests a write route takes (its schemas pass), naming the tenant's own records, with text and
 * numbers at their edges: the longest text, control and bidirectional characters, lone
 * surrogates, the bounds, -0, the smallest and largest doubles. They may change the tenant; the
 * answer must still never be a 5xx.
 */
export function edgeCasesOf(route: RouteDefinition, tenant: FuzzTenant): fc.Arbitrary<FuzzCase | undefined> {
  const schema = route.request?.body;
  const names = parameterNames(route.path);
  const paramsShape = route.request?.params ? jsonSchemaOf(route.request.params) : undefined;
  const idOf = (name: string) => {
    const prefix = idPrefixOf(paramsShape?.properties?.[name]);
    const known = prefix ? (tenant.pools[prefix] ?? []) : [];
    return known.length > 0 ? fc.constantFrom(...known) : prefix ? unknownId(prefix) : fc.constant('x');
  };
  const body = schema
    ? shapedValueOf(jsonSchemaOf(schema), tenant.pools, { knownIdsOnly: true, edgeValues: true })
    : fc.constant(undefined);
  return fc
    .tuple(fc.tuple(...names.map(idOf)), body, fc.option(fc.uuid(), { nil: undefined }))
    .map(([ids, value, key]) => {
      if (schema && !schema.safeParse(value).success) return undefined;
      const path = names.reduce(
        (built, name, index) => built.replace(`{${name}}`, ids[index] ?? ''),
        route.path,
      );
      return {
        route,
        broken: [],
        request: {
          method: route.method,
          path,
          headers: {
            authorization: `Bearer ${tenant.token}`,
            'content-type': 'application/json',
            ...(key && route.method === 'POST' ? { 'idempotency-key': key } : {}),
          },
          ...(value === undefined ? {} : { body: toJsonText(value) }),
        },
      };
    });
}
