import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndexDescription,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createEntities, type Entities } from '../../lambdas/adapters/dynamodb/entities.ts';
import { deriveTableDefinition } from '../../lambdas/adapters/dynamodb/table-definition.ts';
import { DynamoWorkOrderStore } from '../../lambdas/adapters/dynamodb/work-order-store.ts';
import type { AuditEvent, WorkOrder } from '../../lambdas/domain/work-orders/work-order.ts';
import type { Page } from '../../lambdas/ports/work-order-store.ts';
import { ensureTable, localCredentials, localRegion } from '../../lib/local/emulators.ts';
import { aStoredWorkOrder, aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

interface SentCommand {
  command: string;
  input: Record<string, unknown>;
  output: {
    ScannedCount?: number;
    ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[];
  };
}
interface ConsumedCapacity {
  CapacityUnits?: number;
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

const localClient = () =>
  new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    region: localRegion,
    credentials: localCredentials,
  });

/**
 * Entities over a client that asks DynamoDB for the units each command consumed, per index
 * (ReturnConsumedCapacity INDEXES), and records every command with its answer.
 */
function measuredEntities(tableName = inject('tableName')): { entities: Entities; sent: SentCommand[] } {
  const client = localClient();
  const sent: SentCommand[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      sent.push({
        command: context.commandName ?? '',
        input,
        output: result.output as SentCommand['output'],
      });
      return result;
    },
    { step: 'initialize', name: 'measureCommands' },
  );
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { entities: createEntities(documentClient, tableName), sent };
}

/** The index units a command consumed, by index name (none listed when it wrote no index). */
function indexUnits(command: SentCommand): Record<string, number> {
  const consumed = command.output.ConsumedCapacity;
  const tables = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  const units: Record<string, number> = {};
  for (const table of tables) {
    for (const [name, index] of Object.entries(table.GlobalSecondaryIndexes ?? {})) {
      units[name] = (units[name] ?? 0) + (index.CapacityUnits ?? 0);
    }
  }
  return Object.fromEntries(Object.entries(units).filter(([, value]) => value > 0));
}

const auditEvent = (workOrder: WorkOrder, action: string): AuditEvent => ({
  tenantId: workOrder.tenantId,
  workOrderId: workOrder.workOrderId,
  eventId: `evt_${ulid()}`,
  action,
  actorId: 'test',
  actorRole: 'technician',
  at: new Date().toISOString(),
  changes: {},
});

/** The table's GSIs as DynamoDB describes them, reduced to what the definition fixes. */
const indexShapes = (indexes: readonly GlobalSecondaryIndexDescription[] = []) =>
  indexes
    .map((index) => ({
      indexName: index.IndexName,
      keys: index.KeySchema?.map((key) => `${key.AttributeName} ${key.KeyType}`),
      projection: index.Projection?.ProjectionType,
    }))
    .sort((a, b) => String(a.indexName).localeCompare(String(b.indexName), 'en', { numeric: true }));

const definedShapes = () =>
  deriveTableDefinition().globalSecondaryIndexes.map((index) => ({
    indexName: index.indexName,
    keys: [`${index.partitionKey} HASH`, `${index.sortKey} RANGE`],
    projection: index.projection === 'keys_only' ? 'KEYS_ONLY' : 'ALL',
  }));

/** Work orders written as the store keeps them, in one batch, with every field given. */
async function written(workOrders: WorkOrder[]): Promise<WorkOrder[]> {
  await entities.workOrder
    .put(
      workOrders.map((workOrder) => ({
        locationId: '-',
        technicianId: '-',
        scheduledStart: '-',
        scheduledDate: '-',
        ...workOrder,
      })),
    )
    .go();
  return workOrders;
}

