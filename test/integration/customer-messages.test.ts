import { describe, expect, it } from 'vitest';
import { aWorkOrderRequest } from '../fixtures/tenants.ts';
import { aCrew, type Crew, freeSlots } from '../helpers/crew.ts';
import { api, eventually, tableEntities } from '../helpers/local-platform.ts';

const entities = tableEntities();
const nextSlot = freeSlots();

type Problem = { status: number; errors?: { field: string; message: string }[] };
type Template = { sms: string; emailSubject: string; emailBody: string; customized: boolean };
type Settings = {
  templates: Record<string, Template>;
  quietHours?: { start: string; end: string };
  smsNumber?: string;
  placeholders: string[];
};
type Notification = {
  id: string;
  workOrderId?: string;
  purpose: string;
  channel: 'sms' | 'email';
  recipient: string;
  status: string;
  attempts: number;
  subject?: string;
  body: string;
  attachments?: { filename: string; contentType: string }[];
  error?: string;
  reason?: string;
  messageId?: string;
};
type OutboxItem = {
  channel: string;
  to: string;
  from?: string;
  subject?: string;
  body: string;
  workOrderId?: string;
  attachments?: { filename: string; contentType: string; content: string }[];
};
type CustomerBody = { id: string; optedOut?: { sms?: string; email?: string } };

/** A US number of the 555 range, different in every test: an SMS number belongs to one tenant. */
const aTenantNumber = () => `+1312555${String(2000 + Math.floor(Math.random() * 8000))}`;

async function aCustomer(crew: Crew, body: Record<string, unknown>) {
  const customer = await api<CustomerBody>('POST', '/v1/customers', {
    token: crew.dispatcher,
    body: { name: 'Jordan Reyes', ...body },
  });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  const location = await api<{ id: string }>('POST', `/v1/customers/${customer.body.id}/locations`, {
    token: crew.dispatcher,
    body: {
      address: {
        line1: '7 Lake Shore Dr',
        city: 'Chicago',
        region: 'IL',
        postalCode: '60611',
        country: 'US',
      },
    },
  });
  expect(location.status).toBe(201);
  return { customerId: customer.body.id, locationId: location.body.id };
}

/** A work order of the customer booked with the crew's technician: the workflow then confirms it. */
async function aBooking(crew: Crew, customer: { customerId: string; locationId: string }) {
  const created = await api<{ id: string }>('POST', '/v1/work-orders', {
    token: crew.dispatcher,
    body: aWorkOrderRequest(crew.tenant, customer),
  });
  expect(created.status).toBe(201);
  const scheduled = await api('POST', `/v1/work-orders/${created.body.id}/schedule`, {
    token: crew.dispatcher,
    body: { start: nextSlot(), technicianId: crew.tenant.technicianId },
  });
  expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
  return created.body.id;
}

const notificationsOf = async (token: string, workOrderId: string) =>
  api<{ items: Notification[] }>('GET', `/v1/work-orders/${workOrderId}/notifications`, { token });

/** The work order's logged messages once every channel has one that is no longer under way. */
const settledNotifications = (token: string, workOrderId: string, count: number) =>
  eventually(async () => {
    const { body } = await notificationsOf(token, workOrderId);
    const settled = body.items.filter((item) => item.status !== 'sending');
    return settled.length >= count ? settled : undefined;
  }, 20_000);

const outboxFor = async (token: string, workOrderId: string) =>
  (await api<{ items: OutboxItem[] }>('GET', '/local/outbox', { token })).body.items.filter(
    (item) => item.workOrderId === workOrderId,
  );

