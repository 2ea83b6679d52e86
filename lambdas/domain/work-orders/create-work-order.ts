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
  locationAccess,
  type ServiceLocation,
  type Tenant,
} from '../customers/customer.ts';
import { asCustomerDirectory } from '../customers/customer-directory.ts';
import {
  findOrCreateCustomer,
  matchCustomer,
  newCustomer,
  normalizeContacts,
} from '../customers/manage-customers.ts';
import type { Actor } from '../shared/actor.ts';
import { type MarkNeedsAttentionDependencies, markNeedsAttention } from './mark-needs-attention.ts';
import { localDay, type WarrantyCoverage, warrantyCoverage } from './warranty.ts';
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
  /** Equipment at the work order's (saved) location the job is about: its warranty is flagged. */
  equipmentId?: string;
  specialInstructions?: string;
  estimatedScope?: string;
  /** Earlier work orders of the tenant this one relates to: linked both ways. */
  relatedWorkOrderIds?: string[];
  /** Set by the workflow for a follow-up: the id allocated at completion and the work order it follows. */
  workOrderId?: string;
  followUpOf?: string;
  /** Set for a visit of a service agreement's plan: the agreement and the visit's local day. */
  agreement?: { agreementId: string; occurrence: string };
  /**
   * The next visit of a multi-visit job. While the visit before it is not completed it waits
   * on hold (its scheduling stage waits through the hold); the workflow resumes it when that
   * visit completes.
   */
  visit?: { jobId: string; visitNumber: number; previousVisitId: string; waitsForPrevious: boolean };
}

/** The hold reason of a visit waiting for the visit before it; the workflow resumes it. */
export const waitingForVisitReason = 'waiting for the completion of visit';

export interface CreateWorkOrderDependencies {
  workOrders: WorkOrderStore;
  directory: DirectoryStore;
  workflow: Workflow;
  events: EventPublisher;
  clock: Clock;
  ids: IdGenerator;
  /** Told of side effects that failed after the work order was saved (logged and counted by the handler). */
  reportFailure: (message: string, error: unknown) => void;
  /** Told when a work order whose workflow did not start is flagged `needs_attention`. */
  reportNeedsAttention?: MarkNeedsAttentionDependencies['reportNeedsAttention'];
}

/**
 * Creates a work order as the office takes the call.
 * 1. Resolves the customer: by id, or inline, matched by its normalized phone or email to the
 *    tenant's customer holding it, else a new one; and the service location.
 * 2. Checks the service type belongs to the tenant and the equipment is at the location, and
 *    flags the equipment's warranty coverage on the tenant's local day of creation.
 * 3. Only when all is valid: writes a new customer with its contact items (or, if a concurrent
 *    request wrote one with the same contact first, takes that one), then the work order, its
 *    audit event and any new location in one transaction.
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

  const related = [...new Set(command.relatedWorkOrderIds ?? [])];
  const [customerResult, serviceTypeProblem, relatedProblems] = await Promise.all([
    resolveCustomer(directory, tenant, command, ids, now),
    checkServiceType(directory, tenant.tenantId, command.serviceTypeId),
    checkRelated(workOrders, tenant.tenantId, related),
  ]);
  const { customer, newCustomer, problems } = customerResult;
  if (serviceTypeProblem) problems.push(serviceTypeProblem);
  problems.push(...relatedProblems);

  const locationResult = customer
    ? await resolveLocation(directory, tenant.tenantId, customer.customerId, command, ids, now)
    : { problems: [] };
  problems.push(...locationResult.problems);
  if (problems.length > 0 || !customer) throw new ValidationError(problems);

  let location = locationResult.location;
  const warranty = await checkEquipment(directory, tenant, location, locationResult.isNew, command, now);
  if ('problem' in warranty) throw new ValidationError([warranty.problem]);

  let resolvedCustomer = customer;
  if (newCustomer) {
    resolvedCustomer = (await findOrCreateCustomer(asCustomerDirectory(directory), customer)).customer;
    if (location && locationResult.isNew) location = { ...location, customerId: resolvedCustomer.customerId };
  }
  const workOrder: WorkOrder = {
    tenantId: tenant.tenantId,
    workOrderId: command.workOrderId ?? ids.next('wo'),
    customerId: resolvedCustomer.customerId,
    ...(command.followUpOf ? { followUpOf: command.followUpOf } : {}),
    ...(command.agreement
      ? { agreementId: command.agreement.agreementId, occurrence: command.agreement.occurrence }
      : {}),
    ...(command.visit
      ? {
          jobId: command.visit.jobId,
          visitNumber: command.visit.visitNumber,
          previousVisitId: command.visit.previousVisitId,
        }
      : {}),
    ...(related.length > 0 ? { relatedWorkOrderIds: related } : {}),
    ...(location ? { locationId: location.locationId } : {}),
    ...(command.serviceTypeId ? { serviceTypeId: command.serviceTypeId } : {}),
    description: command.description,
    ...(command.specialInstructions ? { specialInstructions: command.specialInstructions } : {}),
    ...(command.estimatedScope ? { estimatedScope: command.estimatedScope } : {}),
    ...(warranty.coverage ? { equipmentId: warranty.coverage.equipmentId, warranty: warranty.coverage } : {}),
    priority: command.priority,
    status: 'new',
    ...(command.visit?.waitsForPrevious
      ? {
          status: 'on_hold' as const,
          heldFrom: 'new' as const,
          holdReason: `${waitingForVisitReason} ${command.visit.previousVisitId}`,
        }
      : {}),
    ...((command.accessNotes ?? locationAccess(location))
      ? { accessNotes: command.accessNotes ?? locationAccess(location) }
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

  // A new customer is already written (with its contact items); the work order refers to it.
  await workOrders.create({
    workOrder,
    event,
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
  for (const relatedId of related) {
    await linkOnEarlier(dependencies, actor, relatedId, {
      field: 'relatedWorkOrderIds',
      laterId: workOrder.workOrderId,
      action: 'linked',
    }).catch((error: unknown) =>
      dependencies.reportFailure(`The link back from ${relatedId} was not recorded`, error),
    );
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
  const { problems, ...contacts } = normalizeContacts(tenant, input, 'body.customer');
  if (problems.length > 0) return { newCustomer: false, problems };
  const existing = await matchCustomer(asCustomerDirectory(directory), tenant.tenantId, contacts);
  if (existing) return { customer: existing, newCustomer: false, problems: [] };
  return {
    customer: newCustomer(tenant, ids.next('cus'), input, contacts, now),
    newCustomer: true,
    problems: [],
  };
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

/**
 * The warranty coverage of the named equipment, which must be at the work order's saved
 * location; nothing when no equipment is named.
 */
