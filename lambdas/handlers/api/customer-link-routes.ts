import {
  customerLinksView,
  invoiceLinkBody,
  issuedLinkView,
  revokeLinksBody,
  workOrderLinkBody,
} from '../../schemas/customer-links.ts';
import { invoiceIdPath } from '../../schemas/invoices.ts';
import { workOrderIdParams } from '../../schemas/work-orders.ts';
import { everyone, office } from '../../shared/roles.ts';
import { defineRoute } from './route-definition.ts';

/** Signed links to the customer pages: issued, listed and revoked by the office. */
export const customerLinkRoutes = [
  defineRoute({
    operationId: 'issueWorkOrderLink',
    method: 'POST',
    path: '/v1/work-orders/{id}/links',
    summary:
      "A signed link to the customer's appointment page (`view`, 30 days) or sign-off page (`sign`, 3 days, while the work is in progress); the URL is shown once",
    tags: ['customer links'],
    function: 'customerLinks',
    auth: { roles: everyone },
    request: { params: workOrderIdParams, body: workOrderLinkBody },
    responses: { 201: { description: 'The link and its URL', schema: issuedLinkView } },
  }),
  defineRoute({
    operationId: 'listWorkOrderLinks',
    method: 'GET',
    path: '/v1/work-orders/{id}/links',
    summary: 'The links issued for a work order and its invoices, oldest first, each with where it stands',
    tags: ['customer links'],
    function: 'customerLinks',
    auth: { roles: office },
    request: { params: workOrderIdParams },
    responses: { 200: { description: 'The links', schema: customerLinksView } },
  }),
  defineRoute({
    operationId: 'revokeWorkOrderLinks',
    method: 'POST',
    path: '/v1/work-orders/{id}/links/revoke',
    summary:
      "Revoke one link of the work order (`linkId`) or every one still open, its invoices' included: they stop opening at once",
    tags: ['customer links'],
    function: 'customerLinks',
    auth: { roles: office },
    request: { params: workOrderIdParams, body: revokeLinksBody },
    responses: { 200: { description: 'The links after', schema: customerLinksView } },
  }),
  defineRoute({
    operationId: 'issueInvoiceLink',
    method: 'POST',
    path: '/v1/invoices/{id}/links',
    summary:
      "A signed link (60 days) to the customer's invoice page: the invoice, its PDF, paying the balance online; for an invoice owed or paid",
    tags: ['customer links'],
    function: 'customerLinks',
    auth: { roles: office },
    request: { params: invoiceIdPath, body: invoiceLinkBody },
    responses: { 201: { description: 'The link and its URL', schema: issuedLinkView } },
  }),
  defineRoute({
    operationId: 'listInvoiceLinks',
    method: 'GET',
    path: '/v1/invoices/{id}/links',
    summary: 'The links issued for an invoice, oldest first',
    tags: ['customer links'],
    function: 'customerLinks',
    auth: { roles: office },
    request: { params: invoiceIdPath },
    responses: { 200: { description: 'The links', schema: customerLinksView } },
  }),
  defineRoute({
    operationId: 'revokeInvoiceLinks',
    method: 'POST',
    path: '/v1/invoices/{id}/links/revoke',
    summary: 'Revoke one link of the invoice (`linkId`) or every one still open',
    tags: ['customer links'],
    function: 'customerLinks',
    auth: { roles: office },
    request: { params: invoiceIdPath, body: revokeLinksBody },
    responses: { 200: { description: 'The links after', schema: customerLinksView } },
  }),
] as const;
