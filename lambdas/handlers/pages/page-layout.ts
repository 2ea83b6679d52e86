import type { FieldProblem } from '../../shared/errors.ts';
import { Html, html } from './html.ts';

/**
 * The pages' one style sheet: mobile first (one column, large touch targets), system fonts,
 * colours with at least 4.5:1 contrast, visible focus.
 */
const styles = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f4f5f7}
header,main,footer{max-width:40rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem}
.brand{margin:0;font-weight:600;color:#3d4451}
main{background:#fff;border-radius:.5rem;padding:1rem 1rem 1.5rem;margin-top:.75rem}
h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0 1rem}
h2{font-size:1.15rem;margin:1.75rem 0 .5rem}
p,ul,ol,dl,table,fieldset{margin:0 0 1rem}
a{color:#0a4f9e}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #b35900;outline-offset:2px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1rem}
dt{font-weight:600}
dd{margin:0;overflow-wrap:anywhere}
.status{display:inline-block;padding:.15rem .6rem;border-radius:1rem;background:#e3ecf7;color:#0a3d73;font-weight:600}
.status-cancelled{background:#f6e3e3;color:#7a1616}
.status-done{background:#e2f2e5;color:#155724}
.notice{padding:.75rem 1rem;border-radius:.4rem;background:#e2f2e5;color:#155724}
.warning{padding:.75rem 1rem;border-radius:.4rem;background:#fff4e0;color:#5c3a00}
.errors{padding:.75rem 1rem;border:2px solid #a11c1c;border-radius:.4rem;color:#7a1616}
.field-error{display:block;color:#a11c1c;font-weight:600}
label,legend{display:block;font-weight:600;margin-bottom:.25rem}
.hint{display:block;color:#4a5260;font-size:.925rem;margin-bottom:.35rem}
input[type=text],textarea{width:100%;font:inherit;padding:.6rem;border:1px solid #6b7280;border-radius:.35rem;background:#fff;color:#1b1b1b}
textarea{min-height:6rem}
fieldset{border:0;padding:0}
.choice{display:flex;gap:.6rem;align-items:flex-start;padding:.6rem 0;border-bottom:1px solid #e5e7eb}
.choice label{font-weight:400;margin:0}
input[type=radio],input[type=checkbox]{width:1.35rem;height:1.35rem;margin-top:.1rem;flex:none}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:.75rem 1.25rem;min-height:2.75rem;border-radius:.4rem;border:2px solid #0a4f9e;background:#0a4f9e;color:#fff;text-decoration:none;cursor:pointer}
.secondary{background:#fff;color:#0a4f9e}
.danger{background:#a11c1c;border-color:#a11c1c}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center}
table{width:100%;border-collapse:collapse}
caption{text-align:left;font-weight:600;padding-bottom:.35rem}
th,td{padding:.45rem .35rem;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
.amount{text-align:right;white-space:nowrap}
tfoot th,tfoot td{border-bottom:0}
.total th,.total td{font-weight:700;border-top:2px solid #1b1b1b}
.photos{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.75rem;padding:0;list-style:none}
.photos img{width:100%;height:auto;border-radius:.35rem;display:block}
figure{margin:0}
figcaption{font-size:.9rem;color:#4a5260}
.pad{display:block;width:100%;height:11rem;border:2px dashed #6b7280;border-radius:.4rem;background:#fff;touch-action:none}
footer{color:#4a5260;font-size:.875rem;padding:1rem}
@media (min-width:40rem){main{padding:1.5rem 2rem 2rem}h1{font-size:1.75rem}}
`;

export interface LayoutOptions {
  title: string;
  nonce: string;
  /** The business, once the link is known to be genuine; refused links show none. */
  tenantName?: string;
  content: Html;
  /** A script of this page (the signature pad), run only with this response's nonce. */
  script?: string;
}

/** A whole page: landmarks, one heading, the style sheet and script carrying the response's nonce. */
export function layout(options: LayoutOptions): string {
  const { title, nonce, tenantName, content, script } = options;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${tenantName ? `${title} – ${tenantName}` : title}</title>
<style nonce="${nonce}">${rawText(styles)}</style>
</head>
<body>
<header><p class="brand">${tenantName ?? 'Customer pages'}</p></header>
<main>
<h1>${title}</h1>
${content}
</main>
<footer><p>This page was sent to you by a personal link. Please do not share it.</p></footer>
${script ? html`<script nonce="${nonce}">${rawText(script)}</script>` : ''}
</body>
</html>`.text;
}

/** Text of our own making (the style sheet, the script) that goes into the page as it is. */
const rawText = (text: string): Html => new Html(text);

/** The problems of a form, listed at its top (announced), each linked to its field. */
export function errorSummary(problems: readonly FieldProblem[], labels: Record<string, string>): Html | '' {
  if (problems.length === 0) return '';
  return html`<div class="errors" role="alert"><p><strong>Please check the form:</strong></p><ul>${problems.map(
    (problem) => {
      const field = problem.field.replace(/^body\./, '').split('.')[0] ?? '';
      return html`<li><a href="#${field}">${labels[field] ?? field}</a>: ${problem.message}</li>`;
    },
  )}</ul></div>`;
}

/** The message of one field, for beside it; empty when it has none. */
export function fieldError(problems: readonly FieldProblem[], field: string): Html | '' {
  const problem = problems.find(
    (candidate) => candidate.field.replace(/^body\./, '').split('.')[0] === field,
  );
  return problem ? html`<span class="field-error" id="${field}-error">${problem.message}</span>` : '';
}

/** `aria-describedby`/`aria-invalid` of a field with a problem. */
export function invalidAttributes(problems: readonly FieldProblem[], field: string): Html | '' {
  return problems.some((candidate) => candidate.field.replace(/^body\./, '').split('.')[0] === field)
    ? html` aria-invalid="true" aria-describedby="${field}-error"`
    : '';
}
