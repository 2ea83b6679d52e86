import type { Clock } from '../../ports/clock.ts';
import type { CustomerLinkStore, LinkKeys } from '../../ports/customer-link-store.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import { AppError, ConflictError, ForbiddenError, NotFoundError } from '../../shared/errors.ts';
import { derivedUlid } from '../agreements/agreement.ts';
import type { Invoice, InvoiceStatus } from '../invoicing/invoice.ts';
import type { FindInvoice } from '../payments/invoice-payments.ts';
import { type Actor, customerActor } from '../shared/actor.ts';
import { actionRules } from '../work-orders/lifecycle.ts';
import { getWorkOrder } from '../work-orders/queries.ts';
import { auditEvent, type WorkOrder } from '../work-orders/work-order.ts';
import { type LinkClaims, type LinkPurpose, readLinkToken, signLinkToken } from './link-tokens.ts';

/** A link issued to a customer: what it opens, for whom, until when, and whether it was revoked. */
export interface CustomerLink {
  tenantId: string;
  /** The work order it is for, or (an agreement's invoice) the agreement whose item collection holds the invoice. */
  workOrderId: string;
  linkId: string;
  purpose: LinkPurpose;
  invoiceId?: string;
  customerId: string;
  issuedAt: string;
  /** The office user, technician or `workflow` that issued it, and their role. */
  issuedBy: string;
  issuerRole: string;
  expiresAt: string;
  revokedAt?: string;
  revokedBy?: string;
}

/**
 * How long each kind of link opens: an appointment for a month, a sign-off while the technician
 * is still around, an invoice until well past its due date. Signing keys are rolled less often
 * than the longest of these (README, Customer pages), so a link never outlives its key.
 */
export const linkLifetimeDays: Record<LinkPurpose, number> = { view: 30, sign: 3, pay: 60 };
export const longestLinkDays = Math.max(...Object.values(linkLifetimeDays));

/** Where each kind of link opens, under the pages' base URL. */
export const pagePaths: Record<LinkPurpose, string> = {
  view: '/pages/appointment/',
  sign: '/pages/sign-off/',
  pay: '/pages/invoice/',
};

export interface LinkDependencies {
  links: CustomerLinkStore;
  keys: LinkKeys;
  workOrders: WorkOrderStore;
  findInvoice: FindInvoice;
  clock: Clock;
  ids: IdGenerator;
  /** The public base URL of the pages (the API's own URL, or a domain in front of it). */
  pagesUrl: string;
}

/** A link as the office sees it: the URL only when just issued (it is never stored). */
export interface IssuedLink {
  link: CustomerLink;
  url: string;
}

/** Why a link does not open: each has its own page, none with any of the link's data. */
export type LinkRefusal = 'notValid' | 'expired' | 'revoked' | 'wrongPurpose';

const refusalStatus: Record<LinkRefusal, number> = {
  notValid: 404,
  wrongPurpose: 404,
  expired: 410,
  revoked: 410,
};

/** A link that does not open (its page says why, and shows nothing of what it was for). */
export class LinkRefusedError extends AppError {
  readonly title = 'Link not valid';
  readonly status: number;
  constructor(readonly reason: LinkRefusal) {
    super(`The link is not valid: ${reason}`, { reason });
    this.status = refusalStatus[reason];
  }
}

/** Statuses in which a work order's appointment is still worth a link. */
const viewableStatuses = (status: WorkOrder['status']) => status !== 'cancelled';
/** Invoices a customer can be sent to: owed, or paid (the receipt). */
const linkableInvoiceStatuses: readonly InvoiceStatus[] = ['approved', 'sent', 'partially_paid', 'paid'];

const pageUrl = (pagesUrl: string, purpose: LinkPurpose, token: string) =>
  `${pagesUrl.replace(/\/+$/, '')}${pagePaths[purpose]}${token}`;

