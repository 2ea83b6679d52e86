import type { Payment } from '../../domain/invoicing/invoice.ts';
import type { PaymentEventClaim, PaymentRecords } from '../../ports/payments.ts';
import { isConditionalCheckFailure } from './conditional-check.ts';
import type { Entities } from './entities.ts';

/** Processed provider events are kept this long: far past the provider's three days of retries. */
const keepSeconds = 90 * 24 * 60 * 60;

/**
 * Payments from the work order's item collection, and provider events as items of their own
 * (tenant and event id), claimed with a conditional put as idempotency keys are.
 */
export class DynamoPaymentRecords implements PaymentRecords {
  constructor(
    private readonly entities: Entities,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async paymentsOf(tenantId: string, workOrderId: string): Promise<Payment[]> {
    const { data } = await this.entities.payment.query
      .byWorkOrder({ tenantId, workOrderId })
      .go({ pages: 'all' });
    return (data as Payment[]).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  async claimEvent(
    event: { tenantId: string; eventId: string; type: string; workOrderId: string },
    lockSeconds: number,
  ): Promise<PaymentEventClaim> {
    const now = this.now();
    const seconds = Math.floor(now.getTime() / 1000);
    try {
      await this.entities.paymentEvent
        .put({
          ...event,
          state: 'processing',
          lockedUntil: seconds + lockSeconds,
          receivedAt: now.toISOString(),
          expiresAt: seconds + keepSeconds,
        })
        .where(
          ({ state, lockedUntil }, { notExists, eq, lt }) =>
            `${notExists(state)} OR (${eq(state, 'processing')} AND ${lt(lockedUntil, seconds)})`,
        )
        .go();
      return 'claimed';
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
    }
    const { data } = await this.entities.paymentEvent
      .get({ tenantId: event.tenantId, eventId: event.eventId })
      .go({ consistent: true });
    if (!data) return this.claimEvent(event, lockSeconds);
    return data.state === 'processed' ? 'processed' : 'inProgress';
  }

  async completeEvent(tenantId: string, eventId: string, outcome: { paymentId?: string }): Promise<void> {
    await this.entities.paymentEvent
      .patch({ tenantId, eventId })
      .set({
        state: 'processed',
        processedAt: this.now().toISOString(),
        ...(outcome.paymentId ? { paymentId: outcome.paymentId } : {}),
      })
      .go();
  }

  async releaseEvent(tenantId: string, eventId: string): Promise<void> {
    await this.entities.paymentEvent
      .delete({ tenantId, eventId })
      .where(({ state }, { eq }) => eq(state, 'processing'))
      .go();
  }
}
