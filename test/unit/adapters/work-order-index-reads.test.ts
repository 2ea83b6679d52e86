import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandInput, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createEntities } from '../../../lambdas/adapters/dynamodb/entities.ts';
import {
  type KeysPage,
  workOrderPage,
  workOrdersOfKeys,
} from '../../../lambdas/adapters/dynamodb/work-order-index-reads.ts';
import type { WorkOrder } from '../../../lambdas/domain/work-orders/work-order.ts';
import { ServiceUnavailableError } from '../../../lambdas/shared/errors.ts';
import { aWorkOrder } from '../../fixtures/unit-records.ts';

const table = 'field-service-index-reads';
const dynamodb = mockClient(DynamoDBDocumentClient);
const entities = createEntities(
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    }),
  ),
  table,
);
const noPause = async () => undefined;

/** Work orders `wo_1` … `wo_n`, each with a description naming it. */
const workOrders = (count: number, overrides: (position: number) => Partial<WorkOrder> = () => ({})) =>
  Array.from({ length: count }, (_, index) =>
    aWorkOrder({ workOrderId: `wo_${index + 1}`, description: `Job ${index + 1}`, ...overrides(index + 1) }),
  );

/** A work order's table key, as a keys-only index returns it (with the index's keys, here left out). */
const keysOf = (workOrder: WorkOrder) =>
  entities.workOrder.get({ tenantId: workOrder.tenantId, workOrderId: workOrder.workOrderId }).params<{
    Key: Record<string, string>;
  }>().Key;
const identity = (key: Record<string, unknown>) => `${key.pk}|${key.sk}`;
/** The work order id a table key names (as keys hold it, in lower case). */
const idOf = (key: Record<string, unknown>) => String(key.pk).split('workorderid_')[1] ?? '';
/** The item as the table stores it: keys, ElectroDB's entity markers, unset index keys as `-`. */
const storedItem = (workOrder: WorkOrder) =>
  entities.workOrder
    .put({ technicianId: '-', scheduledStart: '-', scheduledDate: '-', ...workOrder })
    .params<{ Item: Record<string, unknown> }>().Item;
const requestedKeys = (input: BatchGetCommandInput) =>
  (input.RequestItems?.[table]?.Keys ?? []) as Record<string, unknown>[];

/**
 * Answers BatchGetItem from `stored`, leaving unprocessed the keys `unprocessedFor` names for
 * that call (1 for the first call), in reverse order as DynamoDB may answer.
 */
function tableHolding(stored: WorkOrder[], unprocessedFor: (call: number) => string[] = () => []) {
  const items = new Map(stored.map((workOrder) => [identity(keysOf(workOrder)), storedItem(workOrder)]));
  const calls: string[][] = [];
  dynamodb.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => {
    const keys = requestedKeys(input);
    calls.push(keys.map((key) => idOf(key)));
    const left = new Set(unprocessedFor(calls.length));
    const unprocessed = keys.filter((key) => left.has(idOf(key)));
    const answered = keys
      .filter((key) => !unprocessed.includes(key))
      .flatMap((key) => {
        const item = items.get(identity(key));
        return item ? [item] : [];
      })
      .reverse();
    return {
      Responses: { [table]: answered },
      UnprocessedKeys: unprocessed.length > 0 ? { [table]: { Keys: unprocessed } } : {},
    };
  });
  return calls;
}

/** An index of the work orders' keys in the given order, paged as DynamoDB pages a Query with Limit. */
function indexOf(ordered: WorkOrder[]) {
  const queries: { limit: number; cursor: string | null }[] = [];
  const queryKeys = async (options: { limit: number; cursor: string | null }): Promise<KeysPage> => {
    queries.push(options);
    const start = options.cursor === null ? 0 : Number(options.cursor);
    const end = Math.min(start + options.limit, ordered.length);
    return {
      data: ordered.slice(start, end).map(keysOf),
      // DynamoDB returns a last evaluated key whenever the Limit was reached.
      cursor: end - start === options.limit ? String(end) : null,
    };
  };
  return { queryKeys, queries };
}

