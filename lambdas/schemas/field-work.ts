import { z } from 'zod';
import { priorities, recommendationUrgencies } from '../adapters/dynamodb/models.ts';
import { calendarDay, isoDateTime, prefixedId } from './common.ts';
import { photoId } from './photos.ts';
import { serviceTypeId, technicianId, workOrderId } from './work-orders.ts';

export const recommendationId = prefixedId('rec');
export const taskId = prefixedId('tsk');
export const messageId = prefixedId('msg');

const limit = z.coerce.number().int().min(1).max(100).default(25);
const cursor = z.string().min(1).max(2048).optional();

// Labor timers

export const laborTimerBody = z
  .object({
    technicianId: technicianId.optional().meta({
      description: 'The office names any technician (default: the assigned one); a technician, only themself',
    }),
  })
  .strict()
  .meta({ id: 'LaborTimerRequest' });

export const laborTimerView = z
  .object({
    technicianId: z.string(),
    startedAt: isoDateTime,
    startedBy: z.string(),
    starterRole: z.string(),
  })
  .meta({ id: 'LaborTimer' });

export const timedLaborView = z
  .object({
    id: z.string(),
    technicianId: z.string(),
    minutes: z.number().int().meta({ description: 'Rounded to the nearest minute, at least one' }),
    startedAt: isoDateTime,
    endedAt: isoDateTime,
    at: isoDateTime,
  })
  .meta({ id: 'TimedLaborEntry' });

export const laborListView = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        technicianId: z.string(),
        minutes: z.number().int(),
        startedAt: isoDateTime.optional(),
        endedAt: isoDateTime.optional(),
        recordedBy: z.string(),
        at: isoDateTime,
      }),
    ),
    running: z
      .array(laborTimerView)
      .meta({ description: 'Timers still running, one at most per technician' }),
  })
  .meta({ id: 'LaborList' });

// Recommendations

export const recommendationBody = z
  .object({
    description: z.string().trim().min(1).max(4000),
    urgency: z.enum(recommendationUrgencies),
    estimatedPrice: z
      .number()
      .int()
      .nonnegative()
      .max(100_000_000)
      .meta({ description: "Minor units of the tenant's currency" }),
    photoIds: z
      .array(photoId)
      .max(20)
      .optional()
      .meta({ description: 'Photos of this work order that show it' }),
  })
  .strict()
  .meta({ id: 'NewRecommendation' });

export const recommendationParams = z.object({ id: workOrderId, recommendationId }).strict();

export const recommendationDecisionBody = z
  .object({
    decision: z.enum(['accepted', 'declined']),
    note: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .optional()
      .meta({ description: "The customer's answer, in words" }),
  })
  .strict()
  .meta({ id: 'RecommendationDecision' });

export const recommendationView = z
  .object({
    id: z.string(),
    workOrderId: z.string(),
    customerId: z.string(),
    locationId: z.string().optional(),
    equipmentId: z.string().optional(),
    serviceTypeId: z.string().optional(),
    description: z.string(),
    urgency: z.enum(recommendationUrgencies),
    estimatedPrice: z.number().int(),
    currency: z.string(),
    photoIds: z.array(z.string()).optional(),
    status: z.enum(['open', 'accepted', 'declined']),
    recordedBy: z.string(),
    recorderRole: z.string(),
    technicianId: z.string().optional(),
    decidedBy: z.string().optional(),
    decidedAt: isoDateTime.optional(),
    decisionNote: z.string().optional(),
    version: z.number().int(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Recommendation' });

// Messages

export const messageBody = z
  .object({ text: z.string().trim().min(1).max(4000) })
  .strict()
  .meta({ id: 'NewMessage' });

export const messageView = z
  .object({
    id: z.string(),
    text: z.string(),
    authorId: z.string(),
    authorRole: z.string(),
    technicianId: z.string().optional(),
    at: isoDateTime,
  })
  .meta({ id: 'Message' });

export const messagePageQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(100).default(50), cursor })
  .strict();

// Follow-ups

export const followUpBody = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('workOrder'),
        description: z.string().trim().min(1).max(4000),
        priority: z.enum(priorities).default('routine'),
        serviceTypeId: serviceTypeId
          .optional()
          .meta({ description: "Defaults to the original's service type" }),
      })
      .strict(),
    z
      .object({
        kind: z.literal('task'),
        description: z.string().trim().min(1).max(4000),
        dueDate: calendarDay.meta({ description: "The tenant's local day it is due (today or later)" }),
        assigneeId: z
          .string()
          .trim()
          .min(1)
          .max(128)
          .optional()
          .meta({ description: "Who should do it: a technician's id or an office user's id" }),
      })
      .strict(),
  ])
  .meta({ id: 'NewFollowUp' });

export const followUpTaskView = z
  .object({
    id: z.string(),
    workOrderId: z.string(),
    customerId: z.string(),
    description: z.string(),
    dueDate: z.string(),
    assigneeId: z.string().optional(),
    status: z.enum(['open', 'done']),
    createdBy: z.string(),
    doneBy: z.string().optional(),
    doneAt: isoDateTime.optional(),
    version: z.number().int(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'FollowUpTask' });

export const followUpView = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('workOrder'),
      id: z.string(),
      status: z.string(),
      description: z.string(),
      priority: z.enum(priorities),
      createdAt: isoDateTime,
    }),
    followUpTaskView.extend({ kind: z.literal('task') }),
  ])
  .meta({ id: 'FollowUp' });

export const taskParams = z.object({ id: workOrderId, taskId }).strict();

export const tasksQuery = z
  .object({
    dueBefore: calendarDay.optional().meta({ description: 'Only tasks due before this local day' }),
    status: z.enum(['open', 'done']).default('open'),
    limit,
    cursor,
  })
  .strict();

// Field-status history

export const fieldStatusChangeView = z
  .object({
    action: z.string(),
    status: z.string(),
    previousStatus: z.string().optional(),
    at: isoDateTime,
    actorId: z.string(),
    actorRole: z.string(),
    eta: isoDateTime.optional(),
    reason: z.string().optional(),
    pausedMinutes: z.number().int().optional(),
  })
  .meta({ id: 'FieldStatusChange' });
