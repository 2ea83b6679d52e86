import {
  clock,
  directoryStore,
  idempotencyStore,
  receivablesStore,
  tenantWriteLimiter,
} from '../../adapters/dependencies.ts';
import {
  createPaymentPlan,
  getPaymentPlan,
  type PaymentPlanDependencies,
  type PaymentPlanStanding,
} from '../../domain/receivables/manage-payment-plans.ts';
import type { PlanRequest } from '../../domain/receivables/payment-plan.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { paymentPlanRoutes } from './payment-plan-routes.ts';

const dependencies = (): PaymentPlanDependencies => ({
  receivables: receivablesStore(),
  directory: directoryStore(),
  clock,
});

const toPlanView = ({ plan, balance, instalments, nextDue }: PaymentPlanStanding) => ({
  invoiceId: plan.invoiceId,
  currency: plan.currency,
  amount: plan.amount,
  balance,
  instalments,
  ...(nextDue
    ? {
        nextDue: {
          number: nextDue.number,
          dueDate: nextDue.dueDate,
          amount: nextDue.amount - nextDue.amountPaid,
        },
      }
    : {}),
  createdBy: plan.createdBy,
  createdAt: plan.createdAt,
});

export const handler = apiHandler(
  'paymentPlans',
  paymentPlanRoutes,
  {
    createPaymentPlan: async ({ actor, params, body }) => {
      // The schema lets exactly one of count and instalments through.
      const request: PlanRequest = body.instalments
        ? { instalments: body.instalments }
        : {
            count: body.count ?? 0,
            ...(body.firstDueDate ? { firstDueDate: body.firstDueDate } : {}),
            ...(body.every ? { every: body.every } : {}),
          };
      const standing = await createPaymentPlan(dependencies(), actor, params.id, request);
      return {
        status: 201,
        body: toPlanView(standing),
        headers: { location: `/v1/invoices/${params.id}/payment-plan` },
      };
    },
    getPaymentPlan: async ({ actor, params }) => ({
      status: 200,
      body: toPlanView(await getPaymentPlan(dependencies(), actor, params.id)),
    }),
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
