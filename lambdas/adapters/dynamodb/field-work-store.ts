import type { LaborEntry } from '../../domain/execution/field-records.ts';
import type { LaborTimer } from '../../domain/execution/labor-timers.ts';
import type { Recommendation } from '../../domain/execution/recommendations.ts';
import type { WorkOrderMessage } from '../../domain/execution/work-order-messages.ts';
import type { AuditEvent, WorkOrderStatus } from '../../domain/work-orders/work-order.ts';
import type { FieldWorkStore, FieldWriteOutcome } from '../../ports/field-work-store.ts';
import type { Page } from '../../ports/work-order-store.ts';
import { type Condition, sameAs, statusIn } from './conditions.ts';
import type { Entities } from './entities.ts';
import { pagedQuery } from './paging.ts';

const exists: Condition = ({ status }, { exists: present }) => (present as (a: unknown) => string)(status);

/**
 * Which part of a canceled transaction refused: `record` at the given positions is the record
 * itself (a conflict); anything else means the work order (gone, or in another status).
 */
function outcomeOf(result: { canceled: boolean; data: unknown }, recordAt: number[]): FieldWriteOutcome {
  if (!result.canceled) return 'written';
  const reasons = result.data as unknown as { code?: string }[];
  const failed = reasons.flatMap((reason, index) =>
    reason?.code === 'ConditionalCheckFailed' ? [index] : [],
  );
  return failed.some((index) => recordAt.includes(index)) ? 'conflict' : 'workOrderStatus';
}

/**
 * Labor timers, recommendations and messages: items of their own in the work order's item
 * collection, each written in a transaction with its audit event and a check on the work order.
 */
export class DynamoFieldWorkStore implements FieldWorkStore {
  constructor(private readonly entities: Entities) {}

  async startTimer(timer: LaborTimer, event: AuditEvent, whileStatusIn: WorkOrderStatus[]) {
    const key = { tenantId: timer.tenantId, workOrderId: timer.workOrderId };
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.laborTimer.create(timer).commit(),
        entity.workOrder
          .patch(key)
          .add({ runningTimers: 1 })
          .where(statusIn(whileStatusIn) as never)
          .commit(),
        entity.workOrderEvent.create(event).commit(),
      ])
      .go();
    return outcomeOf(result, [0]);
  }

  async runningTimer(tenantId: string, workOrderId: string, technicianId: string) {
    const { data } = await this.entities.laborTimer
      .get({ tenantId, workOrderId, technicianId })
      .go({ consistent: true });
    return (data as LaborTimer | null) ?? undefined;
  }

  async runningTimers(tenantId: string, workOrderId: string) {
    const { data } = await this.entities.laborTimer.query
      .byWorkOrder({ tenantId, workOrderId })
      .go({ pages: 'all' });
    return data as LaborTimer[];
  }

  async stopTimer(timer: LaborTimer, entry: LaborEntry, event: AuditEvent, whileStatusIn: WorkOrderStatus[]) {
    const key = { tenantId: timer.tenantId, workOrderId: timer.workOrderId };
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.laborTimer
          .delete({ ...key, technicianId: timer.technicianId })
          .where(sameAs('startedAt', timer.startedAt) as never)
          .commit(),
        entity.laborEntry.create(entry).commit(),
        entity.workOrder
          .patch(key)
          .add({ laborMinutes: entry.minutes, runningTimers: -1 })
          .where(statusIn(whileStatusIn) as never)
          .commit(),
        entity.workOrderEvent.create(event).commit(),
      ])
      .go();
    return outcomeOf(result, [0]);
  }

  async addRecommendation(
    recommendation: Recommendation,
    event: AuditEvent,
    whileStatusIn: WorkOrderStatus[],
  ) {
    const key = { tenantId: recommendation.tenantId, workOrderId: recommendation.workOrderId };
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.recommendation.create(recommendation).commit(),
        entity.workOrder
          .check(key)
          .where(statusIn(whileStatusIn) as never)
          .commit(),
        entity.workOrderEvent.create(event).commit(),
      ])
      .go();
    return outcomeOf(result, [0]);
  }

  async getRecommendation(tenantId: string, workOrderId: string, recommendationId: string) {
    const { data } = await this.entities.recommendation
      .get({ tenantId, workOrderId, recommendationId })
      .go({ consistent: true });
    return (data as Recommendation | null) ?? undefined;
  }

  async recommendations(tenantId: string, workOrderId: string) {
    const { data } = await this.entities.recommendation.query
      .byWorkOrder({ tenantId, workOrderId })
      .go({ pages: 'all' });
    return data as Recommendation[];
  }

  async updateRecommendation(recommendation: Recommendation, expectedVersion: number, event: AuditEvent) {
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.recommendation
          .put(recommendation)
          .where(sameAs('version', expectedVersion) as never)
          .commit(),
        entity.workOrderEvent.create(event).commit(),
      ])
      .go();
    return outcomeOf(result, [0]);
  }

  async addMessage(message: WorkOrderMessage, event: AuditEvent): Promise<FieldWriteOutcome> {
    const key = { tenantId: message.tenantId, workOrderId: message.workOrderId };
    const result = await this.entities.service.transaction
      .write((entity) => [
        entity.workOrderMessage.create(message).commit(),
        entity.workOrder
          .check(key)
          .where(exists as never)
          .commit(),
        entity.workOrderEvent.create(event).commit(),
      ])
      .go();
    return outcomeOf(result, [0]);
  }

  async messages(
    tenantId: string,
    workOrderId: string,
    page: { limit: number; cursor?: string },
  ): Promise<Page<WorkOrderMessage>> {
    const result = await pagedQuery(page, (options) =>
      this.entities.workOrderMessage.query.byWorkOrder({ tenantId, workOrderId }).go(options),
    );
    return result as Page<WorkOrderMessage>;
  }
}
