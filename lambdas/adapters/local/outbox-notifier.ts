import type { IdGenerator } from '../../ports/id-generator.ts';
import type { Notifier, OutgoingMessage } from '../../ports/notifier.ts';
import type { Entities } from '../dynamodb/entities.ts';

/** The local twin of SNS and SES: messages are kept in the table, where the outbox API lists them. */
export class OutboxNotifier implements Notifier {
  constructor(
    private readonly entities: Entities,
    private readonly ids: IdGenerator,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(message: OutgoingMessage): Promise<{ messageId: string }> {
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
