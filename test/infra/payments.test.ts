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

const secretStatements = (json: Parameters<typeof statementsOfRole>[0], fn: ServiceFunction) =>
  statementsOfRole(json, fn).filter((statement) =>
    actionsOf(statement).some((action) => action.startsWith('secretsmanager:')),
  );

describe('payments', () => {
  it('when synthesized, the Stripe keys live in one secret of the stage, retained in prod', () => {
    // Arrange
    const dev = synthesize('dev');
    const prod = synthesize('prod');

    // Act
    const devSecrets = resourcesOfType(dev.json, 'AWS::SecretsManager::Secret');
    const prodSecret = prod.json.Resources[logicalIdOf(prod.stack.payments.stripeSecret)];

    // Assert
    expect(devSecrets).toHaveLength(1);
    expect(devSecrets[0]?.[1].Properties).toMatchObject({ Name: 'field-service/dev/stripe' });
    expect(prodSecret).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('when synthesized, only the payments function and the workflow steps may read the secret, and nothing else of Secrets Manager', () => {
    // Arrange
    const { json, stack } = synthesize('dev');
    const secretRef = { Ref: logicalIdOf(stack.payments.stripeSecret) };

    // Act
    const readers = stack.functions
      .all()
      .filter((fn) => secretStatements(json, fn).length > 0)
      .map((fn) => fn.node.id);

    // Assert
    expect(readers.sort()).toEqual(['WorkflowStepsFunction', 'payments']);
    for (const fn of [stack.functions.api.payments, stack.functions.workflow.WorkflowStepsFunction]) {
      const statements = secretStatements(json, fn);
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
