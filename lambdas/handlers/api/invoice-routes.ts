import {
  invoiceIdPath,
  invoiceView,
  listInvoicesQuery,
  pricingRulesBody,
  pricingRulesView,
  updateInvoiceBody,
  voidInvoiceBody,
  voidOutcomeView,
} from '../../schemas/invoices.ts';
import { emptyBody, pageOf, versionQuery } from '../../schemas/work-orders.ts';
import { office, type Role } from '../../shared/roles.ts';
import { defineRoute } from './route-definition.ts';

const admin: Role[] = ['admin'];

/** The tenant's pricing rules and its invoices: read, list by status and due date, draft edits, void. */
export const invoiceRoutes = [
  defineRoute({
    operationId: 'getPricingSettings',
    method: 'GET',
    path: '/v1/settings/pricing',
    summary:
      'The tenant’s pricing rules: level multipliers, business hours and the after-hours and emergency multipliers, parts pricing and markups, tax, payment terms',
    tags: ['invoicing'],
    function: 'invoices',
    auth: { roles: office },
    responses: { 200: { description: 'The rules, defaults filled in', schema: pricingRulesView } },
  }),
  defineRoute({
    operationId: 'updatePricingSettings',
    method: 'PATCH',
    path: '/v1/settings/pricing',
    summary: 'Change pricing rules; drafts priced before keep their lines until recalculated',
    tags: ['invoicing'],
    function: 'invoices',
    auth: { roles: admin },
    request: { body: pricingRulesBody },
    responses: { 200: { description: 'The rules after the change', schema: pricingRulesView } },
  }),
  defineRoute({
    operationId: 'listInvoices',
    method: 'GET',
    path: '/v1/invoices',
    summary: 'The tenant’s invoices of one status, soonest due first, due before a local day if given',
    tags: ['invoicing'],
    function: 'invoices',
    auth: { roles: office },
    request: { query: listInvoicesQuery },
    responses: { 200: { description: 'A page of invoices', schema: pageOf(invoiceView, 'InvoicePage') } },
  }),
  defineRoute({
    operationId: 'getInvoice',
    method: 'GET',
    path: '/v1/invoices/{id}',
    summary: 'An invoice: its lines as priced, tax, totals, balance and whether it is overdue',
    tags: ['invoicing'],
    function: 'invoices',
    auth: { roles: office },
    request: { params: invoiceIdPath },
    responses: { 200: { description: 'The invoice', schema: invoiceView } },
  }),
  defineRoute({
    operationId: 'updateInvoice',
    method: 'PATCH',
    path: '/v1/invoices/{id}',
    summary:
      'Change a draft’s discount or notes; its totals are settled again, never typed in (409 unless a draft)',
    tags: ['invoicing'],
    function: 'invoices',
    auth: { roles: office },
    request: { params: invoiceIdPath, query: versionQuery, body: updateInvoiceBody },
    responses: { 200: { description: 'The draft after the change', schema: invoiceView } },
  }),
  defineRoute({
    operationId: 'recalculateInvoice',
    method: 'POST',
    path: '/v1/invoices/{id}/recalculate',
    summary:
      'Price a draft again from the work recorded and the pricing rules as they are now (409 unless a draft)',
    tags: ['invoicing'],
    function: 'invoices',
    auth: { roles: office },
    request: { params: invoiceIdPath, query: versionQuery, body: emptyBody },
    responses: { 200: { description: 'The draft as priced now', schema: invoiceView } },
  }),
  defineRoute({
    operationId: 'voidInvoice',
    method: 'POST',
    path: '/v1/invoices/{id}/void',
    summary:
      'Void an unpaid invoice (draft, approved or sent): a fresh draft replaces it and the work order awaits its approval again',
    tags: ['invoicing'],
    function: 'invoices',
    auth: { roles: office },
    request: { params: invoiceIdPath, query: versionQuery, body: voidInvoiceBody },
    responses: { 200: { description: 'The voided invoice and its replacement', schema: voidOutcomeView } },
  }),
] as const;
