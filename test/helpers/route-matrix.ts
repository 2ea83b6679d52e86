import { mkdir, writeFile } from 'node:fs/promises';
import { ulid } from 'ulid';
import { inject } from 'vitest';
import { type RouteDefinition, routes } from '../../lambdas/handlers/api/routes.ts';
import type { Role } from '../../lambdas/shared/roles.ts';
import type { Business } from './business-fixture.ts';
import type { Crew } from './crew.ts';
import { tokenFor } from './local-platform.ts';
import {
  isAboutAWorkOrder,
  pathFor,
  type SampleRequest,
  sampleRequests,
  withQuery,
} from './route-samples.ts';

/** Who asks: the office, the technician assigned to the tenant's jobs or one who is not, a customer's link, or nobody. */
export const callers = [
  'admin',
  'dispatcher',
  'assignedTechnician',
  'unassignedTechnician',
  'customerLink',
  'none',
] as const;
export type Caller = (typeof callers)[number];

/** Whether the caller belongs to the tenant whose records the request names, or to another one. */
export const sides = ['own', 'other'] as const;
export type Side = (typeof sides)[number];

export const roleOf = (caller: Caller): Role | undefined =>
  caller === 'admin' || caller === 'dispatcher'
    ? caller
    : caller === 'assignedTechnician' || caller === 'unassignedTechnician'
      ? 'technician'
      : undefined;

/** The bearer tokens of every caller, on both sides. */
export type Credentials = Record<Side, Record<Caller, string | undefined>>;

/**
 * The other tenant's technicians: one whose token names the very technician id the business
 * assigned its jobs to (an id is only unique within its tenant), and its own.
 */
export async function credentialsOf(
  business: Business,
  neighbour: { crew: Crew; viewLink: string },
): Promise<Credentials> {
  const { crew } = business;
  return {
    own: {
      admin: crew.admin,
      dispatcher: crew.dispatcher,
      assignedTechnician: crew.technician,
      unassignedTechnician: crew.otherTechnician,
      customerLink: business.links.view,
      none: undefined,
    },
    other: {
      admin: neighbour.crew.admin,
      dispatcher: neighbour.crew.dispatcher,
      assignedTechnician: await tokenFor('technician', neighbour.crew.tenant.tenantId, {
        technicianId: business.ids.technicianId,
      }),
      unassignedTechnician: neighbour.crew.technician,
      customerLink: neighbour.viewLink,
      none: undefined,
    },
  };
}

/**
 * What a case must answer:
 * - `status`: exactly this (401 no valid token, 403 a role the route does not allow, 404 a
 *   record the caller may not see);
 * - `allowed`: past authorization — a GET 200, a change 2xx or the domain's 409/422 (the
 *   record's state), never 400, 401, 403, 404 or 5xx;
 * - `ownDataOnly`: allowed, and nothing of the other tenant in the answer;
 * - `likeMadeUpIds`: another tenant's records named in a body or query are refused exactly as ids
 *   that exist nowhere (the same 400 naming the same fields, or 404): nothing tells them apart;
 * - `public`: what anyone gets, token or none.
 */
export type Expectation =
  | { kind: 'status'; status: 401 | 403 | 404 }
  | { kind: 'allowed' }
  | { kind: 'ownDataOnly' }
  | { kind: 'likeMadeUpIds' }
  | { kind: 'public' };

/** Whether the request's query or body names any of the tenant's records. */
export function namesRecords(sample: SampleRequest, recordIds: readonly string[]) {
  const sent = JSON.stringify({ query: sample.query ?? {}, body: sample.body ?? {} });
  return recordIds.some((id) => sent.includes(id));
}

/** The same text with each of the records' ids swapped for a made-up id of the same kind. */
export function withMadeUpIds(text: string, recordIds: readonly string[]): string {
  return recordIds.reduce((result, id) => {
    const prefix = /^[a-z]+_/.exec(id)?.[0];
    return prefix ? result.replaceAll(id, `${prefix}${ulid()}`) : result;
  }, text);
}

/** The answer a route owes a caller, from its declared roles alone (and what the request names). */
export function expectationFor(
  route: RouteDefinition,
  caller: Caller,
  side: Side,
  sample: SampleRequest,
  recordIds: readonly string[],
): Expectation {
  if (route.auth === 'public') return { kind: 'public' };
  const role = roleOf(caller);
  if (!role) return { kind: 'status', status: 401 };
  if (!route.auth.roles.includes(role)) return { kind: 'status', status: 403 };
  if (caller === 'unassignedTechnician' && sample.technicianOwn && !isAboutAWorkOrder(route)) {
    // Whose things they are is settled before which tenant has them.
    return { kind: 'status', status: sample.technicianOwn };
  }
  if (side === 'other') {
    if (namesRecords(sample, recordIds)) return { kind: 'likeMadeUpIds' };
    return route.path.includes('{') ? { kind: 'status', status: 404 } : { kind: 'ownDataOnly' };
  }
  if (caller === 'unassignedTechnician') {
    if (isAboutAWorkOrder(route)) return { kind: 'status', status: 404 };
    if (sample.technicianOwn) return { kind: 'status', status: sample.technicianOwn };
  }
  return { kind: 'allowed' };
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  text: string;
  location?: string;
}

