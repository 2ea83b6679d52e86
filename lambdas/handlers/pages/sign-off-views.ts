import type { SignOffPage } from '../../domain/customer-pages/sign-off-page.ts';
import { formatMinutes, formatMoney } from '../../domain/execution/work-summary.ts';
import type { FieldProblem } from '../../shared/errors.ts';
import { type Html, html } from './html.ts';
import { dayAndTime } from './page-format.ts';
import { errorSummary, fieldError, invalidAttributes, layout } from './page-layout.ts';
import { signaturePadScript } from './signature-pad-script.ts';

const phaseWords: Record<string, string> = { before: 'Before', during: 'During', after: 'After' };

export interface SignOffForm {
  signerName?: string;
  confirm?: string;
  problems: readonly FieldProblem[];
  /** The work changed while the customer read it: the page shows the current summary to sign. */
  changed?: boolean;
}

/** The work done, as the customer signs it: the problem, notes, parts, labor and photos. */
function workSummary(page: Extract<SignOffPage, { state: 'toSign' }>, timeZone: string): Html {
  const { summary, photos } = page;
  const money = (amount: number) => formatMoney(amount, summary.currency);
  return html`<h2>What you asked for</h2>
<p>${summary.problem}</p>
${summary.serviceAddress ? html`<p>At ${summary.serviceAddress}</p>` : ''}
<h2>Work done</h2>
${
  summary.notes.length === 0
    ? html`<p>No notes were recorded.</p>`
    : html`<ul>${summary.notes.map((note) => html`<li>${note.text} <span class="hint">${dayAndTime(note.at, timeZone)}</span></li>`)}</ul>`
}
${
  summary.parts.length === 0
    ? ''
    : html`<table>
<caption>Parts used</caption>
<thead><tr><th scope="col">Part</th><th scope="col" class="amount">Quantity</th><th scope="col" class="amount">Price</th><th scope="col" class="amount">Total</th></tr></thead>
<tbody>${summary.parts.map(
        (part) =>
          html`<tr><td>${part.name}</td><td class="amount">${part.quantity}${part.unit && part.unit !== 'each' ? ` ${part.unit}` : ''}</td><td class="amount">${money(part.unitPrice)}</td><td class="amount">${money(part.lineTotal)}</td></tr>`,
      )}</tbody>
<tfoot><tr><th scope="row" colspan="3">Parts total</th><td class="amount">${money(summary.partsTotal)}</td></tr></tfoot>
</table>`
}
<h2>Labor</h2>
<p>${formatMinutes(summary.laborMinutes)}${
    summary.labor.length > 0
      ? html` (${summary.labor.map((line) => `${line.name.split(/\s+/)[0]} ${formatMinutes(line.minutes)}`).join(', ')})`
      : ''
  }</p>
${
  photos.length === 0
    ? ''
    : html`<h2>Photos</h2><ul class="photos">${photos.map(
        (photo) =>
          html`<li><figure><img src="${photo.url}" alt="${phaseWords[photo.phase] ?? photo.phase} photo${photo.caption ? `: ${photo.caption}` : ''}" loading="lazy" width="320" height="240"><figcaption>${phaseWords[photo.phase] ?? photo.phase}${photo.caption ? html`: ${photo.caption}` : ''}</figcaption></figure></li>`,
      )}</ul>`
}`;
}

function signForm(page: Extract<SignOffPage, { state: 'toSign' }>, base: string, form: SignOffForm): Html {
  const labels = {
    signerName: 'Your name',
    confirm: 'Confirmation',
    strokes: 'Signature',
    summaryHash: 'Summary',
  };
  return html`<h2 id="sign">Sign</h2>
${errorSummary(form.problems, labels)}
<form method="post" action="${base}">
<input type="hidden" name="summaryHash" value="${page.summaryHash}">
<input type="hidden" id="strokes" name="strokes" value="">
<label for="signerName">Your full name</label>
<span class="hint" id="signerName-hint">Typing your name signs this summary. You may also draw your signature below.</span>
${fieldError(form.problems, 'signerName')}
<input type="text" id="signerName" name="signerName" autocomplete="name" required maxlength="200" value="${form.signerName ?? ''}" aria-describedby="signerName-hint"${invalidAttributes(form.problems, 'signerName')}>
<p id="signature-label"><strong>Signature (optional)</strong> <span class="hint">Draw with your finger, a pen or the mouse.</span></p>
${fieldError(form.problems, 'strokes')}
<canvas id="signature-pad" class="pad" role="img" aria-labelledby="signature-label"></canvas>
<p><button type="button" id="clear-signature" class="secondary" hidden>Clear the drawing</button></p>
${fieldError(form.problems, 'confirm')}
<div class="choice"><input type="checkbox" id="confirm" name="confirm" value="yes" required${form.confirm === 'yes' ? ' checked' : ''}${invalidAttributes(form.problems, 'confirm')}><label for="confirm">I confirm that the work described above was done.</label></div>
<p class="actions"><button type="submit">Sign and finish</button></p>
</form>`;
}

export function signOffPage(
  page: SignOffPage,
  options: { nonce: string; base: string; form?: SignOffForm },
): string {
  const { nonce, base } = options;
  const { timeZone } = page;
  if (page.state === 'signed') {
    return layout({
      title: 'Thank you',
      nonce,
      tenantName: page.tenantName,
      content: html`<p class="notice" role="status">Signed by <strong>${page.signerName}</strong> on ${dayAndTime(page.signedAt, timeZone)}.</p>
<p>${page.tenantName} will send your invoice shortly.</p>`,
    });
  }
  if (page.state === 'notOpen') {
    const { status } = page.workOrder;
    const message =
      status === 'cancelled'
        ? 'This visit was cancelled.'
        : ['completed', 'invoiced', 'paid'].includes(status)
          ? 'This work has been completed.'
          : 'Your technician is still working. This page is ready to sign once they have recorded the work.';
    return layout({
      title: 'Sign-off',
      nonce,
      tenantName: page.tenantName,
      content: html`<p>${message}</p>`,
    });
  }
  const form = options.form ?? { problems: [] };
  return layout({
    title: 'Review and sign',
    nonce,
    tenantName: page.tenantName,
    content: html`${
      form.changed
        ? html`<p class="warning" role="alert">The work record changed while you were reading it. Please review the updated summary and sign again.</p>`
        : html`<p>Please check the work ${page.tenantName} did and sign to confirm it.</p>`
    }
${workSummary(page, timeZone)}
${signForm(page, base, form)}`,
    script: signaturePadScript,
  });
}
