import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { localCredentials, localRegion } from '../../lib/local/emulators.ts';

/**
 * Bookkeeping of requests rather than the tenant's data: idempotency keys (a refused request
 * may be remembered with its answer) and the tenant's write counters.
 */
const bookkeeping = new Set(['idempotencyRecord', 'tenantWriteWindow']);

/** Every item of one tenant, by key, as stored. */
export type TenantSnapshot = Map<string, string>;

/**
 * Every item of a tenant, read with a parallel Scan of DynamoDB Local filtered on the tenant id.
 * A test-only probe: a write the requests could have made may land in any partition (a record
 * nobody asked for under an id nobody has), so only reading everything proves nothing was
 * written. Product code never scans.
 */
export async function tenantSnapshot(tenantId: string, segments = 4): Promise<TenantSnapshot> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: inject('dynamodbEndpoint'),
      region: localRegion,
      credentials: localCredentials,
    }),
  );
  try {
    const snapshot: TenantSnapshot = new Map();
    await Promise.all(
      Array.from({ length: segments }, async (_, segment) => {
        let start: Record<string, unknown> | undefined;
        do {
          const page = await client.send(
            new ScanCommand({
              TableName: inject('tableName'),
              Segment: segment,
              TotalSegments: segments,
              FilterExpression: 'tenantId = :tenant',
              ExpressionAttributeValues: { ':tenant': tenantId },
              ExclusiveStartKey: start,
            }),
          );
          for (const item of page.Items ?? []) {
            if (bookkeeping.has(String(item.__edb_e__))) continue;
            snapshot.set(`${item.pk} | ${item.sk}`, stableJson(item));
          }
          start = page.LastEvaluatedKey;
        } while (start);
      }),
    );
    return snapshot;
  } finally {
    client.destroy();
  }
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value instanceof Set) return stableJson([...value].sort());
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What changed between two snapshots: keys added, removed and items changed. */
export function snapshotChanges(before: TenantSnapshot, after: TenantSnapshot) {
  const added = [...after.keys()].filter((key) => !before.has(key));
  const removed = [...before.keys()].filter((key) => !after.has(key));
  const changed = [...after.keys()].filter((key) => before.has(key) && before.get(key) !== after.get(key));
  return { added, removed, changed };
}

/**
 * A tenant's items with what differs between two tenants given the same requests blanked out:
 * ids (fixtures' and those the platform made), instants, expiry seconds, hashes and signed
 * tokens. Two tenants that were set up alike and asked alike read the same.
 */
export function normalizedItems(snapshot: TenantSnapshot): string[] {
  return [...snapshot.values()]
    .map((item) =>
      item
        .replace(/\b[a-z]{2,4}_[0-9a-hjkmnp-tv-z]{26}\b/gi, '@id')
        .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?/gi, '@time')
        .replace(/\b1[5-9]\d{8}(\d{3})?\b/g, '@epoch')
        .replace(/\b[0-9a-f]{64}\b/g, '@hash')
        .replace(/[A-Za-z0-9_-]{32,}/g, '@opaque'),
    )
    .sort();
}

/** The items one list has more of than the other, both ways. */
export function itemDifferences(left: string[], right: string[]) {
  const count = (items: string[]) => {
    const counts = new Map<string, number>();
    for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
    return counts;
  };
  const [leftCounts, rightCounts] = [count(left), count(right)];
  const surplus = (from: Map<string, number>, other: Map<string, number>) =>
    [...from].flatMap(([item, times]) => Array(Math.max(0, times - (other.get(item) ?? 0))).fill(item));
  return { onlyLeft: surplus(leftCounts, rightCounts), onlyRight: surplus(rightCounts, leftCounts) };
}
