import type { Payment } from '../../../lambdas/domain/invoicing/invoice.ts';
import type { PaymentEventClaim, PaymentRecords } from '../../../lambdas/ports/payments.ts';
import type { InMemoryAgreements } from './in-memory-agreements.ts';
import type { InMemoryWorkOrderStore } from './in-memory-work-order-store.ts';

/** Payments as the work-order store (and the agreements' invoices) hold them, and claimed provider events in a map. */
export class InMemoryPaymentRecords implements PaymentRecords {
  readonly events = new Map<string, { state: 'processing' | 'processed'; paymentId?: string }>();

  constructor(
    private readonly workOrders: InMemoryWorkOrderStore,
    private readonly agreements?: InMemoryAgreements,
  ) {}

  async paymentsOf(tenantId: string, workOrderId: string): Promise<Payment[]> {
    const ofAgreements = (this.agreements?.payments ?? []).filter(
      (payment) => payment.tenantId === tenantId && payment.workOrderId === workOrderId,
    );
    return [...this.workOrders.paymentsOf(tenantId, workOrderId), ...ofAgreements].sort((a, b) =>
      a.at.localeCompare(b.at),
    );
  }

  /** Seeds a claim as a delivery still at work (or one done) would have left it. */
  seedEvent(tenantId: string, eventId: string, state: 'processing' | 'processed'): this {
    this.events.set(`${tenantId}#${eventId}`, { state });
    return this;
  }

  async claimEvent(event: { tenantId: string; eventId: string }): Promise<PaymentEventClaim> {
    const existing = this.events.get(`${event.tenantId}#${event.eventId}`);
    if (existing) return existing.state === 'processed' ? 'processed' : 'inProgress';
    this.events.set(`${event.tenantId}#${event.eventId}`, { state: 'processing' });
    return 'claimed';
  }

  async completeEvent(tenantId: string, eventId: string, outcome: { paymentId?: string }): Promise<void> {
    this.events.set(`${tenantId}#${eventId}`, { state: 'processed', ...outcome });
  }

  async releaseEvent(tenantId: string, eventId: string): Promise<void> {
    if (this.events.get(`${tenantId}#${eventId}`)?.state === 'processing') {
      this.events.delete(`${tenantId}#${eventId}`);
    }
  }
}