async function checkEquipment(
  directory: DirectoryStore,
  tenant: Tenant,
  location: ServiceLocation | undefined,
  locationIsNew: boolean | undefined,
  command: CreateWorkOrderCommand,
  now: string,
): Promise<{ coverage?: WarrantyCoverage } | { problem: FieldProblem }> {
  if (!command.equipmentId) return {};
  const problem = { field: 'body.equipmentId', message: 'no such equipment at the service location' };
  if (!location || locationIsNew) return { problem };
  const equipment = await asCustomerDirectory(directory).getEquipment(
    tenant.tenantId,
    location.locationId,
    command.equipmentId,
  );
  if (!equipment) return { problem };
  return { coverage: warrantyCoverage(equipment, localDay(new Date(now), tenant.timeZone)) };
}

async function checkRelated(
  workOrders: WorkOrderStore,
  tenantId: string,
  related: string[],
): Promise<FieldProblem[]> {
  const found = await Promise.all(related.map((id) => workOrders.get(tenantId, id)));
  return related.flatMap((id, index) =>
    found[index] ? [] : [{ field: `body.relatedWorkOrderIds.${index}`, message: `no such work order ${id}` }],
  );
}

/**
 * Lists `laterId` under `field` of an earlier work order (a related one's link back, an
 * original's follow-up), with its audit event; read again if it changes meanwhile.
 */
export async function linkOnEarlier(
  dependencies: Pick<CreateWorkOrderDependencies, 'workOrders' | 'clock' | 'ids'>,
  actor: Actor,
  earlierId: string,
  link: { field: 'relatedWorkOrderIds' | 'followUpWorkOrderIds'; laterId: string; action: string },
) {
  const { workOrders, clock, ids } = dependencies;
  const { field, laterId, action } = link;
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const before = await workOrders.get(actor.tenantId, earlierId);
    if (!before || before[field]?.includes(laterId)) return;
    const at = clock.now().toISOString();
    const after: WorkOrder = {
      ...before,
      [field]: [...(before[field] ?? []), laterId],
      version: before.version + 1,
      updatedAt: at,
    };
    const event = auditEvent({ eventId: ids.next('evt'), action, actor, at, before, after });
    if (await workOrders.apply({ before, after, event })) return;
  }
  throw new Error(`Work order ${earlierId} kept changing`);
}
