import type { CustomerLink } from '../../../lambdas/domain/customer-pages/links.ts';
import type { AuditEvent } from '../../../lambdas/domain/work-orders/work-order.ts';
import type { CustomerLinkStore } from '../../../lambdas/ports/customer-link-store.ts';

/** Customer links in memory, with the audit events their writes carried. */
export class InMemoryCustomerLinks implements CustomerLinkStore {
  readonly links = new Map<string, CustomerLink>();
  readonly events: AuditEvent[] = [];

  private static key(tenantId: string, workOrderId: string, linkId: string) {
    return `${tenantId}/${workOrderId}/${linkId}`;
  }

  async create(link: CustomerLink, event?: AuditEvent): Promise<boolean> {
    const key = InMemoryCustomerLinks.key(link.tenantId, link.workOrderId, link.linkId);
    if (this.links.has(key)) return false;
    this.links.set(key, structuredClone(link));
    if (event) this.events.push(structuredClone(event));
    return true;
  }

  async get(tenantId: string, workOrderId: string, linkId: string): Promise<CustomerLink | undefined> {
    const link = this.links.get(InMemoryCustomerLinks.key(tenantId, workOrderId, linkId));
    return link ? structuredClone(link) : undefined;
  }

  async linksOf(tenantId: string, workOrderId: string): Promise<CustomerLink[]> {
    return [...this.links.values()]
      .filter((link) => link.tenantId === tenantId && link.workOrderId === workOrderId)
      .sort((one, other) => one.linkId.localeCompare(other.linkId))
      .map((link) => structuredClone(link));
  }

  async revoke(
    links: CustomerLink[],
    revoked: { at: string; by: string },
    event?: AuditEvent,
  ): Promise<boolean> {
    const keys = links.map((link) => InMemoryCustomerLinks.key(link.tenantId, link.workOrderId, link.linkId));
    if (keys.some((key) => this.links.get(key)?.revokedAt !== undefined || !this.links.has(key)))
      return false;
    for (const key of keys) {
      const link = this.links.get(key);
      if (link) this.links.set(key, { ...link, revokedAt: revoked.at, revokedBy: revoked.by });
    }
    if (event) this.events.push(structuredClone(event));
    return true;
  }
}
