import { z } from 'zod';
import { workOrderStatuses } from '../adapters/dynamodb/models.ts';

/** The payload of a waiting state (`arn:aws:states:::lambda:invoke.waitForTaskToken`). */
export const awaitStageInput = z.object({
  taskToken: z.string().min(1),
  tenantId: z.string().min(1),
  workOrderId: z.string().min(1),
  state: z.string().min(1),
  waitsWhile: z.array(z.enum(workOrderStatuses)).min(1),
  proceedsWhen: z.array(z.enum(workOrderStatuses)).min(1),
  requiresConfirmedSchedule: z.boolean().optional(),
});

/** The payload of every other step: which step of which work order. */
export const workflowStepInput = z.object({
  step: z.enum([
    'EnrichWorkOrder',
    'SendConfirmation',
    'NotifyTechnician',
    'CompileSummary',
    'TallyPartsAndLabor',
    'CreateFollowUps',
    'ActivateNextVisit',
    'GenerateInvoice',
    'SendInvoice',
    'CloseWorkOrder',
    'RecordCancellation',
  ]),
  tenantId: z.string().min(1),
  workOrderId: z.string().min(1),
});

export type WorkflowStep = z.infer<typeof workflowStepInput>['step'];

export const markNeedsAttentionInput = z.object({
  tenantId: z.string().min(1),
  workOrderId: z.string().min(1),
  failure: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).passthrough().default({}),
});