const claimsOf = (link: CustomerLink): LinkClaims => ({
  linkId: link.linkId,
  tenantId: link.tenantId,
  purpose: link.purpose,
  workOrderId: link.workOrderId,
  ...(link.invoiceId ? { invoiceId: link.invoiceId } : {}),
  expiresAt: Math.floor(Date.parse(link.expiresAt) / 1000),
});

/** The URL of a link, signed with the current key: the same link always opens the same page. */
export async function urlOf(dependencies: Pick<LinkDependencies, 'keys' | 'pagesUrl'>, link: CustomerLink) {
  return pageUrl(
    dependencies.pagesUrl,
    link.purpose,
    signLinkToken(claimsOf(link), await dependencies.keys()),
  );
}

/** Links are audited on their work order; an agreement's invoice has no work order to audit on. */
const isWorkOrder = (workOrderId: string) => workOrderId.startsWith('wo_');

function linkEvent(
  dependencies: Pick<LinkDependencies, 'ids'>,
  actor: Actor,
  workOrder: WorkOrder | undefined,
  action: string,
  at: string,
  details: Record<string, unknown>,
) {
  if (!workOrder) return undefined;
  const event = auditEvent({
    eventId: dependencies.ids.next('evt'),
    action,
    actor,
    at,
    before: workOrder,
    after: workOrder,
  });
  event.changes.details = { after: details };
  return event;
}

/**
 * Writes a new link, or (a deterministic `linkId` asked for again, as a retried workflow step
 * does) finds the one written before and signs it again.
 */
async function issue(
  dependencies: LinkDependencies,
  actor: Actor,
  subject: { workOrder?: WorkOrder; workOrderId: string; customerId: string; invoiceId?: string },
  purpose: LinkPurpose,
  linkId: string,
): Promise<IssuedLink> {
  const now = dependencies.clock.now();
  const link: CustomerLink = {
    tenantId: actor.tenantId,
    workOrderId: subject.workOrderId,
    linkId,
    purpose,
    ...(subject.invoiceId ? { invoiceId: subject.invoiceId } : {}),
    customerId: subject.customerId,
    issuedAt: now.toISOString(),
    issuedBy: actor.id,
    issuerRole: actor.role,
    // Whole seconds: the token carries the expiry in seconds, the record the same instant.
    expiresAt: new Date(
      Math.floor(now.getTime() / 1000) * 1000 + linkLifetimeDays[purpose] * 86_400_000,
    ).toISOString(),
  };
  const event = linkEvent(dependencies, actor, subject.workOrder, 'customer_link_issued', link.issuedAt, {
    linkId,
    purpose,
    ...(subject.invoiceId ? { invoiceId: subject.invoiceId } : {}),
    expiresAt: link.expiresAt,
  });
  if (!(await dependencies.links.create(link, event))) {
    const kept = await dependencies.links.get(actor.tenantId, subject.workOrderId, linkId);
    // The same link asked for again: signed again. One revoked or expired since is replaced.
    const same = kept?.purpose === purpose && kept.invoiceId === subject.invoiceId;
    if (kept && same && linkState(kept, now) === 'active')
      return { link: kept, url: await urlOf(dependencies, kept) };
    return issue(dependencies, actor, subject, purpose, dependencies.ids.next('lnk'));
  }
  return { link, url: await urlOf(dependencies, link) };
}

/**
 * A link for a customer to a page of their work order (office, or the assigned technician on
 * site; the workflow for confirmations):
 * - `view`, the appointment, for any work order that is not cancelled;
 * - `sign`, the sign-off, while the work can be completed (in progress), as signature uploads.
 * `linkId` is given by a step that must issue the same link when retried.
 */
