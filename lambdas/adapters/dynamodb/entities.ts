import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createGetTransaction, createWriteTransaction, Entity, type Service } from 'electrodb';
import { requireConfig } from '../../shared/config.ts';
import {
  agreementModel,
  agreementVisitModel,
  customerContactModel,
  customerLinkModel,
  customerModel,
  customerNotificationModel,
  equipmentModel,
  followUpReminderModel,
  followUpTaskModel,
  idempotencyRecordModel,
  invoiceModel,
  invoiceReminderModel,
  jobDurationModel,
  laborEntryModel,
  laborTimerModel,
  localScheduleModel,
  locationModel,
  lowStockAlertModel,
  notificationDedupeModel,
  outboxMessageModel,
  partModel,
  partOnOrderModel,
  partSkuModel,
  partUsageModel,
  paymentEventModel,
  paymentModel,
  paymentPlanModel,
  plannedVisitModel,
  purchaseOrderModel,
  recommendationModel,
  serviceTypeModel,
  smsNumberRouteModel,
  stockLevelModel,
  stockLocationModel,
  stockMovementModel,
  supplierDraftModel,
  technicianModel,
  technicianTimeSliceModel,
  tenantModel,
  tenantWriteWindowModel,
  workOrderCompletionModel,
  workOrderEventModel,
  workOrderMessageModel,
  workOrderModel,
  workOrderNoteModel,
  workOrderPhotoModel,
} from './models.ts';
import { withTransactionRetries } from './transaction-retry.ts';

/**
 * The process's DynamoDB client: the SDK's standard retries (five attempts with backoff) for
 * throttling and server faults. `overrides` are for tests (a request handler that fails).
 */
export function createDocumentClient(overrides: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  // The endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set (DynamoDB Local).
  const client = new DynamoDBClient({ maxAttempts: 5, ...overrides });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export function createEntities(client: DynamoDBDocumentClient, table: string) {
  // A transaction cancelled for load (throttling, a conflicting transaction) is sent again.
  const options = { client: withTransactionRetries(client), table };
  const builders = {
    tenant: () => new Entity(tenantModel, options),
    customer: () => new Entity(customerModel, options),
    location: () => new Entity(locationModel, options),
    technician: () => new Entity(technicianModel, options),
    serviceType: () => new Entity(serviceTypeModel, options),
    workOrder: () => new Entity(workOrderModel, options),
    workOrderEvent: () => new Entity(workOrderEventModel, options),
    workOrderNote: () => new Entity(workOrderNoteModel, options),
    technicianTimeSlice: () => new Entity(technicianTimeSliceModel, options),
    workOrderPhoto: () => new Entity(workOrderPhotoModel, options),
    laborEntry: () => new Entity(laborEntryModel, options),
    partUsage: () => new Entity(partUsageModel, options),
    part: () => new Entity(partModel, options),
    partSku: () => new Entity(partSkuModel, options),
    stockLevel: () => new Entity(stockLevelModel, options),
    stockMovement: () => new Entity(stockMovementModel, options),
    stockLocation: () => new Entity(stockLocationModel, options),
    lowStockAlert: () => new Entity(lowStockAlertModel, options),
    purchaseOrder: () => new Entity(purchaseOrderModel, options),
    partOnOrder: () => new Entity(partOnOrderModel, options),
    supplierDraft: () => new Entity(supplierDraftModel, options),
    invoice: () => new Entity(invoiceModel, options),
    payment: () => new Entity(paymentModel, options),
    paymentEvent: () => new Entity(paymentEventModel, options),
    idempotencyRecord: () => new Entity(idempotencyRecordModel, options),
    tenantWriteWindow: () => new Entity(tenantWriteWindowModel, options),
    outboxMessage: () => new Entity(outboxMessageModel, options),
    localSchedule: () => new Entity(localScheduleModel, options),
    customerContact: () => new Entity(customerContactModel, options),
    equipment: () => new Entity(equipmentModel, options),
    jobDuration: () => new Entity(jobDurationModel, options),
    laborTimer: () => new Entity(laborTimerModel, options),
    recommendation: () => new Entity(recommendationModel, options),
    workOrderMessage: () => new Entity(workOrderMessageModel, options),
    followUpTask: () => new Entity(followUpTaskModel, options),
    invoiceReminder: () => new Entity(invoiceReminderModel, options),
    paymentPlan: () => new Entity(paymentPlanModel, options),
    agreement: () => new Entity(agreementModel, options),
    agreementVisit: () => new Entity(agreementVisitModel, options),
    plannedVisit: () => new Entity(plannedVisitModel, options),
    workOrderCompletion: () => new Entity(workOrderCompletionModel, options),
    customerNotification: () => new Entity(customerNotificationModel, options),
    notificationDedupe: () => new Entity(notificationDedupeModel, options),
    smsNumberRoute: () => new Entity(smsNumberRouteModel, options),
    followUpReminder: () => new Entity(followUpReminderModel, options),
    customerLink: () => new Entity(customerLinkModel, options),
  };
  // ElectroDB sends a transaction through the first of its entities, before naming any: the
  // tenant's, which nearly every request reads anyway, is made at once.
  const entities = madeOnFirstUse(builders, 'tenant');
  // Transactions name the entities they write or read; ElectroDB builds them over those alone.
  const service = {
    transaction: {
      write: (write: never) => createWriteTransaction(entities, write),
      get: (get: never) => createGetTransaction(entities, get),
    },
  } as unknown as Pick<Service<typeof entities>, 'transaction'>;
  const extras = { service, documentClient: client, table };
  return new Proxy(entities, {
    get: (made, name) =>
      Object.hasOwn(extras, name) ? extras[name as keyof typeof extras] : Reflect.get(made, name),
  }) as typeof entities & typeof extras;
}

// biome-ignore lint/suspicious/noExplicitAny: any entity of any model, as ElectroDB's own signatures name it.
type AnyEntity = Entity<any, any, any, any>;
type Made<B> = { readonly [K in keyof B]: B[K] extends () => infer E ? E : never };

/**
 * The entities, each built when first named. Building one validates its model (a few
 * milliseconds each); a request names a handful of the 46, so a function's first request no
 * longer waits for all of them. The entities made so far are the object's keys: ElectroDB
 * looks through the keys of a transaction's entities to read its items back, and those are
 * the ones the transaction named (and the tenant's, made first).
 */
function madeOnFirstUse<B extends Record<string, () => AnyEntity>>(
  builders: B,
  first: keyof B & string,
): Made<B> {
  const made: Record<string, AnyEntity> = { [first]: builders[first]!() };
  const isEntity = (name: string | symbol): name is keyof B & string =>
    typeof name === 'string' && Object.hasOwn(builders, name);
  return new Proxy(made, {
    get: (target, name) => {
      if (!isEntity(name)) return undefined;
      target[name] ??= builders[name]!();
      return target[name];
    },
    has: (_, name) => isEntity(name),
  }) as Made<B>;
}

export type Entities = ReturnType<typeof createEntities>;

let shared: Entities | undefined;

/** The entities over the one document client of this process, created on first use. */
export function entities(): Entities {
  if (!shared) shared = createEntities(createDocumentClient(), requireConfig('TABLE_NAME').TABLE_NAME);
  return shared;
}
