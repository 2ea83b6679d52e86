import type { Part } from '../../../lambdas/domain/parts/part.ts';
import type { PartCatalog, PartFilter } from '../../../lambdas/ports/part-catalog.ts';
import type { Page } from '../../../lambdas/ports/work-order-store.ts';

type ConcurrentWrite = () => void;

/**
 * The parts catalogue in memory, with the table's guarantees: a part and its SKU are written
 * together only while the SKU is free, and a change applies only at the version read, moving
 * the SKU only to a free one. Another tenant's ids and SKUs are simply not there.
 */
export class InMemoryPartCatalog implements PartCatalog {
  private readonly parts = new Map<string, Part>();
  private readonly skus = new Map<string, string>();
  private readonly beforeWrites: ConcurrentWrite[] = [];
  writeAttempts = 0;

  /** Seeds a part (and its SKU) as if an earlier request had written it. */
  add(part: Part): this {
    this.parts.set(`${part.tenantId}#${part.partId}`, structuredClone(part));
    this.skus.set(`${part.tenantId}#${part.sku}`, part.partId);
    return this;
  }

  /** Runs `write` just before the next create or update checks its conditions, as a concurrent request would. */
  beforeNextWrite(write: ConcurrentWrite): this {
    this.beforeWrites.push(write);
    return this;
  }

  all(): Part[] {
    return [...this.parts.values()].map((part) => structuredClone(part));
  }

  async get(tenantId: string, partId: string): Promise<Part | undefined> {
    const part = this.parts.get(`${tenantId}#${partId}`);
    return part ? structuredClone(part) : undefined;
  }

  async bySku(tenantId: string, sku: string): Promise<Part | undefined> {
    const partId = this.skus.get(`${tenantId}#${sku}`);
    return partId ? this.get(tenantId, partId) : undefined;
  }

  async create(part: Part): Promise<boolean> {
    this.writeAttempts += 1;
    this.beforeWrites.shift()?.();
    if (this.skus.has(`${part.tenantId}#${part.sku}`) || this.parts.has(`${part.tenantId}#${part.partId}`)) {
      return false;
    }
    this.add(part);
    return true;
  }

  async update(before: Part, after: Part): Promise<boolean> {
    this.writeAttempts += 1;
    this.beforeWrites.shift()?.();
    const current = this.parts.get(`${before.tenantId}#${before.partId}`);
    if (current?.version !== before.version) return false;
    const holder = this.skus.get(`${after.tenantId}#${after.sku}`);
    if (holder !== undefined && holder !== after.partId) return false;
    this.skus.delete(`${before.tenantId}#${before.sku}`);
    this.add(after);
    return true;
  }

  async list(
    tenantId: string,
    filter: PartFilter,
    page: { limit: number; cursor?: string },
  ): Promise<Page<Part>> {
    const matches = [...this.parts.values()]
      .filter((part) => part.tenantId === tenantId)
      .filter((part) => filter.category === undefined || part.category === filter.category)
      .filter((part) => filter.active === undefined || part.active === filter.active)
      .sort((one, other) => (one.sku < other.sku ? -1 : one.sku > other.sku ? 1 : 0));
    const offset = page.cursor === undefined ? 0 : Number(page.cursor);
    const next = offset + page.limit;
    return {
      items: matches.slice(offset, next).map((part) => structuredClone(part)),
      ...(next < matches.length ? { nextCursor: String(next) } : {}),
    };
  }
}
