import {
  clock,
  idempotencyStore,
  linkDependencies,
  tenantWriteLimiter,
} from '../../adapters/dependencies.ts';
import {
  type CustomerLink,
  type IssuedLink,
  invoiceLinks,
  issueInvoiceLink,
  issueWorkOrderLink,
  linkState,
  revokeInvoiceLinks,
  revokeWorkOrderLinks,
  workOrderLinks,
} from '../../domain/customer-pages/links.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { customerLinkRoutes } from './customer-link-routes.ts';

const toLinkView = (link: CustomerLink) => ({
  linkId: link.linkId,
  purpose: link.purpose,
  workOrderId: link.workOrderId,
  ...(link.invoiceId ? { invoiceId: link.invoiceId } : {}),
  state: linkState(link, clock.now()),
  issuedAt: link.issuedAt,
  issuedBy: link.issuedBy,
  expiresAt: link.expiresAt,
  ...(link.revokedAt ? { revokedAt: link.revokedAt } : {}),
  ...(link.revokedBy ? { revokedBy: link.revokedBy } : {}),
});

const issued = ({ link, url }: IssuedLink) => ({ status: 201, body: { ...toLinkView(link), url } });
const listed = (links: CustomerLink[]) => ({ status: 200, body: { items: links.map(toLinkView) } });

export const handler = apiHandler(
  'customerLinks',
  customerLinkRoutes,
  {
    issueWorkOrderLink: async ({ actor, params, body }) =>
      issued(await issueWorkOrderLink(linkDependencies(), actor, params.id, body.purpose)),
    listWorkOrderLinks: async ({ actor, params }) =>
      listed(await workOrderLinks(linkDependencies(), actor, params.id)),
    revokeWorkOrderLinks: async ({ actor, params, body }) =>
      listed(await revokeWorkOrderLinks(linkDependencies(), actor, params.id, body.linkId)),
    issueInvoiceLink: async ({ actor, params }) =>
      issued(await issueInvoiceLink(linkDependencies(), actor, params.id)),
    listInvoiceLinks: async ({ actor, params }) =>
      listed(await invoiceLinks(linkDependencies(), actor, params.id)),
    revokeInvoiceLinks: async ({ actor, params, body }) =>
      listed(await revokeInvoiceLinks(linkDependencies(), actor, params.id, body.linkId)),
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
