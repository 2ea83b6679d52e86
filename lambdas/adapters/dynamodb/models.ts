/**
 * The single table's entities, declared once. ElectroDB builds every key from these, and the
 * table definition (key attributes and GSIs, for CDK and for DynamoDB Local) is derived from
 * the same objects by `table-definition.ts`, so storage and infrastructure cannot drift.
 *
 * Every partition key starts with the tenant id: a request can only ever build keys inside
 * its own tenant.
 */

import {
  agreementStatuses,
  billingFrequencies,
  plannedVisitStatuses,
} from '../../domain/agreements/agreement.ts';
import { trades } from '../../domain/catalog/service-type.ts';
import { purchaseOrderStatuses } from '../../domain/inventory/purchase-order.ts';
import { movementKinds, negativeStockRules } from '../../domain/inventory/stock.ts';
import { type MessagePurpose, messagePurposes } from '../../domain/notifications/notification.ts';
import { partUnits } from '../../domain/parts/part.ts';
import { technicianLevels } from '../../domain/scheduling/technicians.ts';

const service = 'fsm';

/**
 * The index of an item in the item collection of one record (a work order, a part, an
 * agreement): the record's tenant and id are the partition, so one Query reads them all.
 */
const inItemCollection =
  <const Collection extends string, const Id extends string>(collection: Collection, id: Id) =>
  <const SortKey extends readonly string[]>(sortKey: SortKey) =>
    ({
      collection,
      pk: { field: 'pk', composite: ['tenantId', id] },
      sk: { field: 'sk', composite: sortKey },
    }) as const;

/**
 * The index of an item in a work order's item collection (the work order, its events, notes,
 * labor, invoice, payments, photos): one Query on the work order's partition reads them all.
 */
const inWorkOrderRecord = inItemCollection('workOrderRecord', 'workOrderId');

const tenantScoped = {
  tenantId: { type: 'string', required: true, readOnly: true },
} as const;

const audited = {
  createdAt: { type: 'string', required: true, readOnly: true },
  updatedAt: { type: 'string', required: true },
} as const;

/** A stretch between two times or instants (`HH:mm` local times, or ISO 8601 instants). */
const timeRange = {
  type: 'map',
  properties: { start: { type: 'string', required: true }, end: { type: 'string', required: true } },
} as const;
const timeRanges = { type: 'list', items: timeRange } as const;
/** Time ranges by weekday, `0` Sunday to `6` Saturday. */
const weeklyTimeRanges = {
  type: 'map',
  properties: {
    '0': timeRanges,
    '1': timeRanges,
    '2': timeRanges,
    '3': timeRanges,
    '4': timeRanges,
    '5': timeRanges,
    '6': timeRanges,
  },
} as const;

/** A tenant's texts of one message purpose; unset parts take the defaults. */
const messageTemplate = {
  type: 'map',
  properties: {
    sms: { type: 'string' },
    emailSubject: { type: 'string' },
    emailBody: { type: 'string' },
  },
} as const;

