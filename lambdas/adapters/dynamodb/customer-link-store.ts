import type { CustomerLink } from '../../domain/customer-pages/links.ts';
import type { AuditEvent } from '../../domain/work-orders/work-order.ts';
import type { CustomerLinkStore } from '../../ports/customer-link-store.ts';
import { sameAs } from './conditions.ts';
import type { Entities } from './entities.ts';

/** A transaction holds at most 100 items: the audit event and 99 links. */
const linksPerTransaction = 99;

const notRevoked = sameAs('revokedAt', undefined);

/** The expiry is kept in Unix seconds, the table's TTL attribute: the table forgets the link once it expired. */
const toItem = (link: CustomerLink) => ({
  ...link,
  expiresAt: Math.floor(Date.parse(link.expiresAt) / 1000),
});

const fromItem = (item: { expiresAt: number }): CustomerLink =>
  ({ ...item, expiresAt: new Date(item.expiresAt * 1000).toISOString() }) as unknown as CustomerLink;

/**
 * Customer links in the item collection of their work order (or agreement): a new link is written
 * only if its id is new, with its audit event in the same transaction; revoking is a conditional
 * update of each link. The table's TTL removes a link once it has expired.
 */
export class DynamoCustomerLinkStore implements CustomerLinkStore {
  constructor(private readonly entities: Entities) {}

  async create(link: CustomerLink, event?: AuditEvent): Promise<boolean> {
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.customerLink.create(toItem(link)).commit(),
        ...(event ? [entity.workOrderEvent.create(event).commit()] : []),
      ])
      .go();
    return !result.canceled;
  }

  async get(tenantId: string, workOrderId: string, linkId: string): Promise<CustomerLink | undefined> {
    const { data } = await this.entities.customerLink
      .get({ tenantId, workOrderId, linkId })
      .go({ consistent: true });
    return data ? fromItem(data) : undefined;
  }

  async linksOf(tenantId: string, workOrderId: string): Promise<CustomerLink[]> {
    const { data } = await this.entities.customerLink.query
      .byWorkOrder({ tenantId, workOrderId })
      .go({ pages: 'all' });
    return data.map(fromItem);
  }

  async revoke(
    links: CustomerLink[],
    revoked: { at: string; by: string },
    event?: AuditEvent,
  ): Promise<boolean> {
    for (let start = 0; start < links.length; start += linksPerTransaction) {
      const chunk = links.slice(start, start + linksPerTransaction);
      const withEvent = start === 0 ? event : undefined;
      const result = await this.entities.service.transaction
        .write((entity) => [
          ...chunk.map((link) =>
            entity.customerLink
              .patch({ tenantId: link.tenantId, workOrderId: link.workOrderId, linkId: link.linkId })
              .set({ revokedAt: revoked.at, revokedBy: revoked.by })
              .where(notRevoked as never)
              .commit(),
          ),
          ...(withEvent ? [entity.workOrderEvent.create(withEvent).commit()] : []),
        ])
        .go();
      if (result.canceled) return false;
    }
    return true;
  }
}
