import { describe, expect, it } from 'vitest';
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

/** The function's grants on the Stripe secret (other secrets, the link keys', are another construct's). */
const secretStatements = (
  json: Parameters<typeof statementsOfRole>[0],
  fn: ServiceFunction,
  secretRef: unknown,
) =>
  statementsOfRole(json, fn).filter(
    (statement) =>
      actionsOf(statement).some((action) => action.startsWith('secretsmanager:')) &&
      JSON.stringify(resourcesOf(statement)) === JSON.stringify([secretRef]),
  );

describe('payments', () => {
  it('when synthesized, the Stripe keys live in one secret of the stage, retained in prod', () => {
    // Arrange
    const dev = synthesize('dev');
    const prod = synthesize('prod');

    // Act
    const devSecrets = resourcesOfType(dev.json, 'AWS::SecretsManager::Secret').filter(
      ([, secret]) => secret.Properties?.Name === 'field-service/dev/stripe',
    );
    const prodSecret = prod.json.Resources[logicalIdOf(prod.stack.payments.stripeSecret)];

    // Assert
    expect(devSecrets).toHaveLength(1);
    expect(devSecrets[0]?.[1].Properties).toMatchObject({ Name: 'field-service/dev/stripe' });
    expect(prodSecret).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('when synthesized, only the functions that make checkouts or verify webhooks may read the secret', () => {
    // Arrange
    const { json, stack } = synthesize('dev');
    const secretRef = { Ref: logicalIdOf(stack.payments.stripeSecret) };

    // Act
    const readers = stack.functions
      .all()
      .filter((fn) => secretStatements(json, fn, secretRef).length > 0)
      .map((fn) => fn.node.id);

    // Assert: the webhook, the invoice page's pay button, an agreement's period invoice.
    expect(readers.sort()).toEqual(['ScheduleTargetFunction', 'customerPages', 'payments']);
    for (const fn of [
      stack.functions.api.payments,
      stack.functions.api.customerPages,
      stack.functions.schedules.ScheduleTargetFunction,
    ]) {
      const statements = secretStatements(json, fn, secretRef);
      expect(statements.flatMap(actionsOf).sort()).toEqual([
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
      ]);
      expect(statements.flatMap(resourcesOf)).toEqual([secretRef]);
      const variables = (propertiesOf(json, logicalIdOf(fn.function)).Environment as { Variables: object })
        .Variables;
      expect(variables).toMatchObject({ STRIPE_SECRET_ARN: secretRef });
    }
  });

  it("when synthesized, Stripe's webhook is a public route of the payments function and the invoice reads need a token", () => {
    // Arrange
    const { json, stack } = synthesize('dev');

    // Act
    const routes = Object.fromEntries(
      resourcesOfType(json, 'AWS::ApiGatewayV2::Route').map(([, route]) => [
        route.Properties.RouteKey,
        route.Properties.AuthorizationType,
      ]),
    );

    // Assert
    expect(routes).toMatchObject({
      'POST /v1/payments/stripe/webhook': 'NONE',
      'GET /v1/invoices/{id}/payments': 'JWT',
      'GET /v1/invoices/{id}/pdf': 'JWT',
    });
    expect(stack.api.routes.receiveStripeEvent).toBeDefined();
  });
});