export const tenantModel = {
  model: { entity: 'tenant', version: '1', service },
  attributes: {
    ...tenantScoped,
    name: { type: 'string', required: true },
    timeZone: { type: 'string', required: true },
    currency: { type: 'string', required: true },
    country: { type: 'string', required: true },
    /** Arrival windows, the spacing of exact times and the average driving speed. */
    scheduling: {
      type: 'map',
      properties: {
        arrivalWindows: timeRanges,
        slotStepMinutes: { type: 'number' },
        averageSpeedKmh: { type: 'number' },
      },
    },
    /** How work is priced on invoices (`PricingRules`); unset parts take the defaults. */
    pricing: {
      type: 'map',
      properties: {
        levelMultipliersBasisPoints: {
          type: 'map',
          properties: {
            apprentice: { type: 'number' },
            technician: { type: 'number' },
            senior: { type: 'number' },
            master: { type: 'number' },
          },
        },
        businessHours: weeklyTimeRanges,
        afterHoursMultiplierBasisPoints: { type: 'number' },
        emergencyMultiplierBasisPoints: { type: 'number' },
        partsPricing: { type: ['captured', 'markup'] as const },
        partsMarkup: {
          type: 'map',
          properties: {
            defaultBasisPoints: { type: 'number' },
            byCategory: {
              type: 'list',
              items: {
                type: 'map',
                properties: {
                  category: { type: 'string', required: true },
                  basisPoints: { type: 'number', required: true },
                },
              },
            },
          },
        },
        taxRatePerMillion: { type: 'number' },
        laborTaxable: { type: 'boolean' },
        tripChargeTaxable: { type: 'boolean' },
        paymentTermsDays: { type: 'number' },
      },
    },
    /** How stock is kept (`InventorySettings`); unset parts take the defaults. */
    inventory: {
      type: 'map',
      properties: {
        negativeStock: { type: negativeStockRules },
      },
    },
    /** Message templates overriding the defaults by purpose, and quiet hours (`MessagingSettings`). */
    messaging: {
      type: 'map',
      properties: {
        templates: {
          type: 'map',
          properties: Object.fromEntries(
            messagePurposes.map((purpose) => [purpose, messageTemplate]),
          ) as Record<MessagePurpose, typeof messageTemplate>,
        },
        quietHours: timeRange,
        smsNumber: { type: 'string' },
      },
    },
    /** The tenant's own limits, set by the operator (not through the API); unset ones take the platform's. */
    limits: {
      type: 'map',
      properties: {
        writesPerMinute: { type: 'number' },
      },
    },
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
    contactPreferences: {
      type: 'map',
      properties: {
        channel: { type: ['sms', 'email'] as const },
        quietHours: timeRange,
        preferredDays: { type: 'list', items: { type: 'string' } },
        timeWindows: timeRanges,
      },
    },
    /** When the customer opted out of SMS (`STOP`) or email; absent: opted in. */
    optedOut: { type: 'map', properties: { sms: { type: 'string' }, email: { type: 'string' } } },
    /** Optimistic concurrency of updates; absent on customers never updated through the API. */
    version: { type: 'number' },
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
    gateCode: { type: 'string' },
    pets: { type: 'string' },
    /** The sales tax rate of the place, parts per million, when it differs from the tenant's. */
    taxRatePerMillion: { type: 'number' },
    version: { type: 'number' },
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

/**
 * Keeps one customer per normalized phone and per email in a tenant: written and moved in the
 * same transaction as the customer, on the condition that it does not exist yet.
 */
export const customerContactModel = {
  model: { entity: 'customerContact', version: '1', service },
  attributes: {
    ...tenantScoped,
    kind: { type: ['phone', 'email'] as const, required: true, readOnly: true },
    /** E.164 phone or lower-cased email. */
    value: { type: 'string', required: true, readOnly: true },
    customerId: { type: 'string', required: true },
    createdAt: { type: 'string', required: true },
  },
  indexes: {
    byValue: {
      pk: { field: 'pk', composite: ['tenantId', 'kind', 'value'] },
      sk: { field: 'sk', composite: [] },
    },
  },
} as const;

/** Equipment at a service location, in the location's partition (listed with one Query). */
export const equipmentModel = {
  model: { entity: 'equipment', version: '1', service },
  attributes: {
    ...tenantScoped,
    locationId: { type: 'string', required: true, readOnly: true },
    equipmentId: { type: 'string', required: true, readOnly: true },
    customerId: { type: 'string', required: true },
    type: { type: 'string', required: true },
    make: { type: 'string' },
    modelName: { type: 'string' },
    serialNumber: { type: 'string' },
    /** Local days, `YYYY-MM-DD`. */
    installedOn: { type: 'string' },
    warrantyEndsOn: { type: 'string' },
    warrantyMonths: { type: 'number' },
    ...audited,
  },
  indexes: {
    byLocation: {
      pk: { field: 'pk', composite: ['tenantId', 'locationId'] },
      sk: { field: 'sk', composite: ['equipmentId'] },
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
    /** Local times (`HH:mm`, the tenant's time zone) by weekday, `0` Sunday to `6` Saturday. */
    workingHours: weeklyTimeRanges,
    timeOff: {
      type: 'list',
      items: {
        type: 'map',
        properties: {
          start: { type: 'string', required: true },
          end: { type: 'string', required: true },
          reason: { type: 'string' },
        },
      },
    },
    /** Minor units of the tenant's currency. */
    costRatePerHour: { type: 'number' },
    /** Prices an hour of their labor; absent: `technician`. */
    level: { type: technicianLevels },
    /** Absent on technicians written before it existed: they are active. */
    active: { type: 'boolean' },
    /** Absent on technicians never changed through the API. */
    version: { type: 'number' },
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
    trade: { type: trades, required: true },
    keywords: { type: 'list', items: { type: 'string' } },
    requiredSkills: { type: 'set', items: 'string' },
    estimatedMinutes: { type: 'number', required: true },
    /** Minor units of the tenant's currency. */
    laborRatePerHour: { type: 'number' },
    tripCharge: { type: 'number' },
    /** Named fixed charges of the service (`Drain camera inspection`), minor units. */
    flatFees: {
      type: 'list',
      items: {
        type: 'map',
        properties: {
          name: { type: 'string', required: true },
          amount: { type: 'number', required: true },
          /** Whether sales tax applies to the fee; absent: not taxed. */
          taxable: { type: 'boolean' },
        },
      },
    },
    /** What the technician works through on site, in order. */
    checklist: { type: 'list', items: { type: 'string' } },
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
  'paused',
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
    /** From the service type when the workflow enriches the work order. */
    estimatedMinutes: { type: 'number' },
    /** Whether `estimatedMinutes` is the catalogue's or the median of the tenant's past jobs. */
    durationBasis: { type: ['service type', 'past jobs'] as const },
    requiredSkills: { type: 'list', items: { type: 'string' } },
    /** The booked visit: start and end instants, and the day in the tenant's time zone (board key). */
    scheduledStart: { type: 'string' },
    scheduledEnd: { type: 'string' },
    scheduledDate: { type: 'string' },
    /** The arrival window the customer was promised. */
    arrivalWindow: timeRange,
    /** The visit start the customer's confirmation named. */
    confirmedStart: { type: 'string' },
    technicianId: { type: 'string' },
    eta: { type: 'string' },
    arrivedAt: { type: 'string' },
    delay: {
      type: 'map',
      properties: {
        reason: { type: 'string', required: true },
        newEta: { type: 'string' },
        at: { type: 'string', required: true },
      },
    },
    /** While paused on site: why, since when, and the status work resumes to. */
    pause: {
      type: 'map',
      properties: {
        reason: { type: 'string', required: true },
        at: { type: 'string', required: true },
        from: { type: ['arrived', 'in_progress'] as const, required: true },
      },
    },
    pausedMinutes: { type: 'number' },
    equipmentId: { type: 'string' },
    /** Warranty coverage of the named equipment on the day the work order was created. */
    warranty: {
      type: 'map',
      properties: {
        covered: { type: 'boolean', required: true },
        equipmentId: { type: 'string', required: true },
        endsOn: { type: 'string' },
      },
    },
    specialInstructions: { type: 'string' },
    estimatedScope: { type: 'string' },
    heldFrom: { type: workOrderStatuses },
    holdReason: { type: 'string' },
    cancelReason: { type: 'string' },
    /** Kept up by notes and labor entries, for the completion gate without reading the collection. */
    noteCount: { type: 'number' },
    laborMinutes: { type: 'number' },
    /** Labor timers running now: started and stopped with the timer items. */
    runningTimers: { type: 'number' },
    /** Kept up by part usages (net of corrections): usages in use, their cost and price in minor units. */
    partCount: { type: 'number' },
    partsCost: { type: 'number' },
    partsPrice: { type: 'number' },
    signature: {
      type: 'map',
      properties: {
        signerName: { type: 'string', required: true },
        signedAt: { type: 'string', required: true },
        /** The hash of the work summary that was signed. */
        summaryHash: { type: 'string' },
        /** Strokes as drawn, each a list of `[x, y]` points. */
        strokes: { type: 'list', items: { type: 'any' } },
        imageKey: { type: 'string' },
      },
    },
    noSignatureReason: { type: 'string' },
    followUpRequest: {
      type: 'map',
      properties: {
        description: { type: 'string', required: true },
        priority: { type: priorities, required: true },
        /** Allocated at completion, so that creating the follow-up is idempotent. */
        workOrderId: { type: 'string', required: true },
      },
    },
    followUpOf: { type: 'string' },
    /** A visit of a service agreement's plan: the agreement, the visit's local day, the slot suggested for it. */
    agreementId: { type: 'string' },
    occurrence: { type: 'string' },
    suggestedSlot: {
      type: 'map',
      properties: {
        start: { type: 'string', required: true },
        technicianId: { type: 'string', required: true },
        score: { type: 'number', required: true },
      },
    },
    /** A visit of a multi-visit job: the job (its first visit), its number, its neighbours. */
    jobId: { type: 'string' },
    visitNumber: { type: 'number' },
    previousVisitId: { type: 'string' },
    nextVisitId: { type: 'string' },
    /** Earlier (or later) work orders the office linked to this one; kept on both sides. */
    relatedWorkOrderIds: { type: 'list', items: { type: 'string' } },
    followUpWorkOrderIds: { type: 'list', items: { type: 'string' } },
    summary: { type: 'string' },
    /** The completion report PDF in the bucket. */
    completionReportKey: { type: 'string' },
    invoiceId: { type: 'string' },
    completedAt: { type: 'string' },
    paidAt: { type: 'string' },
    /** The waiting state of the execution, its task token and the statuses it waits through (DESIGN §5). */
    workflowState: { type: 'string', required: true },
    workflowStateSince: { type: 'string', required: true },
    taskToken: { type: 'string' },
    waitingWhile: { type: 'list', items: { type: 'string' } },
    createdBy: { type: 'string', required: true, readOnly: true },
    version: { type: 'number', required: true },
    ...audited,
  },
  /**
   * The work order's indexes hold its keys only (`projection: 'keys_only'`): a transition that
   * moves no index key writes no index at all, where full copies cost five rewrites of the whole
   * item. Reads query an index for a page of keys, then get the items from the table
   * (`work-order-index-reads.ts`). gsi1 to gsi3 project whole items for the entities that share them, so
   * the work order's customer, status and location indexes are its own (gsi6 to gsi8).
   */
  indexes: {
    byId: inWorkOrderRecord([]),
    byCustomer: {
      index: 'gsi6',
      pk: { field: 'gsi6pk', composite: ['tenantId', 'customerId'] },
      sk: { field: 'gsi6sk', composite: ['createdAt', 'workOrderId'] },
      projection: 'keys_only',
    },
    byStatus: {
      index: 'gsi7',
      pk: { field: 'gsi7pk', composite: ['tenantId', 'status'] },
      sk: { field: 'gsi7sk', composite: ['createdAt', 'workOrderId'] },
      projection: 'keys_only',
    },
    byLocation: {
      index: 'gsi8',
      pk: { field: 'gsi8pk', composite: ['tenantId', 'locationId'] },
      sk: { field: 'gsi8sk', composite: ['createdAt', 'workOrderId'] },
      projection: 'keys_only',
    },
    /** A technician's schedule in time order; unassigned work orders share the `-` technician. */
    byTechnician: {
      index: 'gsi4',
      pk: { field: 'gsi4pk', composite: ['tenantId', 'technicianId'] },
      sk: { field: 'gsi4sk', composite: ['scheduledStart', 'workOrderId'] },
      projection: 'keys_only',
    },
    /** The dispatch board: the tenant's work orders of one local day in time order; unscheduled ones are day `-`. */
    byDay: {
      index: 'gsi5',
      pk: { field: 'gsi5pk', composite: ['tenantId', 'scheduledDate'] },
      sk: { field: 'gsi5sk', composite: ['scheduledStart', 'workOrderId'] },
      projection: 'keys_only',
    },
  },
} as const;

/** A time-stamped note on a work order, by the office or the technician. */
export const workOrderNoteModel = {
  model: { entity: 'workOrderNote', version: '1', service },
  attributes: {
    ...tenantScoped,
    workOrderId: { type: 'string', required: true, readOnly: true },
    noteId: { type: 'string', required: true, readOnly: true },
    text: { type: 'string', required: true },
    authorId: { type: 'string', required: true },
    authorRole: { type: 'string', required: true },
    at: { type: 'string', required: true },
  },
  indexes: {
    byWorkOrder: inWorkOrderRecord(['noteId']),
  },
} as const;

/** Time worked on a work order by one technician. */
export const laborEntryModel = {
  model: { entity: 'laborEntry', version: '1', service },
  attributes: {
    ...tenantScoped,
    workOrderId: { type: 'string', required: true, readOnly: true },
    laborId: { type: 'string', required: true, readOnly: true },
    technicianId: { type: 'string', required: true },
    minutes: { type: 'number', required: true },
    startedAt: { type: 'string' },
    /** Set when a timer measured the time: when it was stopped. */
    endedAt: { type: 'string' },
    recordedBy: { type: 'string', required: true },
    at: { type: 'string', required: true },
  },
  indexes: {
    byWorkOrder: inWorkOrderRecord(['laborId']),
  },
} as const;

/** A part used on a work order, with the cost and price captured at use. */
export const partUsageModel = {
  model: { entity: 'partUsage', version: '1', service },
  attributes: {
    ...tenantScoped,
    workOrderId: { type: 'string', required: true, readOnly: true },
    usageId: { type: 'string', required: true, readOnly: true },
    partId: { type: 'string', required: true },
    sku: { type: 'string', required: true },
    name: { type: 'string', required: true },
    /** Negative on a correction. */
    quantity: { type: 'number', required: true },
    unit: { type: 'string' },
    unitCost: { type: 'number', required: true },
    unitPrice: { type: 'number', required: true },
    taxable: { type: 'boolean', required: true },
    /** On a correction: the usage it takes quantity back from, and why. */
    correctionOf: { type: 'string' },
    reason: { type: 'string' },
    /** On a corrected usage: what its corrections took back so far (the guard against taking back more). */
    correctedQuantity: { type: 'number' },
    stockLocationId: { type: 'string' },
    technicianId: { type: 'string' },
    recordedBy: { type: 'string', required: true },
    at: { type: 'string', required: true },
  },
  indexes: {
    byWorkOrder: inWorkOrderRecord(['usageId']),
  },
} as const;

/**
 * The index of an item in a part's item collection: the catalogue entry now; stock per location
 * can join it later without changing the part's keys.
 */
const inPartRecord = inItemCollection('partRecord', 'partId');

/** An entry of a tenant's parts catalogue; listed in SKU order by the tenant's index. */
export const partModel = {
  model: { entity: 'part', version: '1', service },
  attributes: {
    ...tenantScoped,
    partId: { type: 'string', required: true, readOnly: true },
    /** Upper-cased; unique in the tenant through its `partSku` item. */
    sku: { type: 'string', required: true },
    name: { type: 'string', required: true },
    category: { type: 'string' },
    /** Who it is bought from; reorders are grouped by it. */
    supplier: { type: 'string' },
    unit: { type: partUnits, required: true },
    /** Minor units of the tenant's currency, per unit. */
    unitCost: { type: 'number', required: true },
    unitPrice: { type: 'number', required: true },
    taxable: { type: 'boolean', required: true },
    active: { type: 'boolean', required: true },
    version: { type: 'number', required: true },
    ...audited,
  },
  indexes: {
    byId: inPartRecord([]),
    byTenant: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tenantId'] },
      sk: { field: 'gsi1sk', composite: ['sku', 'partId'] },
    },
  },
} as const;

/**
 * Keeps one part per SKU in a tenant: written and moved in the same transaction as the part,
 * on the condition that it does not exist yet; a lookup by SKU is a GetItem on it.
 */
export const partSkuModel = {
  model: { entity: 'partSku', version: '1', service },
  attributes: {
    ...tenantScoped,
    sku: { type: 'string', required: true, readOnly: true },
    partId: { type: 'string', required: true },
    createdAt: { type: 'string', required: true },
  },
  indexes: {
    bySku: {
      pk: { field: 'pk', composite: ['tenantId', 'sku'] },
      sk: { field: 'sk', composite: [] },
    },
  },
} as const;

/**
 * One part's stock at one location (a warehouse or a technician's truck), in the part's item
 * collection, so a part's stock everywhere is one Query; a location's stock is one Query on the
 * location's index (`gsi1`). Moved with atomic adds, conditional on what is on hand when the
 * tenant refuses negative stock.
 */
export const stockLevelModel = {
  model: { entity: 'stockLevel', version: '1', service },
  attributes: {
    ...tenantScoped,
    partId: { type: 'string', required: true, readOnly: true },
    locationId: { type: 'string', required: true, readOnly: true },
    /** In the part's unit, to the thousandth. */
    onHand: { type: 'number', required: true },
    reorderPoint: { type: 'number' },
    reorderQuantity: { type: 'number' },
    /** The low-stock alert open while the stock is at or below the reorder point. */
    lowStockAlertId: { type: 'string' },
    createdAt: { type: 'string', required: true },
    updatedAt: { type: 'string', required: true },
  },
  indexes: {
    byPart: inPartRecord(['locationId']),
    byLocation: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tenantId', 'locationId'] },
      sk: { field: 'gsi1sk', composite: ['partId'] },
    },
  },
} as const;

/** A change of one part's stock at one location: its partition holds that stock's history, in time order. */
export const stockMovementModel = {
  model: { entity: 'stockMovement', version: '1', service },
  attributes: {
    ...tenantScoped,
    partId: { type: 'string', required: true, readOnly: true },
    locationId: { type: 'string', required: true, readOnly: true },
    movementId: { type: 'string', required: true, readOnly: true },
    kind: { type: movementKinds, required: true },
    /** Signed, in the part's unit. */
    quantity: { type: 'number', required: true },
    reason: { type: 'string' },
    workOrderId: { type: 'string' },
    usageId: { type: 'string' },
    purchaseOrderId: { type: 'string' },
    otherLocationId: { type: 'string' },
    actorId: { type: 'string', required: true },
    actorRole: { type: 'string', required: true },
    at: { type: 'string', required: true },
  },
  indexes: {
    byStock: {
      pk: { field: 'pk', composite: ['tenantId', 'partId', 'locationId'] },
      sk: { field: 'sk', composite: ['movementId'] },
    },
  },
} as const;

/** A warehouse the office added (`warehouse:<code>`); the main warehouse and the trucks need no item. */
export const stockLocationModel = {
  model: { entity: 'stockLocation', version: '1', service },
  attributes: {
    ...tenantScoped,
    locationId: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    ...audited,
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId', 'locationId'] },
      sk: { field: 'sk', composite: [] },
    },
    byTenant: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tenantId'] },
      sk: { field: 'gsi1sk', composite: ['locationId'] },
    },
  },
} as const;

