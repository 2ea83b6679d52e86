import type { InventorySettings } from '../../../lambdas/domain/inventory/inventory-settings.ts';
import type { InventoryDependencies } from '../../../lambdas/domain/inventory/manage-stock.ts';
import type { PartUsageRecord } from '../../../lambdas/ports/work-order-store.ts';
import {
  aContactor,
  aStoredTechnician,
  aSuppliedMeasuredPart,
  aSuppliedPart,
} from '../../fixtures/inventory-records.ts';
import { InMemoryInventory, InMemoryPurchaseOrders } from '../fakes/in-memory-inventory.ts';
import { InMemoryPartCatalog } from '../fakes/in-memory-part-catalog.ts';
import { InMemoryTechnicians } from '../fakes/in-memory-technicians.ts';
import type { InMemoryWorkOrderStore } from '../fakes/in-memory-work-order-store.ts';
import { RecordingEventPublisher } from '../fakes/recording-event-publisher.ts';
import { SequentialIds } from '../fakes/sequential-ids.ts';
import { SettableClock } from '../fakes/settable-clock.ts';

export const now = '2025-03-14T14:10:00.000Z';

/**
 * Tenant `ten_acme`'s stock in memory: the capacitor and the contactor from Coastal HVAC Supply,
 * copper line from Copper Works, technicians Ana (`tec_ana`) and Ben (`tec_ben`).
 */
export function anInventory(settings: Partial<InventorySettings> = {}) {
  const inventory = new InMemoryInventory().withTenant('ten_acme', settings);
  const purchaseOrders = new InMemoryPurchaseOrders(inventory);
  const events = new RecordingEventPublisher();
  const failures: string[] = [];
  const dependencies: InventoryDependencies = {
    inventory,
    purchaseOrders,
    parts: new InMemoryPartCatalog().add(aSuppliedPart()).add(aContactor()).add(aSuppliedMeasuredPart()),
    technicians: new InMemoryTechnicians()
      .add(aStoredTechnician())
      .add(aStoredTechnician({ technicianId: 'tec_ben', name: 'Ben Okafor' })),
    events,
    clock: new SettableClock(now),
    ids: new SequentialIds(),
    reportFailure: (message) => failures.push(message),
  };
  return { inventory, purchaseOrders, events, failures, dependencies };
}

/**
 * The work order store writing a usage's stock change in the same step as the usage, as the
 * table's transaction does: a refused stock condition refuses the usage, and the reverse.
 */
export function withStockInUsageWrites(workOrders: InMemoryWorkOrderStore, inventory: InMemoryInventory) {
  const write = workOrders.addPartUsage.bind(workOrders);
  workOrders.addPartUsage = async (record: PartUsageRecord, statuses) => {
    const { stock } = record;
    // The stock's condition is checked and the change applied in one step, then undone if the
    // usage itself is refused: all or nothing, as one transaction.
    if (stock && !inventory.applyChanges([stock], record.usage.at)) return false;
    if (await write(record, statuses)) return true;
    if (stock) inventory.undoChange(stock);
    return false;
  };
  return workOrders;
}
