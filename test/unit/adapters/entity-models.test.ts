import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Service } from 'electrodb';
import { describe, expect, it } from 'vitest';
import { createEntities } from '../../../lambdas/adapters/dynamodb/entities.ts';
import { allModels } from '../../../lambdas/adapters/dynamodb/models.ts';

describe('the entity models', () => {
  it('when every model is built into one service, ElectroDB accepts them together and each is reachable by its name', () => {
    // Arrange: entities are built on first use in the functions, so a model at odds with the
    // others would otherwise surface only when its entity is first named.
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    const entities = createEntities(client, 'field-service-test') as unknown as Record<string, unknown>;
    const names = allModels.map((model) => model.model.entity);

    // Act
    const together = () =>
      new Service(
        Object.fromEntries(names.map((name) => [name, entities[name]])) as ConstructorParameters<
          typeof Service
        >[0],
      );

    // Assert
    expect(names.filter((name) => entities[name] === undefined)).toEqual([]);
    expect(together).not.toThrow();
    expect(new Set(names).size).toBe(names.length);
  });
});
