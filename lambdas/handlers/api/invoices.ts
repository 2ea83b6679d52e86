import {
  agreementCoverage,
  clock,
  directoryStore,
  eventPublisher,
  idempotencyStore,
  ids,
  invoiceStore,
  pricingStore,
  tenantWriteLimiter,
  workflow,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import type { Invoice } from '../../domain/invoicing/invoice.ts';
import {
  getInvoice,
  type InvoiceDependencies,
  type InvoiceReading,
  listInvoices,
  recalculateInvoice,
  updateDraftInvoice,
  voidInvoice,
} from '../../domain/invoicing/invoices.ts';
import { getPricingRules, updatePricingRules } from '../../domain/invoicing/pricing-settings.ts';
import { ValidationError } from '../../shared/errors.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { reportFailure } from '../../shared/report-failure.ts';
import { invoiceRoutes } from './invoice-routes.ts';

const dependencies = (): InvoiceDependencies => ({
  invoices: invoiceStore(),
  workOrders: workOrderStore(),
  directory: directoryStore(),
  pricing: pricingStore(),
  agreements: agreementCoverage(),
  workflow: workflow(),
  events: eventPublisher(),
  clock,
  ids,
  reportFailure,
});

/** The version the client last read, from `If-Match` or `?version=`. */
function expectedVersion(headers: Record<string, string | undefined>, query: { version?: number }) {
  const ifMatch = headers['if-match'];
  if (ifMatch === undefined) return query.version;
  const version = Number(ifMatch.replace(/^W\//, '').replaceAll('"', ''));
  if (!Number.isInteger(version) || version < 1) {
    throw new ValidationError([
      { field: 'header.if-match', message: 'must be the version number of the invoice' },
    ]);
  }
  return version;
}

/** The invoice as the API shows it: what the `Invoice` schema lists, nothing internal (keys, tenant). */
const toInvoiceView = ({ invoice, balance, isOverdue }: InvoiceReading) => {
  const optional = <K extends keyof Invoice>(...names: K[]) =>
    Object.fromEntries(
      names.filter((name) => invoice[name] !== undefined).map((name) => [name, invoice[name]]),
    );
  return {
    id: invoice.invoiceId,
    workOrderId: invoice.workOrderId,
    customerId: invoice.customerId,
    status: invoice.status,
    currency: invoice.currency,
    lines: invoice.lines.map((line) => ({ ...line, taxable: line.taxable ?? false })),
    subtotal: invoice.subtotal,
    taxableSubtotal:
      invoice.taxableSubtotal ??
      invoice.lines.filter((line) => line.taxable).reduce((sum, line) => sum + line.amount, 0),
    taxRatePerMillion: invoice.taxRatePerMillion ?? 0,
    tax: invoice.tax,
    total: invoice.total,
    amountPaid: invoice.amountPaid,
    balance,
    dueDate: invoice.dueDate,
    isOverdue,
    ...optional(
      'overdueSince',
      'discount',
      'notes',
      'agreement',
      'pricedAt',
      'approvedBy',
      'sentAt',
      'voided',
      'replacedBy',
      'replaces',
    ),
    version: invoice.version,
    createdAt: invoice.createdAt,
    updatedAt: invoice.updatedAt,
  };
};

const withVersion = (reading: InvoiceReading) => ({
  status: 200,
  body: toInvoiceView(reading),
  headers: { etag: `"${reading.invoice.version}"` },
});

export const handler = apiHandler(
  'invoices',
  invoiceRoutes,
  {
    getPricingSettings: async ({ actor }) => ({
      status: 200,
      body: await getPricingRules(pricingStore(), actor),
    }),
    updatePricingSettings: async ({ actor, body }) => ({
      status: 200,
      body: await updatePricingRules({ settings: pricingStore(), clock }, actor, body),
    }),
    listInvoices: async ({ actor, query }) => {
      const { status, dueBefore, limit, cursor } = query;
      const page = await listInvoices(
        dependencies(),
        actor,
        { status, ...(dueBefore ? { dueBefore } : {}) },
        { limit, ...(cursor ? { cursor } : {}) },
      );
      return { status: 200, body: { ...page, items: page.items.map(toInvoiceView) } };
    },
    getInvoice: async ({ actor, params }) => withVersion(await getInvoice(dependencies(), actor, params.id)),
    updateInvoice: async ({ actor, params, query, headers, body }) =>
      withVersion(
        await updateDraftInvoice(
          dependencies(),
          actor,
          params.id,
          {
            ...(body.discount !== undefined ? { discount: body.discount } : {}),
            ...(body.notes !== undefined ? { notes: body.notes } : {}),
          },
          expectedVersion(headers, query),
        ),
      ),
    recalculateInvoice: async ({ actor, params, query, headers }) =>
      withVersion(
        await recalculateInvoice(dependencies(), actor, params.id, expectedVersion(headers, query)),
      ),
    voidInvoice: async ({ actor, params, query, headers, body }) => {
      const outcome = await voidInvoice(
        dependencies(),
        actor,
        params.id,
        body.reason,
        expectedVersion(headers, query),
      );
      return {
        status: 200,
        body: { voided: toInvoiceView(outcome.voided), replacement: toInvoiceView(outcome.replacement) },
      };
    },
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
