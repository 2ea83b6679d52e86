import { z } from 'zod';
import { priorities, workOrderStatuses } from '../adapters/dynamodb/models.ts';
import { addressSchema, calendarDay, isoDateTime, prefixedId } from './common.ts';
import { signatureBody, summaryHash } from './sign-off.ts';

export const workOrderId = prefixedId('wo');
export const customerId = prefixedId('cus');
export const locationId = prefixedId('loc');
export const serviceTypeId = prefixedId('svc');
export const equipmentId = prefixedId('eqp');

export const inlineCustomerSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    phone: z.string().trim().min(3).max(32).optional(),
    email: z.email().max(254).optional(),
    billingAddress: addressSchema.optional(),
  })
  .strict()
  .refine((customer) => customer.phone !== undefined || customer.email !== undefined, {
    message: 'a phone or an email is needed to reach the customer',
    path: ['phone'],
  })
  .meta({ id: 'NewCustomer' });

export const inlineLocationSchema = z
  .object({
    address: addressSchema,
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
    accessNotes: z.string().trim().max(2000).optional(),
  })
  .strict()
  .meta({ id: 'NewServiceLocation' });

export const createWorkOrderBody = z
  .object({
    customerId: customerId.optional(),
    customer: inlineCustomerSchema.optional(),
    locationId: locationId.optional(),
    serviceLocation: inlineLocationSchema.optional(),
    serviceTypeId: serviceTypeId.optional(),
    description: z.string().trim().min(1).max(4000),
    priority: z.enum(priorities).default('routine'),
    accessNotes: z.string().trim().max(2000).optional(),
    equipmentId: equipmentId.optional().meta({
      description: 'Equipment at the saved location (locationId) the job is about; flags its warranty',
    }),
    specialInstructions: z.string().trim().min(1).max(2000).optional(),
    relatedWorkOrderIds: z
      .array(workOrderId)
      .max(10)
      .optional()
      .meta({ description: 'Earlier work orders this one relates to; each gets the link back' }),
    estimatedScope: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .optional()
      .meta({ description: 'What the office expects the job to take, in its words' }),
  })
  .strict()
  .superRefine((body, context) => {
    if ((body.customerId === undefined) === (body.customer === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['customerId'],
        message: 'give either customerId or customer, not both',
      });
    }
    if (body.locationId !== undefined && body.serviceLocation !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['locationId'],
        message: 'give either locationId or serviceLocation',
      });
    }
    if (body.customer !== undefined && body.locationId !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['locationId'],
        message: 'a new customer has no saved locations yet',
      });
    }
  })
  .meta({ id: 'CreateWorkOrder' });

export type CreateWorkOrderBody = z.infer<typeof createWorkOrderBody>;

export const workOrderIdParams = z.object({ id: workOrderId }).strict();

