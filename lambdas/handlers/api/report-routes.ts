import { jobCostingReportQuery, jobCostingReportView } from '../../schemas/reports.ts';
import { office } from '../../shared/roles.ts';
import { defineRoute } from './route-definition.ts';

/** Reports for the office. */
export const reportRoutes = [
  defineRoute({
    operationId: 'getJobCostingReport',
    method: 'GET',
    path: '/v1/reports/job-costing',
    summary:
      'Revenue, cost and margin per work order completed in a period (local days from–to, both included) and in total',
    tags: ['reports'],
    function: 'reports',
    auth: { roles: office },
    request: { query: jobCostingReportQuery },
    responses: { 200: { description: 'The report', schema: jobCostingReportView } },
  }),
] as const;