/** One request over real HTTP, redirects not followed, the answer read as text whatever it is. */
export async function send(
  method: string,
  path: string,
  options: { bearer?: string; json?: unknown; form?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = options.bearer ? { authorization: `Bearer ${options.bearer}` } : {};
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const response = await fetch(`${inject('apiUrl')}${path}`, {
    method,
    headers,
    redirect: 'manual',
    ...(body === undefined ? {} : { body }),
  });
  const location = response.headers.get('location');
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
    ...(location ? { location } : {}),
  };
}

/** Runs `work` over the items, at most `limit` at a time, answering in the items' order. */
export async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Why an answer does not meet its expectation, or undefined when it does. */
export function mismatch(
  expectation: Expectation,
  request: { method: string; path: string; body?: unknown },
  answer: HttpAnswer,
  unseen: { foreignIds: readonly string[]; publicAnswer?: HttpAnswer; madeUpAnswer?: HttpAnswer },
): string | undefined {
  const { method } = request;
  if (answer.status >= 500) return `a ${answer.status}`;
  // Ids the caller sent may come back (a 404 names what was not found); no other of the foreign ones.
  const sent = `${request.path} ${JSON.stringify(request.body ?? null)}`;
  const leaked = unseen.foreignIds.filter((id) => !sent.includes(id) && answer.text.includes(id));
  switch (expectation.kind) {
    case 'status':
      if (answer.status !== expectation.status) return `${answer.status} instead of ${expectation.status}`;
      if (!answer.contentType.startsWith('application/problem+json'))
        return `a ${answer.contentType} refusal`;
      return leaked.length > 0 ? `the refusal names ${leaked.join(', ')}` : undefined;
    case 'likeMadeUpIds': {
      const fields = (text: string) =>
        JSON.stringify(
          (JSON.parse(text) as { errors?: { field: string }[] }).errors?.map((error) => error.field),
        );
      const madeUp = unseen.madeUpAnswer;
      if (![400, 404].includes(answer.status)) return `${answer.status}: ${answer.text.slice(0, 300)}`;
      if (answer.status !== madeUp?.status || fields(answer.text) !== fields(madeUp.text)) {
        return `${answer.text.slice(0, 200)} but for made-up ids ${madeUp?.text.slice(0, 200)}`;
      }
      return leaked.length > 0 ? `the refusal names ${leaked.join(', ')}` : undefined;
    }
    case 'public':
      return answer.status === unseen.publicAnswer?.status
        ? undefined
        : `${answer.status}, anonymous ${unseen.publicAnswer?.status}`;
    case 'allowed':
    case 'ownDataOnly': {
      const fine =
        method === 'GET' ? answer.status === 200 : answer.status < 300 || [409, 422].includes(answer.status);
      if (!fine) return `${answer.status}: ${answer.text.slice(0, 300)}`;
      return leaked.length > 0 ? `answers ${leaked.join(', ')}` : undefined;
    }
  }
}

/** Records a suite's figures where the README's Reliability section takes them from. */
export async function recordFigures(name: string, figures: Record<string, unknown>) {
  await mkdir('test-results', { recursive: true });
  await writeFile(`test-results/${name}.json`, `${JSON.stringify(figures, null, 2)}\n`);
}

/** Leaves out what a read makes afresh each time: signed links and their expiry. */
const withoutFreshLinks = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(withoutFreshLinks)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value)
            .filter(([key]) => !/url|expires/i.test(key))
            .map(([key, inner]) => [key, withoutFreshLinks(inner)]),
        )
      : value;

/**
 * What an admin reads of the business's records through every GET of the route table that names
 * one: two reads equal mean nothing of them changed in between.
 */
export async function recordsAsRead(business: Business) {
  const readable = (routes as readonly RouteDefinition[]).filter(
    (route) =>
      route.method === 'GET' &&
      !route.page &&
      route.path.includes('{') &&
      // Worked out from the clock, or a document made afresh: not a record.
      !['listSlots', 'getInvoicePdf', 'getDispatchPackage', 'getCompletionReport'].includes(
        route.operationId,
      ),
  );
  return inBatches(readable, 6, async (route) => {
    const sample = sampleRequests[route.operationId]?.(business.ids) ?? {};
    const answer = await send('GET', withQuery(pathFor(route, business.ids), sample.query), {
      bearer: business.crew.admin,
    });
    return [route.operationId, answer.status, withoutFreshLinks(JSON.parse(answer.text))] as const;
  });
}
