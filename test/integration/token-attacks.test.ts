import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouteDefinition, routes } from '../../lambdas/handlers/api/routes.ts';
import { aBusiness, type Business } from '../helpers/business-fixture.ts';
import { aCrew, type Crew } from '../helpers/crew.ts';
import {
  claimsOf,
  hmacWithThePublicKey,
  signedByAnotherKey,
  signedByThePlatform,
  unsigned,
  withClaims,
} from '../helpers/forged-tokens.ts';
import { tableEntities } from '../helpers/local-platform.ts';
import { inBatches, recordFigures, recordsAsRead, send } from '../helpers/route-matrix.ts';
import { pathFor, sampleRequests, withQuery } from '../helpers/route-samples.ts';

const entities = tableEntities();
const table = routes as readonly RouteDefinition[];
const guarded = table.filter((route) => !route.page && route.auth !== 'public');
const pages = table.filter((route) => route.page);

const attacksPerRoute = 8;
const hourAgo = () => Math.floor(Date.now() / 1000) - 3600;
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('token attacks on the API and the customer pages', () => {
  let business: Business;
  let neighbour: Crew;
  /** Each attack by name: a token no route may take. */
  let attacks: [string, string][];
  const figures = { attacks: 0, apiCases: 0, pageCases: 0, failures: 0 };

  beforeAll(async () => {
    [business, neighbour] = await Promise.all([aBusiness(entities), aCrew(entities)]);
    const { ids, crew, links } = business;
    const admin = claimsOf('admin', ids.tenantId);
    attacks = [
      [
        'expired a minute ago',
        await signedByThePlatform({ ...admin, iat: hourAgo(), exp: hourAgo() + 3540 }),
      ],
      ['expired long ago', await signedByThePlatform({ ...admin, iat: 1_600_000_000, exp: 1_600_003_600 })],
      ['not valid for an hour yet', await signedByThePlatform({ ...admin, nbf: inAnHour() })],
      [
        'issued an hour from now',
        await signedByThePlatform({ ...admin, iat: inAnHour(), exp: inAnHour() + 3600 }),
      ],
      [
        'of another issuer',
        await signedByThePlatform({
          ...admin,
          iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_evil',
        }),
      ],
      ['for another audience', await signedByThePlatform({ ...admin, aud: 'another-app-client' })],
      ['with no audience', await signedByThePlatform({ ...admin, aud: undefined })],
      ['with alg none and no signature', unsigned(admin)],
      ['with alg none and a real signature kept', unsigned(admin, crew.admin.split('.')[2])],
      ['HS256 signed with the public key as JWK', await hmacWithThePublicKey(admin, 'jwk')],
      ['HS256 signed with the public key as PEM', await hmacWithThePublicKey(admin, 'pem')],
      [
        "a technician's with the role raised to admin",
        withClaims(crew.technician, (claims) => ({ ...claims, 'cognito:groups': ['admin'] })),
      ],
      [
        "an admin's with the tenant changed",
        withClaims(crew.admin, (claims) => ({ ...claims, 'custom:tenantId': neighbour.tenant.tenantId })),
      ],
      [
        "another tenant's admin's moved to this tenant",
        withClaims(neighbour.admin, (claims) => ({ ...claims, 'custom:tenantId': ids.tenantId })),
      ],
      [
        "a technician's moved to another technician",
        withClaims(crew.otherTechnician, (claims) => ({
          ...claims,
          'custom:technicianId': ids.technicianId,
        })),
      ],
      [
        "an admin's with the expiry pushed back",
        withClaims(crew.admin, (claims) => ({ ...claims, exp: inAnHour() * 2 })),
      ],
      ['with its signature stripped', `${crew.admin.split('.').slice(0, 2).join('.')}.`],
      [
        "with another token's signature",
        `${crew.admin.split('.').slice(0, 2).join('.')}.${crew.dispatcher.split('.')[2]}`,
      ],
      ['signed by a key the platform never had', await signedByAnotherKey(admin)],
      ['under a key id the platform does not use', await signedByThePlatform(admin, { kid: 'retired-2019' })],
      ['with no key id', await signedByThePlatform(admin, {})],
      ['that never expires', await signedByThePlatform({ ...admin, exp: undefined })],
      ['garbage', 'garbage'],
      ['three empty parts', '..'],
      ['three parts of nonsense', 'a.b.c'],
      ['a header that is not JSON', `${Buffer.from('{alg').toString('base64url')}.e30.c2ln`],
      ['eight kilobytes long', `eyJ${'A'.repeat(8 * 1024)}`],
      ["the customer's appointment link", links.view],
      ["the customer's sign-off link", links.sign],
      ["the customer's invoice link", links.pay],
    ];
    figures.attacks = attacks.length;
  });

  afterAll(async () => {
    await recordFigures('token-attacks', figures);
  });

  it('when a forged, expired, foreign or malformed token (or a customer link) is the bearer, every guarded route of the table answers 401 and nothing is written (eight attacks a route, every attack on routes of every kind)', async () => {
    // Arrange
    const before = await recordsAsRead(business);
    // Each route meets eight attacks and each attack some thirty routes of every kind, in turn.
    const cases = guarded.flatMap((route, index) =>
      Array.from({ length: attacksPerRoute }, (_, step) => {
        const [name, token] = attacks[(index * attacksPerRoute + step) % attacks.length] as [string, string];
        return { route, name, token };
      }),
    );

    // Act
    const wrong = await inBatches(cases, 8, async ({ route, name, token }) => {
      const sample = sampleRequests[route.operationId]?.(business.ids) ?? {};
      const json = route.request?.body ? (sample.body ?? {}) : undefined;
      const answer = await send(route.method, withQuery(pathFor(route, business.ids), sample.query), {
        bearer: token,
        ...(json === undefined ? {} : { json }),
      });
      figures.apiCases += 1;
      if (answer.status === 401 && answer.contentType.startsWith('application/problem+json'))
        return undefined;
      figures.failures += 1;
      return `${route.method} ${route.path} with a token ${name}: ${answer.status} ${answer.text.slice(0, 160)}`;
    });
    const after = await recordsAsRead(business);
    const [own, theirs] = await Promise.all([
      send('GET', '/v1/customers?name=Casey', { bearer: business.crew.admin }),
      send('GET', '/v1/customers?name=Casey', { bearer: neighbour.admin }),
    ]);

    // Assert
    expect(wrong.filter(Boolean)).toEqual([]);
    expect(after).toEqual(before);
    expect(JSON.parse(own.text)).toMatchObject({ items: [] });
    expect(JSON.parse(theirs.text)).toMatchObject({ items: [] });
  });

  it('when the untampered tokens the attacks were made from are the bearer, the same routes let them in', async () => {
    // Arrange
    const { crew, ids } = business;
    const reads: [string, string][] = [
      [crew.admin, '/v1/customers?name=Pat'],
      [crew.technician, `/v1/work-orders/${ids.workOrderId}`],
      [neighbour.admin, '/v1/customers?name=Pat'],
      [await signedByThePlatform(claimsOf('admin', ids.tenantId)), `/v1/invoices/${ids.invoiceId}`],
    ];

    // Act
    const answers = await Promise.all(reads.map(([token, path]) => send('GET', path, { bearer: token })));

    // Assert
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
  });

  it('when an API token (valid or forged) is used as a customer link, every customer page answers the friendly 404 page with nothing of the job', async () => {
    // Arrange
    const { crew, ids } = business;
    const jwts: [string, string][] = [
      ['the admin token', crew.admin],
      ['the dispatcher token', crew.dispatcher],
      ['the assigned technician token', crew.technician],
      // Not the customer links themselves, nor what no browser sends as a link (`..`, or one longer than a
      // request line takes).
      ...attacks.filter(
        ([name, token]) => !name.startsWith("the customer's") && !/^[.]*$/.test(token) && token.length < 4096,
      ),
    ];
    const cases = pages.flatMap((route) => jwts.map(([name, token]) => ({ route, name, token })));

    // Act
    const wrong = await inBatches(cases, 8, async ({ route, name, token }) => {
      const path = route.path.replace('{token}', encodeURIComponent(token));
      const answer = await send(route.method, path, {
        bearer: token,
        ...(route.method === 'POST' ? { form: { reason: 'Never mind', accessNotes: 'Gate open' } } : {}),
      });
      figures.pageCases += 1;
      const shown = [ids.workOrderId, ids.tenantId, 'Pat Doe', '1 Main St'].filter((bit) =>
        answer.text.includes(bit),
      );
      if (answer.status === 404 && answer.contentType.startsWith('text/html') && shown.length === 0)
        return undefined;
      figures.failures += 1;
      return `${route.method} ${route.path} with ${name}: ${answer.status} ${answer.contentType} ${shown.join(', ')}`;
    });

    // Assert
    expect(wrong.filter(Boolean)).toEqual([]);
  });

  it('when a customer link is opened on the page of another purpose, it is the 404 page; on its own page it opens', async () => {
    // Arrange
    const { links } = business;
    const visits: [string, string, number][] = [
      ['/pages/sign-off/', links.view, 404],
      ['/pages/invoice/', links.view, 404],
      ['/pages/appointment/', links.sign, 404],
      ['/pages/invoice/', links.sign, 404],
      ['/pages/appointment/', links.pay, 404],
      ['/pages/sign-off/', links.pay, 404],
      ['/pages/appointment/', links.view, 200],
      ['/pages/sign-off/', links.sign, 200],
      ['/pages/invoice/', links.pay, 200],
    ];

    // Act
    const answers = await Promise.all(visits.map(([page, token]) => send('GET', `${page}${token}`)));

    // Assert
    expect(answers.map((answer) => answer.status)).toEqual(visits.map(([, , status]) => status));
  });
});
