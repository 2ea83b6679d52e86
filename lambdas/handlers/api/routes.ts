import { agreementRoutes } from './agreement-routes.ts';
import { catalogRoutes } from './catalog-routes.ts';
import { customerLinkRoutes } from './customer-link-routes.ts';
import { customerPageRoutes } from './customer-page-routes.ts';
import { customerRoutes } from './customer-routes.ts';
import { dispatchRoutes } from './dispatch-routes.ts';
import { fieldWorkRoutes } from './field-work-routes.ts';
import { inventoryRoutes } from './inventory-routes.ts';
import { invoiceRoutes } from './invoice-routes.ts';
import { notificationRoutes } from './notification-routes.ts';
import { partRoutes } from './part-routes.ts';
import { paymentPlanRoutes } from './payment-plan-routes.ts';
import { paymentRoutes } from './payment-routes.ts';
import { photoRoutes } from './photo-routes.ts';
import { reminderRoutes } from './reminder-routes.ts';
import { reportRoutes } from './report-routes.ts';
import { schedulingRoutes } from './scheduling-routes.ts';
import { signOffRoutes } from './sign-off-routes.ts';
import { systemRoutes } from './system-routes.ts';
import { technicianRoutes } from './technician-routes.ts';
import { visitRoutes } from './visit-routes.ts';
import { workOrderRoutes } from './work-order-routes.ts';

export { type HttpMethod, type RouteDefinition, routeKey } from './route-definition.ts';

/**
 * The route table: every route once, gathered from one module per area. CDK adds the HTTP API
 * routes from it, the local gateway serves it, the handlers dispatch on it and `/openapi.json`
 * is generated from it.
 */
export const routes = [
  ...systemRoutes,
  ...workOrderRoutes,
  ...fieldWorkRoutes,
  ...customerRoutes,
  ...catalogRoutes,
  ...photoRoutes,
  ...partRoutes,
  ...inventoryRoutes,
  ...technicianRoutes,
  ...dispatchRoutes,
  ...schedulingRoutes,
  ...signOffRoutes,
  ...visitRoutes,
  ...invoiceRoutes,
  ...paymentRoutes,
  ...paymentPlanRoutes,
  ...agreementRoutes,
  ...reportRoutes,
  ...reminderRoutes,
  ...notificationRoutes,
  ...customerLinkRoutes,
  ...customerPageRoutes,
] as const;

export type Route = (typeof routes)[number];
export type OperationId = Route['operationId'];
