import { describe, expect, it } from 'vitest';
import { routes } from '../../lambdas/handlers/api/routes.ts';
import { actionsOf, logicalIdOf, resourcesOf, statementsOfRole, synthesize } from './synthesize.ts';

describe('the parts function', () => {
  it('when synthesized, it serves the catalogue, parts used and costing routes', () => {
    // Act
    const served = routes
      .filter((route) => route.function === 'parts')
      .map((route) => `${route.method} ${route.path}`);

    // Assert
    expect(served.sort()).toEqual(
      [
        'GET /v1/parts',
        'GET /v1/parts/{id}',
        'GET /v1/work-orders/{id}/costing',
        'GET /v1/work-orders/{id}/parts',
        'PATCH /v1/parts/{id}',
        'POST /v1/parts',
        'POST /v1/work-orders/{id}/parts',
      ].sort(),
    );
  });

  it('when synthesized, it may touch the table and its indexes only, without Scan, and nothing else holding data', () => {
    // Arrange
    const synthesized = synthesize('dev');
    const tableArn = { 'Fn::GetAtt': [logicalIdOf(synthesized.stack.data.table), 'Arn'] };
    const indexArns = synthesized.stack.data.indexNames.map((indexName) => ({
      'Fn::Join': ['', [tableArn, `/index/${indexName}`]],
    }));

    // Act
    const statements = statementsOfRole(synthesized.json, synthesized.stack.functions.api.parts);
    const actions = statements.flatMap(actionsOf);

    // Assert
    // Publishing Inventory.LowStock puts events on the bus, which holds no data.
    const dataActions = actions.filter((action) => !/^(logs|xray|events):/.test(action));
    expect(dataActions.length).toBeGreaterThan(0);
    expect(dataActions.every((action) => action.startsWith('dynamodb:'))).toBe(true);
    expect(dataActions).not.toContain('dynamodb:Scan');
    expect(dataActions.every((action) => !action.includes('*'))).toBe(true);
    for (const statement of statements.filter((one) =>
      actionsOf(one).some((action) => action.startsWith('dynamodb:')),
    )) {
      for (const resource of resourcesOf(statement))
        expect([tableArn, ...indexArns]).toContainEqual(resource);
    }
  });
});
