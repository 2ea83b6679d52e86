import type { InvoicePage } from '../../domain/customer-pages/invoice-page.ts';
import { formatMoney } from '../../domain/execution/work-summary.ts';
import { html } from './html.ts';
import { dayAndTime } from './page-format.ts';
import { layout } from './page-layout.ts';

const dueDay = (day: string) =>
  new Date(`${day}T12:00:00Z`).toLocaleDateString('en-US', {
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });

/** The invoice page: its lines and totals, payments made, the balance with the pay button, the PDF. */
export function invoicePage(
  page: InvoicePage,
  options: { nonce: string; base: string; returnedFromCheckout: boolean },
): string {
  const { nonce, base } = options;
  if (page.state === 'withdrawn') {
    return layout({
      title: 'Invoice withdrawn',
      nonce,
      tenantName: page.tenantName,
      content: html`<p>This invoice was withdrawn. ${page.tenantName} will send you the current one.</p>`,
    });
  }
  const { invoice, balance, timeZone } = page;
  const money = (amount: number) => formatMoney(amount, invoice.currency);
  const paid = page.state === 'paid';
  const content = html`${
    paid
      ? html`<p class="notice" role="status">Paid in full. Thank you!</p>`
      : options.returnedFromCheckout
        ? html`<p class="warning" role="status">If you have just paid, it can take a moment to show here. Refresh the page in a minute.</p>`
        : ''
  }
<p>Hi${page.customerFirstName ? html` ${page.customerFirstName}` : ''}, here is your invoice from ${page.tenantName}.</p>
<dl>
<dt>Invoice</dt><dd>${invoice.invoiceId}</dd>
<dt>Status</dt><dd><span class="status${paid ? ' status-done' : ''}">${paid ? 'Paid' : invoice.amountPaid > 0 ? 'Partly paid' : 'Due'}</span></dd>
${paid ? '' : html`<dt>Due</dt><dd>${dueDay(invoice.dueDate)}</dd>`}
</dl>
<table>
<caption>Charges</caption>
<thead><tr><th scope="col">Description</th><th scope="col" class="amount">Amount</th></tr></thead>
<tbody>${invoice.lines.map(
    (line) =>
      html`<tr><td>${line.description}${
        line.quantity !== 1
          ? html` <span class="hint">${line.quantity} ${line.unit} × ${money(line.unitPrice)}</span>`
          : ''
      }${line.note ? html` <span class="hint">${line.note}</span>` : ''}</td><td class="amount">${money(line.amount)}</td></tr>`,
  )}</tbody>
<tfoot>
<tr><th scope="row">Subtotal</th><td class="amount">${money(invoice.subtotal)}</td></tr>
<tr><th scope="row">Tax</th><td class="amount">${money(invoice.tax)}</td></tr>
<tr class="total"><th scope="row">Total</th><td class="amount">${money(invoice.total)}</td></tr>
${invoice.amountPaid > 0 ? html`<tr><th scope="row">Paid</th><td class="amount">${money(invoice.amountPaid)}</td></tr>` : ''}
<tr class="total"><th scope="row">Balance due</th><td class="amount">${money(balance)}</td></tr>
</tfoot>
</table>
${invoice.notes ? html`<p>${invoice.notes}</p>` : ''}
${
  page.payments.length > 0
    ? html`<h2>Payments</h2><ul>${page.payments.map(
        (payment) => html`<li>${money(payment.amount)} on ${dayAndTime(payment.at, timeZone)}</li>`,
      )}</ul>`
    : ''
}
<div class="actions">${
    !paid && balance > 0
      ? html`<form method="post" action="${base}/pay"><button type="submit">Pay ${money(balance)}</button></form>`
      : ''
  }${page.hasPdf ? html`<a class="button secondary" href="${base}/pdf">Download the PDF</a>` : ''}</div>`;
  return layout({ title: `Invoice from ${page.tenantName}`, nonce, tenantName: page.tenantName, content });
}
