import { describe, expect, it } from 'vitest';
import { idempotencyRecordModel, workOrderModel } from '../../../lambdas/adapters/dynamodb/models.ts';
import {
  deriveTableDefinition,
  maxGlobalSecondaryIndexes,
} from '../../../lambdas/adapters/dynamodb/table-definition.ts';

type IndexDeclaration = {
  index?: string;
  pk: { field: string };
  sk: { field: string };
  projection?: string | readonly string[];
};
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
const keysOnlyIndex = (name: string): IndexDeclaration => ({
  ...secondaryIndex(name),
  projection: 'keys_only',
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

    it('when derived, it declares gsi1 to gsi8 with their generic key attributes and projections, in name order', () => {
      // Act
      const table = deriveTableDefinition();

      // Assert
      expect(table.globalSecondaryIndexes).toEqual([
        { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'all' },
        { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'all' },
        { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: 'all' },
        { indexName: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk', projection: 'keys_only' },
        { indexName: 'gsi5', partitionKey: 'gsi5pk', sortKey: 'gsi5sk', projection: 'keys_only' },
        { indexName: 'gsi6', partitionKey: 'gsi6pk', sortKey: 'gsi6sk', projection: 'keys_only' },
        { indexName: 'gsi7', partitionKey: 'gsi7pk', sortKey: 'gsi7sk', projection: 'keys_only' },
        { indexName: 'gsi8', partitionKey: 'gsi8pk', sortKey: 'gsi8sk', projection: 'keys_only' },
      ]);
    });

    it("when derived, every index of the work order holds keys only, and no other entity's item is in them", () => {
      // Arrange
      const workOrderIndexes = Object.values(workOrderModel.indexes).flatMap((index) =>
        'index' in index ? [index.index] : [],
      );

      // Act
      const table = deriveTableDefinition();

      // Assert
      expect(workOrderIndexes).toHaveLength(5);
      const projections = new Map(
        table.globalSecondaryIndexes.map((index) => [index.indexName, index.projection]),
      );
      for (const indexName of workOrderIndexes)
        expect(projections.get(indexName), indexName).toBe('keys_only');
      expect(
        [...projections].filter(([, projection]) => projection === 'keys_only').map(([name]) => name),
      ).toEqual(workOrderIndexes.sort());
    });

    it('when derived, it stays within the GSIs DynamoDB allows on one table', () => {
      // Act
      const table = deriveTableDefinition();

      // Assert
      expect(table.globalSecondaryIndexes.length).toBeLessThanOrEqual(maxGlobalSecondaryIndexes);
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
        { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'all' },
      ]);
    });

    it('when models declare an index keys-only, it takes the projection; an index without one projects all', () => {
      // Arrange
      const models: ModelDeclaration[] = [
        { indexes: { byId: mainIndex, byName: secondaryIndex('gsi1'), byDay: keysOnlyIndex('gsi2') } },
        { indexes: { byId: mainIndex, byOther: { ...secondaryIndex('gsi1'), projection: 'all' } } },
      ];

      // Act
      const table = deriveTableDefinition(models);

      // Assert
      expect(
        table.globalSecondaryIndexes.map(({ indexName, projection }) => [indexName, projection]),
      ).toEqual([
        ['gsi1', 'all'],
        ['gsi2', 'keys_only'],
      ]);
    });

    it('when two models disagree on the projection of an index, it throws naming the index', () => {
      // Arrange
      const models: ModelDeclaration[] = [
        { indexes: { byId: mainIndex, byName: secondaryIndex('gsi3') } },
        { indexes: { byId: mainIndex, byDay: keysOnlyIndex('gsi3') } },
      ];

      // Act
      const derive = () => deriveTableDefinition(models);

      // Assert
      expect(derive).toThrow(/projection of gsi3/);
    });

    it('when a model projects a list of attributes, it throws naming the index, as the table has no such index', () => {
      // Arrange
      const models: ModelDeclaration[] = [
        { indexes: { byId: mainIndex, byName: { ...secondaryIndex('gsi1'), projection: ['status'] } } },
      ];

      // Act
      const derive = () => deriveTableDefinition(models);

      // Assert
      expect(derive).toThrow(/gsi1/);
    });

    it('when the models declare more GSIs than DynamoDB allows on a table, it throws', () => {
      // Arrange
      const indexes = Object.fromEntries(
        Array.from({ length: maxGlobalSecondaryIndexes + 1 }, (_, position) => [
          `by${position}`,
          secondaryIndex(`gsi${position + 1}`),
        ]),
      );

      // Act
      const derive = () => deriveTableDefinition([{ indexes: { byId: mainIndex, ...indexes } }]);

      // Assert
      expect(derive).toThrow(/at most 20/);
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
