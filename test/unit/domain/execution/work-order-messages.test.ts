import { beforeEach, describe, expect, it } from 'vitest';
import { listMessages, postMessage } from '../../../../lambdas/domain/execution/work-order-messages.ts';
import { NotFoundError } from '../../../../lambdas/shared/errors.ts';
import { aDispatcher, aTechnicianUser, aWorkOrderAt } from '../../../fixtures/unit-records.ts';
import { InMemoryFieldWorkStore } from '../../fakes/in-memory-field-work-store.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const now = '2025-03-14T14:10:00.000Z';

describe('work-order messages', () => {
  let workOrders: InMemoryWorkOrderStore;
  let messages: InMemoryFieldWorkStore;
  let clock: SettableClock;
  let dependencies: Parameters<typeof postMessage>[0];

  beforeEach(() => {
    workOrders = new InMemoryWorkOrderStore();
    messages = new InMemoryFieldWorkStore(workOrders);
    clock = new SettableClock(now);
    dependencies = { workOrders, messages, clock, ids: new SequentialIds() };
  });

  it('when the assigned technician messages the office, the message is kept with author, role, technician and time, and audited', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('in_progress'));

    // Act
    const message = await postMessage(
      dependencies,
      aTechnicianUser(),
      'wo_existing',
      'Need a 45/5 capacitor',
    );

    // Assert
    expect(message).toEqual({
      tenantId: 'ten_acme',
      workOrderId: 'wo_existing',
      messageId: expect.stringMatching(/^msg_/),
      text: 'Need a 45/5 capacitor',
      authorId: 'user-technician-ana',
      authorRole: 'technician',
      technicianId: 'tec_ana',
      at: now,
    });
    expect(workOrders.eventsOf('ten_acme', 'wo_existing')).toEqual([
      expect.objectContaining({
        action: 'message_posted',
        actorRole: 'technician',
        changes: { details: { after: { messageId: message.messageId, text: 'Need a 45/5 capacitor' } } },
      }),
    ]);
  });

  it('when the office and the technician write in turn, the messages are listed in the order written', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('in_progress'));
    await postMessage(
      dependencies,
      aTechnicianUser(),
      'wo_existing',
      'Customer asks about a maintenance plan',
    );
    clock.advance(60_000);
    await postMessage(dependencies, aDispatcher(), 'wo_existing', 'Quote the quarterly plan');
    clock.advance(60_000);
    await postMessage(dependencies, aTechnicianUser(), 'wo_existing', 'Done');

    // Act
    const page = await listMessages(dependencies, aDispatcher(), 'wo_existing', { limit: 2 });
    const rest = await listMessages(dependencies, aDispatcher(), 'wo_existing', {
      limit: 2,
      cursor: page.nextCursor ?? '',
    });

    // Assert
    expect([...page.items, ...rest.items].map((message) => [message.authorRole, message.text])).toEqual([
      ['technician', 'Customer asks about a maintenance plan'],
      ['dispatcher', 'Quote the quarterly plan'],
      ['technician', 'Done'],
    ]);
    expect(rest.nextCursor).toBeUndefined();
  });

  it('when a technician not assigned writes or reads, it answers 404 and keeps nothing', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('in_progress', { technicianId: 'tec_bo' }));

    // Act
    const errors = [
      await rejectionOf(postMessage(dependencies, aTechnicianUser(), 'wo_existing', 'Hello')),
      await rejectionOf(listMessages(dependencies, aTechnicianUser(), 'wo_existing', { limit: 10 })),
    ];

    // Assert
    expect(errors.every((error) => error instanceof NotFoundError)).toBe(true);
    expect((await messages.messages('ten_acme', 'wo_existing', { limit: 10 })).items).toEqual([]);
  });
});
