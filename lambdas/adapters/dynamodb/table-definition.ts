import { allModels } from './models.ts';

/**
 * What a global secondary index copies of each item: every attribute, or only the table's and
 * the index's keys (its reads then get the items from the table).
 */
export type IndexProjection = 'all' | 'keys_only';

/** The table's key attributes and global secondary indexes, as CDK and DynamoDB Local both need them. */
export interface TableDefinition {
  partitionKey: string;
  sortKey: string;
  timeToLiveAttribute: string;
  globalSecondaryIndexes: {
    indexName: string;
    partitionKey: string;
    sortKey: string;
    projection: IndexProjection;
  }[];
}

interface IndexLike {
  index?: string;
  pk: { field: string };
  sk: { field: string };
  /** ElectroDB's declaration of the index's projection; absent means every attribute. */
  projection?: string | readonly string[];
}

/** DynamoDB's limit of global secondary indexes on one table. */
export const maxGlobalSecondaryIndexes = 20;

function projectionOf(indexName: string, declared: IndexLike['projection']): IndexProjection {
  if (declared === undefined || declared === 'all') return 'all';
  if (declared === 'keys_only') return 'keys_only';
  throw new Error(
    `${indexName} declares a projection the table does not support: ${JSON.stringify(declared)}`,
  );
}

/**
 * Derives the table from the entity models: the main index's fields from the indexes without
 * a name, one GSI per distinct index name with the projection the models declare. Two entities
 * naming the same index with different fields or projections is a modelling mistake and throws.
 */
export function deriveTableDefinition(
  models: readonly { indexes: Record<string, IndexLike> }[] = allModels,
): TableDefinition {
  const secondary = new Map<string, { partitionKey: string; sortKey: string; projection: IndexProjection }>();
  let main: { partitionKey: string; sortKey: string } | undefined;
  for (const model of models) {
    for (const index of Object.values(model.indexes)) {
      const fields = { partitionKey: index.pk.field, sortKey: index.sk.field };
      if (!index.index) {
        if (main && (main.partitionKey !== fields.partitionKey || main.sortKey !== fields.sortKey)) {
          throw new Error(`Entities disagree on the main index's fields: ${JSON.stringify([main, fields])}`);
        }
        main = fields;
        continue;
      }
      const declared = { ...fields, projection: projectionOf(index.index, index.projection) };
      const known = secondary.get(index.index);
      if (known && (known.partitionKey !== fields.partitionKey || known.sortKey !== fields.sortKey)) {
        throw new Error(`Entities disagree on the fields of ${index.index}`);
      }
      if (known && known.projection !== declared.projection) {
        throw new Error(`Entities disagree on the projection of ${index.index}`);
      }
      secondary.set(index.index, declared);
    }
  }
  if (!main) throw new Error('No entity declares the main index');
  if (secondary.size > maxGlobalSecondaryIndexes) {
    throw new Error(
      `The models declare ${secondary.size} GSIs; a table takes at most ${maxGlobalSecondaryIndexes}`,
    );
  }
  return {
    ...main,
    timeToLiveAttribute: 'ttl',
    globalSecondaryIndexes: [...secondary.entries()]
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(([indexName, fields]) => ({ indexName, ...fields })),
  };
}
