import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { ulid } from 'ulid';
import {
  checkoutCompletedEvent,
  readPayToken,
  signLocalEvent,
} from '../../lambdas/adapters/local/local-payments.ts';
import { formatMoney } from '../../lambdas/domain/execution/work-summary.ts';
import type { Invoice } from '../../lambdas/domain/invoicing/invoice.ts';
import type { LocalPage } from './gateway.ts';
import { readBody } from './http-body.ts';

export interface PayPageOptions {
  /** Signs the pay links and the events the page posts, as Stripe's webhook secret does. */
  webhookSecret: string;
  /** The gateway's own URL: the page posts its event to the platform's webhook through it. */
  gatewayUrl: () => string;
  findInvoice: (tenantId: string, workOrderId: string, invoiceId: string) => Promise<Invoice | undefined>;
  now?: () => Date;
}

const prefix = '/local/pay/';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

const page = (status: number, title: string, content: string) => ({
  status,
  contentType: 'text/html; charset=utf-8',
  body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem"><h1>${escapeHtml(title)}</h1>${content}<p style="color:#666;font-size:.8rem">Local pay page: stands in for Stripe Checkout on this machine.</p></body></html>`,
});

const json = (status: number, body: unknown) => ({
  status,
  contentType: status >= 400 ? 'application/problem+json' : 'application/json',
  body: JSON.stringify(body),
});

/** The page to send the customer back to once paid: only a page of this same gateway. */
function returnUrlOf(url: URL, gatewayUrl: string): string | undefined {
  const wanted = url.searchParams.get('return');
  if (!wanted) return undefined;
  try {
    return new URL(wanted).origin === new URL(gatewayUrl).origin ? wanted : undefined;
  } catch {
    return undefined;
  }
}

const wantsHtml = (request: IncomingMessage) => /text\/html/.test(request.headers.accept ?? '');

/**
 * The local stand-in for Stripe Checkout: `GET /local/pay/{token}` shows the invoice's balance
 * and a button; `POST` pays it the way Stripe would: it signs a `checkout.session.completed`
 * event with the local webhook secret and posts it to the platform's own webhook
 * (`POST /v1/payments/stripe/webhook`), which verifies it and records the payment exactly as
 * it does Stripe's. The token is signed and scoped to one invoice; a tampered or expired one
 * is refused.
 */
export function localPayPages(options: PayPageOptions): LocalPage[] {
  const now = options.now ?? (() => new Date());

  const invoiceOf = async (url: URL) => {
    const token = readPayToken(
      decodeURIComponent(url.pathname.slice(prefix.length)),
      options.webhookSecret,
      now(),
    );
    const invoice = token
      ? await options.findInvoice(token.tenantId, token.workOrderId, token.invoiceId)
      : undefined;
    return token && invoice ? { token, invoice, balance: invoice.total - invoice.amountPaid } : undefined;
  };

  const notFound = (request: IncomingMessage) =>
    wantsHtml(request)
      ? page(404, 'Link not valid', '<p>This pay link is not valid or has expired.</p>')
      : json(404, { status: 404, title: 'Not found', detail: 'This pay link is not valid or has expired.' });

  return [
    {
      method: 'GET',
      prefix,
      handle: async (request, url) => {
        const found = await invoiceOf(url);
        if (!found) return notFound(request);
        const { invoice, balance } = found;
        const amount = formatMoney(balance, invoice.currency);
        if (balance <= 0) {
          return page(200, `Invoice ${invoice.invoiceId}`, '<p>This invoice is paid. Thank you!</p>');
        }
        return page(
          200,
          `Invoice ${invoice.invoiceId}`,
          `<p>Amount due: <strong>${escapeHtml(amount)}</strong>, by ${escapeHtml(invoice.dueDate)}.</p><form method="post"><button type="submit" style="font-size:1.1rem;padding:.5rem 1.5rem">Pay ${escapeHtml(amount)}</button></form>`,
        );
      },
    },
    {
      method: 'POST',
      prefix,
      handle: async (request, url) => {
        await readBody(request, 64 * 1024);
        const found = await invoiceOf(url);
        if (!found) return notFound(request);
        const { token, invoice, balance } = found;
        if (balance <= 0) {
          return wantsHtml(request)
            ? page(409, `Invoice ${invoice.invoiceId}`, '<p>This invoice is paid already.</p>')
            : json(409, {
                status: 409,
                title: 'Conflict',
                detail: `Invoice ${invoice.invoiceId} is paid already`,
              });
        }
        const at = now();
        const paymentIntentId = `pi_local_${ulid()}`;
        const payload = checkoutCompletedEvent(
          token,
          { amount: balance, currency: invoice.currency, eventId: `evt_local_${ulid()}`, paymentIntentId },
          at,
        );
        const response = await fetch(`${options.gatewayUrl()}/v1/payments/stripe/webhook`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'stripe-signature': signLocalEvent(payload, options.webhookSecret, at),
          },
          body: payload,
        });
        const webhook = (await response.json()) as Record<string, unknown>;
        if (!response.ok) {
          return wantsHtml(request)
            ? page(
                response.status,
                'Payment not recorded',
                `<p>${escapeHtml(String(webhook.detail ?? ''))}</p>`,
              )
            : json(response.status, webhook);
        }
        const amount = formatMoney(balance, invoice.currency);
        // Back to where the customer came from (their invoice page), as Stripe's success URL does.
        const back = returnUrlOf(url, options.gatewayUrl());
        if (back && wantsHtml(request)) {
          return {
            status: 303,
            contentType: 'text/html; charset=utf-8',
            body: '',
            headers: { location: back },
          };
        }
        return wantsHtml(request)
          ? page(
              200,
              'Thank you!',
              `<p>${escapeHtml(amount)} paid on invoice ${escapeHtml(invoice.invoiceId)}.</p>`,
            )
          : json(200, {
              invoiceId: invoice.invoiceId,
              amount: balance,
              currency: invoice.currency,
              paymentIntentId,
              webhook,
            });
      },
    },
  ];
}

/**
 * The local webhook secret: kept in the data directory, so that pay links sent before a restart
 * still work after it; made on first start.
 */
export async function loadLocalWebhookSecret(file: string): Promise<string> {
  try {
    const stored = JSON.parse(await readFile(file, 'utf8')) as { webhookSecret?: unknown };
    if (typeof stored.webhookSecret === 'string' && stored.webhookSecret.startsWith('whsec_')) {
      return stored.webhookSecret;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const webhookSecret = `whsec_local_${randomBytes(24).toString('hex')}`;
  await writeFile(file, JSON.stringify({ webhookSecret }), { mode: 0o600 });
  return webhookSecret;
}
