import type { Part } from '../../domain/parts/part.ts';
import type { PartCatalog, PartFilter } from '../../ports/part-catalog.ts';
import type { Page } from '../../ports/work-order-store.ts';
import { type Condition, type Operations, sameAs } from './conditions.ts';
import type { Entities } from './entities.ts';
import { pagedQuery } from './paging.ts';

const atVersion = (version: number) => sameAs('version', version);

/** The SKU item is this part's (or already gone). */
const heldByOrFree =
  (partId: string): Condition =>
  ({ partId: attribute }, { eq, notExists }) =>
    `${(notExists as Operations[string])(attribute)} OR ${(eq as Operations[string])(attribute, partId)}`;

const matching =
  (filter: PartFilter): Condition =>
  ({ category, active }, { eq }) =>
    [
      ...(filter.category !== undefined ? [(eq as Operations[string])(category, filter.category)] : []),
      ...(filter.active !== undefined ? [(eq as Operations[string])(active, filter.active)] : []),
    ].join(' AND ');

/**
 * The parts catalogue in the single table. A part's SKU is held by a `partSku` item keyed by
 * tenant and SKU: created with the part in one transaction on the condition that it does not
 * exist, moved in one transaction when the SKU changes. A lookup by SKU is a GetItem on that
 * item and one on the part; the list is one Query on the tenant's index, in SKU order.
 */
export class DynamoPartCatalog implements PartCatalog {
  constructor(private readonly entities: Entities) {}

  async get(tenantId: string, partId: string): Promise<Part | undefined> {
    const { data } = await this.entities.part.get({ tenantId, partId }).go({ consistent: true });
    return (data as Part | null) ?? undefined;
  }

  async bySku(tenantId: string, sku: string): Promise<Part | undefined> {
    const { data: holder } = await this.entities.partSku.get({ tenantId, sku }).go({ consistent: true });
    return holder ? this.get(tenantId, holder.partId) : undefined;
  }

  async create(part: Part): Promise<boolean> {
    const { tenantId, partId, sku, createdAt } = part;
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.part.create(part).commit(),
        entity.partSku.create({ tenantId, sku, partId, createdAt }).commit(),
      ])
      .go();
    return !result.canceled;
  }

  async update(before: Part, after: Part): Promise<boolean> {
    const { tenantId, partId } = after;
    const skuMoves = before.sku !== after.sku;
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.part
          .put(after)
          .where(atVersion(before.version) as never)
          .commit(),
        ...(skuMoves
          ? [
              entity.partSku
                .delete({ tenantId, sku: before.sku })
                .where(heldByOrFree(partId) as never)
                .commit(),
              entity.partSku
                .create({ tenantId, sku: after.sku, partId, createdAt: after.updatedAt })
                .commit(),
            ]
          : []),
      ])
      .go();
    return !result.canceled;
  }

  async list(
    tenantId: string,
    filter: PartFilter,
    page: { limit: number; cursor?: string },
  ): Promise<Page<Part>> {
    const query = this.entities.part.query.byTenant({ tenantId });
    const filtered = filter.category !== undefined || filter.active !== undefined;
    return pagedQuery(page, (options) =>
      (filtered ? query.where(matching(filter) as never) : query).go(options),
    ) as Promise<Page<Part>>;
  }
}
