import { z } from 'zod';
import { calendarDay, isoDateTime, prefixedId } from './common.ts';
import { recommendationId } from './field-work.ts';
import { workOrderId } from './work-orders.ts';

// Follow-up reminders: the shapes only. Whether the work order takes one (done, or a
// recommendation of it named) and whether the day is ahead are the domain's, which names the
// failing field the same way.

export const reminderId = prefixedId('rmd');
export const reminderIdParams = z.object({ id: reminderId }).strict();

export const reminderStatuses = ['pending', 'done', 'cancelled'] as const;

export const followUpReminderBody = z
  .object({
    in: z
      .object({
        months: z
          .number()
          .int()
          .min(1)
          .max(60)
          .meta({ description: "Calendar months from the tenant's today", example: 3 }),
      })
      .strict()
      .optional()
      .meta({ description: 'When, from today; or give `on`' }),
    on: calendarDay.optional().meta({ description: "The tenant's local day (today or later); or give `in`" }),
    note: z.string().trim().min(1).max(1000).optional().meta({
      description:
        "The task's description and the customer message's text; defaults to the recommendation's description",
      example: 'Call about replacing the ageing AC before summer',
    }),
    createTask: z.boolean().default(false).meta({ description: "Put a task on the office's list that day" }),
    messageCustomer: z.boolean().default(false).meta({ description: 'Message the customer that day' }),
    recommendationId: recommendationId
      .optional()
      .meta({ description: 'The recommended work of this work order it follows up' }),
  })
  .strict()
  .superRefine((body, context) => {
    if ((body.in === undefined) === (body.on === undefined)) {
      for (const field of ['in', 'on'])
        context.addIssue({ code: 'custom', path: [field], message: 'give exactly one of in and on' });
    }
    if (!body.createTask && !body.messageCustomer) {
      for (const field of ['createTask', 'messageCustomer'])
        context.addIssue({
          code: 'custom',
          path: [field],
          message: 'at least one of createTask and messageCustomer must be true',
        });
    }
  })
  .meta({ id: 'NewFollowUpReminder' });

export const followUpReminderView = z
  .object({
    id: reminderId,
    workOrderId,
    customerId: z.string(),
    dueOn: z.string().meta({ description: "The tenant's local day it is due" }),
    remindAt: isoDateTime.meta({ description: "When it fires: 09:00 that day in the tenant's zone" }),
    note: z.string(),
    createTask: z.boolean(),
    messageCustomer: z.boolean(),
    recommendationId: z.string().optional(),
    status: z.enum(reminderStatuses),
    taskId: z.string().optional().meta({ description: 'The office task it created when it fired' }),
    messages: z
      .array(z.object({ channel: z.enum(['sms', 'email']), status: z.string() }))
      .optional()
      .meta({ description: 'How the customer message went on each channel when it fired' }),
    firedAt: isoDateTime.optional(),
    cancelledBy: z.string().optional(),
    cancelledAt: isoDateTime.optional(),
    createdBy: z.string(),
    version: z.number().int(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'FollowUpReminder' });

export const remindersQuery = z
  .object({
    status: z.enum(reminderStatuses).default('pending'),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .strict();
