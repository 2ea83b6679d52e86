import { invoiceIdPath } from '../../schemas/invoices.ts';
import { paymentPlanBody, paymentPlanView } from '../../schemas/payment-plans.ts';
import { office } from '../../shared/roles.ts';
import { defineRoute } from './route-definition.ts';

/** Payment plans: an invoice's balance in instalments with due dates. */
export const paymentPlanRoutes = [
  defineRoute({
    operationId: 'createPaymentPlan',
    method: 'POST',
    path: '/v1/invoices/{id}/payment-plan',
    summary:
      "Split an invoice's balance into instalments with due dates (equal, or as given, adding up exactly)",
    tags: ['invoicing'],
    function: 'paymentPlans',
    auth: { roles: office },
    request: { params: invoiceIdPath, body: paymentPlanBody },
    responses: { 201: { description: 'The plan, each instalment where it stands', schema: paymentPlanView } },
  }),
  defineRoute({
    operationId: 'getPaymentPlan',
    method: 'GET',
    path: '/v1/invoices/{id}/payment-plan',
    summary: "An invoice's payment plan: each instalment due, paid or overdue, payments applied oldest first",
    tags: ['invoicing'],
    function: 'paymentPlans',
    auth: { roles: office },
    request: { params: invoiceIdPath },
    responses: { 200: { description: 'The plan', schema: paymentPlanView } },
  }),
] as const;
