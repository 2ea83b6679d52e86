import { allModels } from './models.ts';

/** The table's key attributes and global secondary indexes, as CDK and DynamoDB Local both need them. */
export interface TableDefinition {
  partitionKey: string;
  sortKey: string;
  timeToLiveAttribute: string;
  globalSecondaryIndexes: { indexName: string; partitionKey: string; sortKey: string }[];
}

interface IndexLike {
  index?: string;
  pk: { field: string };
  sk: { field: string };
}

/**
 * Derives the table from the entity models: the main index's fields from the indexes without
 * a name, one GSI per distinct index name. Two entities naming the same index with different
 * fields is a modelling mistake and throws.
 */
export function deriveTableDefinition(
  models: readonly { indexes: Record<string, IndexLike> }[] = allModels,
): TableDefinition {
  const secondary = new Map<string, { partitionKey: string; sortKey: string }>();
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
      const known = secondary.get(index.index);
      if (known && (known.partitionKey !== fields.partitionKey || known.sortKey !== fields.sortKey)) {
        throw new Error(`Entities disagree on the fields of ${index.index}`);
      }
      secondary.set(index.index, fields);
    }
  }
  if (!main) throw new Error('No entity declares the main index');
  return {
    ...main,
    timeToLiveAttribute: 'ttl',
    globalSecondaryIndexes: [...secondary.entries()]
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(([indexName, fields]) => ({ indexName, ...fields })),
  };
}
