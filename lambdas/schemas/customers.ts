import { z } from 'zod';
import { weekdays } from '../domain/customers/customer.ts';
import { addressSchema, isoDateTime } from './common.ts';
import { customerId, equipmentId, locationId } from './work-orders.ts';

const localTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time, HH:MM')
  .meta({ example: '08:00' });
const localDay = z.iso.date().meta({ description: 'A local day, YYYY-MM-DD' });
const timeRange = z.object({ start: localTime, end: localTime }).strict();
const text = (max: number) => z.string().trim().min(1).max(max);

export const contactPreferencesSchema = z
  .object({
    channel: z.enum(['sms', 'email']).optional().meta({ description: 'How the customer prefers to be told' }),
    quietHours: timeRange
      .optional()
      .meta({ description: 'No messages between these local times (may wrap past midnight)' }),
    preferredDays: z.array(z.enum(weekdays)).max(7).optional(),
    timeWindows: z
      .array(
        timeRange.refine((range) => range.start < range.end, {
          message: 'must end after it starts',
          path: ['end'],
        }),
      )
      .max(7)
      .optional()
      .meta({ description: 'Local time windows preferred for visits' }),
  })
  .strict()
  .meta({ id: 'ContactPreferences' });

const phone = z.string().trim().min(3).max(32);
const email = z.email().max(254);

export const createCustomerBody = z
  .object({
    name: text(200),
    phone: phone.optional(),
    email: email.optional(),
    billingAddress: addressSchema.optional(),
    contactPreferences: contactPreferencesSchema.optional(),
  })
  .strict()
  .refine((customer) => customer.phone !== undefined || customer.email !== undefined, {
    message: 'a phone or an email is needed to reach the customer',
    path: ['phone'],
  })
  .meta({ id: 'NewCustomerRecord' });

export const updateCustomerBody = z
  .object({
    name: text(200).optional(),
    phone: phone.optional(),
    email: email.optional(),
    billingAddress: addressSchema.optional(),
    contactPreferences: contactPreferencesSchema.optional(),
    optedOut: z
      .object({ sms: z.boolean().optional(), email: z.boolean().optional() })
      .strict()
      .optional()
      .meta({
        description:
          'Opt the customer out of (true) or back into (false) texts or emails, as they asked the office',
      }),
  })
  .strict()
  .meta({ id: 'CustomerChanges' });

const limit = z.coerce.number().int().min(1).max(100).default(25);
const cursor = z.string().min(1).max(2048).optional();

export const pageQuery = z.object({ limit, cursor }).strict();

export const findCustomersQuery = z
  .object({
    phone: phone.optional().meta({ description: 'Exact: any written form of the number' }),
    email: z.string().trim().min(3).max(254).optional().meta({ description: 'Exact, any case' }),
    name: z.string().trim().min(1).max(200).optional().meta({ description: 'Prefix of the name' }),
    limit,
    cursor,
  })
  .strict();

/** `?version=` (the version read): refuse with 409 if the record moved on since. */
export const versionQuery = z.object({ version: z.coerce.number().int().positive().optional() }).strict();

export const customerIdParams = z.object({ id: customerId }).strict();
export const locationIdParams = z.object({ id: locationId }).strict();

export const customerView = z
  .object({
    id: customerId,
    name: z.string(),
    phone: z.string().optional().meta({ description: 'E.164' }),
    email: z.string().optional(),
    billingAddress: addressSchema.optional(),
    contactPreferences: contactPreferencesSchema.optional(),
    optedOut: z
      .object({ sms: isoDateTime.optional(), email: isoDateTime.optional() })
      .optional()
      .meta({ description: 'When the customer opted out of texts (SMS `STOP`) or emails; absent: opted in' }),
    version: z.number().int(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Customer' });

const locationFields = {
  address: addressSchema.meta({ description: 'The service address (the billing address is the customer’s)' }),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  accessNotes: z.string().trim().max(2000).optional(),
  gateCode: z.string().trim().min(1).max(50).optional(),
  pets: z.string().trim().min(1).max(500).optional().meta({ example: 'Friendly dog in the yard' }),
  taxRatePerMillion: z.number().int().min(0).max(500_000).optional().meta({
    description:
      'The place’s sales tax rate in parts per million (88750 = 8.875 %), when it differs from the tenant’s',
    example: 88_750,
  }),
};

export const createLocationBody = z.object(locationFields).strict().meta({ id: 'NewLocation' });
export const updateLocationBody = z
  .object({ ...locationFields, address: locationFields.address.optional() })
  .strict()
  .meta({ id: 'LocationChanges' });

export const locationView = z
  .object({
    id: locationId,
    customerId,
    ...locationFields,
    version: z.number().int(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Location' });

export const createEquipmentBody = z
  .object({
    type: text(100).meta({ example: 'AC condenser' }),
    make: text(100).optional(),
    model: text(100).optional(),
    serialNumber: text(100).optional(),
    installedOn: localDay.optional(),
    warrantyEndsOn: localDay.optional().meta({ description: 'The last covered day' }),
    warrantyMonths: z
      .number()
      .int()
      .min(1)
      .max(600)
      .optional()
      .meta({ description: 'Warranty term from the install date (needs installedOn)' }),
  })
  .strict()
  .superRefine((equipment, context) => {
    if (equipment.warrantyMonths !== undefined && equipment.installedOn === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['installedOn'],
        message: 'a warranty term needs the install date',
      });
    }
    if (equipment.warrantyEndsOn !== undefined && equipment.warrantyMonths !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['warrantyMonths'],
        message: 'give either warrantyEndsOn or warrantyMonths',
      });
    }
  })
  .meta({ id: 'NewEquipment' });

export const equipmentView = z
  .object({
    id: equipmentId,
    locationId,
    customerId,
    type: z.string(),
    make: z.string().optional(),
    model: z.string().optional(),
    serialNumber: z.string().optional(),
    installedOn: z.string().optional(),
    warrantyEndsOn: z
      .string()
      .optional()
      .meta({ description: 'The last covered day, stated or from the term' }),
    warrantyMonths: z.number().int().optional(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Equipment' });
