import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { type RouteDefinition, routes } from '../../lambdas/handlers/api/routes.ts';
import type { Role } from '../../lambdas/shared/roles.ts';
import { aBusiness, type Business } from '../helpers/business-fixture.ts';
import { tableEntities } from '../helpers/local-platform.ts';
import { inBatches, recordFigures, recordsAsRead, send } from '../helpers/route-matrix.ts';
import { pathFor, sampleRequests, withQuery } from '../helpers/route-samples.ts';
import { acceptsMember, looseObjectsIn } from '../helpers/schema-members.ts';

const entities = tableEntities();
const table = routes as readonly RouteDefinition[];

/** Routes that take a JSON body a client writes: every POST and PATCH of the API with a body schema. */
const writes = table.filter(
  (route) => !route.page && ['POST', 'PATCH'].includes(route.method) && route.request?.body !== undefined,
);
const pageForms = table.filter((route) => route.page && route.request?.body !== undefined);

/**
 * What only the server sets: a record's state, its money, its tenant, its version, its ids and its
 * history. A member the contract names and takes with such a value (the customer a new work order
 * is for) is the client's to send; any other is refused, a named one (`status: paid` to the field
 * status, `total` of an invoice) as much as an unknown one.
 */
const serverOwned: Record<string, unknown> = {
  status: 'paid',
  total: 1,
  subtotal: 1,
  tax: 0,
  amountPaid: 1_000_000,
  balance: 0,
  tenantId: `ten_${ulid().toLowerCase()}`,
  version: 1,
  id: `wo_${ulid()}`,
  workOrderId: `wo_${ulid()}`,
  invoiceId: `inv_${ulid()}`,
  customerId: `cus_${ulid()}`,
  createdAt: '2020-01-01T00:00:00.000Z',
  updatedAt: '2020-01-01T00:00:00.000Z',
  createdBy: 'someone-else',
  paidAt: '2020-01-01T00:00:00.000Z',
};

/** A form each page takes as a customer fills it in (the slot and hash need not be real to be read). */
const filledForms: Record<string, Record<string, string>> = {
  updateAccessNotesPage: { accessNotes: 'Gate code 4321' },
  rescheduleFromPage: { slot: `2030-01-01T15:00:00.000Z~tec_${ulid()}` },
  cancelFromPage: { reason: 'Fixed it ourselves' },
  signFromPage: { signerName: 'Pat Doe', summaryHash: 'a'.repeat(64), confirm: 'yes' },
  payFromPage: {},
};

/** The first role of the route's that a token of the business has: the office first. */
const roleFor = (route: RouteDefinition): Role =>
  route.auth === 'public'
    ? 'admin'
    : ((['admin', 'dispatcher', 'technician'] as const).find(
        (role) => route.auth !== 'public' && route.auth.roles.includes(role),
      ) ?? 'admin');

describe('property-level authorization: clients set only what the contract lets them', () => {
  let business: Business;
  const figures = { routes: writes.length, cases: 0, contractFields: [] as string[], failures: 0 };

  beforeAll(async () => {
    business = await aBusiness(entities);
  });

  afterAll(async () => {
    await recordFigures('property-authorization', figures);
  });

  it('when a route takes a JSON body, every object in its schema refuses members it does not name', () => {
    // Act
    const loose = writes.flatMap((route) =>
      looseObjectsIn(route.request?.body as z.ZodType).map((path) => `${route.operationId}: ${path}`),
    );

    // Assert
    expect(loose).toEqual([]);
  });

  it('when a customer posts a page form with fields the server owns, the page never receives them', () => {
    // Arrange
    const received: string[] = [];

    // Act
    for (const route of pageForms) {
      const form = {
        ...(filledForms[route.operationId] ?? {}),
        status: 'paid',
        total: '1',
        tenantId: 'ten_x',
      };
      const parsed = route.request?.body?.safeParse(form);
      const data = (parsed?.success ? parsed.data : {}) as Record<string, unknown>;
      for (const field of ['status', 'total', 'tenantId']) {
        if (field in data) received.push(`${route.operationId}: ${field}`);
      }
      if (!parsed?.success) received.push(`${route.operationId}: its filled form does not parse`);
    }

    // Assert
    expect(pageForms.length).toBeGreaterThan(0);
    expect(received).toEqual([]);
  });

  it('when a client sends a field the server owns (status, totals, tenant, version, ids, history) to any POST or PATCH, it is refused 400 naming that field, and nothing changes', async () => {
    // Arrange
    const { crew } = business;
    const tokens: Record<Role, string> = {
      admin: crew.admin,
      dispatcher: crew.dispatcher,
      technician: crew.technician,
    };
    const cases = writes.flatMap((route) => {
      const body = route.request?.body as z.ZodType;
      const takes = (field: string) => acceptsMember(body, field, serverOwned[field]);
      figures.contractFields.push(
        ...Object.keys(serverOwned)
          .filter(takes)
          .map((field) => `${route.operationId}.${field}`),
      );
      return Object.keys(serverOwned)
        .filter((field) => !takes(field))
        .map((field) => ({ route, field }));
    });
    const before = await recordsAsRead(business);

    // Act
    const wrong = await inBatches(cases, 8, async ({ route, field }) => {
      const sample = sampleRequests[route.operationId]?.(business.ids) ?? {};
      const body = {
        ...((sample.body as Record<string, unknown> | undefined) ?? {}),
        [field]: serverOwned[field],
      };
      const answer = await send(route.method, withQuery(pathFor(route, business.ids), sample.query), {
        bearer: tokens[roleFor(route)],
        json: body,
      });
      figures.cases += 1;
      const named =
        answer.status === 400 &&
        (JSON.parse(answer.text) as { errors?: { field: string }[] }).errors?.some(
          (problem) => problem.field === `body.${field}`,
        );
      if (named) return undefined;
      figures.failures += 1;
      return `${route.method} ${route.path} with ${field}: ${answer.status} ${answer.text.slice(0, 200)}`;
    });
    const after = await recordsAsRead(business);

    // Assert
    expect(wrong.filter(Boolean)).toEqual([]);
    expect(after).toEqual(before);
    expect(figures.cases).toBeGreaterThan(writes.length * 10);
  });
});