export async function issueWorkOrderLink(
  dependencies: LinkDependencies,
  actor: Actor,
  workOrderId: string,
  purpose: 'view' | 'sign',
  options: { linkSeed?: string } = {},
): Promise<IssuedLink> {
  if (actor.role === 'technician' && purpose !== 'sign') {
    throw new ForbiddenError('A technician sends the customer the sign-off link only');
  }
  const workOrder = await getWorkOrder(dependencies.workOrders, actor, workOrderId);
  const open =
    purpose === 'sign'
      ? actionRules.complete.from.includes(workOrder.status)
      : viewableStatuses(workOrder.status);
  if (!open) {
    throw new ConflictError(
      `A ${workOrder.status} work order has no ${purpose === 'sign' ? 'sign-off' : 'appointment'} page`,
      {
        currentStatus: workOrder.status,
      },
    );
  }
  return issue(
    dependencies,
    actor,
    { workOrder, workOrderId, customerId: workOrder.customerId },
    purpose,
    linkIdFor(dependencies, workOrder.createdAt, options.linkSeed),
  );
}

/**
 * A link for a customer to see and pay an invoice (a work order's or a service agreement's),
 * while it is owed or, as a receipt, once paid; 409 for a draft or void one.
 */
export async function issueInvoiceLink(
  dependencies: LinkDependencies,
  actor: Actor,
  invoiceId: string,
  options: { linkSeed?: string } = {},
): Promise<IssuedLink> {
  const invoice = await dependencies.findInvoice(actor.tenantId, invoiceId);
  if (!invoice) throw new NotFoundError('Invoice', invoiceId);
  if (!linkableInvoiceStatuses.includes(invoice.status)) {
    throw new ConflictError(`A ${invoice.status} invoice is not shown to the customer`, {
      currentStatus: invoice.status,
    });
  }
  const workOrder = isWorkOrder(invoice.workOrderId)
    ? await dependencies.workOrders.get(actor.tenantId, invoice.workOrderId)
    : undefined;
  return issue(
    dependencies,
    actor,
    { ...(workOrder ? { workOrder } : {}), ...subjectOf(invoice) },
    'pay',
    linkIdFor(dependencies, invoice.createdAt, options.linkSeed),
  );
}

const subjectOf = (invoice: Invoice) => ({
  workOrderId: invoice.workOrderId,
  customerId: invoice.customerId,
  invoiceId: invoice.invoiceId,
});

/** A new id, or the same id every time for the same seed (a ULID timed at the record's creation day). */
const linkIdFor = (dependencies: Pick<LinkDependencies, 'ids'>, createdAt: string, seed?: string) =>
  seed ? `lnk_${derivedUlid(createdAt.slice(0, 10), `customer-link:${seed}`)}` : dependencies.ids.next('lnk');

/** Where a link stands now. */
export const linkState = (link: CustomerLink, now: Date): 'active' | 'expired' | 'revoked' =>
  link.revokedAt ? 'revoked' : Date.parse(link.expiresAt) <= now.getTime() ? 'expired' : 'active';

/** The links of a work order (its invoices' included), oldest first; 404 for one the actor cannot see. */
export async function workOrderLinks(
  dependencies: Pick<LinkDependencies, 'links' | 'workOrders'>,
  actor: Actor,
  workOrderId: string,
): Promise<CustomerLink[]> {
  await getWorkOrder(dependencies.workOrders, actor, workOrderId);
  return dependencies.links.linksOf(actor.tenantId, workOrderId);
}

/** The links of an invoice, oldest first. */
export async function invoiceLinks(
  dependencies: Pick<LinkDependencies, 'links' | 'findInvoice'>,
  actor: Actor,
  invoiceId: string,
): Promise<CustomerLink[]> {
  const invoice = await dependencies.findInvoice(actor.tenantId, invoiceId);
  if (!invoice) throw new NotFoundError('Invoice', invoiceId);
  return (await dependencies.links.linksOf(actor.tenantId, invoice.workOrderId)).filter(
    (link) => link.invoiceId === invoiceId,
  );
}

/**
 * Revokes one link of the work order (`linkId`), or every link of it still open, its invoices'
 * included, with one audit event: they stop opening at once. A link revoked already stays as it
 * was; an unknown one is 404. Answers the work order's links after.
 */
