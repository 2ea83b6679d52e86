import { z } from 'zod';
import { priorities, workOrderStatuses } from '../adapters/dynamodb/models.ts';
import { addressSchema, isoDateTime, prefixedId } from './common.ts';

export const workOrderId = prefixedId('wo');
export const customerId = prefixedId('cus');
export const locationId = prefixedId('loc');
export const serviceTypeId = prefixedId('svc');

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
    workflow: z.object({
      state: z
        .string()
        .meta({ description: 'The state the work order execution is in (AwaitScheduling, …)' }),
      since: isoDateTime,
      executionName: z.string(),
    }),
    version: z.number().int(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    createdBy: z.string(),
  })
  .meta({ id: 'WorkOrder' });

export type WorkOrderView = z.infer<typeof workOrderView>;
