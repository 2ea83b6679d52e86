import { beforeEach, describe, expect, it } from 'vitest';
import type { Tenant } from '../../../../lambdas/domain/customers/customer.ts';
import { defaultTemplates } from '../../../../lambdas/domain/notifications/message-templates.ts';
import {
  getMessagingSettings,
  type MessagingSettingsStore,
  updateMessagingSettings,
} from '../../../../lambdas/domain/notifications/messaging-settings.ts';
import type { MessagingSettings } from '../../../../lambdas/domain/notifications/notification.ts';
import { ConflictError, ValidationError } from '../../../../lambdas/shared/errors.ts';
import { anAdmin, aTenant } from '../../../fixtures/unit-records.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

/** Tenants and the routes of their SMS numbers, in memory, with the adapter's uniqueness rule. */
class InMemoryMessagingSettings implements MessagingSettingsStore {
  readonly tenants = new Map<string, Tenant>();
  readonly routes = new Map<string, string>();

  async getTenant(tenantId: string) {
    return this.tenants.get(tenantId);
  }

  async saveMessagingSettings(tenantId: string, settings: MessagingSettings, previous: string | undefined) {
    const number = settings.smsNumber;
    if (number && (this.routes.get(number) ?? tenantId) !== tenantId) return false;
    if (previous && previous !== number) this.routes.delete(previous);
    if (number) this.routes.set(number, tenantId);
    const tenant = this.tenants.get(tenantId);
    if (tenant) this.tenants.set(tenantId, { ...tenant, messaging: settings });
    return true;
  }

  async tenantForSmsNumber(smsNumber: string) {
    return this.routes.get(smsNumber);
  }
}

describe('messaging settings', () => {
  let settings: InMemoryMessagingSettings;
  const deps = () => ({ settings, clock: new SettableClock() });

  beforeEach(() => {
    settings = new InMemoryMessagingSettings();
    settings.tenants.set('ten_acme', aTenant());
    settings.tenants.set('ten_other', aTenant({ tenantId: 'ten_other' }));
  });

  it('when nothing was set, every purpose reads its default texts, not customized', async () => {
    // Arrange

    // Act
    const view = await getMessagingSettings(settings, anAdmin());

    // Assert
    expect(view.templates.confirmation).toEqual({ ...defaultTemplates.confirmation, customized: false });
    expect(view.quietHours).toBeUndefined();
    expect(view.placeholders).toContain('customerFirstName');
  });

  it('when a text is changed, it replaces that text only and the others keep what was set', async () => {
    // Arrange
    await updateMessagingSettings(deps(), anAdmin(), {
      templates: { reminder: { emailSubject: 'See you {date}' } },
    });

    // Act
    const view = await updateMessagingSettings(deps(), anAdmin(), {
      templates: { reminder: { sms: 'Tomorrow: {window}. {tenantName}' } },
    });

    // Assert
    expect(view.templates.reminder).toEqual({
      sms: 'Tomorrow: {window}. {tenantName}',
      emailSubject: 'See you {date}',
      emailBody: defaultTemplates.reminder.emailBody,
      customized: true,
    });
  });

  it('when a text or a purpose is set to null, the default applies again', async () => {
    // Arrange
    await updateMessagingSettings(deps(), anAdmin(), {
      templates: { reminder: { sms: 'A {window}' }, invoice: { sms: 'B {link}', emailSubject: 'C' } },
    });

    // Act
    const view = await updateMessagingSettings(deps(), anAdmin(), {
      templates: { reminder: { sms: null }, invoice: null },
    });

    // Assert
    expect(view.templates.reminder).toEqual({ ...defaultTemplates.reminder, customized: false });
    expect(view.templates.invoice).toEqual({ ...defaultTemplates.invoice, customized: false });
    expect(settings.tenants.get('ten_acme')?.messaging).toEqual({});
  });

  it('when a text names an unknown placeholder, it is refused naming the field and nothing changes', async () => {
    // Arrange

    // Act
    const error = await rejectionOf(
      updateMessagingSettings(deps(), anAdmin(), {
        templates: { en_route: { sms: '{technicianName} is coming' } },
        quietHours: { start: '21:00', end: '08:00' },
      }),
    );

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([
      { field: 'body.templates.en_route.sms', message: expect.stringContaining('{technicianName}') },
    ]);
    expect(settings.tenants.get('ten_acme')?.messaging).toBeUndefined();
  });

  it('when quiet hours start when they end, it is refused naming the end', async () => {
    // Arrange

    // Act
    const error = await rejectionOf(
      updateMessagingSettings(deps(), anAdmin(), { quietHours: { start: '21:00', end: '21:00' } }),
    );

    // Assert
    expect((error as ValidationError).errors).toEqual([
      { field: 'body.quietHours.end', message: 'must differ from the start' },
    ]);
  });

  it('when quiet hours are set and later cleared with null, messages go out at any hour again', async () => {
    // Arrange
    await updateMessagingSettings(deps(), anAdmin(), { quietHours: { start: '21:00', end: '08:00' } });

    // Act
    const view = await updateMessagingSettings(deps(), anAdmin(), { quietHours: null });

    // Assert
    expect(view.quietHours).toBeUndefined();
  });

  it('when the SMS number is written in the local form, it is kept in E.164 and routes replies to the tenant', async () => {
    // Arrange

    // Act
    const view = await updateMessagingSettings(deps(), anAdmin(), { smsNumber: '(617) 555-0199' });

    // Assert
    expect(view.smsNumber).toBe('+16175550199');
    expect(await settings.tenantForSmsNumber('+16175550199')).toBe('ten_acme');
  });

  it('when another tenant sends from the number, it is refused with a conflict', async () => {
    // Arrange
    await updateMessagingSettings(deps(), anAdmin(), { smsNumber: '+16175550199' });

    // Act
    const error = await rejectionOf(
      updateMessagingSettings(deps(), anAdmin({ tenantId: 'ten_other' }), { smsNumber: '+16175550199' }),
    );

    // Assert
    expect(error).toBeInstanceOf(ConflictError);
    expect(await settings.tenantForSmsNumber('+16175550199')).toBe('ten_acme');
  });

  it('when the number is not a phone number, it is refused naming the field', async () => {
    // Arrange

    // Act
    const error = await rejectionOf(updateMessagingSettings(deps(), anAdmin(), { smsNumber: '12' }));

    // Assert
    expect((error as ValidationError).errors).toEqual([
      { field: 'body.smsNumber', message: 'not a valid phone number' },
    ]);
  });
});
