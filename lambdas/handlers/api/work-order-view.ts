import type { LaborEntry, WorkOrderNote } from '../../domain/execution/field-records.ts';
import type { Actor } from '../../domain/shared/actor.ts';
import { allowedActions } from '../../domain/work-orders/lifecycle.ts';
import type { AuditEvent, WorkOrder } from '../../domain/work-orders/work-order.ts';
import type { WorkOrderView } from '../../schemas/work-orders.ts';

const present = <T extends object>(value: T | undefined | false): T | object => value || {};

/** The API's view of a work order for one caller: no tenant id, no task token. */
export function toWorkOrderView(workOrder: WorkOrder, actor: Actor): WorkOrderView {
  return {
    id: workOrder.workOrderId,
    status: workOrder.status,
    priority: workOrder.priority,
    description: workOrder.description,
    customerId: workOrder.customerId,
    ...present(workOrder.locationId !== undefined && { locationId: workOrder.locationId }),
    ...present(workOrder.serviceTypeId !== undefined && { serviceTypeId: workOrder.serviceTypeId }),
    ...present(workOrder.accessNotes !== undefined && { accessNotes: workOrder.accessNotes }),
    ...present(
      workOrder.specialInstructions !== undefined && { specialInstructions: workOrder.specialInstructions },
    ),
    ...present(workOrder.estimatedScope !== undefined && { estimatedScope: workOrder.estimatedScope }),
    ...present(workOrder.equipmentId !== undefined && { equipmentId: workOrder.equipmentId }),
    ...present(workOrder.warranty !== undefined && { warranty: workOrder.warranty }),
    ...present(workOrder.estimatedMinutes !== undefined && { estimatedMinutes: workOrder.estimatedMinutes }),
    ...present(workOrder.durationBasis !== undefined && { durationBasis: workOrder.durationBasis }),
    ...present(
      workOrder.scheduledStart !== undefined && {
        schedule: {
          start: workOrder.scheduledStart,
          end: workOrder.scheduledEnd ?? workOrder.scheduledStart,
          date: workOrder.scheduledDate ?? workOrder.scheduledStart.slice(0, 10),
          ...present(workOrder.arrivalWindow !== undefined && { arrivalWindow: workOrder.arrivalWindow }),
          ...present(workOrder.technicianId !== undefined && { technicianId: workOrder.technicianId }),
        },
      },
    ),
    ...present(workOrder.technicianId !== undefined && { technicianId: workOrder.technicianId }),
    ...present(workOrder.eta !== undefined && { eta: workOrder.eta }),
    ...present(workOrder.delay !== undefined && { delay: workOrder.delay }),
    ...present(workOrder.pause !== undefined && { pause: workOrder.pause }),
    ...present(workOrder.pausedMinutes !== undefined && { pausedMinutes: workOrder.pausedMinutes }),
    ...present(workOrder.arrivedAt !== undefined && { arrivedAt: workOrder.arrivedAt }),
    ...present(
      workOrder.status === 'on_hold' && {
        hold: { reason: workOrder.holdReason ?? '', from: workOrder.heldFrom ?? 'new' },
      },
    ),
    ...present(workOrder.cancelReason !== undefined && { cancelReason: workOrder.cancelReason }),
    noteCount: workOrder.noteCount ?? 0,
    laborMinutes: workOrder.laborMinutes ?? 0,
    parts: {
      count: workOrder.partCount ?? 0,
      cost: workOrder.partsCost ?? 0,
      price: workOrder.partsPrice ?? 0,
    },
    ...present(
      workOrder.signature !== undefined && {
        signature: {
          signerName: workOrder.signature.signerName,
          signedAt: workOrder.signature.signedAt,
          ...present(
            workOrder.signature.summaryHash !== undefined && { summaryHash: workOrder.signature.summaryHash },
          ),
        },
      },
    ),
    ...present(
      workOrder.noSignatureReason !== undefined && { noSignatureReason: workOrder.noSignatureReason },
    ),
    ...present(workOrder.summary !== undefined && { summary: workOrder.summary }),
    ...present(workOrder.followUpOf !== undefined && { followUpOf: workOrder.followUpOf }),
    ...present(workOrder.agreementId !== undefined && { agreementId: workOrder.agreementId }),
    ...present(workOrder.occurrence !== undefined && { occurrence: workOrder.occurrence }),
    ...present(workOrder.suggestedSlot !== undefined && { suggestedSlot: workOrder.suggestedSlot }),
    ...present(
      workOrder.jobId !== undefined && {
        visit: {
          jobId: workOrder.jobId,
          number: workOrder.visitNumber ?? 1,
          ...present(
            workOrder.previousVisitId !== undefined && { previousVisitId: workOrder.previousVisitId },
          ),
          ...present(workOrder.nextVisitId !== undefined && { nextVisitId: workOrder.nextVisitId }),
        },
      },
    ),
    ...present(
      workOrder.relatedWorkOrderIds !== undefined && { relatedWorkOrderIds: workOrder.relatedWorkOrderIds },
    ),
    ...present(
      workOrder.followUpWorkOrderIds !== undefined && {
        followUpWorkOrderIds: workOrder.followUpWorkOrderIds,
      },
    ),
    ...present(workOrder.invoiceId !== undefined && { invoiceId: workOrder.invoiceId }),
    ...present(workOrder.completedAt !== undefined && { completedAt: workOrder.completedAt }),
    ...present(workOrder.paidAt !== undefined && { paidAt: workOrder.paidAt }),
    workflow: {
      state: workOrder.workflowState,
      since: workOrder.workflowStateSince,
      executionName: workOrder.workOrderId,
    },
    allowedActions: allowedActions(workOrder, actor),
    version: workOrder.version,
    createdAt: workOrder.createdAt,
    updatedAt: workOrder.updatedAt,
    createdBy: workOrder.createdBy,
  } as WorkOrderView;
}

export const toTimelineEventView = (event: AuditEvent) => ({
  id: event.eventId,
  action: event.action,
  actorId: event.actorId,
  actorRole: event.actorRole,
  at: event.at,
  changes: event.changes,
});

export const toNoteView = (note: WorkOrderNote) => ({
  id: note.noteId,
  text: note.text,
  authorId: note.authorId,
  authorRole: note.authorRole,
  at: note.at,
});

export const toLaborView = (entry: LaborEntry) => ({
  id: entry.laborId,
  technicianId: entry.technicianId,
  minutes: entry.minutes,
  ...(entry.startedAt ? { startedAt: entry.startedAt } : {}),
  at: entry.at,
});