describe('reading work orders through a keys-only index', () => {
  beforeEach(() => {
    dynamodb.reset();
  });

  afterAll(() => {
    dynamodb.restore();
  });

  describe('workOrdersOfKeys', () => {
    it('when DynamoDB leaves keys unprocessed, it asks again for those alone and returns every work order in the order of the keys', async () => {
      // Arrange
      const stored = workOrders(5);
      const calls = tableHolding(stored, (call) => (call === 1 ? ['wo_2', 'wo_4'] : []));

      // Act
      const read = await workOrdersOfKeys(entities, stored.map(keysOf), noPause);

      // Assert
      expect(read.map((workOrder) => workOrder.description)).toEqual([
        'Job 1',
        'Job 2',
        'Job 3',
        'Job 4',
        'Job 5',
      ]);
      expect(read[1]).toEqual(stored[1]);
      expect(calls).toEqual([
        ['wo_1', 'wo_2', 'wo_3', 'wo_4', 'wo_5'],
        ['wo_2', 'wo_4'],
      ]);
    });

    it('when keys stay unprocessed through four attempts, it fails with a 503 that asks to retry, pausing longer each time', async () => {
      // Arrange
      const stored = workOrders(3);
      const calls = tableHolding(stored, () => ['wo_3']);
      const pauses: number[] = [];

      // Act
      const read = workOrdersOfKeys(entities, stored.map(keysOf), async (milliseconds) => {
        pauses.push(milliseconds);
      });

      // Assert
      await expect(read).rejects.toThrow(ServiceUnavailableError);
      expect(calls).toHaveLength(4);
      expect(pauses).toEqual([25, 50, 100]);
    });

    it('when a work order is gone from the table, it is left out and the others keep their order', async () => {
      // Arrange
      const [first, deleted, third] = workOrders(3);
      if (!first || !deleted || !third) throw new Error('no work orders');
      const calls = tableHolding([first, third]);

      // Act
      const read = await workOrdersOfKeys(entities, [first, deleted, third].map(keysOf), noPause);

      // Assert
      expect(read.map((workOrder) => workOrder.workOrderId)).toEqual(['wo_1', 'wo_3']);
      expect(calls).toHaveLength(1);
    });

    it('when more than 100 keys are asked for, it reads them 100 a request and keeps their order', async () => {
      // Arrange
      const stored = workOrders(250);
      const calls = tableHolding(stored);

      // Act
      const read = await workOrdersOfKeys(entities, stored.map(keysOf), noPause);

      // Assert
      expect(read.map((workOrder) => workOrder.workOrderId)).toEqual(
        stored.map((workOrder) => workOrder.workOrderId),
      );
      expect(calls.map((keys) => keys.length).sort((a, b) => a - b)).toEqual([50, 100, 100]);
    });

    it('when the index page is empty, it reads nothing from the table', async () => {
      // Arrange
      const calls = tableHolding([]);

      // Act
      const read = await workOrdersOfKeys(entities, [], noPause);

      // Assert
      expect(read).toEqual([]);
      expect(calls).toEqual([]);
    });

    it('when a work order is stored with unset index keys, it returns it without the markers', async () => {
      // Arrange
      const stored = aWorkOrder({ workOrderId: 'wo_unbooked' });
      tableHolding([stored]);

      // Act
      const [read] = await workOrdersOfKeys(entities, [keysOf(stored)], noPause);

      // Assert
      expect(read).toEqual(stored);
    });
  });

  describe('workOrderPage', () => {
    it('when every work order read matches, it is one query for the page and the cursor after it', async () => {
      // Arrange
      const stored = workOrders(5);
      tableHolding(stored);
      const { queryKeys, queries } = indexOf(stored);

      // Act
      const page = await workOrderPage(entities, { limit: 2, cursor: '1' }, queryKeys);

      // Assert
      expect(page.data.map((workOrder) => workOrder.workOrderId)).toEqual(['wo_2', 'wo_3']);
      expect(page.cursor).toBe('3');
      expect(queries).toEqual([{ limit: 2, cursor: '1' }]);
    });

    it('when some work orders read do not match, it queries on from the cursor for the missing count and fills the page in index order', async () => {
      // Arrange: every third work order is scheduled.
      const stored = workOrders(12, (position) => ({ status: position % 3 === 0 ? 'scheduled' : 'new' }));
      tableHolding(stored);
      const { queryKeys, queries } = indexOf(stored);

      // Act
      const page = await workOrderPage(
        entities,
        { limit: 3, cursor: null },
        queryKeys,
        (workOrder) => workOrder.status === 'scheduled',
      );

      // Assert
      expect(page.data.map((workOrder) => workOrder.workOrderId)).toEqual(['wo_3', 'wo_6', 'wo_9']);
      expect(queries).toEqual([
        { limit: 3, cursor: null },
        { limit: 2, cursor: '3' },
        { limit: 2, cursor: '5' },
        { limit: 1, cursor: '7' },
        { limit: 1, cursor: '8' },
      ]);
      expect(page.cursor).toBe('9');
    });

    it('when the pages are followed by their cursors, every matching work order comes once, in index order', async () => {
      // Arrange
      const stored = workOrders(10, (position) => ({ status: position % 2 === 0 ? 'scheduled' : 'new' }));
      tableHolding(stored);
      const { queryKeys } = indexOf(stored);
      const scheduled = (workOrder: WorkOrder) => workOrder.status === 'scheduled';

      // Act
      const seen: string[][] = [];
      let cursor: string | null = null;
      do {
        const page: { data: WorkOrder[]; cursor: string | null } = await workOrderPage(
          entities,
          { limit: 2, cursor },
          queryKeys,
          scheduled,
        );
        seen.push(page.data.map((workOrder) => workOrder.workOrderId));
        cursor = page.cursor;
      } while (cursor);

      // Assert
      expect(seen.flat()).toEqual(['wo_2', 'wo_4', 'wo_6', 'wo_8', 'wo_10']);
      expect(seen.slice(0, 2)).toEqual([
        ['wo_2', 'wo_4'],
        ['wo_6', 'wo_8'],
      ]);
    });

    it('when matches are rare, it stops after five queries with what it found and the cursor to carry on from', async () => {
      // Arrange
      const stored = workOrders(40, (position) => ({ status: position === 40 ? 'scheduled' : 'new' }));
      tableHolding(stored);
      const { queryKeys, queries } = indexOf(stored);

      // Act
      const page = await workOrderPage(
        entities,
        { limit: 5, cursor: null },
        queryKeys,
        (workOrder) => workOrder.status === 'scheduled',
      );

      // Assert
      expect(queries).toHaveLength(5);
      expect(page.data).toEqual([]);
      expect(page.cursor).toBe('25');
    });

    it('when the index ends within the page, the page has no cursor', async () => {
      // Arrange
      const stored = workOrders(3);
      tableHolding(stored);
      const { queryKeys } = indexOf(stored);

      // Act
      const page = await workOrderPage(entities, { limit: 5, cursor: null }, queryKeys);

      // Assert
      expect(page.data).toHaveLength(3);
      expect(page.cursor).toBeNull();
    });
  });
});
