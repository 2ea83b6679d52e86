import type { Clock } from '../../ports/clock.ts';
import type { InventoryStore } from '../../ports/inventory-store.ts';
import { ForbiddenError } from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import type { NegativeStockRule } from './stock.ts';

/** How the tenant keeps stock. */
export interface InventorySettings {
  /**
   * What happens when a use, transfer or adjustment would take more than a location holds.
   * `flag` by default: a part a technician really used is recorded, and the stock shows negative.
   */
  negativeStock: NegativeStockRule;
}

export const defaultInventorySettings: InventorySettings = { negativeStock: 'flag' };

/** The tenant's settings with the defaults for what it has not set. */
export const inventorySettingsOf = (stored: Partial<InventorySettings> | undefined): InventorySettings => ({
  ...defaultInventorySettings,
  ...(stored ?? {}),
});

/** The tenant's inventory settings (403 for a tenant that is not provisioned). */
export async function getInventorySettings(
  inventory: Pick<InventoryStore, 'tenantTerms'>,
  actor: Actor,
): Promise<InventorySettings> {
  const terms = await inventory.tenantTerms(actor.tenantId);
  if (!terms) throw new ForbiddenError('This tenant is not provisioned');
  return terms.settings;
}

/** Changes the tenant's inventory settings: what is given replaces what was set. */
export async function updateInventorySettings(
  dependencies: { inventory: Pick<InventoryStore, 'tenantTerms' | 'saveSettings'>; clock: Clock },
  actor: Actor,
  changes: Partial<InventorySettings>,
): Promise<InventorySettings> {
  const current = await getInventorySettings(dependencies.inventory, actor);
  const next: InventorySettings = { ...current, ...changes };
  await dependencies.inventory.saveSettings(actor.tenantId, next, dependencies.clock.now().toISOString());
  return next;
}