function aWorkOrderOf(
  tenant: Pick<TenantFixture, 'tenantId' | 'customerId' | 'locationId'>,
  overrides: Partial<WorkOrder>,
): WorkOrder {
  const at = overrides.createdAt ?? new Date().toISOString();
  return {
    tenantId: tenant.tenantId,
    workOrderId: `wo_${ulid()}`,
    customerId: tenant.customerId,
    locationId: tenant.locationId,
    description: 'No heat upstairs',
    priority: 'routine',
    status: 'new',
    workflowState: 'AwaitScheduling',
    workflowStateSince: at,
    createdBy: 'test',
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** A visit of the technician at `start`, on the local day `day`. */
const aVisit = (tenant: TenantFixture, start: string, day: string, overrides: Partial<WorkOrder> = {}) =>
  aWorkOrderOf(tenant, {
    status: 'scheduled',
    technicianId: tenant.technicianId,
    scheduledStart: start,
    scheduledEnd: new Date(Date.parse(start) + 3_600_000).toISOString(),
    scheduledDate: day,
    ...overrides,
  });

/** Every page of a list, following the cursors. */
async function everyPage(
  list: (cursor: string | undefined) => Promise<Page<WorkOrder>>,
): Promise<Page<WorkOrder>[]> {
  const pages: Page<WorkOrder>[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(cursor);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 50);
  return pages;
}

describe("the work order's keys-only indexes", () => {
  describe('the local table', () => {
    it('when the platform has started, its GSIs are exactly the derived ones, with their projections', async () => {
      // Arrange
      const client = localClient();

      // Act
      const { Table: table } = await client.send(
        new DescribeTableCommand({ TableName: inject('tableName') }),
      );
      client.destroy();

      // Assert
      expect(indexShapes(table?.GlobalSecondaryIndexes)).toEqual(definedShapes());
    });

    it('when a table kept from an earlier run has the old indexes, starting again brings them to the definition and fills the new ones', async () => {
      // Arrange: the table as it was before the work order had indexes of its own (gsi1 to gsi5, whole items).
      const client = localClient();
      const tableName = `older-table-${ulid().toLowerCase()}`;
      const old = [1, 2, 3, 4, 5].map((number) => ({
        IndexName: `gsi${number}`,
        KeySchema: [
          { AttributeName: `gsi${number}pk`, KeyType: 'HASH' as const },
          { AttributeName: `gsi${number}sk`, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      }));
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            'pk',
            'sk',
            ...old.flatMap((index) => index.KeySchema.map((key) => key.AttributeName)),
          ].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: old,
        }),
      );
      const tenant = { tenantId: 'ten_older', customerId: 'cus_OLDER', locationId: 'loc_OLDER' };
      const documents = DynamoDBDocumentClient.from(client, {
        marshallOptions: { removeUndefinedValues: true },
      });
      const older = createEntities(documents, tableName);
      const kept = aWorkOrderOf(tenant, {});
      // The item as it was stored then: its customer, status and location keys in the shared
      // gsi1 to gsi3, none for gsi6 to gsi8.
      const { Item: current } = older.workOrder
        .put({ technicianId: '-', scheduledStart: '-', scheduledDate: '-', ...kept })
        .params() as { Item: Record<string, unknown> };
      const { gsi6pk, gsi6sk, gsi7pk, gsi7sk, gsi8pk, gsi8sk, ...unindexed } = current;
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...unindexed,
            gsi1pk: gsi6pk,
            gsi1sk: gsi6sk,
            gsi2pk: gsi7pk,
            gsi2sk: gsi7sk,
            gsi3pk: gsi8pk,
            gsi3sk: gsi8sk,
          },
        }),
      );

      try {
        // Act
        await ensureTable(inject('dynamodbEndpoint'), tableName);

        // Assert
        const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
        expect(indexShapes(table?.GlobalSecondaryIndexes)).toEqual(definedShapes());
        const listed = await new DynamoWorkOrderStore(older).list(
          { tenantId: tenant.tenantId, customerId: tenant.customerId },
          { limit: 10 },
        );
        expect(listed.items).toEqual([kept]);
        const byStatus = await new DynamoWorkOrderStore(older).list(
          { tenantId: tenant.tenantId, status: kept.status },
          { limit: 10 },
        );
        expect(byStatus.items).toEqual([kept]);
        const stored = await documents.send(
          new GetCommand({ TableName: tableName, Key: { pk: current.pk, sk: current.sk } }),
        );
        expect(stored.Item).not.toHaveProperty('gsi1pk');
      } finally {
        await client.send(new DeleteTableCommand({ TableName: tableName }));
        client.destroy();
      }
    });
  });

  describe('writes', () => {
    let tenant: TenantFixture;

    beforeAll(async () => {
      tenant = await aTenant(entities);
    });

    it('when a delay is recorded on a work order en route, which moves no index key, no index write unit is consumed', async () => {
      // Arrange
      const before = await aStoredWorkOrder(entities, tenant, {
        status: 'en_route',
        technicianId: tenant.technicianId,
        scheduledStart: '2031-07-01T14:00:00.000Z',
        scheduledEnd: '2031-07-01T15:30:00.000Z',
        scheduledDate: '2031-07-01',
      });
      const after: WorkOrder = {
        ...before,
        delay: {
          reason: 'Traffic on the bridge',
          newEta: '2031-07-01T14:40:00.000Z',
          at: '2031-07-01T13:50:00.000Z',
        },
        version: before.version + 1,
        updatedAt: new Date().toISOString(),
      };
      const { entities: measured, sent } = measuredEntities();

      // Act
      const applied = await new DynamoWorkOrderStore(measured).apply({
        before,
        after,
        event: auditEvent(after, 'delayed'),
      });

      // Assert
      expect(applied).toBe(true);
      const [transaction] = sent.filter((command) => command.command === 'TransactWriteItemsCommand');
      expect(transaction).toBeDefined();
      expect(transaction && indexUnits(transaction)).toEqual({});
    });

    it('when the waiting state stores its token on the work order, no index write unit is consumed', async () => {
      // Arrange
      const workOrder = await aStoredWorkOrder(entities, tenant, { status: 'new' });
      const { entities: measured, sent } = measuredEntities();

      // Act
      const outcome = await new DynamoWorkOrderStore(measured).recordWait({
        tenantId: tenant.tenantId,
        workOrderId: workOrder.workOrderId,
        state: 'AwaitScheduling',
        taskToken: 'token-1',
        at: new Date().toISOString(),
        whileStatusIn: ['new'],
      });

      // Assert
      expect(outcome.stored).toBe(true);
      expect(sent.map(indexUnits)).toEqual([{}]);
    });

    it('when a transition moves the status, only the status index is written', async () => {
      // Arrange
      const before = await aStoredWorkOrder(entities, tenant, {
        status: 'en_route',
        technicianId: tenant.technicianId,
        scheduledStart: '2031-07-02T14:00:00.000Z',
        scheduledEnd: '2031-07-02T15:30:00.000Z',
        scheduledDate: '2031-07-02',
      });
      const after: WorkOrder = {
        ...before,
        status: 'arrived',
        arrivedAt: '2031-07-02T14:02:00.000Z',
        version: before.version + 1,
        updatedAt: new Date().toISOString(),
      };
      const { entities: measured, sent } = measuredEntities();

      // Act
      await new DynamoWorkOrderStore(measured).apply({ before, after, event: auditEvent(after, 'arrived') });

      // Assert: the entry of its keys moves in the status index; the four other indexes are untouched.
      const [transaction] = sent.filter((command) => command.command === 'TransactWriteItemsCommand');
      expect(Object.keys(transaction ? indexUnits(transaction) : {})).toEqual(['gsi7']);
    });
  });

  describe("a technician's own list of one day", () => {
    const day = '2031-06-10';
    let tenant: TenantFixture;
    let theDay: WorkOrder[];

    beforeAll(async () => {
      // The tenant is in Chicago (UTC−5 in June): the local day runs from 05:00 to 05:00 UTC.
      tenant = await aTenant(entities, { timeZone: 'America/Chicago' });
      const history = Array.from({ length: 120 }, (_, index) => {
        const other = new Date(Date.parse('2031-04-01T00:00:00Z') + (index % 60) * 86_400_000);
        const otherDay = other.toISOString().slice(0, 10);
        return aVisit(tenant, `${otherDay}T${index < 60 ? '14' : '18'}:00:00.000Z`, otherDay, {
          status: 'paid',
        });
      });
      theDay = [
        aVisit(tenant, '2031-06-10T13:00:00.000Z', day),
        aVisit(tenant, '2031-06-10T05:00:00.000Z', day),
        aVisit(tenant, '2031-06-11T03:00:00.000Z', day, { status: 'en_route' }),
        aVisit(tenant, '2031-06-10T16:30:00.000Z', day, { status: 'cancelled' }),
        aVisit(tenant, '2031-06-10T19:00:00.000Z', day),
      ];
      const around = [
        // 23:30 on the evening before and midnight after, local time: other days.
        aVisit(tenant, '2031-06-10T04:30:00.000Z', '2031-06-09'),
        aVisit(tenant, '2031-06-11T05:00:00.000Z', '2031-06-11'),
        // The same day for a colleague, and an unscheduled work order of the technician.
        aVisit(tenant, '2031-06-10T15:00:00.000Z', day, { technicianId: tenant.unqualifiedTechnicianId }),
        aWorkOrderOf(tenant, { technicianId: tenant.technicianId }),
      ];
      for (let index = 0; index < history.length; index += 25)
        await written(history.slice(index, index + 25));
      await written([...theDay, ...around]);
    });

    const inTimeOrder = () =>
      [...theDay]
        .sort((a, b) => String(a.scheduledStart).localeCompare(String(b.scheduledStart)))
        .map((workOrder) => workOrder.workOrderId);

    it('when listed two at a time, it returns that day’s work orders in time order in full pages, and reads only their keys', async () => {
      // Arrange
      const { entities: measured, sent } = measuredEntities();
      const store = new DynamoWorkOrderStore(measured);

      // Act
      const pages = await everyPage((cursor) =>
        store.list(
          { tenantId: tenant.tenantId, technicianId: tenant.technicianId, from: day, to: day },
          { limit: 2, ...(cursor ? { cursor } : {}) },
        ),
      );

      // Assert
      expect(pages.flatMap((page) => page.items.map((workOrder) => workOrder.workOrderId))).toEqual(
        inTimeOrder(),
      );
      expect(pages.map((page) => page.items.length)).toEqual([2, 2, 1]);
      expect(pages.some((page) => page.items.length === 0 && page.nextCursor)).toBe(false);
      const queries = sent.filter((command) => command.command === 'QueryCommand');
      expect(
        queries.every((query) => query.input.IndexName === 'gsi4' && !query.input.FilterExpression),
      ).toBe(true);
      expect(queries.map((query) => query.output.ScannedCount)).toEqual([2, 2, 1]);
    });

    it('when the technician asks for their day through the API, the day comes back in time order with the whole work orders', async () => {
      // Arrange
      const token = await tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId });

      // Act
      const response = await api<{
        items: { id: string; status: string; description: string }[];
        nextCursor?: string;
      }>('GET', `/v1/work-orders?technicianId=${tenant.technicianId}&from=${day}&to=${day}&limit=10`, {
        token,
      });

      // Assert
      expect(response.status).toBe(200);
      expect(response.body.items.map((item) => item.id)).toEqual(inTimeOrder());
      expect(response.body.items.map((item) => item.status)).toEqual([
        'scheduled',
        'scheduled',
        'cancelled',
        'scheduled',
        'en_route',
      ]);
      expect(response.body.items.every((item) => item.description === 'No heat upstairs')).toBe(true);
      expect(response.body.nextCursor).toBeUndefined();
    });

    it('when a range of days is listed, it reads the range by key and keeps the tenant’s local days', async () => {
      // Arrange
      const store = new DynamoWorkOrderStore(entities);

      // Act
      const page = await store.list(
        { tenantId: tenant.tenantId, technicianId: tenant.technicianId, from: '2031-06-09', to: day },
        { limit: 100 },
      );

      // Assert
      expect(page.items.map((workOrder) => workOrder.scheduledDate)).toEqual([
        '2031-06-09',
        ...theDay.map(() => day),
      ]);
      expect(page.nextCursor).toBeUndefined();
    });
  });

  describe('lists read through the keys-only indexes', () => {
    let tenant: TenantFixture;
    let newestFirst: WorkOrder[];

    beforeAll(async () => {
      tenant = await aTenant(entities);
      const oldest = Date.parse('2031-01-01T08:00:00.000Z');
      const workOrders = Array.from({ length: 9 }, (_, index) =>
        aWorkOrderOf(tenant, {
          createdAt: new Date(oldest + index * 60_000).toISOString(),
          description: `Job ${index + 1}`,
          status: index % 3 === 0 ? 'scheduled' : 'new',
        }),
      );
      await written(workOrders);
      newestFirst = [...workOrders].reverse();
    });

    it("when a customer's work orders are paged, the items come from the table in the index's order, each once", async () => {
      // Arrange
      const { entities: measured, sent } = measuredEntities();
      const store = new DynamoWorkOrderStore(measured);

      // Act
      const pages = await everyPage((cursor) =>
        store.list(
          { tenantId: tenant.tenantId, customerId: tenant.customerId },
          { limit: 4, ...(cursor ? { cursor } : {}) },
        ),
      );

      // Assert
      expect(pages.map((page) => page.items.map((workOrder) => workOrder.description))).toEqual([
        ['Job 9', 'Job 8', 'Job 7', 'Job 6'],
        ['Job 5', 'Job 4', 'Job 3', 'Job 2'],
        ['Job 1'],
      ]);
      expect(pages.flatMap((page) => page.items)).toEqual(newestFirst);
      expect(
        sent.filter((command) => command.command === 'QueryCommand').map((query) => query.input.IndexName),
      ).toEqual(['gsi6', 'gsi6', 'gsi6']);
      expect(sent.filter((command) => command.command === 'BatchGetItemCommand')).toHaveLength(3);
    });

    it('when a filter the index cannot apply is given, the pages still come full, in order, and the cursors carry on', async () => {
      // Arrange
      const store = new DynamoWorkOrderStore(entities);

      // Act
      const pages = await everyPage((cursor) =>
        store.list(
          { tenantId: tenant.tenantId, customerId: tenant.customerId, status: 'scheduled' },
          { limit: 2, ...(cursor ? { cursor } : {}) },
        ),
      );

      // Assert
      expect(pages.map((page) => page.items.map((workOrder) => workOrder.description))).toEqual([
        ['Job 7', 'Job 4'],
        ['Job 1'],
      ]);
    });

    it('when the status list is read, it reads the status index of the work order and returns the whole items', async () => {
      // Arrange
      const { entities: measured, sent } = measuredEntities();

      // Act
      const page = await new DynamoWorkOrderStore(measured).list(
        { tenantId: tenant.tenantId, status: 'scheduled' },
        { limit: 10 },
      );

      // Assert
      expect(page.items).toEqual(newestFirst.filter((workOrder) => workOrder.status === 'scheduled'));
      expect(sent.find((command) => command.command === 'QueryCommand')?.input.IndexName).toBe('gsi7');
    });
  });
});
