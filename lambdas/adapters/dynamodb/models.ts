/**
 * The single table's entities, declared once. ElectroDB builds every key from these, and the
 * table definition (key attributes and GSIs, for CDK and for DynamoDB Local) is derived from
 * the same objects by `table-definition.ts`, so storage and infrastructure cannot drift.
 *
 * Every partition key starts with the tenant id: a request can only ever build keys inside
 * its own tenant.
 */

const service = 'fsm';

const tenantScoped = {
  tenantId: { type: 'string', required: true, readOnly: true },
} as const;

const audited = {
  createdAt: { type: 'string', required: true, readOnly: true },
  updatedAt: { type: 'string', required: true },
} as const;

export const tenantModel = {
  model: { entity: 'tenant', version: '1', service },
  attributes: {
    ...tenantScoped,
    name: { type: 'string', required: true },
    timeZone: { type: 'string', required: true },
    currency: { type: 'string', required: true },
    country: { type: 'string', required: true },
    ...audited,
  },
  indexes: {
    byId: { pk: { field: 'pk', composite: ['tenantId'] }, sk: { field: 'sk', composite: [] } },
  },
} as const;

const address = {
  type: 'map',
  properties: {
    line1: { type: 'string', required: true },
    line2: { type: 'string' },
    city: { type: 'string', required: true },
    region: { type: 'string' },
    postalCode: { type: 'string', required: true },
    country: { type: 'string', required: true },
  },
} as const;

export const customerModel = {
  model: { entity: 'customer', version: '1', service },
  attributes: {
    ...tenantScoped,
    customerId: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    /** Lower-cased, accent-free name for prefix lookups. */
    nameKey: { type: 'string', required: true },
    phone: { type: 'string' },
    email: { type: 'string' },
    billingAddress: address,
    ...audited,
  },
  indexes: {
    byId: { pk: { field: 'pk', composite: ['tenantId', 'customerId'] }, sk: { field: 'sk', composite: [] } },
    byName: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tenantId'] },
      sk: { field: 'gsi1sk', composite: ['nameKey', 'customerId'] },
    },
  },
} as const;

export const locationModel = {
  model: { entity: 'location', version: '1', service },
  attributes: {
    ...tenantScoped,
    locationId: { type: 'string', required: true, readOnly: true },
    customerId: { type: 'string', required: true, readOnly: true },
    address: { ...address, required: true },
    latitude: { type: 'number' },
    longitude: { type: 'number' },
    accessNotes: { type: 'string' },
    ...audited,
  },
  indexes: {
    byId: { pk: { field: 'pk', composite: ['tenantId', 'locationId'] }, sk: { field: 'sk', composite: [] } },
    byCustomer: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tenantId', 'customerId'] },
      sk: { field: 'gsi1sk', composite: ['locationId'] },
    },
  },
} as const;

export const technicianModel = {
  model: { entity: 'technician', version: '1', service },
  attributes: {
    ...tenantScoped,
    technicianId: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    email: { type: 'string' },
    phone: { type: 'string' },
    skills: { type: 'set', items: 'string' },
    homeBase: {
      type: 'map',
      properties: {
        latitude: { type: 'number', required: true },
        longitude: { type: 'number', required: true },
      },
    },
    ...audited,
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId', 'technicianId'] },
      sk: { field: 'sk', composite: [] },
    },
    byTenant: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tenantId'] },
      sk: { field: 'gsi1sk', composite: ['technicianId'] },
    },
  },
} as const;

export const serviceTypeModel = {
  model: { entity: 'serviceType', version: '1', service },
  attributes: {
    ...tenantScoped,
    serviceTypeId: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    trade: { type: ['hvac', 'plumbing', 'electrical', 'pest_control', 'general'] as const, required: true },
    keywords: { type: 'list', items: { type: 'string' } },
    requiredSkills: { type: 'set', items: 'string' },
    estimatedMinutes: { type: 'number', required: true },
    ...audited,
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId', 'serviceTypeId'] },
      sk: { field: 'sk', composite: [] },
    },
    byTenant: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tenantId'] },
      sk: { field: 'gsi1sk', composite: ['serviceTypeId'] },
    },
  },
} as const;

export const workOrderStatuses = [
  'new',
  'scheduled',
  'dispatched',
  'en_route',
  'arrived',
  'in_progress',
  'completed',
  'invoiced',
  'paid',
  'on_hold',
  'cancelled',
  'needs_attention',
] as const;

export const priorities = ['routine', 'urgent', 'emergency'] as const;

