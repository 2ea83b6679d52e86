import { describe, expect, it } from 'vitest';
import { routes } from '../../lambdas/handlers/api/routes.ts';
import { actionsOf, logicalIdOf, resourcesOf, statementsOfRole, synthesize } from './synthesize.ts';

describe('the inventory function', () => {
  it('when synthesized, it serves the stock, settings and purchase order routes', () => {
    // Act
    const served = routes
      .filter((route) => route.function === 'inventory')
      .map((route) => `${route.method} ${route.path}`);

    // Assert
    expect(served.sort()).toEqual(
      [
        'GET /v1/settings/inventory',
        'PATCH /v1/settings/inventory',
        'GET /v1/inventory/locations',
        'POST /v1/inventory/locations',
        'GET /v1/inventory/stock',
        'POST /v1/inventory/reorder-rules',
        'POST /v1/inventory/transfers',
        'POST /v1/inventory/adjustments',
        'GET /v1/inventory/movements',
        'GET /v1/inventory/alerts',
        'GET /v1/purchase-orders',
        'GET /v1/purchase-orders/{id}',
        'PATCH /v1/purchase-orders/{id}',
        'POST /v1/purchase-orders/{id}/send',
        'POST /v1/purchase-orders/{id}/receive',
        'POST /v1/purchase-orders/{id}/cancel',
      ].sort(),
    );
  });

  it('when synthesized, it may read and write the table without Scan and put events on the bus, and nothing else', () => {
    // Arrange
    const synthesized = synthesize('dev');
    const tableArn = { 'Fn::GetAtt': [logicalIdOf(synthesized.stack.data.table), 'Arn'] };
    const indexArns = synthesized.stack.data.indexNames.map((indexName) => ({
      'Fn::Join': ['', [tableArn, `/index/${indexName}`]],
    }));

    // Act
    const statements = statementsOfRole(synthesized.json, synthesized.stack.functions.api.inventory);
    const actions = statements.flatMap(actionsOf).filter((action) => !/^(logs|xray):/.test(action));

    // Assert
    expect(actions).toContain('events:PutEvents');
    expect(actions.every((action) => action.startsWith('dynamodb:') || action === 'events:PutEvents')).toBe(
      true,
    );
    expect(actions).not.toContain('dynamodb:Scan');
    for (const statement of statements.filter((one) =>
      actionsOf(one).some((action) => action.startsWith('dynamodb:')),
    )) {
      for (const resource of resourcesOf(statement))
        expect([tableArn, ...indexArns]).toContainEqual(resource);
    }
  });
});
