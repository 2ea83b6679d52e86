import { z } from 'zod';
import { priorities, workOrderStatuses } from '../adapters/dynamodb/models.ts';
import { photoContentTypes, photoPhases } from '../domain/work-orders/photos.ts';
import { addressSchema, isoDateTime } from './common.ts';
import { photoId } from './photos.ts';
import {
  customerId,
  equipmentId,
  locationId,
  serviceTypeId,
  technicianId,
  workOrderId,
} from './work-orders.ts';

const technicianRef = z
  .object({ id: technicianId, name: z.string().optional() })
  .meta({ id: 'DispatchTechnicianRef' });

const packagePhoto = z
  .object({
    id: photoId,
    workOrderId,
    stage: z.enum(photoPhases).meta({ description: 'Before, during or after the work' }),
    phase: z.enum(photoPhases).meta({ deprecated: true, description: 'The same as stage' }),
    caption: z.string().optional(),
    contentType: z.enum(photoContentTypes),
    sizeBytes: z.number().int(),
    uploadedAt: isoDateTime,
    url: z.string().meta({ description: 'A presigned GET link to the photo' }),
    expiresAt: isoDateTime.meta({
      description: 'When the link stops working; read the package again for fresh links',
    }),
  })
  .meta({ id: 'DispatchPhoto' });

export const dispatchPackageView = z
  .object({
    workOrder: z.object({
      id: workOrderId,
      status: z.enum(workOrderStatuses),
      priority: z.enum(priorities),
      description: z.string().meta({ description: "The problem in the customer's words" }),
      specialInstructions: z.string().optional(),
      estimatedScope: z.string().optional(),
      accessNotes: z.string().optional(),
      serviceType: z.object({ id: serviceTypeId, name: z.string() }).optional(),
      estimatedMinutes: z.number().int().optional(),
      requiredSkills: z.array(z.string()).optional(),
      schedule: z
        .object({
          start: isoDateTime,
          end: isoDateTime,
          timeZone: z.string(),
          arrivalWindow: z.string().meta({ example: 'Fri Mar 14 between 9:00 AM and 10:30 AM' }),
        })
        .optional()
        .meta({ description: "The booked visit in the tenant's time zone" }),
    }),
    technician: z
      .object({
        id: technicianId,
        name: z.string(),
        phone: z.string().optional(),
        email: z.string().optional(),
      })
      .optional()
      .meta({ description: 'The assigned technician; absent in a preview before dispatch' }),
    customer: z
      .object({
        id: customerId,
        name: z.string(),
        phone: z.string().optional(),
        email: z.string().optional(),
      })
      .optional(),
    serviceLocation: z
      .object({
        id: locationId,
        address: addressSchema,
        formattedAddress: z.string(),
        accessNotes: z.string().optional(),
        gateCode: z.string().optional(),
        pets: z.string().optional(),
        latitude: z.number().optional(),
        longitude: z.number().optional(),
      })
      .optional(),
    directions: z
      .object({
        url: z
          .string()
          .meta({ description: 'Google Maps directions to the coordinates, else to the address' }),
        destination: z.string(),
      })
      .optional(),
    equipment: z.array(
      z.object({
        id: equipmentId,
        type: z.string(),
        make: z.string().optional(),
        model: z.string().optional(),
        serialNumber: z.string().optional(),
        installedOn: z.string().optional(),
        thisJob: z.boolean().meta({ description: 'The equipment this work order is about (listed first)' }),
        warranty: z.object({
          covered: z.boolean(),
          endsOn: z.string().optional().meta({ description: 'The last covered day' }),
          on: z.string().meta({ description: 'The day the coverage is for: the visit, else today' }),
        }),
        serviceHistory: z.array(
          z.object({
            workOrderId,
            date: isoDateTime,
            status: z.enum(workOrderStatuses),
            description: z.string(),
            summary: z.string().optional(),
            technician: technicianRef.optional(),
          }),
        ),
      }),
    ),
    earlierNotes: z
      .array(
        z.object({
          workOrderId,
          id: z.string(),
          text: z.string(),
          at: isoDateTime,
          author: z.object({ id: z.string(), role: z.string() }),
          technician: technicianRef.optional().meta({ description: 'The technician of that work order' }),
        }),
      )
      .meta({ description: 'Notes of the most recent earlier work orders at the location, newest first' }),
    photos: z.array(packagePhoto).meta({ description: "This work order's photos, oldest first" }),
    earlierPhotos: z
      .array(packagePhoto)
      .meta({ description: 'Photos of the most recent earlier work orders at the location, newest first' }),
    photoLinksValidSeconds: z.number().int(),
    assembledAt: isoDateTime,
  })
  .meta({ id: 'DispatchPackage' });

export type DispatchPackageView = z.infer<typeof dispatchPackageView>;