/** A part found at or below its reorder point at a location; the tenant's alerts newest first are one Query. */
export const lowStockAlertModel = {
  model: { entity: 'lowStockAlert', version: '1', service },
  attributes: {
    ...tenantScoped,
    alertId: { type: 'string', required: true, readOnly: true },
    partId: { type: 'string', required: true },
    sku: { type: 'string', required: true },
    name: { type: 'string', required: true },
    locationId: { type: 'string', required: true },
    onHand: { type: 'number', required: true },
    reorderPoint: { type: 'number', required: true },
    reorderQuantity: { type: 'number', required: true },
    supplier: { type: 'string' },
    purchaseOrderId: { type: 'string' },
    status: { type: ['open', 'closed'] as const, required: true },
    raisedAt: { type: 'string', required: true },
    closedAt: { type: 'string' },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId', 'alertId'] },
      sk: { field: 'sk', composite: [] },
    },
    byTenant: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tenantId'] },
      sk: { field: 'gsi1sk', composite: ['alertId'] },
    },
  },
} as const;

/**
 * A purchase order to a supplier, its lines within it. The tenant's orders newest first are one
 * Query (`byTenant`), those of one status another (`byStatus`).
 */
export const purchaseOrderModel = {
  model: { entity: 'purchaseOrder', version: '1', service },
  attributes: {
    ...tenantScoped,
    purchaseOrderId: { type: 'string', required: true, readOnly: true },
    supplier: { type: 'string' },
    status: { type: purchaseOrderStatuses, required: true },
    lines: {
      type: 'list',
      required: true,
      items: {
        type: 'map',
        properties: {
          partId: { type: 'string', required: true },
          sku: { type: 'string', required: true },
          name: { type: 'string', required: true },
          unit: { type: 'string' },
          quantity: { type: 'number', required: true },
          /** Minor units per unit. */
          unitCost: { type: 'number', required: true },
          receivedQuantity: { type: 'number', required: true },
        },
      },
    },
    deliverTo: { type: 'string', required: true },
    currency: { type: 'string', required: true },
    total: { type: 'number', required: true },
    raisedBy: { type: 'string', required: true },
    version: { type: 'number', required: true },
    sentAt: { type: 'string' },
    receivedAt: { type: 'string' },
    cancelledAt: { type: 'string' },
    cancelReason: { type: 'string' },
    ...audited,
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['tenantId', 'purchaseOrderId'] },
      sk: { field: 'sk', composite: [] },
    },
    byTenant: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tenantId'] },
      sk: { field: 'gsi1sk', composite: ['purchaseOrderId'] },
    },
    byStatus: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['tenantId', 'status'] },
      sk: { field: 'gsi2sk', composite: ['purchaseOrderId'] },
    },
  },
} as const;

