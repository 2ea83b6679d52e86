import {
  agreementStore,
  clock,
  directoryStore,
  idempotencyStore,
  ids,
  plannedVisitStore,
  scheduler,
  tenantWriteLimiter,
} from '../../adapters/dependencies.ts';
import { type Agreement, noBillingDay } from '../../domain/agreements/agreement.ts';
import { agreementVisits, skipVisit } from '../../domain/agreements/agreement-visits.ts';
import {
  type AgreementDependencies,
  agreementInvoices,
  createAgreement,
  getAgreement,
  listAgreements,
  updateAgreement,
} from '../../domain/agreements/manage-agreements.ts';
import { noVisitDay } from '../../domain/agreements/visit-plan.ts';
import type { Invoice } from '../../domain/invoicing/invoice.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { agreementRoutes } from './agreement-routes.ts';

const dependencies = (): AgreementDependencies => ({
  agreements: agreementStore(),
  directory: directoryStore(),
  scheduler: scheduler(),
  clock,
  ids,
});

/** The API's view of an agreement: no tenant, no billing bookkeeping. */
const toAgreementView = ({
  tenantId: _tenant,
  agreementId,
  nextBillingPeriod: _period,
  nextBillingOn,
  nextVisitOn,
  createdBy: _createdBy,
  locationIds,
  ...agreement
}: Agreement) => ({
  id: agreementId,
  ...agreement,
  locationIds: locationIds ?? [],
  nextBillingOn: nextBillingOn === noBillingDay ? null : nextBillingOn,
  ...(nextVisitOn !== undefined ? { nextVisitOn: nextVisitOn === noVisitDay ? null : nextVisitOn } : {}),
});

const toAgreementInvoiceView = (invoice: Invoice) => ({
  id: invoice.invoiceId,
  agreementId: invoice.workOrderId,
  status: invoice.status,
  currency: invoice.currency,
  description: invoice.lines[0]?.description ?? '',
  total: invoice.total,
  amountPaid: invoice.amountPaid,
  balance: invoice.total - invoice.amountPaid,
  dueDate: invoice.dueDate,
  ...(invoice.sentAt ? { sentAt: invoice.sentAt } : {}),
  ...(invoice.overdueSince ? { overdueSince: invoice.overdueSince } : {}),
  createdAt: invoice.createdAt,
});

export const handler = apiHandler(
  'agreements',
  agreementRoutes,
  {
    createAgreement: async ({ actor, body }) => {
      const agreement = await createAgreement(dependencies(), actor, body);
      return {
        status: 201,
        body: toAgreementView(agreement),
        headers: { location: `/v1/agreements/${agreement.agreementId}` },
      };
    },
    listAgreements: async ({ actor, query }) => {
      const { limit, cursor, customerId, status } = query;
      const page = await listAgreements(
        dependencies(),
        actor,
        { ...(customerId ? { customerId } : {}), ...(status ? { status } : {}) },
        { limit, ...(cursor ? { cursor } : {}) },
      );
      return {
        status: 200,
        body: {
          items: page.items.map(toAgreementView),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
      };
    },
    getAgreement: async ({ actor, params }) => ({
      status: 200,
      body: toAgreementView(await getAgreement(dependencies(), actor, params.id)),
    }),
    updateAgreement: async ({ actor, params, query, body }) => ({
      status: 200,
      body: toAgreementView(await updateAgreement(dependencies(), actor, params.id, body, query.version)),
    }),
    listAgreementInvoices: async ({ actor, params }) => ({
      status: 200,
      body: {
        items: (await agreementInvoices(dependencies(), actor, params.id)).map(toAgreementInvoiceView),
      },
    }),
    listAgreementVisits: async ({ actor, params }) => {
      const { agreement, visits } = await agreementVisits(
        { agreements: agreementStore(), plannedVisits: plannedVisitStore() },
        actor,
        params.id,
      );
      const next = agreement.nextVisitOn;
      return {
        status: 200,
        body: {
          agreementId: agreement.agreementId,
          nextVisitOn: next === undefined || next === noVisitDay ? null : next,
          items: visits,
        },
      };
    },
    skipAgreementVisit: async ({ actor, params, body }) => ({
      status: 200,
      body: await skipVisit(
        { agreements: agreementStore(), plannedVisits: plannedVisitStore(), clock },
        actor,
        params.id,
        body,
      ),
    }),
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
