import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entities } from '../../lambdas/adapters/dynamodb/entities.ts';
import { LocalCalendar, minutesOf } from '../../lambdas/domain/scheduling/local-time.ts';
import type { Role } from '../../lambdas/shared/roles.ts';
import type { Platform } from '../../lib/local/platform.ts';
import { aTenant, aWorkOrderRequest, type TenantFixture } from '../fixtures/tenants.ts';
import { freeSlots } from '../helpers/crew.ts';
import { eventually } from '../helpers/local-platform.ts';
import { callApi, type OwnPlatform, startOwnPlatform, tokenOfRole } from '../helpers/own-platform.ts';

// Quiet hours are reckoned from the local clock, and releasing what they held means moving it
// forward, which would move it for every other test: this file runs a platform of its own.

const zone = 'America/Chicago';
const calendar = new LocalCalendar(zone);
const nextSlot = freeSlots();

type Notification = { id: string; purpose: string; channel: string; status: string; releaseAt?: string };
type OutboxItem = { channel: string; to: string; subject?: string; workOrderId?: string };

/** A local time `HH:mm` so many minutes from a local time, across midnight. */
const shifted = (time: string, minutes: number) => {
  const total = (((minutesOf(time) + minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
};

describe('quiet hours (a platform of its own)', () => {
  let platform: Platform;
  let own: OwnPlatform | undefined;
  let entities: Entities;

  const call = <T = Record<string, unknown>>(method: string, path: string, token: string, body?: unknown) =>
    callApi<T>(platform, method, path, token, body);
  const tokenOf = (role: Role, tenant: TenantFixture) => tokenOfRole(platform, role, tenant);

  /**
   * A tenant whose quiet hours started an hour ago by the platform's clock and end in an hour,
   * with a customer reached by SMS only.
   */
  async function aTenantInQuietHours(phone: string) {
    const tenant = await aTenant(entities);
    const [admin, dispatcher] = await Promise.all([tokenOf('admin', tenant), tokenOf('dispatcher', tenant)]);
    const clock = await call<{ now: string }>('GET', '/local/clock', admin);
    const localNow = calendar.timeOf(clock.body.now);
    const quietHours = { start: shifted(localNow, -60), end: shifted(localNow, 60) };
    const settings = await call('PATCH', '/v1/settings/messages', admin, {
      quietHours,
      smsNumber: `+1312555${String(2000 + Math.floor(Math.random() * 8000))}`,
    });
    expect(settings.status).toBe(200);
    const customer = await call<{ id: string }>('POST', '/v1/customers', dispatcher, {
      name: 'Riley Night',
      phone,
      contactPreferences: { channel: 'sms' },
    });
    expect(customer.status).toBe(201);
    const location = await call<{ id: string }>(
      'POST',
      `/v1/customers/${customer.body.id}/locations`,
      dispatcher,
      {
        address: { line1: '9 Wacker Dr', city: 'Chicago', region: 'IL', postalCode: '60601', country: 'US' },
      },
    );
    return { tenant, admin, dispatcher, customerId: customer.body.id, locationId: location.body.id };
  }

  async function aBooking(setup: Awaited<ReturnType<typeof aTenantInQuietHours>>): Promise<string> {
    const created = await call<{ id: string }>(
      'POST',
      '/v1/work-orders',
      setup.dispatcher,
      aWorkOrderRequest(setup.tenant, { customerId: setup.customerId, locationId: setup.locationId }),
    );
    expect(created.status).toBe(201);
    const scheduled = await call('POST', `/v1/work-orders/${created.body.id}/schedule`, setup.dispatcher, {
      start: nextSlot(),
      technicianId: setup.tenant.technicianId,
    });
    expect(scheduled.status).toBe(200);
    return created.body.id;
  }

  /** The work order's confirmation in the log, once it is no longer under way. */
  const confirmationOf = (token: string, id: string) =>
    eventually(async () => {
      const { body } = await call<{ items: Notification[] }>(
        'GET',
        `/v1/work-orders/${id}/notifications`,
        token,
      );
      const found = body.items.find((item) => item.purpose === 'confirmation');
      return found && found.status !== 'sending' ? found : undefined;
    }, 20_000);

  const confirmationsSent = async (token: string, id: string) =>
    (await call<{ items: OutboxItem[] }>('GET', '/local/outbox', token)).body.items.filter(
      (item) => item.workOrderId === id && item.subject?.startsWith('Your AC repair visit'),
    );

  beforeAll(async () => {
    own = await startOwnPlatform('quiet');
    ({ platform, entities } = own);
  }, 120_000);

  afterAll(async () => {
    await own?.stop();
  });

  it('when a confirmation falls in the tenant’s quiet hours, it is held, listed for the office, and sent once the clock passes their end', async () => {
    // Arrange
    const setup = await aTenantInQuietHours('(312) 555-0171');
    const id = await aBooking(setup);
    const held = await confirmationOf(setup.dispatcher, id);
    const heldList = await call<{ items: Notification[] }>(
      'GET',
      '/v1/notifications?status=held',
      setup.dispatcher,
    );
    const sentWhileQuiet = await confirmationsSent(setup.dispatcher, id);

    // Act
    const moved = await call<{ fired: number }>('POST', '/local/clock', setup.admin, { advanceMinutes: 75 });

    // Assert
    expect(held).toMatchObject({ channel: 'sms', status: 'held', releaseAt: expect.any(String) });
    expect(heldList.body.items.map((item) => item.id)).toContain(held.id);
    expect(sentWhileQuiet).toEqual([]);
    expect(moved.status).toBe(200);
    expect(moved.body.fired).toBeGreaterThanOrEqual(1);
    const released = await confirmationOf(setup.dispatcher, id);
    expect(released).toMatchObject({ id: held.id, status: 'sent' });
    expect(await confirmationsSent(setup.dispatcher, id)).toEqual([
      expect.objectContaining({ channel: 'sms', to: '+13125550171' }),
    ]);
  }, 60_000);

  it('when the customer texts STOP while the message is held, it is suppressed at the end of quiet hours', async () => {
    // Arrange
    const setup = await aTenantInQuietHours('(312) 555-0172');
    const id = await aBooking(setup);
    expect(await confirmationOf(setup.dispatcher, id)).toMatchObject({ status: 'held' });
    const stop = await call('POST', '/local/sms/inbound', setup.admin, {
      from: '+13125550172',
      body: 'STOP',
    });
    expect(stop.status).toBe(200);

    // Act
    await call('POST', '/local/clock', setup.admin, { advanceMinutes: 75 });

    // Assert
    const released = await eventually(async () => {
      const found = await confirmationOf(setup.dispatcher, id);
      return found.status === 'held' ? undefined : found;
    }, 20_000);
    expect(released).toMatchObject({ status: 'suppressed' });
    expect(await confirmationsSent(setup.dispatcher, id)).toEqual([]);
  }, 60_000);
});
