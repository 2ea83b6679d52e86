import { setTimeout as sleep } from 'node:timers/promises';
import { createConversions } from 'electrodb';
import type { WorkOrder } from '../../domain/work-orders/work-order.ts';
import { ServiceUnavailableError } from '../../shared/errors.ts';
import type { Entities } from './entities.ts';

/**
 * Index key attributes a work order may not have yet (no location, not scheduled, no
 * technician) are stored as `-`, so every work order is in every index: unscheduled ones form
 * day `-` of the board, unassigned ones technician `-`. The domain never sees the marker.
 */
export const unsetKey = '-';
export const optionalKeyAttributes = [
  'locationId',
  'technicianId',
  'scheduledStart',
  'scheduledDate',
] as const;

// The stored items have exactly the domain's fields (the models declare them); ElectroDB's
// inferred types differ only in optionality details, so they are narrowed here once. Every
// store that reads work order items reads them through this.
export function toWorkOrder(item: object): WorkOrder {
  const workOrder = { ...item } as WorkOrder;
  for (const name of optionalKeyAttributes) if (workOrder[name] === unsetKey) delete workOrder[name];
  return workOrder;
}

/**
 * The query option that reads the work order's keys-only indexes: what they hold of each work
 * order, the table's and the index's keys (ElectroDB has no attributes to return).
 */
export const indexKeys = { data: 'includeKeys' } as const;

/** One page of a keys-only index: each work order's keys, and the cursor after the last one. */
export interface KeysPage {
  data: readonly object[];
  cursor: string | null;
}

/** BatchGetItem attempts for keys DynamoDB leaves unprocessed (under throttling), and the first pause. */
const getAttempts = 4;
const firstPauseMs = 25;
/** BatchGetItem requests (100 keys each) in flight at once for a long list (the suggester reads thousands). */
const concurrentRequests = 4;

/**
 * The work orders of a page of index keys, in the page's order: BatchGetItem from the table
 * (ElectroDB sends 100 keys a request). Keys DynamoDB leaves unprocessed are asked again after
 * a short pause that doubles each time; still unread after `getAttempts`, the read fails (503,
 * safe to retry) rather than answering with a page that silently lacks work orders. A work order
 * deleted since the index was read is simply absent.
 */
export async function workOrdersOfKeys(
  entities: Entities,
  keys: readonly object[],
  pause: (milliseconds: number) => Promise<unknown> = sleep,
): Promise<WorkOrder[]> {
  const toTableKey = createConversions(entities.workOrder).byAccessPattern.byId.fromKeys.toComposite;
  const wanted = keys.map(
    (indexed) => toTableKey(indexed as never) as { tenantId: string; workOrderId: string },
  );
  const identity = (key: { tenantId: string; workOrderId: string }) =>
    `${key.tenantId}\u0000${key.workOrderId}`;
  const found: (object | undefined)[] = [];
  let pending = wanted.map((_, position) => position);
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    if (attempt > 1) await pause(firstPauseMs * 2 ** (attempt - 2));
    const { data, unprocessed } = await entities.workOrder
      .get(pending.map((position) => wanted[position] as never))
      .go({ preserveBatchOrder: true, concurrent: concurrentRequests });
    const unread = new Set(
      unprocessed.map((key) => identity(key as { tenantId: string; workOrderId: string })),
    );
    const next: number[] = [];
    pending.forEach((position, slot) => {
      const item = data[slot];
      if (item) found[position] = item;
      else if (unread.has(identity(wanted[position] as { tenantId: string; workOrderId: string })))
        next.push(position);
    });
    pending = next;
    if (pending.length > 0 && attempt === getAttempts) {
      throw new ServiceUnavailableError(`${pending.length} work orders of the list were not read; retry`);
    }
  }
  return found.filter((item) => item !== undefined).map(toWorkOrder);
}

/**
 * Index pages one page of work orders reads at most, when `keep` leaves out work orders the
 * index cannot (a filter on attributes it does not hold): past them the page ends short with
 * its cursor, the next page carrying on from there.
 */
const maxIndexPagesPerPage = 5;

/**
 * One page of work orders through a keys-only index: a Query for the keys of as many work
 * orders as the page still lacks, then their items from the table, kept when `keep` holds
 * (the filters the index keys cannot apply, and a check that the item still matches the keys
 * it was found by). Each Query asks for just the missing count, so the cursor always follows
 * the last work order looked at: nothing is skipped or repeated, and a page comes back short
 * only at the end of the index or after `maxIndexPagesPerPage` queries.
 */
export async function workOrderPage(
  entities: Entities,
  page: { limit: number; cursor: string | null },
  queryKeys: (options: { limit: number; cursor: string | null }) => Promise<KeysPage>,
  keep: (workOrder: WorkOrder) => boolean = () => true,
): Promise<{ data: WorkOrder[]; cursor: string | null }> {
  const kept: WorkOrder[] = [];
  let cursor = page.cursor;
  for (let query = 1; query <= maxIndexPagesPerPage; query += 1) {
    const keys = await queryKeys({ limit: page.limit - kept.length, cursor });
    kept.push(...(await workOrdersOfKeys(entities, keys.data)).filter(keep));
    cursor = keys.cursor;
    if (!cursor || kept.length >= page.limit) break;
  }
  return { data: kept, cursor };
}
