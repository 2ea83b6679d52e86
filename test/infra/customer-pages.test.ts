import { describe, expect, it } from 'vitest';
import { routeKey, routes } from '../../lambdas/handlers/api/routes.ts';
import type { ServiceFunction } from '../../lib/constructs/functions.ts';
import {
  actionsOf,
  logicalIdOf,
  propertiesOf,
  resourcesOf,
  resourcesOfType,
  statementsOfRole,
  synthesize,
} from './synthesize.ts';

const secretStatements = (json: Parameters<typeof statementsOfRole>[0], fn: ServiceFunction) =>
  statementsOfRole(json, fn).filter((statement) =>
    actionsOf(statement).some((action) => action.startsWith('secretsmanager:')),
  );

describe('customer pages', () => {
  it('when synthesized, the link keys live in a secret of the stage made with a first key, retained in prod', () => {
    // Arrange
    const dev = synthesize('dev');
    const prod = synthesize('prod');

    // Act
    const secret = propertiesOf(dev.json, logicalIdOf(dev.stack.customerLinks.keySecret));
    const prodSecret = prod.json.Resources[logicalIdOf(prod.stack.customerLinks.keySecret)];

    // Assert
    expect(secret).toMatchObject({
      Name: 'field-service/dev/customer-link-keys',
      GenerateSecretString: {
        SecretStringTemplate: '{"kid":"k1"}',
        GenerateStringKey: 'secret',
        PasswordLength: 64,
        ExcludePunctuation: true,
      },
    });
    expect(prodSecret).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('when synthesized, only the functions that issue or open links read the keys, with the pages’ URL beside them', () => {
    // Arrange
    const { json, stack } = synthesize('dev');
    const secretRef = { Ref: logicalIdOf(stack.customerLinks.keySecret) };
    const grantsOnKeys = (fn: ServiceFunction) =>
      secretStatements(json, fn).filter(
        (statement) => JSON.stringify(resourcesOf(statement)) === JSON.stringify([secretRef]),
      );

    // Act
    const readers = stack.functions
      .all()
      .filter((fn) => grantsOnKeys(fn).length > 0)
      .map((fn) => fn.node.id);

    // Assert
    expect(readers.sort()).toEqual(['WorkflowStepsFunction', 'customerLinks', 'customerPages']);
    const apiId = { Ref: logicalIdOf(stack.api.httpApi) };
    for (const fn of [stack.functions.api.customerLinks, stack.functions.api.customerPages]) {
      expect(grantsOnKeys(fn).flatMap(actionsOf).sort()).toEqual([
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
      ]);
      const variables = (
        propertiesOf(json, logicalIdOf(fn.function)).Environment as { Variables: Record<string, unknown> }
      ).Variables;
      expect(variables.CUSTOMER_LINK_KEYS_SECRET_ARN).toEqual(secretRef);
      expect(JSON.stringify(variables.CUSTOMER_PAGES_URL)).toContain(JSON.stringify(apiId));
    }
  });

  it('when synthesized, no function holds a Secrets Manager grant on anything but the Stripe secret and the link keys', () => {
    // Arrange
    const { json, stack } = synthesize('dev');
    const allowed = [stack.payments.stripeSecret, stack.customerLinks.keySecret].map((secret) =>
      JSON.stringify({ Ref: logicalIdOf(secret) }),
    );

    // Act
    const resources = stack.functions
      .all()
      .flatMap((fn) => secretStatements(json, fn))
      .flatMap(resourcesOf)
      .map((resource) => JSON.stringify(resource));

    // Assert
    expect(resources.length).toBeGreaterThan(0);
    expect(resources.filter((resource) => !allowed.includes(resource))).toEqual([]);
  });

  it('when synthesized, every page route is public and served by the pages function, and the office’s link routes need a token', () => {
    // Arrange
    const { json } = synthesize('dev');
    const pages = routes.filter((route) => 'page' in route && route.page).map(routeKey);

    // Act
    const authorization = Object.fromEntries(
      resourcesOfType(json, 'AWS::ApiGatewayV2::Route').map(([, route]) => [
        route.Properties.RouteKey,
        route.Properties.AuthorizationType,
      ]),
    );

    // Assert
    expect(pages).toHaveLength(11);
    for (const key of pages) expect(authorization[key], key).toBe('NONE');
    expect(authorization).toMatchObject({
      'POST /v1/work-orders/{id}/links': 'JWT',
      'POST /v1/work-orders/{id}/links/revoke': 'JWT',
      'POST /v1/invoices/{id}/links': 'JWT',
    });
  });
});
