import type { Tenant } from '../../domain/customers/customer.ts';
import type {
  SchedulingSettings,
  SchedulingSettingsStore,
} from '../../domain/scheduling/scheduling-settings.ts';
import type { Entities } from './entities.ts';

/** The scheduling settings live on the tenant's item. */
export class DynamoSchedulingSettingsStore implements SchedulingSettingsStore {
  constructor(private readonly entities: Entities) {}

  async getTenant(tenantId: string): Promise<Tenant | undefined> {
    const { data } = await this.entities.tenant.get({ tenantId }).go({ consistent: true });
    return data ?? undefined;
  }

  async saveSchedulingSettings(tenantId: string, settings: SchedulingSettings, at: string): Promise<void> {
    await this.entities.tenant.patch({ tenantId }).set({ scheduling: settings, updatedAt: at }).go();
  }
}
