import type { LinkRefusal } from '../../domain/customer-pages/links.ts';
import { html } from './html.ts';
import { layout } from './page-layout.ts';

/**
 * The page of a link that does not open: it says why and what to do, and nothing else: no
 * business, no name, no work order, whatever the token claimed.
 */
const refusals: Record<LinkRefusal, { title: string; text: string }> = {
  notValid: {
    title: 'This link is not valid',
    text: 'Please check that you opened the whole link from your message. If it still does not work, contact the business that sent it for a new one.',
  },
  wrongPurpose: {
    title: 'This link is not valid',
    text: 'This link opens another page. Please use the link from your message as it is.',
  },
  expired: {
    title: 'This link has expired',
    text: 'For your security, links work for a limited time. Please contact the business that sent it for a new one.',
  },
  revoked: {
    title: 'This link is no longer active',
    text: 'It was replaced or withdrawn. Please use the most recent message you received, or contact the business that sent it.',
  },
};

export function refusedLinkPage(reason: LinkRefusal, nonce: string): string {
  const { title, text } = refusals[reason];
  return layout({ title, nonce, content: html`<p>${text}</p>` });
}

/** A page for an action that could not be done, with the way back to the link's page. */
export function noticePage(options: {
  title: string;
  text: string;
  nonce: string;
  tenantName?: string;
  back?: string;
}): string {
  return layout({
    title: options.title,
    nonce: options.nonce,
    ...(options.tenantName ? { tenantName: options.tenantName } : {}),
    content: html`<p>${options.text}</p>${options.back ? html`<p><a href="${options.back}">Back to the page</a></p>` : ''}`,
  });
}
