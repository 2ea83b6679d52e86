import { beforeAll, describe, expect, inject, it } from 'vitest';
import { signLinkToken, storedKeyring } from '../../lambdas/domain/customer-pages/link-tokens.ts';
import { aTenant } from '../fixtures/tenants.ts';
import { freeSlots } from '../helpers/crew.ts';
import {
  aBookedJob,
  act,
  aJobAwaitingPayment,
  aJobInProgress,
  linkFor,
  type Office,
  pathOf,
  visit,
  type WorkOrderBody,
} from '../helpers/customer-pages.ts';
import { api, tableEntities, tokenFor } from '../helpers/local-platform.ts';

const entities = tableEntities();

interface TimelineBody {
  items: { action: string; actorId: string; actorRole: string; changes: Record<string, unknown> }[];
}

/** The token at the end of a page URL. */
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

/** Text that must never be on the page of a refused link: who it was for and what. */
const privateBits = (office: Office, workOrderId: string) => [
  'Test Heating',
  'Pat',
  '1 Main St',
  workOrderId,
  office.tenant.tenantId,
];

describe('customer pages over the local platform', () => {
  let office: Office;

  beforeAll(async () => {
    const tenant = await aTenant(entities);
    const [dispatcher, technician] = await Promise.all([
      tokenFor('dispatcher', tenant.tenantId),
      tokenFor('technician', tenant.tenantId, { technicianId: tenant.technicianId }),
    ]);
    office = { tenant, dispatcher, technician, nextSlot: freeSlots() };
  });

  const workOrder = async (id: string) =>
    (await api<WorkOrderBody>('GET', `/v1/work-orders/${id}`, { token: office.dispatcher })).body;
  const timeline = async (id: string) =>
    (await api<TimelineBody>('GET', `/v1/work-orders/${id}/timeline?limit=100`, { token: office.dispatcher }))
      .body.items;

  describe('issuing links', () => {
    it('when the office asks twice with one Idempotency-Key, it gets the same link, and the page opens with the security headers', async () => {
      // Arrange
      const job = await aBookedJob(office);
      const headers = { 'idempotency-key': `view-${job.id}` };

      // Act
      const first = await linkFor(
        office.dispatcher,
        `/v1/work-orders/${job.id}/links`,
        { purpose: 'view' },
        headers,
      );
      const again = await linkFor(
        office.dispatcher,
        `/v1/work-orders/${job.id}/links`,
        { purpose: 'view' },
        headers,
      );
      const page = await visit(first.url);

      // Assert
      expect(again).toEqual(first);
      expect(first.url).toMatch(
        new RegExp(`^${inject('apiUrl')}/pages/appointment/[\\w-]+\\.[\\w-]+\\.[\\w-]+$`),
      );
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('content-security-policy')).toMatch(
        /script-src 'nonce-[^']+'; .*frame-ancestors 'none'/,
      );
      expect(page.text).toContain('<h1>Your appointment</h1>');
      expect(page.text).toContain('Test Heating &amp; Air');
      const links = await api<{ items: { linkId: string; state: string; issuedBy: string }[] }>(
        'GET',
        `/v1/work-orders/${job.id}/links`,
        { token: office.dispatcher },
      );
      // The confirmation's own link, and the office's.
      expect(links.body.items).toEqual([
        expect.objectContaining({ purpose: 'view', state: 'active', issuedBy: 'workflow' }),
        expect.objectContaining({ linkId: first.linkId, state: 'active' }),
      ]);
    });

    it('when a technician asks for an appointment link, it is refused with 403; a sign-off link of their work in progress is issued', async () => {
      // Arrange
      const job = await aJobInProgress(office);

      // Act
      const view = await api('POST', `/v1/work-orders/${job.id}/links`, {
        token: office.technician,
        body: { purpose: 'view' },
      });
      const sign = await api('POST', `/v1/work-orders/${job.id}/links`, {
        token: office.technician,
        body: { purpose: 'sign' },
      });

      // Assert
      expect(view.status).toBe(403);
      expect(sign.status).toBe(201);
    });

    it('when the purpose is unknown, it answers 400 naming the field', async () => {
      // Arrange
      const job = await aBookedJob(office);

      // Act
      const response = await api<{ errors: { field: string }[] }>('POST', `/v1/work-orders/${job.id}/links`, {
        token: office.dispatcher,
        body: { purpose: 'edit' },
      });

      // Assert
      expect(response.status).toBe(400);
      expect(response.body.errors.map((error) => error.field)).toEqual(['body.purpose']);
    });
  });

  describe('refused links', () => {
    let job: WorkOrderBody;
    let viewUrl: string;

    beforeAll(async () => {
      job = await aBookedJob(office);
      ({ url: viewUrl } = await linkFor(office.dispatcher, `/v1/work-orders/${job.id}/links`, {
        purpose: 'view',
      }));
    });

    const refused = async (url: string, status: number, heading: string) => {
      const page = await visit(url);
      expect(page.status, url).toBe(status);
      expect(page.text).toContain(`<h1>${heading}</h1>`);
      expect(page.headers.get('cache-control')).toBe('no-store');
      for (const bit of privateBits(office, job.id)) expect(page.text).not.toContain(bit);
    };

    it('when a character of the token is changed, the page says the link is not valid and shows nothing of it', async () => {
      // Arrange
      const token = tokenOf(viewUrl);
      const tampered = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`;

      // Act & Assert
      await refused(viewUrl.replace(token, tampered), 404, 'This link is not valid');
    });

    it('when the appointment link is opened as a sign-off or invoice page, it is refused as not valid', async () => {
      // Act & Assert
      await refused(
        viewUrl.replace('/pages/appointment/', '/pages/sign-off/'),
        404,
        'This link is not valid',
      );
      await refused(viewUrl.replace('/pages/appointment/', '/pages/invoice/'), 404, 'This link is not valid');
    });

    it('when the link has expired, the page says so with 410', async () => {
      // Arrange
      const keyring = storedKeyring.parse(JSON.parse(inject('customerLinkKeys')));
      const token = signLinkToken(
        {
          linkId: 'lnk_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3',
          tenantId: office.tenant.tenantId,
          purpose: 'view',
          workOrderId: job.id,
          expiresAt: Math.floor(Date.now() / 1000) - 60,
        },
        keyring,
      );

      // Act & Assert
      await refused(`/pages/appointment/${token}`, 410, 'This link has expired');
    });

    it('when the link was revoked, the page and its forms say so with 410 and change nothing', async () => {
      // Arrange
      const { url, linkId } = await linkFor(office.dispatcher, `/v1/work-orders/${job.id}/links`, {
        purpose: 'view',
      });
      const revoke = await api('POST', `/v1/work-orders/${job.id}/links/revoke`, {
        token: office.dispatcher,
        body: { linkId },
      });
      const before = await workOrder(job.id);

      // Act
      const cancel = await visit(`${url}/cancel`, { form: { reason: 'no longer needed' } });

      // Assert
      expect(revoke.status).toBe(200);
      await refused(url, 410, 'This link is no longer active');
      expect(cancel.status).toBe(410);
      expect(await workOrder(job.id)).toMatchObject({ status: before.status, version: before.version });
      expect((await visit(viewUrl)).status).toBe(200);
    });

    it('when the token is not even shaped like one, the page says the link is not valid', async () => {
      // Act & Assert
      await refused('/pages/invoice/hello', 404, 'This link is not valid');
    });
  });

  describe('the appointment page', () => {
    it('when the customer saves access notes, it answers 303 back, and the location, the work order and its audit trail have them', async () => {
      // Arrange
      const job = await aBookedJob(office);
      const { url, linkId } = await linkFor(office.dispatcher, `/v1/work-orders/${job.id}/links`, {
        purpose: 'view',
      });

      // Act
      const posted = await visit(`${url}/access-notes`, { form: { accessNotes: 'Side gate <code 4412>' } });
      const shown = await visit(posted.location ?? '');

      // Assert
      expect(posted.status).toBe(303);
      expect(posted.location).toBe(`${pathOf(url)}?done=access-notes`);
      expect(shown.text).toContain('your notes are saved');
      expect(shown.text).toContain('Side gate &lt;code 4412&gt;</textarea>');
      const location = await api<{ accessNotes: string }>(
        'GET',
        `/v1/locations/${office.tenant.locationId}`,
        {
          token: office.dispatcher,
        },
      );
      expect(location.body.accessNotes).toBe('Side gate <code 4412>');
      expect((await workOrder(job.id)).accessNotes).toContain('Side gate <code 4412>');
      expect((await timeline(job.id)).at(-1)).toMatchObject({
        action: 'updateAccessNotes',
        actorId: linkId,
        actorRole: 'customer',
      });
    });

    it('when the notes are too long, the form comes back with 400 naming the field and nothing is saved', async () => {
      // Arrange
      const job = await aBookedJob(office);
      const { url } = await linkFor(office.dispatcher, `/v1/work-orders/${job.id}/links`, {
        purpose: 'view',
      });
      const before = await workOrder(job.id);

      // Act
      const posted = await visit(`${url}/access-notes`, { form: { accessNotes: 'x'.repeat(2001) } });

      // Assert
      expect(posted.status).toBe(400);
      expect(posted.text).toContain(
        '<a href="#accessNotes">Access notes</a>: must be at most 2,000 characters',
      );
      expect((await workOrder(job.id)).version).toBe(before.version);
    });

    it('when the form is sent as JSON, it answers 400 and changes nothing', async () => {
      // Arrange
      const job = await aBookedJob(office);
      const { url } = await linkFor(office.dispatcher, `/v1/work-orders/${job.id}/links`, {
        purpose: 'view',
      });

      // Act
      const posted = await visit(`${url}/cancel`, {
        contentType: 'application/json',
        body: '{"reason":"x"}',
      });

      // Assert
      expect(posted.status).toBe(400);
      expect((await workOrder(job.id)).status).toBe('scheduled');
    });

    it('when the customer picks one of the times offered, the visit moves there through reschedule and schedule, audited as theirs', async () => {
      // Arrange
      const job = await aBookedJob(office);
      const { url, linkId } = await linkFor(office.dispatcher, `/v1/work-orders/${job.id}/links`, {
        purpose: 'view',
      });
      const offered = await visit(`${url}/reschedule`);
      const choices = [...offered.text.matchAll(/name="slot" value="([^"]+)"/g)].map(
        (match) => match[1] ?? '',
      );
      const chosen = choices.at(-1) ?? '';
      const [start, technicianId] = chosen.split('~');

      // Act
      const posted = await visit(`${url}/reschedule`, { form: { slot: chosen } });

      // Assert
      expect(offered.status).toBe(200);
      expect(choices.length).toBeGreaterThan(1);
      expect(posted.status).toBe(303);
      expect(posted.location).toBe(`${pathOf(url)}?done=rescheduled`);
      const moved = await workOrder(job.id);
      expect(moved).toMatchObject({ status: 'scheduled', technicianId });
      expect(Date.parse(moved.schedule?.start ?? '')).toBe(Date.parse(start ?? ''));
      const trail = (await timeline(job.id)).filter((event) => event.actorId === linkId);
      expect(trail.map((event) => [event.action, event.actorRole])).toEqual([
        ['reschedule', 'customer'],
        ['schedule', 'customer'],
      ]);
    });

    it('when the time posted is not an open one, the page answers 409 and the booking stays', async () => {
      // Arrange
      const job = await aBookedJob(office);
      const { url } = await linkFor(office.dispatcher, `/v1/work-orders/${job.id}/links`, {
        purpose: 'view',
      });
      // 03:00 in Chicago, outside every working hour.
      const night = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);

      // Act
      const posted = await visit(`${url}/reschedule`, {
        form: { slot: `${night}T09:00:00.000Z~${office.tenant.technicianId}` },
      });

      // Assert
      expect(posted.status).toBe(409);
      expect(posted.text).toContain('That time is no longer available');
      expect(await workOrder(job.id)).toMatchObject({ status: 'scheduled', schedule: job.schedule });
    });

    it('when the customer cancels, the work order is cancelled with their reason and the page then offers nothing to change', async () => {
      // Arrange
      const job = await aBookedJob(office);
      const { url } = await linkFor(office.dispatcher, `/v1/work-orders/${job.id}/links`, {
        purpose: 'view',
      });

      // Act
      const confirm = await visit(`${url}/cancel`);
      const posted = await visit(`${url}/cancel`, { form: { reason: 'Fixed it myself' } });
      const after = await visit(posted.location ?? '');
      const again = await visit(`${url}/cancel`, { form: { reason: '' } });

      // Assert
      expect(confirm.status).toBe(200);
      expect(posted.status).toBe(303);
      expect(await workOrder(job.id)).toMatchObject({
        status: 'cancelled',
        cancelReason: 'Cancelled by the customer: Fixed it myself',
      });
      expect(after.text).toContain('Your appointment is cancelled.');
      expect(after.text).not.toContain('/cancel"');
      expect(again.status).toBe(409);
    });

    it('when the technician is on the way, the page shows it and refuses cancelling with 409', async () => {
      // Arrange
      const job = await aBookedJob(office);
      await act(office.dispatcher, job.id, 'dispatch');
      await act(office.technician, job.id, 'field-status', {
        status: 'en_route',
        eta: new Date(Date.now() + 3_600_000).toISOString(),
      });
      const { url } = await linkFor(office.dispatcher, `/v1/work-orders/${job.id}/links`, {
        purpose: 'view',
      });

      // Act
      const page = await visit(url);
      const cancel = await visit(`${url}/cancel`, { form: {} });

      // Assert
      expect(page.text).toContain('On the way');
      expect(page.text).toMatch(/is on the way, expected around <strong>\d{1,2}:\d{2} [AP]M<\/strong>/);
      expect(cancel.status).toBe(409);
      expect((await workOrder(job.id)).status).toBe('en_route');
    });
  });

  describe('the sign-off page', () => {
    it('when the customer signs the summary shown, the work order is completed with their signature; a second submit is "already signed"', async () => {
      // Arrange
      const job = await aJobInProgress(office);
      const { url, linkId } = await linkFor(office.technician, `/v1/work-orders/${job.id}/links`, {
        purpose: 'sign',
      });
      const shown = await visit(url);
      const summaryHash = /name="summaryHash" value="([0-9a-f]{64})"/.exec(shown.text)?.[1] ?? '';
      const form = {
        summaryHash,
        signerName: 'Pat Doe',
        confirm: 'yes',
        strokes: JSON.stringify([
          [
            [10, 10],
            [40, 30],
            [80, 20],
          ],
        ]),
      };

      // Act
      const signed = await visit(url, { form });
      const thanks = await visit(signed.location ?? '');
      const twice = await visit(url, { form });

      // Assert
      expect(shown.text).toContain('Replaced the run capacitor; cooling restored');
      expect(signed.status).toBe(303);
      expect(signed.location).toBe(pathOf(url));
      expect(thanks.text).toContain('Signed by <strong>Pat Doe</strong>');
      expect(twice.status).toBe(409);
      expect(twice.text).toContain('<h1>Already signed</h1>');
      expect(await workOrder(job.id)).toMatchObject({
        status: 'completed',
        signature: { signerName: 'Pat Doe', summaryHash },
      });
      expect((await timeline(job.id)).find((event) => event.action === 'complete')).toMatchObject({
        actorId: linkId,
        actorRole: 'customer',
      });
    });

    it('when the work changed after the page was shown, signing answers 409 with the new summary, and nothing is completed', async () => {
      // Arrange
      const job = await aJobInProgress(office);
      const { url } = await linkFor(office.dispatcher, `/v1/work-orders/${job.id}/links`, {
        purpose: 'sign',
      });
      const shown = await visit(url);
      const summaryHash = /name="summaryHash" value="([0-9a-f]{64})"/.exec(shown.text)?.[1] ?? '';
      await act(office.technician, job.id, 'notes', { text: 'Also cleared the condensate drain' });

      // Act
      const signed = await visit(url, { form: { summaryHash, signerName: 'Pat Doe', confirm: 'yes' } });

      // Assert
      expect(signed.status).toBe(409);
      expect(signed.text).toContain('The work record changed while you were reading it');
      expect(signed.text).toContain('Also cleared the condensate drain');
      expect(signed.text).not.toContain(summaryHash);
      expect((await workOrder(job.id)).status).toBe('in_progress');
    });

    it('when the name is missing and the box unticked, the form comes back with 400 naming both', async () => {
      // Arrange
      const job = await aJobInProgress(office);
      const { url } = await linkFor(office.dispatcher, `/v1/work-orders/${job.id}/links`, {
        purpose: 'sign',
      });
      const shown = await visit(url);
      const summaryHash = /name="summaryHash" value="([0-9a-f]{64})"/.exec(shown.text)?.[1] ?? '';

      // Act
      const signed = await visit(url, { form: { summaryHash, signerName: ' ' } });

      // Assert
      expect(signed.status).toBe(400);
      expect(signed.text).toContain('<a href="#signerName">Your name</a>: type your name');
      expect(signed.text).toContain('<a href="#confirm">Confirmation</a>');
      expect((await workOrder(job.id)).status).toBe('in_progress');
    });
  });

  describe('the invoice page', () => {
    it('when the customer presses pay, a checkout is made on the spot, paying it returns to the page, which shows it paid', async () => {
      // Arrange
      const job = await aJobAwaitingPayment(office);
      const { url, linkId } = await linkFor(office.dispatcher, `/v1/invoices/${job.invoiceId}/links`);
      const shown = await visit(url);

      // Act
      const pay = await visit(`${url}/pay`, { form: {} });
      const checkout = await visit(pay.location ?? '', { form: {} });
      const back = await visit(checkout.location ?? '');

      // Assert
      expect(shown.text).toContain(
        '<tr class="total"><th scope="row">Balance due</th><td class="amount">$255.00</td></tr>',
      );
      expect(shown.text).toContain(`action="${pathOf(url)}/pay"`);
      expect(pay.status).toBe(303);
      expect(pay.location).toMatch(/\/local\/pay\/[\w.-]+\?return=/);
      expect(checkout.status).toBe(303);
      expect(checkout.location).toBe(`${url}?paid=1`);
      expect(back.text).toContain('Paid in full. Thank you!');
      expect(back.text).not.toContain('/pay"');
      expect((await workOrder(job.id)).status).toBe('paid');
      expect(
        (await timeline(job.id)).find((event) => event.action === 'customer_checkout_started'),
      ).toMatchObject({
        actorId: linkId,
        actorRole: 'customer',
      });
      expect((await visit(`${url}/pay`, { form: {} })).status).toBe(409);
    });

    it('when the customer asks for the PDF, they are sent to a short-lived download of it', async () => {
      // Arrange
      const job = await aJobAwaitingPayment(office);
      const { url } = await linkFor(office.dispatcher, `/v1/invoices/${job.invoiceId}/links`);

      // Act
      const pdf = await visit(`${url}/pdf`);
      const download = await fetch(pdf.location ?? '');

      // Assert
      expect(pdf.status).toBe(303);
      expect(pdf.location).toContain('X-Amz-Expires=900');
      expect(download.status).toBe(200);
      expect(
        Buffer.from(await download.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    });

    it('when the invoice link is opened as an appointment page, it is refused as not valid', async () => {
      // Arrange
      const job = await aJobAwaitingPayment(office);
      const { url } = await linkFor(office.dispatcher, `/v1/invoices/${job.invoiceId}/links`);

      // Act
      const page = await visit(url.replace('/pages/invoice/', '/pages/appointment/'));

      // Assert
      expect(page.status).toBe(404);
      expect(page.text).not.toContain(job.invoiceId ?? 'inv_');
    });
  });
});
