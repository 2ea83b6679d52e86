import type { LaborEntry } from '../domain/execution/field-records.ts';
import type { LaborTimer } from '../domain/execution/labor-timers.ts';
import type { Recommendation } from '../domain/execution/recommendations.ts';
import type { WorkOrderMessage } from '../domain/execution/work-order-messages.ts';
import type { AuditEvent, WorkOrderStatus } from '../domain/work-orders/work-order.ts';
import type { Page } from './work-order-store.ts';

/**
 * How a conditional write of a field record ended: written, refused because of the record
 * itself (a timer already running, none running, a decision already taken), or refused because
 * the work order is gone or in a status that does not take it.
 */
export type FieldWriteOutcome = 'written' | 'conflict' | 'workOrderStatus';

/** Running labor timers: at most one per technician and work order, in the work order's item collection. */
export interface LaborTimerStore {
  /** Starts the timer with its audit event, unless one runs already or the status is not one of `whileStatusIn`. */
  startTimer(
    timer: LaborTimer,
    event: AuditEvent,
    whileStatusIn: WorkOrderStatus[],
  ): Promise<FieldWriteOutcome>;
  runningTimer(tenantId: string, workOrderId: string, technicianId: string): Promise<LaborTimer | undefined>;
  runningTimers(tenantId: string, workOrderId: string): Promise<LaborTimer[]>;
  /**
   * Stops exactly the timer read (deletes it), records the labor entry, adds its minutes to the
   * work order and writes the audit event, all or nothing; `conflict` when that timer no longer runs.
   */
  stopTimer(
    timer: LaborTimer,
    entry: LaborEntry,
    event: AuditEvent,
    whileStatusIn: WorkOrderStatus[],
  ): Promise<FieldWriteOutcome>;
}

/** Recommendations of extra work, in the work order's item collection. */
export interface RecommendationStore {
  /** Writes the recommendation with its audit event while the work order's status is one of `whileStatusIn`. */
  addRecommendation(
    recommendation: Recommendation,
    event: AuditEvent,
    whileStatusIn: WorkOrderStatus[],
  ): Promise<FieldWriteOutcome>;
  getRecommendation(
    tenantId: string,
    workOrderId: string,
    recommendationId: string,
  ): Promise<Recommendation | undefined>;
  /** Oldest first. */
  recommendations(tenantId: string, workOrderId: string): Promise<Recommendation[]>;
  /** Replaces the recommendation if it is still at `expectedVersion`, with its audit event. */
  updateRecommendation(
    recommendation: Recommendation,
    expectedVersion: number,
    event: AuditEvent,
  ): Promise<FieldWriteOutcome>;
}

/** Messages between the office and the technician, in the work order's item collection. */
export interface WorkOrderMessageStore {
  /** Writes the message with its audit event while the work order exists. */
  addMessage(message: WorkOrderMessage, event: AuditEvent): Promise<FieldWriteOutcome>;
  /** In time order (their ULID ids sort by time). */
  messages(
    tenantId: string,
    workOrderId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<WorkOrderMessage>>;
}

export type FieldWorkStore = LaborTimerStore & RecommendationStore & WorkOrderMessageStore;