/**
 * A part on order: held by the one open purchase order it is a line of, in the part's item
 * collection. Written with a not-exists condition in the order's own transaction, so a part is
 * never on two open orders; removed when its line is received in full, taken off, or cancelled.
 */
export const partOnOrderModel = {
  model: { entity: 'partOnOrder', version: '1', service },
  attributes: {
    ...tenantScoped,
    partId: { type: 'string', required: true, readOnly: true },
    purchaseOrderId: { type: 'string', required: true },
    createdAt: { type: 'string', required: true },
  },
  indexes: {
    byPart: inPartRecord([]),
  },
} as const;

/**
 * A supplier's open draft purchase order: reorders add their lines to it. Written with a
 * not-exists condition with the draft, removed when the draft is sent or cancelled.
 */
export const supplierDraftModel = {
  model: { entity: 'supplierDraft', version: '1', service },
  attributes: {
    ...tenantScoped,
    /** `supplierKeyOf` the supplier's name. */
    supplierKey: { type: 'string', required: true, readOnly: true },
    purchaseOrderId: { type: 'string', required: true },
    createdAt: { type: 'string', required: true },
  },
  indexes: {
    bySupplier: {
      pk: { field: 'pk', composite: ['tenantId', 'supplierKey'] },
      sk: { field: 'sk', composite: [] },
    },
  },
} as const;

export const invoiceStatuses = ['draft', 'approved', 'sent', 'partially_paid', 'paid', 'void'] as const;

