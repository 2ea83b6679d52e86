import type { Tenant } from '../../domain/customers/customer.ts';
import type { MessagingSettingsStore } from '../../domain/notifications/messaging-settings.ts';
import type { MessagingSettings } from '../../domain/notifications/notification.ts';
import type { Condition, Operations } from './conditions.ts';
import type { Entities } from './entities.ts';

/** The number's route belongs to this tenant, or there is none. */
const routedToOrFree =
  (tenantId: string): Condition =>
  ({ tenantId: attribute }, { eq, notExists }) =>
    `${(notExists as Operations[string])(attribute)} OR ${(eq as Operations[string])(attribute, tenantId)}`;

/**
 * The messaging settings live on the tenant's item; the tenant's SMS number also has a route
 * item of its own (`smsNumberRoute`), moved in the same transaction as the settings.
 */
export class DynamoMessagingSettingsStore implements MessagingSettingsStore {
  constructor(private readonly entities: Entities) {}

  async getTenant(tenantId: string): Promise<Tenant | undefined> {
    const { data } = await this.entities.tenant.get({ tenantId }).go({ consistent: true });
    return (data as Tenant | null) ?? undefined;
  }

  async saveMessagingSettings(
    tenantId: string,
    settings: MessagingSettings,
    previousSmsNumber: string | undefined,
    at: string,
  ): Promise<boolean> {
    const number = settings.smsNumber;
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.tenant.patch({ tenantId }).set({ messaging: settings, updatedAt: at }).commit(),
        ...(previousSmsNumber && previousSmsNumber !== number
          ? [
              entity.smsNumberRoute
                .delete({ smsNumber: previousSmsNumber })
                .where(routedToOrFree(tenantId) as never)
                .commit(),
            ]
          : []),
        ...(number
          ? [
              entity.smsNumberRoute
                .put({ smsNumber: number, tenantId, createdAt: at })
                .where(routedToOrFree(tenantId) as never)
                .commit(),
            ]
          : []),
      ])
      .go();
    return !result.canceled;
  }

  async tenantForSmsNumber(smsNumber: string): Promise<string | undefined> {
    const { data } = await this.entities.smsNumberRoute.get({ smsNumber }).go();
    return data?.tenantId;
  }
}
