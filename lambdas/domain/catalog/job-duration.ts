import type { WorkOrder } from '../work-orders/work-order.ts';

/** How long one finished job of a service type took: a sample for the duration estimate. */
export interface JobDuration {
  tenantId: string;
  serviceTypeId: string;
  workOrderId: string;
  completedAt: string;
  minutes: number;
  technicianId?: string;
}

const minuteMs = 60_000;

/**
 * The duration sample of a work order that has just been completed:
 * - the time on site, completion minus arrival less the minutes paused, in whole minutes, when the
 *   arrival is known;
 * - otherwise the labor minutes recorded on it.
 * An arrival less than a minute before completion measures the tapping of two buttons, not
 * the job, so the labor minutes stand in for it then. None without a service type or without
 * either measure.
 */
export function jobDurationOf(completed: WorkOrder): JobDuration | undefined {
  const { serviceTypeId, completedAt } = completed;
  if (!serviceTypeId || !completedAt) return undefined;
  // Time paused on site (lunch, waiting for parts) is not time the job takes.
  const onSite = completed.arrivedAt
    ? Math.round((Date.parse(completedAt) - Date.parse(completed.arrivedAt)) / minuteMs) -
      (completed.pausedMinutes ?? 0)
    : Number.NaN;
  const minutes = Number.isFinite(onSite) && onSite >= 1 ? onSite : (completed.laborMinutes ?? 0);
  if (!(minutes > 0)) return undefined;
  return {
    tenantId: completed.tenantId,
    serviceTypeId,
    workOrderId: completed.workOrderId,
    completedAt,
    minutes,
    ...(completed.technicianId ? { technicianId: completed.technicianId } : {}),
  };
}
