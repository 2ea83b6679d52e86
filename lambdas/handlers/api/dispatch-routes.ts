import { dispatchPackageView } from '../../schemas/dispatch-package.ts';
import { workOrderIdParams } from '../../schemas/work-orders.ts';
import { everyone } from '../../shared/roles.ts';
import { defineRoute } from './route-definition.ts';

/** What a technician is sent when assigned: the dispatch package. */
export const dispatchRoutes = [
  defineRoute({
    operationId: 'getDispatchPackage',
    method: 'GET',
    path: '/v1/work-orders/{id}/dispatch-package',
    summary:
      "The technician's package for a job: the work order, customer, address and access, directions, the location's equipment with its service history, earlier technicians' notes and the photos with links valid for 15 minutes. The office may preview it before a technician is assigned",
    tags: ['dispatch'],
    function: 'dispatch',
    auth: { roles: everyone },
    request: { params: workOrderIdParams },
    responses: { 200: { description: 'The dispatch package', schema: dispatchPackageView } },
  }),
] as const;
