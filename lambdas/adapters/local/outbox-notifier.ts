import type { IdGenerator } from '../../ports/id-generator.ts';
import type { Notifier, OutgoingMessage } from '../../ports/notifier.ts';
import type { Entities } from '../dynamodb/entities.ts';

/**
 * Recipients whose delivery always fails locally, so tests and demos can watch a message fail:
 * the outbox refuses them as SNS or SES would refuse an undeliverable one.
 */
export const undeliverableRecipients: readonly string[] = ['+15005550001', 'fail@example.invalid'];

/**
 * The local twin of SNS and SES: messages are kept in the table (attachments included), where the
 * outbox API lists them.
 */
export class OutboxNotifier implements Notifier {
  constructor(
    private readonly entities: Entities,
    private readonly ids: IdGenerator,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(message: OutgoingMessage): Promise<{ messageId: string }> {
    if (undeliverableRecipients.includes(message.to.toLowerCase())) {
      throw Object.assign(new Error(`The ${message.channel} recipient is undeliverable`), {
        name: 'UndeliverableRecipient',
      });
    }
    const messageId = this.ids.next('msg');
    await this.entities.outboxMessage
      .create({ ...message, messageId, createdAt: this.now().toISOString() })
      .go();
    return { messageId };
  }

  /** The tenant's messages, newest first. */
  async list(tenantId: string, limit = 50) {
    const { data } = await this.entities.outboxMessage.query
      .byTenant({ tenantId })
      .go({ order: 'desc', limit });
    return data;
  }
}
