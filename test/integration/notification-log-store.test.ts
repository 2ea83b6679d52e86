import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { DynamoNotificationLog } from '../../lambdas/adapters/dynamodb/notification-log-store.ts';
import type { CustomerNotification } from '../../lambdas/domain/notifications/notification.ts';
import type { AuditEvent } from '../../lambdas/domain/work-orders/work-order.ts';
import { tableEntities } from '../helpers/local-platform.ts';

const entities = tableEntities();
const log = new DynamoNotificationLog(entities);

/** Every item of one partition, read as DynamoDB holds them. */
const partition = async (pk: string) =>
  (
    await entities.documentClient.send(
      new QueryCommand({
        TableName: entities.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      }),
    )
  ).Items ?? [];

const aNotification = (overrides: Partial<CustomerNotification> = {}): CustomerNotification => ({
  tenantId: `ten_${ulid().toLowerCase()}`,
  notificationId: `ntf_${ulid()}`,
  customerId: `cus_${ulid()}`,
  workOrderId: `wo_${ulid()}`,
  purpose: 'confirmation',
  channel: 'sms',
  dedupeKey: `confirmation-${ulid()}`,
  address: '+13125550100',
  recipient: '+1••••••0100',
  subject: 'Your AC repair visit',
  body: 'Hi Pat',
  status: 'sending',
  attempts: 0,
  version: 1,
  createdAt: '2027-03-14T15:00:00.000Z',
  updatedAt: '2027-03-14T15:00:00.000Z',
  ...overrides,
});

describe('DynamoNotificationLog', () => {
  it('when a message with the same dedupe key and channel is recorded twice at once, one is written', async () => {
    // Arrange
    const first = aNotification();
    const second = { ...first, notificationId: `ntf_${ulid()}` };

    // Act
    const written = await Promise.all([log.create(first), log.create(second)]);

    // Assert
    expect(written.filter(Boolean)).toHaveLength(1);
    const found = await log.findByDedupeKey(first.tenantId, first.dedupeKey, 'sms');
    expect([first.notificationId, second.notificationId]).toContain(found?.notificationId);
    expect(await log.listForWorkOrder(first.tenantId, first.workOrderId ?? '')).toHaveLength(1);
  });

  it('when the same dedupe key comes by another channel, it is another message', async () => {
    // Arrange
    const sms = aNotification();
    const email = {
      ...sms,
      notificationId: `ntf_${ulid()}`,
      channel: 'email' as const,
      address: 'pat@example.com',
    };

    // Act
    const written = [await log.create(sms), await log.create(email)];

    // Assert
    expect(written).toEqual([true, true]);
  });

  it('when a message is about no work order, it lives in the customer’s item collection', async () => {
    // Arrange
    const { workOrderId: _none, ...notification } = aNotification();
    const customerKey = entities.customer
      .get({ tenantId: notification.tenantId, customerId: notification.customerId })
      .params().Key as { pk: string };

    // Act
    await log.create(notification);

    // Assert
    expect(await partition(customerKey.pk)).toEqual([
      expect.objectContaining({
        __edb_e__: 'customerNotification',
        notificationId: notification.notificationId,
      }),
    ]);
    expect(await log.get(notification)).toMatchObject({ notificationId: notification.notificationId });
  });

  it('when a message is about a work order, it lives in the work order’s item collection', async () => {
    // Arrange
    const notification = aNotification();
    const workOrderKey = entities.workOrder
      .get({ tenantId: notification.tenantId, workOrderId: notification.workOrderId ?? '' })
      .params().Key as { pk: string };

    // Act
    await log.create(notification);

    // Assert
    expect(await partition(workOrderKey.pk)).toEqual([
      expect.objectContaining({
        __edb_e__: 'customerNotification',
        notificationId: notification.notificationId,
      }),
    ]);
  });

  it('when an update was read at an older version, it is refused and the record stays', async () => {
    // Arrange
    const notification = aNotification();
    await log.create(notification);
    await log.update({ ...notification, status: 'sent', attempts: 1, version: 2 }, 1);

    // Act
    const stale = await log.update({ ...notification, status: 'failed', attempts: 3, version: 2 }, 1);

    // Assert
    expect(stale).toBe(false);
    expect(await log.get(notification)).toMatchObject({ status: 'sent', version: 2 });
  });

  it('when a failure is recorded with its audit event, both are written together', async () => {
    // Arrange
    const notification = aNotification();
    await log.create(notification);
    const event: AuditEvent = {
      tenantId: notification.tenantId,
      workOrderId: notification.workOrderId ?? '',
      eventId: `evt_${ulid()}`,
      action: 'customer_message_failed',
      actorId: 'messenger',
      actorRole: 'system',
      at: '2027-03-14T15:01:00.000Z',
      changes: { details: { after: { notificationId: notification.notificationId } } },
    };

    // Act
    const written = await log.update(
      { ...notification, status: 'failed', attempts: 3, error: 'Down', version: 2 },
      1,
      event,
    );

    // Assert
    expect(written).toBe(true);
    const { data: events } = await entities.workOrderEvent.query
      .byWorkOrder({ tenantId: notification.tenantId, workOrderId: notification.workOrderId ?? '' })
      .go();
    expect(events.map((item) => item.action)).toEqual(['customer_message_failed']);
  });

  it('when the office lists a status, it gets the tenant’s messages of that status, newest first, page by page', async () => {
    // Arrange
    const tenantId = `ten_${ulid().toLowerCase()}`;
    const times = ['2027-03-14T15:00:00.000Z', '2027-03-14T16:00:00.000Z', '2027-03-14T17:00:00.000Z'];
    for (const createdAt of times) {
      await log.create(aNotification({ tenantId, status: 'failed', createdAt }));
    }
    await log.create(aNotification({ tenantId, status: 'held' }));
    await log.create(aNotification({ status: 'failed' }));

    // Act
    const first = await log.listByStatus(tenantId, 'failed', { limit: 2 });
    const second = await log.listByStatus(tenantId, 'failed', {
      limit: 2,
      ...(first.nextCursor ? { cursor: first.nextCursor } : {}),
    });

    // Assert
    expect(first.items.map((item) => item.createdAt)).toEqual([times[2], times[1]]);
    expect(second.items.map((item) => item.createdAt)).toEqual([times[0]]);
    expect(second.nextCursor).toBeUndefined();
  });
});
