import type { Clock } from '../../ports/clock.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { DirectoryStore, WorkOrderStore } from '../../ports/work-order-store.ts';
import type { Workflow } from '../../ports/workflow.ts';
import { workOrderCreated } from '../../schemas/events/work-order-created.ts';
import { type FieldProblem, ForbiddenError, ValidationError } from '../../shared/errors.ts';
import {
  type Address,
  type Customer,
  nameKey,
  normalizeEmail,
  normalizePhone,
  type ServiceLocation,
  type Tenant,
} from '../customers/customer.ts';
import type { Actor } from '../shared/actor.ts';
import { markNeedsAttention } from './mark-needs-attention.ts';
import { auditEvent, type Priority, type WorkOrder } from './work-order.ts';

export interface CreateWorkOrderCommand {
  customerId?: string;
  customer?: { name: string; phone?: string; email?: string; billingAddress?: Address };
  locationId?: string;
  serviceLocation?: { address: Address; latitude?: number; longitude?: number; accessNotes?: string };
  serviceTypeId?: string;
  description: string;
  priority: Priority;
  accessNotes?: string;
  /** Set by the workflow for a follow-up: the id allocated at completion and the work order it follows. */
  workOrderId?: string;
  followUpOf?: string;
}

export interface CreateWorkOrderDependencies {
  workOrders: WorkOrderStore;
  directory: DirectoryStore;
  workflow: Workflow;
  events: EventPublisher;
  clock: Clock;
  ids: IdGenerator;
  /** Told of side effects that failed after the work order was saved (logged and counted by the handler). */
  reportFailure: (message: string, error: unknown) => void;
}

/**
 * Creates a work order as the office takes the call.
 * 1. Resolves the customer (existing, or new with normalized contacts) and the service location.
 * 2. Checks the service type belongs to the tenant.
 * 3. Writes the work order, its audit event and any new customer/location in one transaction.
 * 4. Starts the work order's execution, named by its id; if it cannot start, flags the work
 *    order `needs_attention` so the office sees it.
 * 5. Publishes `WorkOrderCreated`.
 */
