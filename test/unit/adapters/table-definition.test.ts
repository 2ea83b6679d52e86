import { describe, expect, it } from 'vitest';
import { idempotencyRecordModel } from '../../../lambdas/adapters/dynamodb/models.ts';
import { deriveTableDefinition } from '../../../lambdas/adapters/dynamodb/table-definition.ts';

type IndexDeclaration = { index?: string; pk: { field: string }; sk: { field: string } };
type ModelDeclaration = { indexes: Record<string, IndexDeclaration> };

const mainIndex: IndexDeclaration = { pk: { field: 'pk' }, sk: { field: 'sk' } };
const secondaryIndex = (
  name: string,
  partitionKey = `${name}pk`,
  sortKey = `${name}sk`,
): IndexDeclaration => ({
  index: name,
  pk: { field: partitionKey },
  sk: { field: sortKey },
});

describe('deriveTableDefinition', () => {
  describe('from the entity models of the application', () => {
    it('when derived, it uses pk and sk as the table keys', () => {
      // Act
      const table = deriveTableDefinition();

      // Assert
      expect(table.partitionKey).toBe('pk');
      expect(table.sortKey).toBe('sk');
    });

    it('when derived, it declares gsi1 to gsi5 with their generic key attributes, in name order', () => {
      // Act
      const table = deriveTableDefinition();

      // Assert
      expect(table.globalSecondaryIndexes).toEqual([
        { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
        { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
        { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
        { indexName: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
        { indexName: 'gsi5', partitionKey: 'gsi5pk', sortKey: 'gsi5sk' },
      ]);
    });

    it('when derived, its TTL attribute is the field idempotency records expire by', () => {
      // Act
      const table = deriveTableDefinition();

      // Assert
      expect(table.timeToLiveAttribute).toBe(idempotencyRecordModel.attributes.expiresAt.field);
    });
  });

  describe('from other models', () => {
    it('when several models share an index with the same fields, it declares the index once', () => {
      // Arrange
      const models: ModelDeclaration[] = [
        { indexes: { byId: mainIndex, byName: secondaryIndex('gsi1') } },
        { indexes: { byId: mainIndex, byDay: secondaryIndex('gsi1') } },
      ];

      // Act
      const table = deriveTableDefinition(models);

      // Assert
      expect(table.globalSecondaryIndexes).toEqual([
        { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
      ]);
    });

    it('when models declare indexes out of order, it lists them sorted by name', () => {
      // Arrange
      const models: ModelDeclaration[] = [
        { indexes: { byId: mainIndex, byStatus: secondaryIndex('gsi2') } },
        { indexes: { byId: mainIndex, byName: secondaryIndex('gsi1') } },
      ];

      // Act
      const table = deriveTableDefinition(models);

      // Assert
      expect(table.globalSecondaryIndexes.map((index) => index.indexName)).toEqual(['gsi1', 'gsi2']);
    });

    it('when the main index uses other attribute names, it takes them', () => {
      // Arrange
      const models: ModelDeclaration[] = [
        { indexes: { byId: { pk: { field: 'PK' }, sk: { field: 'SK' } } } },
      ];

      // Act
      const table = deriveTableDefinition(models);

      // Assert
      expect(table).toMatchObject({ partitionKey: 'PK', sortKey: 'SK', globalSecondaryIndexes: [] });
    });

    it('when two models disagree on the sort key of an index, it throws naming the index', () => {
      // Arrange
      const models: ModelDeclaration[] = [
        { indexes: { byId: mainIndex, byName: secondaryIndex('gsi1') } },
        { indexes: { byId: mainIndex, byDay: secondaryIndex('gsi1', 'gsi1pk', 'gsi2sk') } },
      ];

      // Act
      const derive = () => deriveTableDefinition(models);

      // Assert
      expect(derive).toThrow(/gsi1/);
    });

    it('when two models disagree on the partition key of an index, it throws naming the index', () => {
      // Arrange
      const models: ModelDeclaration[] = [
        { indexes: { byId: mainIndex, byStatus: secondaryIndex('gsi2') } },
        { indexes: { byId: mainIndex, byOther: secondaryIndex('gsi2', 'gsi1pk', 'gsi2sk') } },
      ];

      // Act
      const derive = () => deriveTableDefinition(models);

      // Assert
      expect(derive).toThrow(/gsi2/);
    });

    it('when two models disagree on the main index, it throws', () => {
      // Arrange
      const models: ModelDeclaration[] = [
        { indexes: { byId: mainIndex } },
        { indexes: { byId: { pk: { field: 'pk' }, sk: { field: 'sortKey' } } } },
      ];

      // Act
      const derive = () => deriveTableDefinition(models);

      // Assert
      expect(derive).toThrow(/main index/);
    });

    it('when no model declares the main index, it throws', () => {
      // Arrange
      const models: ModelDeclaration[] = [{ indexes: { byName: secondaryIndex('gsi1') } }];

      // Act
      const derive = () => deriveTableDefinition(models);

      // Assert
      expect(derive).toThrow(/main index/);
    });
  });
});
