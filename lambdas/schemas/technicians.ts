import { z } from 'zod';
import { priorities, workOrderStatuses } from '../adapters/dynamodb/models.ts';
import { technicianLevels } from '../domain/scheduling/technicians.ts';
import { calendarDay, isoDateTime } from './common.ts';
import { customerId, locationId, serviceTypeId, technicianId, workOrderId } from './work-orders.ts';

// The shapes only: the rules (intervals in order and apart, ranges, whole minor units) are the
// domain's, which names the failing field the same way.

const localTime = z.string().meta({ description: 'A local time, HH:mm', example: '08:00' });
const workingInterval = z.object({ start: localTime, end: localTime }).strict();
const workingDay = z.array(workingInterval).max(12);
const text = (max: number) => z.string().trim().min(1).max(max);

export const workingHoursSchema = z
  .object({
    0: workingDay.optional(),
    1: workingDay.optional(),
    2: workingDay.optional(),
    3: workingDay.optional(),
    4: workingDay.optional(),
    5: workingDay.optional(),
    6: workingDay.optional(),
  })
  .strict()
  .meta({
    id: 'WorkingHours',
    description:
      'Local intervals (the tenant’s time zone) by weekday, 0 Sunday to 6 Saturday; a day left out is not worked',
    example: {
      1: [
        { start: '08:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
    },
  });

const homeBase = z
  .object({ latitude: z.number(), longitude: z.number() })
  .strict()
  .meta({ id: 'HomeBase', description: 'Where the technician starts the day' });

const technicianFields = {
  name: text(200),
  phone: z.string().trim().min(3).max(32).optional(),
  email: z.email().max(254).optional(),
  skills: z
    .array(z.string().max(50))
    .max(50)
    .optional()
    .meta({ example: ['hvac', 'refrigerant'] }),
  homeBase: homeBase.optional(),
  workingHours: workingHoursSchema.optional(),
  costRatePerHour: z
    .number()
    .optional()
    .meta({ description: 'What an hour of the technician costs, in minor units of the tenant’s currency' }),
  level: z.enum(technicianLevels).optional().meta({
    description:
      'Seniority; an hour of labor is charged at the service type’s rate × the level’s multiplier (pricing settings). None: technician',
  }),
  active: z.boolean().optional(),
};

export const createTechnicianBody = z.object(technicianFields).strict().meta({ id: 'NewTechnician' });

export const updateTechnicianBody = z
  .object({ ...technicianFields, name: technicianFields.name.optional() })
  .strict()
  .meta({ id: 'TechnicianChanges' });

export const timeOffBody = z
  .object({
    start: isoDateTime,
    end: isoDateTime,
    reason: text(500).optional().meta({ example: 'Vacation' }),
  })
  .strict()
  .meta({ id: 'NewTimeOff' });

export const listTechniciansQuery = z
  .object({
    skill: z
      .string()
      .trim()
      .min(1)
      .max(50)
      .optional()
      .meta({ description: 'Only technicians with this skill, any case' }),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .strict();

export const technicianIdParams = z.object({ id: technicianId }).strict();

const timeOffView = z
  .object({ start: isoDateTime, end: isoDateTime, reason: z.string().optional() })
  .meta({ id: 'TimeOff' });

export const technicianView = z
  .object({
    id: technicianId,
    name: z.string(),
    phone: z.string().optional().meta({ description: 'E.164' }),
    email: z.string().optional(),
    skills: z.array(z.string()),
    homeBase: homeBase.optional(),
    workingHours: workingHoursSchema,
    timeOff: z.array(timeOffView),
    costRatePerHour: z.number().int().optional(),
    level: z.enum(technicianLevels).optional(),
    active: z.boolean(),
    version: z.number().int(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Technician' });

export const technicianScheduleQuery = z
  .object({ date: calendarDay.meta({ description: 'A local day of the tenant’s time zone' }) })
  .strict();

const interval = z.object({ start: isoDateTime, end: isoDateTime }).meta({
  id: 'Interval',
  description:
    'From start up to (not including) end, as instants; a local day lasts 23 or 25 hours when the clocks change',
});

const scheduledVisit = z
  .object({
    id: workOrderId,
    status: z.enum(workOrderStatuses),
    priority: z.enum(priorities),
    description: z.string(),
    customerId,
    locationId: locationId.optional(),
    serviceTypeId: serviceTypeId.optional(),
    start: isoDateTime,
    end: isoDateTime,
    eta: isoDateTime.optional(),
    delay: z.object({ reason: z.string(), newEta: isoDateTime.optional(), at: isoDateTime }).optional(),
  })
  .meta({ id: 'ScheduledVisit' });

export const technicianScheduleView = z
  .object({
    technicianId,
    date: z.string().meta({ description: 'The local day, YYYY-MM-DD' }),
    timeZone: z.string().meta({ description: 'The tenant’s IANA time zone', example: 'America/New_York' }),
    day: interval,
    workingIntervals: z.array(interval).meta({ description: 'The working hours of the day, as instants' }),
    timeOff: z.array(timeOffView).meta({ description: 'Time off overlapping the day, whole' }),
    visits: z.array(scheduledVisit).meta({ description: 'The visits starting on the day, in time order' }),
  })
  .meta({ id: 'TechnicianSchedule' });
