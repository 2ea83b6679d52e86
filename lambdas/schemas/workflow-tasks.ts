import { z } from 'zod';
import { workOrderStatuses } from '../adapters/dynamodb/models.ts';

/** The payload of a waiting state (`arn:aws:states:::lambda:invoke.waitForTaskToken`). */
export const awaitStageInput = z.object({
  taskToken: z.string().min(1),
  tenantId: z.string().min(1),
  workOrderId: z.string().min(1),
  state: z.string().min(1),
  waitsWhileStatusIn: z.array(z.enum(workOrderStatuses)).min(1),
});

export const markNeedsAttentionInput = z.object({
  tenantId: z.string().min(1),
  workOrderId: z.string().min(1),
  failure: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).passthrough().default({}),
});