/** The invoice of a work order, in its item collection; its id is derived from the work order's. */
export const invoiceModel = {
  model: { entity: 'invoice', version: '1', service },
  attributes: {
    ...tenantScoped,
    workOrderId: { type: 'string', required: true, readOnly: true },
    invoiceId: { type: 'string', required: true, readOnly: true },
    customerId: { type: 'string', required: true },
    status: { type: invoiceStatuses, required: true },
    currency: { type: 'string', required: true },
    lines: {
      type: 'list',
      items: {
        type: 'map',
        properties: {
          kind: { type: ['labor', 'part', 'fee', 'trip', 'discount'] as const },
          description: { type: 'string', required: true },
          quantity: { type: 'number', required: true },
          unit: { type: 'string', required: true },
          unitPrice: { type: 'number', required: true },
          amount: { type: 'number', required: true },
          /** Whether sales tax applies to the line. */
          taxable: { type: 'boolean' },
          note: { type: 'string' },
        },
      },
    },
    subtotal: { type: 'number', required: true },
    taxableSubtotal: { type: 'number' },
    taxRatePerMillion: { type: 'number' },
    tax: { type: 'number', required: true },
    total: { type: 'number', required: true },
    amountPaid: { type: 'number', required: true },
    dueDate: { type: 'string', required: true },
    /** The office's discount on the draft: `percent` (basisPoints) or `amount` (minor units). */
    discount: {
      type: 'map',
      properties: {
        type: { type: ['percent', 'amount'] as const, required: true },
        basisPoints: { type: 'number' },
        amount: { type: 'number' },
        reason: { type: 'string' },
      },
    },
    notes: { type: 'string' },
    agreement: {
      type: 'map',
      properties: {
        agreementId: { type: 'string', required: true },
        memberDiscountBasisPoints: { type: 'number', required: true },
        coversVisit: { type: 'boolean', required: true },
      },
    },
    pricedAt: { type: 'string' },
    approvedBy: { type: 'string' },
    sentAt: { type: 'string' },
    /** The invoice PDF in the bucket, written when the invoice was sent. */
    pdfKey: { type: 'string' },
    overdueSince: { type: 'string' },
    voided: {
      type: 'map',
      properties: {
        at: { type: 'string', required: true },
        by: { type: 'string', required: true },
        reason: { type: 'string', required: true },
      },
    },
    replacedBy: { type: 'string' },
    replaces: { type: 'string' },
    version: { type: 'number', required: true },
    ...audited,
  },
  indexes: {
    byWorkOrder: inWorkOrderRecord(['invoiceId']),
    /** The tenant's invoices of one status, soonest due first (`GET /v1/invoices?status=&dueBefore=`). */
    byStatus: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['tenantId', 'status'] },
      sk: { field: 'gsi2sk', composite: ['dueDate', 'invoiceId'] },
    },
    /** An invoice by its id alone: a replacement's id does not name its work order. */
    byInvoiceId: {
      index: 'gsi3',
      pk: { field: 'gsi3pk', composite: ['tenantId', 'invoiceId'] },
      sk: { field: 'gsi3sk', composite: [] },
    },
  },
} as const;

export const paymentModel = {
  model: { entity: 'payment', version: '1', service },
  attributes: {
    ...tenantScoped,
    workOrderId: { type: 'string', required: true, readOnly: true },
    paymentId: { type: 'string', required: true, readOnly: true },
    invoiceId: { type: 'string', required: true },
    amount: { type: 'number', required: true },
    method: { type: ['cash', 'check', 'card', 'bank_transfer'] as const, required: true },
    reference: { type: 'string' },
    recordedBy: { type: 'string', required: true },
    at: { type: 'string', required: true },
  },
  indexes: {
    byWorkOrder: inWorkOrderRecord(['paymentId']),
  },
} as const;

/**
 * A payment provider's event (Stripe's `evt_…`) this platform has acted on, claimed with a
 * conditional put before it is acted on: a repeated delivery finds it and changes nothing.
 * Kept 90 days, long past the provider's retries (three days).
 */
export const paymentEventModel = {
  model: { entity: 'paymentEvent', version: '1', service },
  attributes: {
    ...tenantScoped,
    eventId: { type: 'string', required: true, readOnly: true },
    type: { type: 'string', required: true },
    workOrderId: { type: 'string', required: true },
    state: { type: ['processing', 'processed'] as const, required: true },
    /** Unix seconds: an unfinished claim may be taken over after this. */
    lockedUntil: { type: 'number', required: true },
    paymentId: { type: 'string' },
    receivedAt: { type: 'string', required: true },
    processedAt: { type: 'string' },
    expiresAt: { type: 'number', field: 'ttl', required: true },
  },
  indexes: {
    byEvent: { pk: { field: 'pk', composite: ['tenantId', 'eventId'] }, sk: { field: 'sk', composite: [] } },
  },
} as const;

/**
 * A photo of a work order: pending from the upload form until the object arrives and passes
 * its checks, then uploaded. A pending photo that never arrives expires by TTL.
 */
export const workOrderPhotoModel = {
  model: { entity: 'workOrderPhoto', version: '1', service },
  attributes: {
    ...tenantScoped,
    workOrderId: { type: 'string', required: true, readOnly: true },
    photoId: { type: 'string', required: true, readOnly: true },
    key: { type: 'string', required: true, readOnly: true },
    phase: { type: ['before', 'during', 'after'] as const, required: true },
    caption: { type: 'string' },
    contentType: { type: ['image/jpeg', 'image/png', 'image/heic', 'image/webp'] as const, required: true },
    status: { type: ['pending', 'uploaded'] as const, required: true },
    declaredSize: { type: 'number', required: true },
    size: { type: 'number' },
    uploadedBy: { type: 'string', required: true },
    uploaderRole: { type: 'string', required: true },
    requestedAt: { type: 'string', required: true },
    uploadedAt: { type: 'string' },
    etag: { type: 'string' },
    versionId: { type: 'string' },
    expiresAt: { type: 'number', field: 'ttl' },
  },
  indexes: {
    byWorkOrder: inWorkOrderRecord(['photoId']),
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
    byWorkOrder: inWorkOrderRecord(['eventId']),
  },
} as const;

/**
 * A POST's idempotency key: the request's fingerprint, then its stored response. The key is the
 * client's, case and all (`abc` and `ABC` are two keys), so its partition key keeps its case.
 */
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
    byKey: {
      pk: { field: 'pk', composite: ['tenantId', 'key'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
  },
} as const;

/**
 * The writes a tenant made in one minute (`window`, `YYYY-MM-DDTHH:mm` UTC): counted with one
 * conditional ADD per write, refused at the tenant's limit; the table forgets the minute soon after.
 */
export const tenantWriteWindowModel = {
  model: { entity: 'tenantWriteWindow', version: '1', service },
  attributes: {
    ...tenantScoped,
    window: { type: 'string', required: true, readOnly: true },
    writes: { type: 'number' },
    expiresAt: { type: 'number', field: 'ttl' },
  },
  indexes: {
    byWindow: { pk: { field: 'pk', composite: ['tenantId', 'window'] }, sk: { field: 'sk', composite: [] } },
  },
} as const;

/** Files sent with an email (an `.ics` appointment), their text as is. */
const messageAttachments = {
  type: 'list',
  items: {
    type: 'map',
    properties: {
      filename: { type: 'string', required: true },
      contentType: { type: 'string', required: true },
      content: { type: 'string', required: true },
    },
  },
} as const;

/**
 * One customer message by one channel and what became of it. It lives in the item collection of
 * its work order, or of its customer when it is about none: `ownerKey` names that partition
 * (`workorderid_wo_…`, `customerid_cus_…`) and the key template writes the very partition key
 * those records have. The status index (`gsi2`, tenant and status, newest last) lists the
 * failed and held messages for the office.
 */
export const customerNotificationModel = {
  model: { entity: 'customerNotification', version: '1', service },
  attributes: {
    ...tenantScoped,
    ownerKey: { type: 'string', required: true, readOnly: true },
    notificationId: { type: 'string', required: true, readOnly: true },
    customerId: { type: 'string', required: true, readOnly: true },
    workOrderId: { type: 'string', readOnly: true },
    purpose: { type: messagePurposes, required: true },
    channel: { type: ['sms', 'email'] as const, required: true },
    dedupeKey: { type: 'string', required: true },
    address: { type: 'string', required: true },
    recipient: { type: 'string', required: true },
    subject: { type: 'string' },
    body: { type: 'string', required: true },
    attachments: messageAttachments,
    status: { type: ['sending', 'sent', 'held', 'suppressed', 'failed'] as const, required: true },
    attempts: { type: 'number', required: true },
    error: { type: 'string' },
    reason: { type: 'string' },
    messageId: { type: 'string' },
    releaseAt: { type: 'string' },
    sentAt: { type: 'string' },
    version: { type: 'number', required: true },
    ...audited,
  },
  indexes: {
    byOwner: {
      pk: {
        field: 'pk',
        composite: ['tenantId', 'ownerKey'],
        // biome-ignore lint/suspicious/noTemplateCurlyInString: ElectroDB's key template, filled in by ElectroDB.
        template: '$fsm#tenantid_${tenantId}#${ownerKey}',
      },
      sk: { field: 'sk', composite: ['notificationId'] },
    },
    byStatus: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['tenantId', 'status'] },
      sk: { field: 'gsi2sk', composite: ['createdAt', 'notificationId'] },
    },
  },
} as const;

