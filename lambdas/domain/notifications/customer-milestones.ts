import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { DirectoryStore, WorkOrderStore } from '../../ports/work-order-store.ts';
import type { WorkOrder } from '../work-orders/work-order.ts';
import {
  type CustomerMessengerDependencies,
  type MessageOutcome,
  messageCustomer,
} from './customer-messenger.ts';

export interface MilestoneDependencies extends CustomerMessengerDependencies {
  workOrders: Pick<WorkOrderStore, 'get'>;
  directory: Pick<DirectoryStore, 'getTenant' | 'getCustomer' | 'getTechnician' | 'getServiceType'>;
}

/** What the bus says happened: the technician set off (with their ETA), or the work is done. */
export type CustomerMilestone =
  | {
      milestone: 'en_route';
      tenantId: string;
      workOrderId: string;
      /** The work order's version after the transition: one message per trip. */
      version: number;
      technicianId?: string;
      eta?: string;
    }
  | { milestone: 'completed'; tenantId: string; workOrderId: string };

export type MilestoneOutcome =
  | { outcome: 'sent'; messages: MessageOutcome[] }
  | { outcome: 'unknown work order' | 'no customer' | 'passed' };

/** A time of day as the customer reads it: `2:45 PM`. */
const localTime = (instant: string, timeZone: string) => format(new TZDate(instant, timeZone), 'h:mm a');

/**
 * When the technician is expected: the ETA they gave; without one, the booked start if it is
 * still ahead, else the end of the arrival window promised if that is; else nothing to say.
 */
export function expectedArrival(
  eta: string | undefined,
  workOrder: Pick<WorkOrder, 'scheduledStart' | 'arrivalWindow'>,
  now: Date,
): string | undefined {
  if (eta) return eta;
  const ahead = (instant: string | undefined) =>
    instant && Date.parse(instant) > now.getTime() ? instant : undefined;
  return ahead(workOrder.scheduledStart) ?? ahead(workOrder.arrivalWindow?.end);
}

/** The minutes of work as people say them: `45 minutes`, `1 hour 30 minutes`. */
export function describeMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const part = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (hours === 0) return part(rest, 'minute');
  return rest === 0 ? part(hours, 'hour') : `${part(hours, 'hour')} ${part(rest, 'minute')}`;
}

/**
 * Tells the customer about a milestone of their visit, once per event however often the bus
 * delivers it (the dedupe key is the work order and, for a trip, its version).
 * - En route: "<technician's first name> is on the way, arriving about <ETA, local time>" — the
 *   ETA the technician gave, else the booked start or the window's end while still ahead. Only
 *   while the technician is still on the way: a message delivered after they arrived is dropped.
 * - Completed: the service done, with thanks and one line of what was done (labor, parts).
 */
export async function tellCustomerMilestone(
  deps: MilestoneDependencies,
  event: CustomerMilestone,
): Promise<MilestoneOutcome> {
  const [workOrder, tenant] = await Promise.all([
    deps.workOrders.get(event.tenantId, event.workOrderId),
    deps.directory.getTenant(event.tenantId),
  ]);
  if (!workOrder || !tenant) return { outcome: 'unknown work order' };
  if (event.milestone === 'en_route' && workOrder.status !== 'en_route') return { outcome: 'passed' };
  const customer = await deps.directory.getCustomer(workOrder.tenantId, workOrder.customerId);
  if (!customer) return { outcome: 'no customer' };
  const technicianId =
    (event.milestone === 'en_route' ? event.technicianId : undefined) ?? workOrder.technicianId;
  const technician = technicianId
    ? await deps.directory.getTechnician(workOrder.tenantId, technicianId)
    : undefined;
  const technicianFirstName = technician?.name.split(/\s+/)[0];
  const named = technicianFirstName ? { technicianFirstName } : {};

  if (event.milestone === 'en_route') {
    const eta = expectedArrival(event.eta, workOrder, deps.clock.now());
    const messages = await messageCustomer(deps, {
      tenant,
      customer,
      purpose: 'en_route',
      workOrderId: workOrder.workOrderId,
      values: { ...named, ...(eta ? { eta: localTime(eta, tenant.timeZone) } : {}) },
      dedupeKey: `en-route-${workOrder.workOrderId}-v${event.version}`,
    });
    return { outcome: 'sent', messages };
  }
  const serviceType = workOrder.serviceTypeId
    ? await deps.directory.getServiceType(workOrder.tenantId, workOrder.serviceTypeId)
    : undefined;
  const messages = await messageCustomer(deps, {
    tenant,
    customer,
    purpose: 'completion',
    workOrderId: workOrder.workOrderId,
    values: {
      ...named,
      ...(serviceType ? { service: serviceType.name } : {}),
      note: completionNote(workOrder),
    },
    dedupeKey: `completion-${workOrder.workOrderId}`,
  });
  return { outcome: 'sent', messages };
}

/** Thanks, and one line of what was done: `Work done: 1 hour 30 minutes of labor, 2 parts. Thank you!` */
export function completionNote(workOrder: Pick<WorkOrder, 'laborMinutes' | 'partCount'>): string {
  const parts = workOrder.partCount ?? 0;
  const minutes = workOrder.laborMinutes ?? 0;
  const done = [
    ...(minutes > 0 ? [`${describeMinutes(minutes)} of labor`] : []),
    ...(parts > 0 ? [`${parts} part${parts === 1 ? '' : 's'}`] : []),
  ];
  return done.length > 0 ? `Work done: ${done.join(', ')}. Thank you!` : 'Thank you!';
}