export async function createWorkOrder(
  dependencies: CreateWorkOrderDependencies,
  actor: Actor,
  command: CreateWorkOrderCommand,
): Promise<WorkOrder> {
  const { workOrders, directory, workflow, events, clock, ids } = dependencies;
  const tenant = await directory.getTenant(actor.tenantId);
  if (!tenant) throw new ForbiddenError('This tenant is not provisioned');
  const now = clock.now().toISOString();

  const [customerResult, serviceTypeProblem] = await Promise.all([
    resolveCustomer(directory, tenant, command, ids, now),
    checkServiceType(directory, tenant.tenantId, command.serviceTypeId),
  ]);
  const { customer, newCustomer, problems } = customerResult;
  if (serviceTypeProblem) problems.push(serviceTypeProblem);

  const locationResult = customer
    ? await resolveLocation(directory, tenant.tenantId, customer.customerId, command, ids, now)
    : { problems: [] };
  problems.push(...locationResult.problems);
  if (problems.length > 0 || !customer) throw new ValidationError(problems);

  const location = locationResult.location;
  const workOrder: WorkOrder = {
    tenantId: tenant.tenantId,
    workOrderId: command.workOrderId ?? ids.next('wo'),
    customerId: customer.customerId,
    ...(command.followUpOf ? { followUpOf: command.followUpOf } : {}),
    ...(location ? { locationId: location.locationId } : {}),
    ...(command.serviceTypeId ? { serviceTypeId: command.serviceTypeId } : {}),
    description: command.description,
    priority: command.priority,
    status: 'new',
    ...((command.accessNotes ?? location?.accessNotes)
      ? { accessNotes: command.accessNotes ?? location?.accessNotes }
      : {}),
    workflowState: 'Starting',
    workflowStateSince: now,
    createdBy: actor.id,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const event = auditEvent({
    eventId: ids.next('evt'),
    action: 'created',
    actor,
    at: now,
    before: {},
    after: workOrder,
  });

  await workOrders.create({
    workOrder,
    event,
    ...(newCustomer ? { customer } : {}),
    ...(locationResult.isNew && location ? { location } : {}),
  });
  // From here on the work order exists: the request answers with it whatever fails next, so that
  // a retry with the same Idempotency-Key replays this answer instead of creating a second one.
  let current = workOrder;
  try {
    await workflow.start(workOrder.workOrderId, {
      tenantId: workOrder.tenantId,
      workOrderId: workOrder.workOrderId,
    });
  } catch (error) {
    dependencies.reportFailure('Workflow did not start; the work order is flagged needs_attention', error);
    try {
      current = await markNeedsAttention(dependencies, {
        tenantId: workOrder.tenantId,
        workOrderId: workOrder.workOrderId,
        error: 'Workflow.StartFailed',
        cause: error instanceof Error ? error.message : String(error),
      });
    } catch (markError) {
      dependencies.reportFailure('The work order could not be flagged needs_attention', markError);
    }
  }
  try {
    await events.publish([
      workOrderCreated.create(workOrder.tenantId, workOrder.createdAt, {
        workOrderId: workOrder.workOrderId,
        status: workOrder.status,
        version: workOrder.version,
        actorId: actor.id,
        actorRole: actor.role,
        customerId: workOrder.customerId,
        locationId: workOrder.locationId,
        serviceTypeId: workOrder.serviceTypeId,
        priority: workOrder.priority,
        followUpOf: workOrder.followUpOf,
      }),
    ]);
  } catch (error) {
    dependencies.reportFailure('WorkOrderCreated was not published', error);
  }
  return current;
}

async function resolveCustomer(
  directory: DirectoryStore,
  tenant: Tenant,
  command: CreateWorkOrderCommand,
  ids: IdGenerator,
  now: string,
): Promise<{ customer?: Customer; newCustomer: boolean; problems: FieldProblem[] }> {
  if (command.customerId) {
    const existing = await directory.getCustomer(tenant.tenantId, command.customerId);
    return existing
      ? { customer: existing, newCustomer: false, problems: [] }
      : { newCustomer: false, problems: [{ field: 'body.customerId', message: 'no such customer' }] };
  }
  const input = command.customer;
  if (!input) return { newCustomer: false, problems: [{ field: 'body.customerId', message: 'required' }] };
  const problems: FieldProblem[] = [];
  const phone = input.phone === undefined ? undefined : normalizePhone(input.phone, tenant.country);
  if (input.phone !== undefined && !phone) {
    problems.push({
      field: 'body.customer.phone',
      message: `not a valid phone number for ${tenant.country}`,
    });
  }
  const customer: Customer = {
    tenantId: tenant.tenantId,
    customerId: ids.next('cus'),
    name: input.name,
    nameKey: nameKey(input.name),
    ...(phone ? { phone } : {}),
    ...(input.email ? { email: normalizeEmail(input.email) } : {}),
    ...(input.billingAddress ? { billingAddress: input.billingAddress } : {}),
    createdAt: now,
    updatedAt: now,
  };
  return { customer, newCustomer: true, problems };
}

async function resolveLocation(
  directory: DirectoryStore,
  tenantId: string,
  customerId: string,
  command: CreateWorkOrderCommand,
  ids: IdGenerator,
  now: string,
): Promise<{ location?: ServiceLocation; isNew?: boolean; problems: FieldProblem[] }> {
  if (command.locationId) {
    const existing = await directory.getLocation(tenantId, command.locationId);
    if (!existing || existing.customerId !== customerId) {
      return { problems: [{ field: 'body.locationId', message: 'no such location for this customer' }] };
    }
    return { location: existing, isNew: false, problems: [] };
  }
  if (!command.serviceLocation) return { problems: [] };
  const { address, latitude, longitude, accessNotes } = command.serviceLocation;
  const location: ServiceLocation = {
    tenantId,
    locationId: ids.next('loc'),
    customerId,
    address,
    ...(latitude !== undefined ? { latitude } : {}),
    ...(longitude !== undefined ? { longitude } : {}),
    ...(accessNotes ? { accessNotes } : {}),
    createdAt: now,
    updatedAt: now,
  };
  return { location, isNew: true, problems: [] };
}

async function checkServiceType(
  directory: DirectoryStore,
  tenantId: string,
  serviceTypeId: string | undefined,
): Promise<FieldProblem | undefined> {
  if (!serviceTypeId) return undefined;
  const serviceType = await directory.getServiceType(tenantId, serviceTypeId);
  return serviceType ? undefined : { field: 'body.serviceTypeId', message: 'no such service type' };
}