/**
 * Which tenant sends from an SMS number, so a reply to it (`STOP`) finds its tenant. The one
 * partition key without a tenant: the number is all an inbound text carries. Written and moved
 * with the tenant's settings, on the condition that no other tenant holds the number.
 */
export const smsNumberRouteModel = {
  model: { entity: 'smsNumberRoute', version: '1', service },
  attributes: {
    smsNumber: { type: 'string', required: true, readOnly: true },
    tenantId: { type: 'string', required: true },
    createdAt: { type: 'string', required: true },
  },
  indexes: {
    byNumber: { pk: { field: 'pk', composite: ['smsNumber'] }, sk: { field: 'sk', composite: [] } },
  },
} as const;

/**
 * Keeps one message per dedupe key and channel: written in the same transaction as the message,
 * on the condition that it does not exist yet; it names the message it belongs to.
 */
export const notificationDedupeModel = {
  model: { entity: 'notificationDedupe', version: '1', service },
  attributes: {
    ...tenantScoped,
    dedupeKey: { type: 'string', required: true, readOnly: true },
    channel: { type: ['sms', 'email'] as const, required: true, readOnly: true },
    notificationId: { type: 'string', required: true },
    customerId: { type: 'string', required: true },
    workOrderId: { type: 'string' },
    createdAt: { type: 'string', required: true },
  },
  indexes: {
    byKey: {
      pk: { field: 'pk', composite: ['tenantId', 'channel', 'dedupeKey'] },
      sk: { field: 'sk', composite: [] },
    },
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
    /** The tenant's own SMS number it went out from, when it has one. */
    from: { type: 'string' },
    subject: { type: 'string' },
    body: { type: 'string', required: true },
    workOrderId: { type: 'string' },
    attachments: messageAttachments,
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

/** A quarter hour of a technician's time, held by one work order: no two bookings can share one. */
export const technicianTimeSliceModel = {
  model: { entity: 'technicianTimeSlice', version: '1', service },
  attributes: {
    ...tenantScoped,
    technicianId: { type: 'string', required: true, readOnly: true },
    sliceStart: { type: 'string', required: true, readOnly: true },
    workOrderId: { type: 'string', required: true },
  },
  indexes: {
    byTechnician: {
      pk: { field: 'pk', composite: ['tenantId', 'technicianId'] },
      sk: { field: 'sk', composite: ['sliceStart'] },
    },
  },
} as const;

/**
 * How long one completed job of a service type took, written in the completion's transaction.
 * Keyed by the work order, so a retried completion writes the same item; the partition is the
 * service type's, newest last, so its recent jobs are one Query.
 */
export const jobDurationModel = {
  model: { entity: 'jobDuration', version: '1', service },
  attributes: {
    ...tenantScoped,
    serviceTypeId: { type: 'string', required: true, readOnly: true },
    completedAt: { type: 'string', required: true, readOnly: true },
    workOrderId: { type: 'string', required: true, readOnly: true },
    minutes: { type: 'number', required: true },
    technicianId: { type: 'string' },
  },
  indexes: {
    byServiceType: {
      pk: { field: 'pk', composite: ['tenantId', 'serviceTypeId'] },
      sk: { field: 'sk', composite: ['completedAt', 'workOrderId'] },
    },
  },
} as const;

/**
 * A technician's running labor timer on a work order, in its item collection: at most one per
 * technician and work order (the technician is the sort key). Stopping it deletes it and
 * records the labor entry in the same transaction.
 */
export const laborTimerModel = {
  model: { entity: 'laborTimer', version: '1', service },
  attributes: {
    ...tenantScoped,
    workOrderId: { type: 'string', required: true, readOnly: true },
    technicianId: { type: 'string', required: true, readOnly: true },
    startedAt: { type: 'string', required: true, readOnly: true },
    startedBy: { type: 'string', required: true },
    starterRole: { type: 'string', required: true },
  },
  indexes: {
    byWorkOrder: inWorkOrderRecord(['technicianId']),
  },
} as const;

export const recommendationUrgencies = ['low', 'medium', 'high', 'safety'] as const;
const recommendationStatuses = ['open', 'accepted', 'declined'] as const;

/**
 * Extra work the technician recommends, in the work order's item collection. It carries the
 * customer, location, equipment and service type of its work order, so that an automation
 * turning it into a reminder or a follow-up needs nothing else; the tenant's recommendations
 * by status are one Query (`byStatus`, oldest first).
 */
export const recommendationModel = {
  model: { entity: 'recommendation', version: '1', service },
  attributes: {
    ...tenantScoped,
    workOrderId: { type: 'string', required: true, readOnly: true },
    recommendationId: { type: 'string', required: true, readOnly: true },
    customerId: { type: 'string', required: true },
    locationId: { type: 'string' },
    equipmentId: { type: 'string' },
    serviceTypeId: { type: 'string' },
    description: { type: 'string', required: true },
    urgency: { type: recommendationUrgencies, required: true },
    /** Minor units of `currency`, the tenant's. */
    estimatedPrice: { type: 'number', required: true },
    currency: { type: 'string', required: true },
    photoIds: { type: 'list', items: { type: 'string' } },
    status: { type: recommendationStatuses, required: true },
    recordedBy: { type: 'string', required: true },
    recorderRole: { type: 'string', required: true },
    /** The technician assigned to the work order when it was recommended. */
    technicianId: { type: 'string' },
    decidedBy: { type: 'string' },
    decidedAt: { type: 'string' },
    decisionNote: { type: 'string' },
    version: { type: 'number', required: true },
    ...audited,
  },
  indexes: {
    byWorkOrder: inWorkOrderRecord(['recommendationId']),
    byStatus: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['tenantId', 'status'] },
      sk: { field: 'gsi2sk', composite: ['createdAt', 'recommendationId'] },
    },
  },
} as const;

