import { z } from 'zod';

/** Prefixed ULID ids (`wo_01J…`): the prefix names the resource, the ULID sorts by creation time. */
export const prefixedId = (prefix: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`), `must be a ${prefix}_ id`)
    .meta({ example: `${prefix}_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3` });

export const isoDateTime = z.iso.datetime({ offset: true });

/** A calendar day `YYYY-MM-DD` that exists (not 2027-02-30): a local day of the tenant. */
export const calendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a day, YYYY-MM-DD', abort: true })
  .refine((day) => {
    const at = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === day;
  }, 'no such day')
  .meta({ example: '2027-03-14' });

export const addressSchema = z
  .object({
    line1: z.string().trim().min(1).max(200),
    line2: z.string().trim().max(200).optional(),
    city: z.string().trim().min(1).max(100),
    region: z.string().trim().max(100).optional(),
    postalCode: z.string().trim().min(1).max(20),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')
      .default('US'),
  })
  .strict()
  .meta({ id: 'Address' });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
