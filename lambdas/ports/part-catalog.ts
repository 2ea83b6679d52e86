import type { Part } from '../domain/parts/part.ts';
import type { Page } from './work-order-store.ts';

export interface PartFilter {
  category?: string;
  active?: boolean;
}

/** The tenants' parts catalogues, one SKU per part within a tenant. */
export interface PartCatalog {
  get(tenantId: string, partId: string): Promise<Part | undefined>;
  /** The part holding the (normalized) SKU, read by key, consistently. */
  bySku(tenantId: string, sku: string): Promise<Part | undefined>;
  /**
   * Writes the part and the item holding its SKU, all or nothing, only if the SKU is not held;
   * false if refused (SKU held, or a concurrent write), in which case nothing was written.
   */
  create(part: Part): Promise<boolean>;
  /**
   * Replaces the part if it is still at the version of `before`, moving the SKU's item when the
   * SKU changes (the new one only if not held); false if refused, nothing written.
   */
  update(before: Part, after: Part): Promise<boolean>;
  /** The tenant's parts in SKU order (one Query), optionally of one category or activity. */
  list(tenantId: string, filter: PartFilter, page: { limit: number; cursor?: string }): Promise<Page<Part>>;
}