/** A message between the office and the technician on a work order; its ULID id orders them in time. */
export const workOrderMessageModel = {
  model: { entity: 'workOrderMessage', version: '1', service },
  attributes: {
    ...tenantScoped,
    workOrderId: { type: 'string', required: true, readOnly: true },
    messageId: { type: 'string', required: true, readOnly: true },
    text: { type: 'string', required: true },
    authorId: { type: 'string', required: true },
    authorRole: { type: 'string', required: true },
    /** Set when a technician wrote it: which technician. */
    technicianId: { type: 'string' },
    at: { type: 'string', required: true },
  },
  indexes: {
    byWorkOrder: inWorkOrderRecord(['messageId']),
  },
} as const;

const followUpTaskStatuses = ['open', 'done'] as const;

/**
 * A follow-up task of a work order (call the customer back, order a part), in its item
 * collection; the tenant's tasks of one status by due date are one Query (`byDueDate`).
 */
export const followUpTaskModel = {
  model: { entity: 'followUpTask', version: '1', service },
  attributes: {
    ...tenantScoped,
    workOrderId: { type: 'string', required: true, readOnly: true },
    taskId: { type: 'string', required: true, readOnly: true },
    customerId: { type: 'string', required: true },
    description: { type: 'string', required: true },
    /** The tenant's local day it is due, `YYYY-MM-DD`. */
    dueDate: { type: 'string', required: true },
    assigneeId: { type: 'string' },
    status: { type: followUpTaskStatuses, required: true },
    createdBy: { type: 'string', required: true },
    creatorRole: { type: 'string', required: true },
    doneBy: { type: 'string' },
    doneAt: { type: 'string' },
    version: { type: 'number', required: true },
    ...audited,
  },
  indexes: {
    byWorkOrder: inWorkOrderRecord(['taskId']),
    byDueDate: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['tenantId', 'status'] },
      sk: { field: 'gsi2sk', composite: ['dueDate', 'taskId'] },
    },
  },
} as const;

/**
 * The reminder job's record of an invoice, beside it in the work order's item collection:
 * how many overdue checks have run and how many reminders went out. A check runs only if its
 * number is the next one, so a schedule delivered twice sends no second reminder.
 */
export const invoiceReminderModel = {
  model: { entity: 'invoiceReminder', version: '1', service },
  attributes: {
    ...tenantScoped,
    workOrderId: { type: 'string', required: true, readOnly: true },
    invoiceId: { type: 'string', required: true, readOnly: true },
    checks: { type: 'number', required: true },
    sent: { type: 'number', required: true },
    lastCheckedAt: { type: 'string', required: true },
    lastSentAt: { type: 'string' },
  },
  indexes: {
    byWorkOrder: inWorkOrderRecord(['invoiceId']),
  },
} as const;

/**
 * An invoice's payment plan, beside it in the work order's item collection: the balance when it
 * was agreed, split into instalments with due dates. What each instalment has received follows
 * from the payments recorded since, applied oldest first, so every way of paying updates it.
 */
export const paymentPlanModel = {
  model: { entity: 'paymentPlan', version: '1', service },
  attributes: {
    ...tenantScoped,
    workOrderId: { type: 'string', required: true, readOnly: true },
    invoiceId: { type: 'string', required: true, readOnly: true },
    currency: { type: 'string', required: true },
    /** The balance the plan covers, minor units: the sum of the instalments. */
    amount: { type: 'number', required: true },
    /** What the invoice had received before the plan: payments up to it are not the plan's. */
    amountPaidBefore: { type: 'number', required: true },
    instalments: {
      type: 'list',
      required: true,
      items: {
        type: 'map',
        properties: {
          number: { type: 'number', required: true },
          /** The tenant's local day it is due, `YYYY-MM-DD`. */
          dueDate: { type: 'string', required: true },
          amount: { type: 'number', required: true },
        },
      },
    },
    createdBy: { type: 'string', required: true },
    createdAt: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byWorkOrder: inWorkOrderRecord(['invoiceId']),
  },
} as const;

/** The index of an item in an agreement's item collection (the agreement, its included visits used). */
const inAgreementRecord = inItemCollection('agreementRecord', 'agreementId');

/**
 * A customer's service agreement (a maintenance plan): what it covers, what it costs per billing
 * period, the member discount and the visits included per term. The tenant's agreements of one
 * status by next billing day are one Query (`byStatus`); a customer's are another (`byCustomer`).
 */
export const agreementModel = {
  model: { entity: 'agreement', version: '1', service },
  attributes: {
    ...tenantScoped,
    agreementId: { type: 'string', required: true, readOnly: true },
    customerId: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    /** The customer's locations it covers; none listed: all of them. */
    locationIds: { type: 'list', items: { type: 'string' } },
    serviceTypeIds: { type: 'list', required: true, items: { type: 'string' } },
    billing: {
      type: 'map',
      required: true,
      properties: {
        frequency: { type: billingFrequencies, required: true },
        /** Minor units of `currency`, per billing period. */
        amount: { type: 'number', required: true },
      },
    },
    currency: { type: 'string', required: true },
    memberDiscountBasisPoints: { type: 'number', required: true },
    includedVisitsPerTerm: { type: 'number', required: true },
    /** Taken down by one in the same transaction as the visit that uses it (`agreementVisit`). */
    visitsRemaining: { type: 'number', required: true },
    /** The tenant's local days, inclusive. */
    termStart: { type: 'string', required: true, readOnly: true },
    termEnd: { type: 'string', required: true },
    status: { type: agreementStatuses, required: true },
    /** The billing period billed next (0 is the first) and the day it starts (`-` past the term). */
    nextBillingPeriod: { type: 'number', required: true },
    nextBillingOn: { type: 'string', required: true },
    /** The maintenance visits it brings (`VisitPlan`): the RRULE of local days, lead time, what and where. */
    visits: {
      type: 'map',
      properties: {
        rrule: { type: 'string', required: true },
        leadDays: { type: 'number', required: true },
        serviceTypeId: { type: 'string', required: true },
        locationId: { type: 'string', required: true },
        description: { type: 'string', required: true },
        preferredTime: timeRange,
        since: { type: 'string', required: true },
      },
    },
    /** With a plan: the visit day whose work order is arranged next (`-`: none left). */
    nextVisitOn: { type: 'string' },
    notes: { type: 'string' },
    createdBy: { type: 'string', required: true, readOnly: true },
    version: { type: 'number', required: true },
    ...audited,
  },
  indexes: {
    byId: inAgreementRecord([]),
    byTenant: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tenantId'] },
      sk: { field: 'gsi1sk', composite: ['agreementId'] },
    },
    byStatus: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['tenantId', 'status'] },
      sk: { field: 'gsi2sk', composite: ['nextBillingOn', 'agreementId'] },
    },
    byCustomer: {
      index: 'gsi3',
      pk: { field: 'gsi3pk', composite: ['tenantId', 'customerId'] },
      sk: { field: 'gsi3sk', composite: ['agreementId'] },
    },
  },
} as const;