describe('customer messages', () => {
  describe('message settings', () => {
    it('when the office reads the settings, every purpose has its texts; only an admin may change them', async () => {
      // Arrange
      const crew = await aCrew(entities);

      // Act
      const read = await api<Settings>('GET', '/v1/settings/messages', { token: crew.dispatcher });
      const byTechnician = await api('GET', '/v1/settings/messages', { token: crew.technician });
      const byDispatcher = await api<Problem>('PATCH', '/v1/settings/messages', {
        token: crew.dispatcher,
        body: { quietHours: { start: '21:00', end: '08:00' } },
      });

      // Assert
      expect(read.status).toBe(200);
      expect(Object.keys(read.body.templates).sort()).toEqual(
        ['completion', 'confirmation', 'en_route', 'follow_up', 'invoice', 'overdue', 'reminder'].sort(),
      );
      for (const template of Object.values(read.body.templates)) {
        expect(template.sms).toMatch(/Reply STOP to opt out\.$/);
        expect(template.customized).toBe(false);
      }
      expect(read.body.placeholders).toEqual(expect.arrayContaining(['customerFirstName', 'window', 'link']));
      expect(byTechnician.status).toBe(403);
      expect(byDispatcher.status).toBe(403);
      const after = await api<Settings>('GET', '/v1/settings/messages', { token: crew.dispatcher });
      expect(after.body.quietHours).toBeUndefined();
    });

    it('when an admin names an unknown placeholder, purpose or time, it is refused naming the field and nothing changes', async () => {
      // Arrange
      const crew = await aCrew(entities);

      // Act
      const placeholder = await api<Problem>('PATCH', '/v1/settings/messages', {
        token: crew.admin,
        body: {
          templates: { reminder: { sms: 'Hi {firstName}, see you {date}' } },
          quietHours: { start: '21:00', end: '08:00' },
        },
      });
      const purpose = await api<Problem>('PATCH', '/v1/settings/messages', {
        token: crew.admin,
        body: { templates: { birthday: { sms: 'Happy birthday {customerFirstName}' } } },
      });
      const time = await api<Problem>('PATCH', '/v1/settings/messages', {
        token: crew.admin,
        body: { quietHours: { start: '25:00', end: '08:00' } },
      });

      // Assert
      expect(placeholder.status).toBe(400);
      expect(placeholder.body.errors).toEqual([
        { field: 'body.templates.reminder.sms', message: expect.stringContaining('{firstName}') },
      ]);
      expect(purpose.status).toBe(400);
      expect(purpose.body.errors?.[0]?.field).toMatch(/^body\.templates/);
      expect(time.status).toBe(400);
      expect(time.body.errors?.map((error) => error.field)).toEqual(['body.quietHours.start']);
      const after = await api<Settings>('GET', '/v1/settings/messages', { token: crew.admin });
      expect(after.body.templates.reminder?.customized).toBe(false);
      expect(after.body.quietHours).toBeUndefined();
    });

    it('when an admin changes a text and the quiet hours, the office reads them back, and null restores the default', async () => {
      // Arrange
      const crew = await aCrew(entities);
      const changed = await api<Settings>('PATCH', '/v1/settings/messages', {
        token: crew.admin,
        body: {
          templates: {
            en_route: { sms: '{technicianFirstName} is coming[ at {eta}]. Reply STOP to opt out.' },
          },
          quietHours: { start: '21:30', end: '07:30' },
        },
      });

      // Act
      const read = await api<Settings>('GET', '/v1/settings/messages', { token: crew.dispatcher });
      const restored = await api<Settings>('PATCH', '/v1/settings/messages', {
        token: crew.admin,
        body: { templates: { en_route: null } },
      });

      // Assert
      expect(changed.status).toBe(200);
      expect(read.body.templates.en_route).toMatchObject({
        sms: '{technicianFirstName} is coming[ at {eta}]. Reply STOP to opt out.',
        customized: true,
      });
      expect(read.body.quietHours).toEqual({ start: '21:30', end: '07:30' });
      expect(restored.body.templates.en_route?.customized).toBe(false);
      expect(restored.body.quietHours).toEqual({ start: '21:30', end: '07:30' });
    });
  });

  describe('booking confirmation', () => {
    it('when a booking is made, the customer is told by their channel in the tenant’s words, and the email carries the visit as an .ics', async () => {
      // Arrange
      const crew = await aCrew(entities);
      await api('PATCH', '/v1/settings/messages', {
        token: crew.admin,
        body: {
          templates: {
            confirmation: {
              sms: '{tenantName}: {service} booked for {window}, {customerFirstName}. Reply STOP to opt out.',
              emailSubject: 'Booked: your {service} on {date}',
            },
          },
        },
      });
      const byEmail = await aCustomer(crew, {
        phone: '(312) 555-0161',
        email: 'jordan@example.com',
        contactPreferences: { channel: 'email' },
      });
      const bySms = await aCustomer(crew, {
        name: 'Casey Lin',
        phone: '(312) 555-0162',
        email: 'casey@example.com',
        contactPreferences: { channel: 'sms' },
      });

      // Act
      const emailed = await aBooking(crew, byEmail);
      const texted = await aBooking(crew, bySms);

      // Assert
      const [emailLog] = await settledNotifications(crew.dispatcher, emailed, 1);
      expect(emailLog).toMatchObject({
        purpose: 'confirmation',
        channel: 'email',
        recipient: 'j•••@example.com',
        status: 'sent',
        attempts: 1,
        attachments: [{ filename: 'appointment.ics', contentType: expect.stringMatching(/^text\/calendar/) }],
      });
      const emails = await outboxFor(crew.dispatcher, emailed);
      expect(emails.map((message) => message.channel)).toEqual(['email']);
      expect(emails[0]?.subject).toMatch(/^Booked: your AC repair on \w+day, \w+ \d+$/);
      const calendar = emails[0]?.attachments?.[0];
      expect(calendar?.filename).toBe('appointment.ics');
      const lines = calendar?.content.replace(/\r\n /g, '').split('\r\n') ?? [];
      expect(lines[0]).toBe('BEGIN:VCALENDAR');
      expect(lines).toEqual(expect.arrayContaining(['BEGIN:VEVENT', 'METHOD:PUBLISH', 'STATUS:CONFIRMED']));
      expect(lines.find((line) => line.startsWith('UID:'))).toMatch(new RegExp(`^UID:${emailed}@`));
      expect(lines.find((line) => line.startsWith('LOCATION:'))).toBe(
        'LOCATION:7 Lake Shore Dr\\, Chicago\\, IL 60611',
      );

      await settledNotifications(crew.dispatcher, texted, 1);
      const texts = await outboxFor(crew.dispatcher, texted);
      expect(texts.map((message) => [message.channel, message.to])).toEqual([['sms', '+13125550162']]);
      expect(texts[0]?.body).toMatch(
        /^Test Heating & Air: AC repair booked for .+, Casey\. Reply STOP to opt out\.$/,
      );
      expect(texts[0]?.attachments ?? []).toEqual([]);
    });

    it('when the assigned technician reads the work order’s messages they see them; another technician finds no such work order', async () => {
      // Arrange
      const crew = await aCrew(entities);
      const customer = await aCustomer(crew, { phone: '(312) 555-0163' });
      const id = await aBooking(crew, customer);
      await settledNotifications(crew.dispatcher, id, 1);

      // Act
      const assigned = await notificationsOf(crew.technician, id);
      const other = await notificationsOf(crew.otherTechnician, id);

      // Assert
      expect(assigned.status).toBe(200);
      expect(assigned.body.items).toEqual([
        expect.objectContaining({ channel: 'sms', status: 'sent', recipient: '+1••••••0163' }),
      ]);
      expect(JSON.stringify(assigned.body)).not.toContain('+13125550163');
      expect(other.status).toBe(404);
    });
  });

  describe('opting out', () => {
    it('when the customer texts STOP, texts to them are logged suppressed and not sent; START lets them through again', async () => {
      // Arrange
      const crew = await aCrew(entities);
      const number = aTenantNumber();
      const routed = await api<Settings>('PATCH', '/v1/settings/messages', {
        token: crew.admin,
        body: { smsNumber: number },
      });
      expect(routed.status).toBe(200);
      const customer = await aCustomer(crew, { phone: '(312) 555-0164' });

      // Act
      const stop = await api('POST', '/local/sms/inbound', {
        token: crew.admin,
        body: { from: '312-555-0164', body: 'Stop' },
      });
      const optedOut = await api<CustomerBody>('GET', `/v1/customers/${customer.customerId}`, {
        token: crew.dispatcher,
      });
      const whileOptedOut = await aBooking(crew, customer);
      const suppressed = await settledNotifications(crew.dispatcher, whileOptedOut, 1);
      const start = await api('POST', '/local/sms/inbound', {
        token: crew.admin,
        body: { from: '+13125550164', body: 'START' },
      });
      const optedIn = await api<CustomerBody>('GET', `/v1/customers/${customer.customerId}`, {
        token: crew.dispatcher,
      });
      const afterStart = await aBooking(crew, customer);
      const sent = await settledNotifications(crew.dispatcher, afterStart, 1);

      // Assert
      expect(stop.status).toBe(200);
      expect(optedOut.body.optedOut?.sms).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(suppressed).toEqual([
        expect.objectContaining({
          channel: 'sms',
          status: 'suppressed',
          attempts: 0,
          reason: expect.stringContaining('opted out of SMS'),
        }),
      ]);
      expect(await outboxFor(crew.dispatcher, whileOptedOut)).toEqual([]);
      expect(start.status).toBe(200);
      expect(optedIn.body.optedOut).toBeUndefined();
      expect(sent).toEqual([expect.objectContaining({ channel: 'sms', status: 'sent' })]);
      expect(await outboxFor(crew.dispatcher, afterStart)).toEqual([
        expect.objectContaining({ channel: 'sms', to: '+13125550164', from: number }),
      ]);
    });

    it('when someone other than an admin posts a text, or no tenant sends from the number, nobody is opted out', async () => {
      // Arrange
      const crew = await aCrew(entities);

      // Act
      const byDispatcher = await api('POST', '/local/sms/inbound', {
        token: crew.dispatcher,
        body: { from: '+13125550100', body: 'STOP' },
      });
      const withoutNumber = await api('POST', '/local/sms/inbound', {
        token: crew.admin,
        body: { from: '+13125550100', body: 'STOP' },
      });
      const toAnUnknownNumber = await api<{ results: unknown[] }>('POST', '/local/sms/inbound', {
        token: crew.admin,
        body: { from: '+13125550100', body: 'STOP', to: aTenantNumber() },
      });

      // Assert
      expect(byDispatcher.status).toBe(403);
      expect(withoutNumber.status).toBe(409);
      expect(toAnUnknownNumber).toMatchObject({ status: 200, body: { results: [] } });
      const { data } = await entities.customer
        .get({ tenantId: crew.tenant.tenantId, customerId: crew.tenant.customerId })
        .go();
      expect(data?.optedOut).toBeUndefined();
    });

    it('when another tenant already sends from the number, an admin cannot take it', async () => {
      // Arrange
      const [first, second] = await Promise.all([aCrew(entities), aCrew(entities)]);
      const number = aTenantNumber();
      await api('PATCH', '/v1/settings/messages', { token: first.admin, body: { smsNumber: number } });

      // Act
      const taken = await api<Problem>('PATCH', '/v1/settings/messages', {
        token: second.admin,
        body: { smsNumber: number },
      });

      // Assert
      expect(taken.status).toBe(409);
      const read = await api<Settings>('GET', '/v1/settings/messages', { token: second.admin });
      expect(read.body.smsNumber).toBeUndefined();
    });

    it('when the office opts a customer out of email, the customer shows since when, and opting back in clears it', async () => {
      // Arrange
      const crew = await aCrew(entities);
      const { customerId } = await aCustomer(crew, { email: 'quiet@example.com' });

      // Act
      const out = await api<CustomerBody>('PATCH', `/v1/customers/${customerId}`, {
        token: crew.dispatcher,
        body: { optedOut: { email: true } },
      });
      const back = await api<CustomerBody>('PATCH', `/v1/customers/${customerId}`, {
        token: crew.dispatcher,
        body: { optedOut: { email: false } },
      });

      // Assert
      expect(out.status).toBe(200);
      expect(out.body.optedOut).toEqual({ email: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
      expect(back.status).toBe(200);
      expect(back.body.optedOut).toBeUndefined();
    });
  });

  describe('delivery failures', () => {
    it('when every attempt to deliver fails, the message shows failed with the error on the work order, in the office’s list and on the timeline', async () => {
      // Arrange: the local outbox refuses this number as SNS would refuse an undeliverable one.
      const crew = await aCrew(entities);
      const customer = await aCustomer(crew, { phone: '+15005550001' });

      // Act
      const id = await aBooking(crew, customer);

      // Assert
      const [failed] = await settledNotifications(crew.dispatcher, id, 1);
      expect(failed).toMatchObject({
        purpose: 'confirmation',
        channel: 'sms',
        status: 'failed',
        attempts: 3,
        error: expect.stringContaining('undeliverable'),
      });
      const list = await api<{ items: Notification[] }>('GET', '/v1/notifications?status=failed', {
        token: crew.dispatcher,
      });
      expect(list.body.items.map((item) => item.id)).toEqual([failed?.id]);
      const timeline = await api<{ items: { action: string }[] }>('GET', `/v1/work-orders/${id}/timeline`, {
        token: crew.dispatcher,
      });
      expect(timeline.body.items.map((event) => event.action)).toContain('customer_message_failed');
      expect(await outboxFor(crew.dispatcher, id)).toEqual([]);
    });

    it('when the office asks for a status that is not one, it is refused naming the field', async () => {
      // Arrange
      const crew = await aCrew(entities);

      // Act
      const response = await api<Problem>('GET', '/v1/notifications?status=lost', { token: crew.dispatcher });

      // Assert
      expect(response.status).toBe(400);
      expect(response.body.errors?.map((error) => error.field)).toEqual(['query.status']);
    });
  });
});
