import { z } from 'zod';
import {
  maxSignatureCoordinate,
  maxSignatureImageBytes,
  maxSignaturePoints,
  maxSignatureStrokes,
} from '../domain/execution/sign-off.ts';
import { workSummaryFormat } from '../domain/execution/work-summary.ts';
import { isoDateTime } from './common.ts';

export const summaryHash = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hash in lowercase hex')
  .meta({ description: 'The SHA-256 of the canonical form of a work summary, lowercase hex' });

const coordinate = z.number().min(0).max(maxSignatureCoordinate);

const signatureStrokes = z
  .array(
    z
      .array(z.tuple([coordinate, coordinate]))
      .min(1)
      .max(maxSignaturePoints),
  )
  .min(1)
  .max(maxSignatureStrokes)
  .refine(
    (strokes) => strokes.reduce((sum, stroke) => sum + stroke.length, 0) <= maxSignaturePoints,
    `at most ${maxSignaturePoints} points in all`,
  )
  .meta({
    description: `The signature as drawn: up to ${maxSignatureStrokes} strokes of [x, y] points (y downwards, as on a screen), ${maxSignaturePoints} points in all`,
  });

export const signatureBody = z
  .object({
    signerName: z.string().trim().min(1).max(200),
    summaryHash: summaryHash.meta({
      description:
        'The hash of the work summary the customer was shown (GET …/summary); 409 if the work changed since',
    }),
    strokes: signatureStrokes.optional(),
    imageKey: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .meta({ description: 'The key a signature upload form (POST …/signature-upload) was made for' }),
  })
  .strict()
  .superRefine((signature, context) => {
    if (signature.strokes !== undefined && signature.imageKey !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['imageKey'],
        message: 'give the strokes or an uploaded image, not both',
      });
    }
  })
  .meta({ id: 'Signature' });

export const signatureUploadView = z
  .object({
    imageKey: z.string().meta({ description: 'Name it as signature.imageKey when completing' }),
    upload: z
      .object({
        method: z.literal('POST'),
        url: z.string(),
        fields: z.record(z.string(), z.string()),
        expiresAt: isoDateTime,
        maxBytes: z.number().int(),
      })
      .meta({
        description: `A presigned S3 POST for one PNG of at most ${maxSignatureImageBytes} bytes: send the fields, then the file as the last field`,
      }),
  })
  .meta({ id: 'SignatureUpload' });

const technicianView = z.object({ technicianId: z.string(), name: z.string() });

export const workSummaryView = z
  .object({
    summary: z
      .object({
        format: z.literal(workSummaryFormat),
        workOrderId: z.string(),
        customer: z.object({ customerId: z.string(), name: z.string() }),
        serviceAddress: z.string().optional(),
        serviceType: z.string().optional(),
        problem: z.string(),
        technician: technicianView.optional(),
        notes: z.array(
          z.object({ noteId: z.string(), at: isoDateTime, text: z.string(), authorRole: z.string() }),
        ),
        photos: z.array(
          z.object({
            photoId: z.string(),
            phase: z.string(),
            caption: z.string().optional(),
            tags: z.array(z.string()).optional(),
            uploadedAt: isoDateTime,
          }),
        ),
        parts: z.array(
          z.object({
            usageId: z.string(),
            sku: z.string(),
            name: z.string(),
            quantity: z.number(),
            unit: z.string().optional(),
            unitPrice: z.number().int(),
            lineTotal: z.number().int(),
          }),
        ),
        partsTotal: z.number().int(),
        labor: z.array(technicianView.extend({ minutes: z.number().int(), entries: z.number().int() })),
        laborMinutes: z.number().int(),
        currency: z.string(),
      })
      .meta({ description: 'What the customer is shown and signs; money in minor units of the currency' }),
    summaryHash,
    signature: z.object({ signerName: z.string(), signedAt: isoDateTime }).optional(),
    signedSummaryHash: summaryHash.optional().meta({ description: 'The hash the customer signed' }),
    changedSinceSigned: z
      .boolean()
      .optional()
      .meta({ description: 'True when a note, photo, part or labor entry changed after signing' }),
  })
  .meta({ id: 'WorkSummary' });

export const completionReportLinkView = z
  .object({
    url: z.string().meta({ description: 'Downloads the PDF until expiresAt' }),
    expiresAt: isoDateTime,
  })
  .meta({ id: 'CompletionReportLink' });
