import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createEntities } from '../../lambdas/adapters/dynamodb/entities.ts';
import { DynamoWorkOrderStore } from '../../lambdas/adapters/dynamodb/work-order-store.ts';
import type { WorkOrder } from '../../lambdas/domain/work-orders/work-order.ts';
import type { WorkOrderStore } from '../../lambdas/ports/work-order-store.ts';
import { localCredentials, localRegion } from '../../lib/local/emulators.ts';
import { aStoredWorkOrder, aTenant, type TenantFixture } from '../fixtures/tenants.ts';
import { tableEntities } from '../helpers/local-platform.ts';
import { InMemoryWorkOrderStore } from '../unit/fakes/in-memory-work-order-store.ts';

const entities = tableEntities();

/** Entities over a client that records every command it sends, to see how the store reads. */
function recordingEntities() {
  const client = new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    region: localRegion,
    credentials: localCredentials,
  });
  const sent: { command: string; input: Record<string, unknown> }[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push({ command: context.commandName ?? '', input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { entities: createEntities(documentClient, inject('tableName')), sent };
}

const from = '2031-05-20T10:00:00.000Z';
const to = '2031-05-20T20:00:00.000Z';
const plus = (start: string, minutes: number) => new Date(Date.parse(start) + minutes * 60_000).toISOString();

describe('the store reading a technician’s visits by time', () => {
  let tenant: TenantFixture;
  let stored: Record<string, WorkOrder>;

  beforeAll(async () => {
    tenant = await aTenant(entities);
    const visit = (start: string, overrides: Parameters<typeof aStoredWorkOrder>[2] = {}) =>
      aStoredWorkOrder(entities, tenant, {
        status: 'scheduled',
        technicianId: tenant.technicianId,
        scheduledStart: start,
        scheduledEnd: plus(start, 240),
        scheduledDate: start.slice(0, 10),
        ...overrides,
      });
    const entries = await Promise.all(
      Object.entries({
        startedBeforeAndRunning: visit('2031-05-20T07:00:00.000Z'),
        atTheLookbackEdge: visit('2031-05-19T22:00:00.000Z'),
        tooEarly: visit('2031-05-19T21:45:00.000Z'),
        afternoon: visit('2031-05-20T15:00:00.000Z'),
        noon: visit('2031-05-20T12:00:00.000Z'),
        lastBeforeTheEnd: visit('2031-05-20T19:45:00.000Z'),
        atTheEnd: visit(to),
        cancelled: visit('2031-05-20T13:00:00.000Z', { status: 'cancelled' }),
        colleagues: visit('2031-05-20T14:00:00.000Z', { technicianId: tenant.unqualifiedTechnicianId }),
        notYetBooked: aStoredWorkOrder(entities, tenant, { technicianId: tenant.technicianId }),
      }).map(async ([name, written]) => [name, await written] as const),
    );
    stored = Object.fromEntries(entries);
  });

  const stores: [string, () => WorkOrderStore][] = [
    ['DynamoDB', () => new DynamoWorkOrderStore(entities)],
    [
      'the in-memory fake',
      () => {
        const fake = new InMemoryWorkOrderStore();
        for (const workOrder of Object.values(stored)) fake.put(workOrder);
        return fake;
      },
    ],
  ];

  it.each(stores)(
    'when read from %s, it returns the visits starting from 12 hours before `from` up to `to`, in time order, cancelled ones left out',
    async (_name, storeOf) => {
      // Act
      const visits = await storeOf().visitsOf(tenant.tenantId, tenant.technicianId, from, to);

      // Assert
      expect(visits.map((visit) => visit.workOrderId)).toEqual(
        ['atTheLookbackEdge', 'startedBeforeAndRunning', 'noon', 'afternoon', 'lastBeforeTheEnd'].map(
          (name) => stored[name]?.workOrderId,
        ),
      );
      expect(visits[1]).toEqual(stored.startedBeforeAndRunning);
    },
  );

  it.each(stores)(
    'when read from %s for a range that ends before it begins, it returns nothing',
    async (_name, storeOf) => {
      // Act
      const visits = await storeOf().visitsOf(
        tenant.tenantId,
        tenant.technicianId,
        to,
        '2031-05-19T00:00:00.000Z',
      );

      // Assert
      expect(visits).toEqual([]);
    },
  );

  it('when read from DynamoDB, it is one Query on the technician index with the range in the key condition, then one BatchGetItem', async () => {
    // Arrange
    const { entities: recording, sent } = recordingEntities();

    // Act
    await new DynamoWorkOrderStore(recording).visitsOf(tenant.tenantId, tenant.technicianId, from, to);

    // Assert
    expect(sent.map((entry) => entry.command)).toEqual(['QueryCommand', 'BatchGetItemCommand']);
    const [query] = sent;
    expect(query?.input.IndexName).toBe('gsi4');
    expect(query?.input.KeyConditionExpression).toMatch(/BETWEEN/);
    expect(query?.input.FilterExpression).toBeUndefined();
  });

  it('when the visits fill more than one page, it follows the pages and gets every one from the table', async () => {
    // Arrange: 24 visits of 60 KB each are more than the 1 MB DynamoDB Local reads for one page.
    const busy = await aTenant(entities);
    const description = 'Replace every filter in the building. '.repeat(1_600);
    const starts = Array.from({ length: 24 }, (_, index) => plus(from, index * 20));
    const at = new Date().toISOString();
    await entities.workOrder
      .put(
        starts.map((start) => ({
          tenantId: busy.tenantId,
          workOrderId: `wo_${ulid()}`,
          customerId: busy.customerId,
          locationId: busy.locationId,
          technicianId: busy.technicianId,
          description,
          priority: 'routine' as const,
          status: 'scheduled' as const,
          scheduledStart: start,
          scheduledEnd: plus(start, 20),
          scheduledDate: start.slice(0, 10),
          workflowState: 'AwaitDispatch',
          workflowStateSince: at,
          createdBy: 'test',
          version: 1,
          createdAt: at,
          updatedAt: at,
        })),
      )
      .go();
    const { entities: recording, sent } = recordingEntities();

    // Act
    const visits = await new DynamoWorkOrderStore(recording).visitsOf(
      busy.tenantId,
      busy.technicianId,
      from,
      to,
    );

    // Assert
    expect(visits.map((visit) => visit.scheduledStart)).toEqual(starts);
    expect(visits.every((visit) => visit.description === description)).toBe(true);
    expect([...new Set(sent.map((entry) => entry.command))].sort()).toEqual([
      'BatchGetItemCommand',
      'QueryCommand',
    ]);
  });
});