export async function revokeWorkOrderLinks(
  dependencies: LinkDependencies,
  actor: Actor,
  workOrderId: string,
  linkId?: string,
): Promise<CustomerLink[]> {
  const workOrder = await getWorkOrder(dependencies.workOrders, actor, workOrderId);
  return revokeAmong(dependencies, actor, workOrder, workOrderId, () => true, linkId);
}

/** Revokes one link of the invoice, or all of them still open; answers the invoice's links after. */
export async function revokeInvoiceLinks(
  dependencies: LinkDependencies,
  actor: Actor,
  invoiceId: string,
  linkId?: string,
): Promise<CustomerLink[]> {
  const invoice = await dependencies.findInvoice(actor.tenantId, invoiceId);
  if (!invoice) throw new NotFoundError('Invoice', invoiceId);
  const workOrder = isWorkOrder(invoice.workOrderId)
    ? await dependencies.workOrders.get(actor.tenantId, invoice.workOrderId)
    : undefined;
  const revoked = await revokeAmong(
    dependencies,
    actor,
    workOrder,
    invoice.workOrderId,
    (link) => link.invoiceId === invoiceId,
    linkId,
  );
  return revoked.filter((link) => link.invoiceId === invoiceId);
}

async function revokeAmong(
  dependencies: LinkDependencies,
  actor: Actor,
  workOrder: WorkOrder | undefined,
  collectionId: string,
  belongs: (link: CustomerLink) => boolean,
  linkId: string | undefined,
): Promise<CustomerLink[]> {
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const links = (await dependencies.links.linksOf(actor.tenantId, collectionId)).filter(belongs);
    if (linkId && !links.some((link) => link.linkId === linkId)) throw new NotFoundError('Link', linkId);
    const now = dependencies.clock.now();
    const toRevoke = links.filter(
      (link) => (linkId === undefined || link.linkId === linkId) && linkState(link, now) === 'active',
    );
    if (toRevoke.length === 0) return links;
    const revoked = { at: now.toISOString(), by: actor.id };
    const event = linkEvent(dependencies, actor, workOrder, 'customer_links_revoked', revoked.at, {
      linkIds: toRevoke.map((link) => link.linkId),
    });
    if (await dependencies.links.revoke(toRevoke, revoked, event)) {
      const ids = new Set(toRevoke.map((link) => link.linkId));
      return links.map((link) =>
        ids.has(link.linkId) ? { ...link, revokedAt: revoked.at, revokedBy: revoked.by } : link,
      );
    }
  }
  throw new ConflictError('The links kept changing; try again');
}

/** An opened link: what it is for, and the customer acting through it. */
export interface OpenedLink {
  claims: LinkClaims;
  link: CustomerLink;
  actor: Actor;
}

/**
 * Opens a link for a page of one purpose. Refused (`LinkRefusedError`, nothing read of what it
 * is for) when the token is not one we signed with a key we hold, has expired, is for another
 * page, or its link was revoked or is no longer kept.
 */
export async function openLink(
  dependencies: Pick<LinkDependencies, 'keys' | 'links' | 'clock'>,
  token: string,
  purpose: LinkPurpose,
): Promise<OpenedLink> {
  const reading = readLinkToken(token, await dependencies.keys(), dependencies.clock.now());
  if (!reading.valid) throw new LinkRefusedError(reading.reason === 'expired' ? 'expired' : 'notValid');
  const { claims } = reading;
  if (claims.purpose !== purpose) throw new LinkRefusedError('wrongPurpose');
  const link = await dependencies.links.get(claims.tenantId, claims.workOrderId, claims.linkId);
  if (!link || link.purpose !== claims.purpose || link.invoiceId !== claims.invoiceId) {
    throw new LinkRefusedError('notValid');
  }
  if (link.revokedAt) throw new LinkRefusedError('revoked');
  return { claims, link, actor: customerActor(link) };
}
