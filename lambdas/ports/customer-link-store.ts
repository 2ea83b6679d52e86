import type { LinkKeyring } from '../domain/customer-pages/link-tokens.ts';
import type { CustomerLink } from '../domain/customer-pages/links.ts';
import type { AuditEvent } from '../domain/work-orders/work-order.ts';

/**
 * The customer links issued, each in the item collection of its work order (or of the service
 * agreement whose invoice it is for), kept until it expires.
 */
export interface CustomerLinkStore {
  /**
   * Writes the link with its audit event (when given) unless a link with its id exists; false if
   * one did (nothing written).
   */
  create(link: CustomerLink, event?: AuditEvent): Promise<boolean>;
  /** The link as last written (a consistent read), or undefined once it is gone. */
  get(tenantId: string, workOrderId: string, linkId: string): Promise<CustomerLink | undefined>;
  /** Every link of the work order's (or agreement's) item collection still kept, oldest first. */
  linksOf(tenantId: string, workOrderId: string): Promise<CustomerLink[]>;
  /**
   * Marks the links revoked with one audit event, all or nothing, each only if it is not revoked
   * yet; false if one was revoked meanwhile (nothing written).
   */
  revoke(links: CustomerLink[], revoked: { at: string; by: string }, event?: AuditEvent): Promise<boolean>;
}

/** The link signing keys (Secrets Manager in the cloud, a key file in the data folder locally). */
export type LinkKeys = () => Promise<LinkKeyring>;
