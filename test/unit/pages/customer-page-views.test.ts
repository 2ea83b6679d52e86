import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../../lambdas/domain/customer-pages/appointment.ts';
import type { InvoicePage } from '../../../lambdas/domain/customer-pages/invoice-page.ts';
import type { SignOffPage } from '../../../lambdas/domain/customer-pages/sign-off-page.ts';
import {
  appointmentPage,
  cancelPage,
  reschedulePage,
} from '../../../lambdas/handlers/pages/appointment-views.ts';
import { escapeHtml, html } from '../../../lambdas/handlers/pages/html.ts';
import { invoicePage } from '../../../lambdas/handlers/pages/invoice-views.ts';
import { refusedLinkPage } from '../../../lambdas/handlers/pages/notice-views.ts';
import { signOffPage } from '../../../lambdas/handlers/pages/sign-off-views.ts';
import { anInvoice, aWorkOrderAt } from '../../fixtures/unit-records.ts';

const hostile = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
const nonce = 'bm9uY2U';
const base = '/pages/appointment/k1.abc.def';

/** True when the page holds markup that was typed as text. */
const injected = (page: string) => /<script>alert|<img src=x/.test(page);

const anAppointment = (overrides: Partial<Appointment> = {}): Appointment => ({
  workOrder: aWorkOrderAt('dispatched'),
  tenantName: 'Acme Heating & Cooling',
  timeZone: 'America/New_York',
  customerFirstName: 'Dana',
  serviceName: 'AC repair',
  technicianFirstName: 'Ana',
  serviceAddress: '12 Elm Street, Boston 02118',
  accessNotes: 'Gate code 4412',
  canUpdateAccessNotes: true,
  canChooseTime: true,
  canCancel: true,
  ...overrides,
});

describe('html', () => {
  it('when text holds markup characters, it is escaped, quotes included', () => {
    // Act
    const text = html`<p title="${'" onmouseover="x'}">${'<b>&'}</p>`.text;

    // Assert
    expect(text).toBe('<p title="&quot; onmouseover=&quot;x">&lt;b&gt;&amp;</p>');
    expect(escapeHtml("'`")).toBe('&#39;&#96;');
  });
});