export const workOrderView = z
  .object({
    id: workOrderId,
    status: z.enum(workOrderStatuses),
    priority: z.enum(priorities),
    description: z.string(),
    customerId,
    locationId: locationId.optional(),
    serviceTypeId: serviceTypeId.optional(),
    accessNotes: z.string().optional(),
    specialInstructions: z.string().optional(),
    estimatedScope: z.string().optional(),
    equipmentId: equipmentId.optional(),
    warranty: z
      .object({
        covered: z.boolean(),
        equipmentId,
        endsOn: z.string().optional().meta({ description: 'The last covered day' }),
      })
      .optional()
      .meta({ description: "The equipment's warranty coverage on the day the work order was created" }),
    estimatedMinutes: z.number().int().optional(),
    durationBasis: z.enum(['service type', 'past jobs']).optional().meta({
      description:
        "Where estimatedMinutes came from: the service type's duration, or the median of the tenant's recent jobs of that type",
    }),
    schedule: z
      .object({
        start: isoDateTime,
        end: isoDateTime,
        date: z.string(),
        arrivalWindow: z
          .object({ start: isoDateTime, end: isoDateTime })
          .optional()
          .meta({ description: "The tenant's arrival window the customer was promised" }),
        technicianId: z.string().optional(),
      })
      .optional(),
    technicianId: z.string().optional(),
    eta: isoDateTime.optional(),
    delay: z.object({ reason: z.string(), newEta: isoDateTime.optional(), at: isoDateTime }).optional(),
    pause: z
      .object({ reason: z.string(), at: isoDateTime, from: z.enum(['arrived', 'in_progress']) })
      .optional()
      .meta({ description: 'While paused: why, since when, and the status work resumes to' }),
    pausedMinutes: z
      .number()
      .int()
      .optional()
      .meta({ description: 'Minutes work stood paused on site so far' }),
    arrivedAt: isoDateTime.optional().meta({ description: 'When the technician arrived on site' }),
    hold: z.object({ reason: z.string(), from: z.string() }).optional(),
    cancelReason: z.string().optional(),
    noteCount: z.number().int(),
    laborMinutes: z.number().int(),
    parts: z
      .object({ count: z.number().int(), cost: z.number().int(), price: z.number().int() })
      .meta({ description: 'The parts in use, net of corrections, and their cost and price in minor units' }),
    signature: z
      .object({
        signerName: z.string(),
        signedAt: isoDateTime,
        summaryHash: summaryHash.optional().meta({ description: 'The hash of the work summary signed' }),
        changedSinceSigned: z.boolean().optional().meta({
          description: 'On a single read: true when the work summary changed after signing',
        }),
      })
      .optional(),
    noSignatureReason: z.string().optional(),
    summary: z.string().optional(),
    followUpOf: z.string().optional(),
    agreementId: z
      .string()
      .optional()
      .meta({ description: 'The service agreement whose visit plan created it' }),
    occurrence: z.string().optional().meta({ description: "The plan's visit day (local) it is for" }),
    suggestedSlot: z
      .object({ start: isoDateTime, technicianId: z.string(), score: z.number() })
      .optional()
      .meta({
        description:
          'The slot the ranking suggested when the agreement created it; the office confirms it by scheduling it (start, technicianId)',
      }),
    visit: z
      .object({
        jobId: z.string(),
        number: z.number().int(),
        previousVisitId: z.string().optional(),
        nextVisitId: z.string().optional(),
      })
      .optional()
      .meta({
        description: 'A visit of a multi-visit job: the job (its first visit), its number, its neighbours',
      }),
    relatedWorkOrderIds: z.array(z.string()).optional(),
    followUpWorkOrderIds: z.array(z.string()).optional(),
    invoiceId: z.string().optional(),
    completedAt: isoDateTime.optional(),
    paidAt: isoDateTime.optional(),
    workflow: z.object({
      state: z
        .string()
        .meta({ description: 'The state the work order execution is in (AwaitScheduling, …)' }),
      since: isoDateTime,
      executionName: z.string(),
    }),
    allowedActions: z.array(z.string()).meta({ description: 'What the caller may do to it now' }),
    version: z.number().int(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    createdBy: z.string(),
  })
  .meta({ id: 'WorkOrder' });

export type WorkOrderView = z.infer<typeof workOrderView>;

export const technicianId = prefixedId('tec');
const reason = z.string().trim().min(1).max(1000);
const noBody = z.object({}).strict();

export const scheduleBody = z
  .object({
    start: isoDateTime,
    end: isoDateTime.optional().meta({ description: 'Defaults to start plus the estimated duration' }),
    technicianId: technicianId.optional(),
  })
  .strict()
  .meta({ id: 'ScheduleWorkOrder' });
export const rescheduleBody = z.object({ reason }).strict().meta({ id: 'RescheduleWorkOrder' });
export const dispatchBody = z
  .object({
    technicianId: technicianId.optional().meta({ description: 'Defaults to the scheduled technician' }),
  })
  .strict()
  .meta({ id: 'DispatchWorkOrder' });
export const fieldStatusBody = z
  .object({ status: z.enum(['en_route', 'arrived', 'in_progress']), eta: isoDateTime.optional() })
  .strict()
  .meta({ id: 'FieldStatus' });
export const delayBody = z
  .object({ reason, newEta: isoDateTime.optional() })
  .strict()
  .meta({ id: 'ReportDelay' });
export const completeBody = z
  .object({
    signature: signatureBody.optional(),
    noSignatureReason: reason.optional(),
    followUp: z
      .object({
        description: z.string().trim().min(1).max(4000),
        priority: z.enum(priorities).default('routine'),
      })
      .strict()
      .optional(),
  })
  .strict()
  .meta({ id: 'CompleteWorkOrder' });
export const paymentBody = z
  .object({
    amount: z.number().int().positive().meta({ description: "Minor units of the tenant's currency" }),
    method: z.enum(['cash', 'check', 'card', 'bank_transfer']),
    reference: z.string().trim().max(200).optional(),
  })
  .strict()
  .meta({ id: 'RecordPayment' });
export const reasonBody = z.object({ reason }).strict().meta({ id: 'Reason' });
export const emptyBody = noBody.meta({ id: 'Empty' });
export const noteBody = z
  .object({ text: z.string().trim().min(1).max(4000) })
  .strict()
  .meta({ id: 'NewNote' });
export const laborBody = z
  .object({
    minutes: z
      .number()
      .int()
      .positive()
      .max(24 * 60),
    technicianId: technicianId.optional(),
    startedAt: isoDateTime.optional(),
  })
  .strict()
  .meta({ id: 'NewLaborEntry' });

/** `If-Match: <version>` or `?version=`: refuse with 409 if the work order moved on since it was read. */
export const versionQuery = z.object({ version: z.coerce.number().int().positive().optional() }).strict();

const localDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day, YYYY-MM-DD');
const limit = z.coerce.number().int().min(1).max(100).default(25);
const cursor = z.string().min(1).max(2048).optional();

export const listWorkOrdersQuery = z
  .object({
    status: z.enum(workOrderStatuses).optional(),
    customerId: customerId.optional(),
    locationId: locationId.optional(),
    technicianId: technicianId.optional(),
    from: localDay.optional(),
    to: localDay.optional(),
    limit,
    cursor,
  })
  .strict();

export const pageQuery = z.object({ limit, cursor }).strict();

export const timelineEventView = z
  .object({
    id: z.string(),
    action: z.string(),
    actorId: z.string(),
    actorRole: z.string(),
    at: isoDateTime,
    changes: z.record(
      z.string(),
      z.object({ before: z.unknown().optional(), after: z.unknown().optional() }),
    ),
  })
  .meta({ id: 'TimelineEvent' });

export const noteView = z
  .object({ id: z.string(), text: z.string(), authorId: z.string(), authorRole: z.string(), at: isoDateTime })
  .meta({ id: 'Note' });
export const laborView = z
  .object({
    id: z.string(),
    technicianId: z.string(),
    minutes: z.number().int(),
    startedAt: isoDateTime.optional(),
    at: isoDateTime,
  })
  .meta({ id: 'LaborEntry' });

export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() }).meta({ id });

export const boardQuery = z.object({ date: calendarDay }).strict();

export const dispatchBoardView = z
  .object({
    date: z.string(),
    lanes: z.array(
      z.object({
        technician: z.object({ technicianId: z.string(), name: z.string(), skills: z.array(z.string()) }),
        workOrders: z.array(workOrderView),
      }),
    ),
    unassigned: z.array(workOrderView),
  })
  .meta({ id: 'DispatchBoard' });
