import {
  agreementIdParams,
  agreementInvoicesView,
  agreementView,
  agreementVisitsView,
  createAgreementBody,
  listAgreementsQuery,
  skipVisitBody,
  updateAgreementBody,
  visitDayView,
} from '../../schemas/agreements.ts';
import { pageOf, versionQuery } from '../../schemas/work-orders.ts';
import { office } from '../../shared/roles.ts';
import { defineRoute } from './route-definition.ts';

/** Service agreements (maintenance plans): coverage, billing, member discount, included visits. */
export const agreementRoutes = [
  defineRoute({
    operationId: 'createAgreement',
    method: 'POST',
    path: '/v1/agreements',
    summary:
      "Enter a customer's service agreement: locations and service types covered, billing per period, member discount, included visits, term",
    tags: ['agreements'],
    function: 'agreements',
    auth: { roles: office },
    request: { body: createAgreementBody },
    responses: {
      201: {
        description: 'The agreement; its first period is billed on its first day',
        schema: agreementView,
      },
    },
  }),
  defineRoute({
    operationId: 'listAgreements',
    method: 'GET',
    path: '/v1/agreements',
    summary:
      "A customer's agreements, the tenant's of one status (soonest billed first), or all, newest first",
    tags: ['agreements'],
    function: 'agreements',
    auth: { roles: office },
    request: { query: listAgreementsQuery },
    responses: {
      200: { description: 'A page of agreements', schema: pageOf(agreementView, 'AgreementPage') },
    },
  }),
  defineRoute({
    operationId: 'getAgreement',
    method: 'GET',
    path: '/v1/agreements/{id}',
    summary: 'An agreement, with its visits remaining and next billing day',
    tags: ['agreements'],
    function: 'agreements',
    auth: { roles: office },
    request: { params: agreementIdParams },
    responses: { 200: { description: 'The agreement', schema: agreementView } },
  }),
  defineRoute({
    operationId: 'updateAgreement',
    method: 'PATCH',
    path: '/v1/agreements/{id}',
    summary: 'Change what an agreement covers, costs or includes, its term end or status (pause, end)',
    tags: ['agreements'],
    function: 'agreements',
    auth: { roles: office },
    request: { params: agreementIdParams, query: versionQuery, body: updateAgreementBody },
    responses: { 200: { description: 'The agreement after the change', schema: agreementView } },
  }),
  defineRoute({
    operationId: 'listAgreementInvoices',
    method: 'GET',
    path: '/v1/agreements/{id}/invoices',
    summary: "The invoices of the agreement's billing periods, in period order",
    tags: ['agreements'],
    function: 'agreements',
    auth: { roles: office },
    request: { params: agreementIdParams },
    responses: { 200: { description: 'The invoices', schema: agreementInvoicesView } },
  }),
  defineRoute({
    operationId: 'listAgreementVisits',
    method: 'GET',
    path: '/v1/agreements/{id}/visits',
    summary:
      "The visit days of the agreement's plan, past and upcoming: planned, created (with the work order), skipped or paused",
    tags: ['agreements'],
    function: 'agreements',
    auth: { roles: office },
    request: { params: agreementIdParams },
    responses: { 200: { description: 'The visit days, in day order', schema: agreementVisitsView } },
  }),
  defineRoute({
    operationId: 'skipAgreementVisit',
    method: 'POST',
    path: '/v1/agreements/{id}/visits/skip',
    summary: "Skip one visit day of the agreement's plan: no work order is created for it",
    tags: ['agreements'],
    function: 'agreements',
    auth: { roles: office },
    request: { params: agreementIdParams, body: skipVisitBody },
    responses: {
      200: {
        description: 'The day, skipped; 409 if its work order exists already or it passed while paused',
        schema: visitDayView,
      },
    },
  }),
] as const;