/**
 * What an agreement answered for one work order: whether the visit was one of the included
 * ones. Written once per work order with a not-exists condition, in the same transaction that
 * takes the included visit off `visitsRemaining`; asked again, the agreement answers from it.
 */
export const agreementVisitModel = {
  model: { entity: 'agreementVisit', version: '1', service },
  attributes: {
    ...tenantScoped,
    agreementId: { type: 'string', required: true, readOnly: true },
    workOrderId: { type: 'string', required: true, readOnly: true },
    coversVisit: { type: 'boolean', required: true },
    /** When the visit was done, as asked. */
    at: { type: 'string', required: true },
    recordedAt: { type: 'string', required: true },
  },
  indexes: {
    byAgreement: inAgreementRecord(['workOrderId']),
  },
} as const;

/**
 * What became of one visit day of an agreement's plan: its work order created, skipped by the
 * office, or passed while the agreement was paused. Written once per day with a not-exists
 * condition, so a skip and the schedule creating the work order cannot both win.
 */
export const plannedVisitModel = {
  model: { entity: 'plannedVisit', version: '1', service },
  attributes: {
    ...tenantScoped,
    agreementId: { type: 'string', required: true, readOnly: true },
    /** The visit's local day, `YYYY-MM-DD`. */
    day: { type: 'string', required: true, readOnly: true },
    status: { type: plannedVisitStatuses, required: true },
    workOrderId: { type: 'string' },
    reason: { type: 'string' },
    recordedBy: { type: 'string', required: true },
    recordedAt: { type: 'string', required: true },
  },
  indexes: {
    byAgreement: inAgreementRecord(['day']),
  },
} as const;

/**
 * A completed work order, by completion time: written in the completion's own transaction (a
 * put keyed by the work order, so a retried completion leaves one), so the tenant's work
 * completed in a period is one Query.
 */
export const workOrderCompletionModel = {
  model: { entity: 'workOrderCompletion', version: '1', service },
  attributes: {
    ...tenantScoped,
    workOrderId: { type: 'string', required: true, readOnly: true },
    completedAt: { type: 'string', required: true },
    customerId: { type: 'string', required: true },
    serviceTypeId: { type: 'string' },
    technicianId: { type: 'string' },
  },
  indexes: {
    byWorkOrder: inWorkOrderRecord([]),
    byCompletion: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['tenantId'] },
      sk: { field: 'gsi1sk', composite: ['completedAt', 'workOrderId'] },
    },
  },
} as const;

const followUpReminderStatuses = ['pending', 'done', 'cancelled'] as const;

/**
 * A follow-up reminder of a work order (a task and/or a customer message on a later day), in its
 * item collection; the tenant's reminders of one status by due day are one Query (`byStatus`),
 * and one reminder by its id alone another (`byId`: the office cancels it by id).
 */
export const followUpReminderModel = {
  model: { entity: 'followUpReminder', version: '1', service },
  attributes: {
    ...tenantScoped,
    workOrderId: { type: 'string', required: true, readOnly: true },
    reminderId: { type: 'string', required: true, readOnly: true },
    customerId: { type: 'string', required: true },
    /** The tenant's local day it is due, `YYYY-MM-DD`. */
    dueOn: { type: 'string', required: true },
    remindAt: { type: 'string', required: true },
    note: { type: 'string', required: true },
    createTask: { type: 'boolean', required: true },
    messageCustomer: { type: 'boolean', required: true },
    recommendationId: { type: 'string' },
    status: { type: followUpReminderStatuses, required: true },
    taskId: { type: 'string' },
    messages: {
      type: 'list',
      items: {
        type: 'map',
        properties: {
          channel: { type: 'string', required: true },
          status: { type: 'string', required: true },
        },
      },
    },
    firedAt: { type: 'string' },
    cancelledBy: { type: 'string' },
    cancelledAt: { type: 'string' },
    createdBy: { type: 'string', required: true },
    creatorRole: { type: 'string', required: true },
    version: { type: 'number', required: true },
    ...audited,
  },
  indexes: {
    byWorkOrder: inWorkOrderRecord(['reminderId']),
    byStatus: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['tenantId', 'status'] },
      sk: { field: 'gsi2sk', composite: ['dueOn', 'reminderId'] },
    },
    byId: {
      index: 'gsi3',
      pk: { field: 'gsi3pk', composite: ['tenantId', 'reminderId'] },
      sk: { field: 'gsi3sk', composite: [] },
    },
  },
} as const;

/**
 * A signed link sent to a customer (appointment, sign-off, invoice page), in the item collection
 * of its work order (or of the agreement whose invoice it is for): what opens a page besides the
 * token's signature, so that a link can be revoked. Deleted by TTL once it has expired.
 */
export const customerLinkModel = {
  model: { entity: 'customerLink', version: '1', service },
  attributes: {
    ...tenantScoped,
    workOrderId: { type: 'string', required: true, readOnly: true },
    linkId: { type: 'string', required: true, readOnly: true },
    purpose: { type: ['view', 'sign', 'pay'] as const, required: true, readOnly: true },
    invoiceId: { type: 'string', readOnly: true },
    customerId: { type: 'string', required: true },
    issuedAt: { type: 'string', required: true },
    issuedBy: { type: 'string', required: true },
    issuerRole: { type: 'string', required: true },
    revokedAt: { type: 'string' },
    revokedBy: { type: 'string' },
    /** Unix seconds: the link's expiry, when the table forgets it. */
    expiresAt: { type: 'number', field: 'ttl', required: true },
  },
  indexes: {
    byWorkOrder: inWorkOrderRecord(['linkId']),
  },
} as const;

export const allModels = [
  technicianTimeSliceModel,
  tenantModel,
  customerModel,
  locationModel,
  technicianModel,
  serviceTypeModel,
  workOrderModel,
  workOrderEventModel,
  workOrderNoteModel,
  laborEntryModel,
  partUsageModel,
  partModel,
  partSkuModel,
  stockLevelModel,
  stockMovementModel,
  stockLocationModel,
  lowStockAlertModel,
  purchaseOrderModel,
  partOnOrderModel,
  supplierDraftModel,
  invoiceModel,
  paymentModel,
  paymentEventModel,
  workOrderPhotoModel,
  idempotencyRecordModel,
  tenantWriteWindowModel,
  outboxMessageModel,
  localScheduleModel,
  customerContactModel,
  equipmentModel,
  jobDurationModel,
  laborTimerModel,
  recommendationModel,
  workOrderMessageModel,
  followUpTaskModel,
  invoiceReminderModel,
  paymentPlanModel,
  agreementModel,
  agreementVisitModel,
  plannedVisitModel,
  workOrderCompletionModel,
  followUpReminderModel,
  customerLinkModel,
] as const;