describe('appointmentPage', () => {
  it('when it shows a dispatched visit, it names the day, the arrival window, the technician’s first name and offers the changes', () => {
    // Act
    const page = appointmentPage(anAppointment(), { nonce, base });

    // Assert
    expect(page).toContain('<dd>Friday, March 14</dd>');
    expect(page).toContain('<dd>at 9:00 AM</dd>');
    expect(page).toContain('<dd>Ana</dd>');
    expect(page).toContain(`action="${base}/access-notes"`);
    expect(page).toContain(`href="${base}/reschedule"`);
    expect(page).toContain(`href="${base}/cancel"`);
    expect(page).toContain(`<style nonce="${nonce}">`);
    expect(page).not.toContain('<script');
  });

  it('when the customer’s, the office’s and the technician’s texts hold markup, the page shows them as text', () => {
    // Arrange
    const appointment = anAppointment({
      tenantName: hostile,
      customerFirstName: hostile,
      technicianFirstName: hostile,
      serviceAddress: hostile,
      serviceName: hostile,
      accessNotes: `</textarea>${hostile}`,
    });

    // Act
    const page = appointmentPage(appointment, { nonce, base });

    // Assert
    expect(injected(page)).toBe(false);
    expect(page).toContain('&lt;/textarea&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('when the technician is on the way, it says so with the ETA in the tenant’s time', () => {
    // Arrange
    const appointment = anAppointment({
      workOrder: aWorkOrderAt('en_route', { eta: '2025-03-14T13:20:00.000Z' }),
      canUpdateAccessNotes: true,
      canChooseTime: false,
      canCancel: false,
    });

    // Act
    const page = appointmentPage(appointment, { nonce, base });

    // Assert
    expect(page).toContain('Ana is on the way, expected around <strong>9:20 AM</strong>');
    expect(page).not.toContain('/cancel"');
  });

  it('when the form had a problem, it lists it, links it to the field and keeps what was typed', () => {
    // Act
    const page = appointmentPage(anAppointment(), {
      nonce,
      base,
      form: {
        accessNotes: hostile,
        problems: [{ field: 'body.accessNotes', message: 'must be at most 2,000 characters' }],
      },
    });

    // Assert
    expect(page).toContain('<a href="#accessNotes">Access notes</a>: must be at most 2,000 characters');
    expect(page).toContain('aria-invalid="true" aria-describedby="accessNotes-error"');
    expect(injected(page)).toBe(false);
  });
});

describe('reschedulePage and cancelPage', () => {
  it('when times are offered, each is a labelled radio button whose value names the start and the technician', () => {
    // Act
    const page = reschedulePage(
      anAppointment(),
      [
        {
          start: '2025-03-17T13:00:00.000Z',
          technicianId: 'tec_ana',
          arrivalWindow: { start: '2025-03-17T12:00:00.000Z', end: '2025-03-17T16:00:00.000Z' },
        },
      ],
      { nonce, base, problems: [] },
    );

    // Assert
    expect(page).toContain(
      '<input type="radio" id="slot-0" name="slot" value="2025-03-17T13:00:00.000Z~tec_ana" required><label for="slot-0">Monday, March 17, 8:00 AM – 12:00 PM</label>',
    );
  });

  it('when the reason typed holds markup, the cancel page shows it as text', () => {
    // Act
    const page = cancelPage(anAppointment(), { nonce, base, reason: hostile, problems: [] });

    // Assert
    expect(injected(page)).toBe(false);
  });
});

describe('signOffPage', () => {
  const toSign = (): SignOffPage => ({
    state: 'toSign',
    workOrder: aWorkOrderAt('in_progress'),
    tenantName: 'Acme',
    timeZone: 'America/New_York',
    summaryHash: 'c'.repeat(64),
    summary: {
      format: 'work-summary/1',
      workOrderId: 'wo_existing',
      customer: { customerId: 'cus_existing', name: hostile },
      problem: hostile,
      notes: [{ noteId: 'not_1', at: '2025-03-14T13:40:00.000Z', text: hostile, authorRole: 'technician' }],
      photos: [],
      parts: [{ usageId: 'use_1', sku: 'CAP', name: hostile, quantity: 1, unitPrice: 2500, lineTotal: 2500 }],
      partsTotal: 2500,
      labor: [{ technicianId: 'tec_ana', name: 'Ana Reyes', minutes: 95, entries: 1 }],
      laborMinutes: 95,
      currency: 'USD',
    },
    photos: [
      { photoId: 'pho_1', phase: 'after', caption: hostile, url: 'https://bucket.example/p.jpg?sig=1&x=2' },
    ],
  });

  it('when the work can be signed, it shows the summary, carries its hash back and runs only the nonce’d pad script', () => {
    // Act
    const page = signOffPage(toSign(), { nonce, base: '/pages/sign-off/k1.a.b' });

    // Assert
    expect(page).toContain(`<input type="hidden" name="summaryHash" value="${'c'.repeat(64)}">`);
    expect(page).toContain(
      '<input type="text" id="signerName" name="signerName" autocomplete="name" required',
    );
    expect(page).toContain('<canvas id="signature-pad"');
    expect(page).toContain('<td class="amount">$25.00</td>');
    expect(page).toContain('src="https://bucket.example/p.jpg?sig=1&amp;x=2"');
    expect(page.match(/<script/g)).toEqual(['<script']);
    expect(page).toContain(`<script nonce="${nonce}">`);
  });

  it('when notes, parts, the problem and captions hold markup, they are shown as text', () => {
    // Act
    const page = signOffPage(toSign(), { nonce, base: '/pages/sign-off/k1.a.b' });

    // Assert
    expect(injected(page)).toBe(false);
  });

  it('when the work was signed, it says who signed and when, in the tenant’s time', () => {
    // Arrange
    const signed: SignOffPage = {
      state: 'signed',
      workOrder: aWorkOrderAt('completed'),
      tenantName: 'Acme',
      timeZone: 'America/New_York',
      signerName: hostile,
      signedAt: '2025-03-14T15:05:00.000Z',
    };

    // Act
    const page = signOffPage(signed, { nonce, base: '/pages/sign-off/k1.a.b' });

    // Assert
    expect(page).toContain('on March 14, 2025 at 11:05 AM');
    expect(injected(page)).toBe(false);
    expect(page).not.toContain('<form');
  });
});

describe('invoicePage', () => {
  const open = (overrides: Partial<Extract<InvoicePage, { state: 'open' | 'paid' }>> = {}): InvoicePage => ({
    state: 'open',
    invoice: anInvoice({ status: 'sent', pdfKey: 'tenants/ten_acme/invoices/inv_existing.pdf' }),
    balance: 31858,
    payments: [],
    tenantName: 'Acme',
    timeZone: 'America/New_York',
    customerFirstName: 'Dana',
    hasPdf: true,
    ...overrides,
  });

  it('when the invoice is owed, it lists the lines and totals and offers to pay the balance and download the PDF', () => {
    // Act
    const page = invoicePage(open(), { nonce, base: '/pages/invoice/k1.a.b', returnedFromCheckout: false });

    // Assert
    expect(page).toContain(
      '<tr class="total"><th scope="row">Total</th><td class="amount">$318.58</td></tr>',
    );
    expect(page).toContain(
      '<form method="post" action="/pages/invoice/k1.a.b/pay"><button type="submit">Pay $318.58</button></form>',
    );
    expect(page).toContain('href="/pages/invoice/k1.a.b/pdf"');
  });

  it('when the invoice is paid, it says so and offers no payment', () => {
    // Act
    const page = invoicePage(
      open({
        state: 'paid',
        invoice: anInvoice({ status: 'paid', amountPaid: 31858 }),
        balance: 0,
        hasPdf: false,
      }),
      { nonce, base: '/pages/invoice/k1.a.b', returnedFromCheckout: true },
    );

    // Assert
    expect(page).toContain('Paid in full. Thank you!');
    expect(page).not.toContain('/pay"');
  });

  it('when line descriptions and the office’s notes hold markup, they are shown as text', () => {
    // Arrange
    const invoice = anInvoice({
      status: 'sent',
      notes: hostile,
      lines: [
        { description: hostile, quantity: 1, unit: 'each', unitPrice: 100, amount: 100, note: hostile },
      ],
    });

    // Act
    const page = invoicePage(open({ invoice }), {
      nonce,
      base: '/pages/invoice/k1.a.b',
      returnedFromCheckout: false,
    });

    // Assert
    expect(injected(page)).toBe(false);
  });
});

describe('refusedLinkPage', () => {
  it.each(['notValid', 'wrongPurpose', 'expired', 'revoked'] as const)(
    'when a link is refused as %s, the page names no business and holds no form or link',
    (reason) => {
      // Act
      const page = refusedLinkPage(reason, nonce);

      // Assert
      expect(page).toContain('<p class="brand">Customer pages</p>');
      expect(page).not.toMatch(/<form|<a |<script/);
    },
  );
});