export const workOrderModel = {
  model: { entity: 'workOrder', version: '1', service },
  attributes: {
    ...tenantScoped,
    workOrderId: { type: 'string', required: true, readOnly: true },
    customerId: { type: 'string', required: true },
    locationId: { type: 'string' },
    serviceTypeId: { type: 'string' },
    description: { type: 'string', required: true },
    priority: { type: priorities, required: true },
    status: { type: workOrderStatuses, required: true },
    accessNotes: { type: 'string' },
    /** The waiting state of the execution, the stage it waits for, and its task token (DESIGN §5). */
    workflowState: { type: 'string', required: true },
    workflowStateSince: { type: 'string', required: true },
    taskToken: { type: 'string' },
    createdBy: { type: 'string', required: true, readOnly: true },
    version: { type: 'number', required: true },
    ...audited,
  },
  indexes: {
    byId: {
      collection: 'workOrderRecord',
      pk: { field: 'pk', composite: ['tenantId', 'workOrderId'] },
      sk: { field: 'sk', composite: [] },
    },
    byCustomer: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tenantId', 'customerId'] },
      sk: { field: 'gsi1sk', composite: ['createdAt', 'workOrderId'] },
    },
    byStatus: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['tenantId', 'status'] },
      sk: { field: 'gsi2sk', composite: ['createdAt', 'workOrderId'] },
    },
    byLocation: {
      index: 'gsi3',
      pk: { field: 'gsi3pk', composite: ['tenantId', 'locationId'] },
      sk: { field: 'gsi3sk', composite: ['createdAt', 'workOrderId'] },
    },
  },
} as const;

/** One audit event in the work order's item collection: who, when, what, before and after. */
export const workOrderEventModel = {
  model: { entity: 'workOrderEvent', version: '1', service },
  attributes: {
    ...tenantScoped,
    workOrderId: { type: 'string', required: true, readOnly: true },
    eventId: { type: 'string', required: true, readOnly: true },
    action: { type: 'string', required: true },
    actorId: { type: 'string', required: true },
    actorRole: { type: 'string', required: true },
    at: { type: 'string', required: true },
    changes: { type: 'any' },
  },
  indexes: {
    byWorkOrder: {
      collection: 'workOrderRecord',
      pk: { field: 'pk', composite: ['tenantId', 'workOrderId'] },
      sk: { field: 'sk', composite: ['eventId'] },
    },
  },
} as const;

/** A POST's idempotency key: the request's fingerprint, then its stored response. */
export const idempotencyRecordModel = {
  model: { entity: 'idempotencyRecord', version: '1', service },
  attributes: {
    ...tenantScoped,
    key: { type: 'string', required: true, readOnly: true },
    fingerprint: { type: 'string', required: true },
    state: { type: ['in_progress', 'completed'] as const, required: true },
    lockedUntil: { type: 'number', required: true },
    responseStatus: { type: 'number' },
    responseBody: { type: 'string' },
    expiresAt: { type: 'number', field: 'ttl', required: true },
  },
  indexes: {
    byKey: { pk: { field: 'pk', composite: ['tenantId', 'key'] }, sk: { field: 'sk', composite: [] } },
  },
} as const;

/** A message handed to the local outbox (the cloud hands it to SNS or SES instead). */
export const outboxMessageModel = {
  model: { entity: 'outboxMessage', version: '1', service },
  attributes: {
    ...tenantScoped,
    messageId: { type: 'string', required: true, readOnly: true },
    channel: { type: ['sms', 'email'] as const, required: true },
    to: { type: 'string', required: true },
    subject: { type: 'string' },
    body: { type: 'string', required: true },
    workOrderId: { type: 'string' },
    createdAt: { type: 'string', required: true },
  },
  indexes: {
    byId: { pk: { field: 'pk', composite: ['tenantId', 'messageId'] }, sk: { field: 'sk', composite: [] } },
    byTenant: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tenantId'] },
      sk: { field: 'gsi1sk', composite: ['createdAt', 'messageId'] },
    },
  },
} as const;

/** A one-time schedule kept by the local scheduler (EventBridge Scheduler keeps them in the cloud). */
export const localScheduleModel = {
  model: { entity: 'localSchedule', version: '1', service },
  attributes: {
    name: { type: 'string', required: true, readOnly: true },
    /** Partition of the due-time index: pending schedules are the only ones listed. */
    state: { type: ['pending', 'fired'] as const, required: true },
    fireAt: { type: 'string', required: true },
    timeZone: { type: 'string' },
    payload: { type: 'string', required: true },
    createdAt: { type: 'string', required: true },
  },
  indexes: {
    byName: { pk: { field: 'pk', composite: ['name'] }, sk: { field: 'sk', composite: [] } },
    byDueTime: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['state'] },
      sk: { field: 'gsi1sk', composite: ['fireAt', 'name'] },
    },
  },
} as const;

export const allModels = [
  tenantModel,
  customerModel,
  locationModel,
  technicianModel,
  serviceTypeModel,
  workOrderModel,
  workOrderEventModel,
  idempotencyRecordModel,
  outboxMessageModel,
  localScheduleModel,
] as const;
