import {
  completedWork,
  directoryStore,
  idempotencyStore,
  technicianStore,
  tenantWriteLimiter,
  workOrderStore,
} from '../../adapters/dependencies.ts';
import { jobCostingReport } from '../../domain/reports/job-costing-report.ts';
import { apiHandler } from '../../shared/http-api.ts';
import { reportRoutes } from './report-routes.ts';

export const handler = apiHandler(
  'reports',
  reportRoutes,
  {
    getJobCostingReport: async ({ actor, query }) => ({
      status: 200,
      body: await jobCostingReport(
        {
          completed: completedWork(),
          workOrders: workOrderStore(),
          directory: directoryStore(),
          technicians: technicianStore(),
        },
        actor,
        query,
      ),
    }),
  },
  { idempotency: idempotencyStore, writeLimiter: tenantWriteLimiter },
);
