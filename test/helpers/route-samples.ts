import { ulid } from 'ulid';
import type { RouteDefinition } from '../../lambdas/handlers/api/routes.ts';
import { type BusinessIds, tomorrow } from './business-fixture.ts';
import { truckOf } from './inventory.ts';

/**
 * What a request to a route carries besides the path's ids: a query and body the route accepts,
 * naming the tenant's records where the route needs them. Each call makes a fresh one (new SKUs,
 * codes and names), so two callers never collide on a uniqueness rule.
 */
export interface SampleRequest {
  query?: Record<string, string>;
  body?: unknown;
  /**
   * The request is about the assigned technician's own things (their record, schedule, truck):
   * the status the other technician is refused with.
   */
  technicianOwn?: 403 | 404;
  /** The job a work-order route is asked about, when not the one in the field: one in the state the route reads. */
  workOrder?: 'new' | 'booked' | 'invoiced';
}

const inAYear = (hours: number) => {
  const start = new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);
  start.setUTCHours(hours, 0, 0, 0);
  return start.toISOString();
};

/** A visit start no other sample takes: tomorrow at 19:00Z (13:00 or 14:00 in Chicago). */
const aFreeStart = () => {
  const start = new Date(Date.now() + 2 * 24 * 60 * 60 * 1000);
  start.setUTCHours(19, 0, 0, 0);
  return start.toISOString();
};

const unique = () => ulid().slice(-8).toLowerCase();

/** Requests by operation id; a route without one sends no query and no body. */
export const sampleRequests: Record<string, (ids: BusinessIds) => SampleRequest> = {
  getDispatchBoard: () => ({ query: { date: tomorrow() } }),
  listWorkOrders: () => ({ query: { status: 'in_progress' } }),
  createWorkOrder: (ids) => ({
    body: {
      customerId: ids.customerId,
      locationId: ids.locationId,
      serviceTypeId: ids.serviceTypeId,
      description: 'Water heater leaks at the base',
    },
  }),
  scheduleWorkOrder: (ids) => ({ body: { start: aFreeStart(), technicianId: ids.technicianId } }),
  rescheduleWorkOrder: () => ({ body: { reason: 'The customer asked for another day' } }),
  dispatchWorkOrder: (ids) => ({ body: { technicianId: ids.technicianId } }),
  setFieldStatus: () => ({ body: { status: 'en_route' } }),
  reportDelay: () => ({ body: { reason: 'Stuck in traffic on the interstate' } }),
  pauseWork: () => ({ body: { reason: 'Waiting for the part' } }),
  resumeWork: () => ({ body: {} }),
  completeWorkOrder: () => ({ body: { noSignatureReason: 'The customer was not at home' } }),
  approveInvoice: () => ({ body: {} }),
  recordPayment: () => ({ body: { amount: 100, method: 'cash' } }),
  cancelWorkOrder: () => ({ body: { reason: 'The customer fixed it themself' } }),
  holdWorkOrder: () => ({ body: { reason: 'Waiting for the landlord' } }),
  resumeWorkOrder: () => ({ body: {} }),
  addNote: () => ({ body: { text: 'Checked the thermostat wiring' } }),
  recordLabor: () => ({ body: { minutes: 30 } }),
  startLaborTimer: () => ({ body: {} }),
  stopLaborTimer: () => ({ body: {} }),
  addRecommendation: () => ({
    body: { description: 'Replace the worn blower belt', urgency: 'low', estimatedPrice: 4_500 },
  }),
  decideRecommendation: () => ({ body: { decision: 'accepted' } }),
  postMessage: () => ({ body: { text: 'Running ten minutes late' } }),
  createFollowUp: () => ({
    body: { kind: 'task', description: 'Order a new filter housing', dueDate: tomorrow() },
  }),
  completeFollowUpTask: () => ({ body: {} }),
  createCustomer: () => {
    const name = unique();
    return { body: { name: `Casey ${name}`, email: `casey.${name}@example.com` } };
  },
  updateCustomer: () => ({ body: { contactPreferences: { channel: 'sms' } } }),
  addLocation: () => ({
    body: { address: { line1: `${unique()} Elm St`, city: 'Springfield', postalCode: '01101' } },
  }),
  updateLocation: () => ({ body: { pets: 'A friendly dog in the yard' } }),
  addEquipment: () => ({ body: { type: 'Water heater', make: 'Rheem' } }),
  createServiceType: () => ({
    body: { name: `Duct cleaning ${unique()}`, trade: 'hvac', estimatedMinutes: 60 },
  }),
  updateServiceType: () => ({ body: { keywords: ['warm air', 'not cooling'] } }),
  suggestServiceTypes: () => ({ body: { description: 'The AC blows warm air' } }),
  previewWorkOrderHistory: (ids) => ({
    body: { customerId: ids.customerId, description: 'The AC blows warm air' },
  }),
  requestPhotoUpload: () => ({ body: { contentType: 'image/jpeg', stage: 'before', sizeBytes: 2_048 } }),
  listParts: () => ({ query: { active: 'true' } }),
  createPart: () => ({
    body: { sku: `CAP-${unique()}`, name: 'Run capacitor', unit: 'each', unitCost: 1_000, unitPrice: 2_500 },
  }),
  updatePart: () => ({ body: { category: 'Capacitors' } }),
  recordPartUsed: (ids) => ({ body: { partId: ids.partId, quantity: 1 } }),
  updateInventorySettings: () => ({ body: { negativeStock: 'flag' } }),
  createWarehouse: () => ({ body: { code: `depot-${unique()}`, name: 'North depot' } }),
  listStock: (ids) => ({ query: { locationId: truckOf(ids.technicianId) }, technicianOwn: 403 }),
  setReorderRule: (ids) => ({
    body: { partId: ids.partId, locationId: 'warehouse:main', reorderPoint: 1, reorderQuantity: 5 },
  }),
  transferStock: (ids) => ({
    body: { partId: ids.partId, from: truckOf(ids.technicianId), to: 'warehouse:main', quantity: 1 },
  }),
  adjustStock: (ids) => ({
    body: { partId: ids.partId, locationId: 'warehouse:main', quantity: 1, reason: 'Found one on the shelf' },
  }),
  listStockMovements: (ids) => ({
    query: { partId: ids.partId, locationId: truckOf(ids.technicianId) },
    technicianOwn: 403,
  }),
  updatePurchaseOrder: (ids) => ({ body: { lines: [{ partId: ids.partId, quantity: 12 }] } }),
  sendPurchaseOrder: () => ({ body: {} }),
  receivePurchaseOrder: () => ({ body: {} }),
  cancelPurchaseOrder: () => ({ body: { reason: 'Ordered by phone instead' } }),
  createTechnician: () => ({ body: { name: `Robin ${unique()}`, skills: ['hvac'] } }),
  getTechnician: () => ({ technicianOwn: 404 }),
  getTechnicianSchedule: () => ({ query: { date: tomorrow() }, technicianOwn: 404 }),
  updateTechnician: () => ({ body: { skills: ['hvac', 'refrigerant'] } }),
  addTechnicianTimeOff: () => ({ body: { start: inAYear(14), end: inAYear(18), reason: 'Dentist' } }),
  updateSchedulingSettings: () => ({ body: { slotStepMinutes: 30 } }),
  listSlots: () => ({ query: { limit: '3' }, workOrder: 'new' }),
  getAvailability: (ids) => ({ query: { serviceTypeId: ids.serviceTypeId } }),
  bookAsap: () => ({ body: {} }),
  requestSignatureUpload: () => ({ body: {} }),
  getCompletionReport: () => ({ workOrder: 'invoiced' }),
  addNextVisit: () => ({ body: { description: 'Second visit to fit the new coil' } }),
  updatePricingSettings: () => ({ body: { paymentTermsDays: 14 } }),
  listInvoices: () => ({ query: { status: 'sent' } }),
  updateInvoice: () => ({ body: { notes: 'Thank you for your business' } }),
  recalculateInvoice: () => ({ body: {} }),
  voidInvoice: () => ({ body: { reason: 'Issued in error' } }),
  recordInvoicePayment: () => ({ body: { amount: 100, method: 'check', reference: 'Check 1042' } }),
  createPaymentPlan: () => ({ body: { count: 3 } }),
  createAgreement: (ids) => ({
    body: {
      customerId: ids.customerId,
      name: 'Pest Guard',
      serviceTypeIds: [ids.serviceTypeId],
      billing: { frequency: 'monthly', amount: 3_900 },
      termStart: tomorrow(),
    },
  }),
  updateAgreement: () => ({ body: { notes: 'Prefers mornings' } }),
  skipAgreementVisit: () => ({ body: { day: tomorrow(), reason: 'Away on holiday' } }),
  getJobCostingReport: () => ({ query: { from: tomorrow(), to: tomorrow() } }),
  setFollowUpReminder: () => ({ body: { in: { months: 6 }, note: 'Check the filter', createTask: true } }),
  cancelFollowUpReminder: () => ({ body: {} }),
  listNotifications: () => ({ query: { status: 'sent' } }),
  updateMessagingSettings: () => ({ body: { quietHours: { start: '21:00', end: '08:00' } } }),
  issueWorkOrderLink: () => ({ body: { purpose: 'sign' } }),
  revokeWorkOrderLinks: () => ({ body: {} }),
  issueInvoiceLink: () => ({ body: {} }),
  revokeInvoiceLinks: () => ({ body: {} }),
};

/** Which of the tenant's records a path's `{id}` names, by the collection it is in. */
const idsByCollection: Record<string, keyof BusinessIds> = {
  'work-orders': 'workOrderId',
  invoices: 'invoiceId',
  customers: 'customerId',
  locations: 'locationId',
  'service-types': 'serviceTypeId',
  parts: 'partId',
  'purchase-orders': 'purchaseOrderId',
  technicians: 'technicianId',
  agreements: 'agreementId',
  reminders: 'reminderId',
};

/** The path parameters of a route naming the tenant's records (`workOrderId` overrides the work order). */
export function paramsFor(
  route: RouteDefinition,
  ids: BusinessIds,
  workOrderId = jobOf(ids, sampleRequests[route.operationId]?.(ids).workOrder),
): Record<string, string> {
  const collection = /^\/v1\/([a-z-]+)\//.exec(route.path)?.[1];
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
  return Object.fromEntries(
    names.map((name) => {
      if (name === 'id') {
        const key = collection ? idsByCollection[collection] : undefined;
        if (!key)
          throw new Error(`No record for {id} of ${route.path}: add its collection to idsByCollection`);
        return [name, key === 'workOrderId' ? workOrderId : ids[key]];
      }
      if (name in ids) return [name, ids[name as keyof BusinessIds]];
      throw new Error(`No record for {${name}} of ${route.path}: add it to BusinessIds`);
    }),
  );
}

/** The job a sample asks about. */
const jobOf = (ids: BusinessIds, job: SampleRequest['workOrder']) =>
  job === 'new'
    ? ids.newWorkOrderId
    : job === 'booked'
      ? ids.bookedWorkOrderId
      : job === 'invoiced'
        ? ids.invoicedWorkOrderId
        : ids.workOrderId;

/** The path of a route naming the tenant's records. */
export function pathFor(route: RouteDefinition, ids: BusinessIds, workOrderId?: string): string {
  const params = paramsFor(route, ids, workOrderId);
  return route.path.replace(/\{(\w+)\}/g, (_match, name: string) => params[name] ?? '');
}

export const withQuery = (path: string, query: Record<string, string> | undefined) =>
  query && Object.keys(query).length > 0 ? `${path}?${new URLSearchParams(query)}` : path;

/** A work order's own routes: those a technician reaches only when assigned to it. */
export const isAboutAWorkOrder = (route: RouteDefinition) => route.path.startsWith('/v1/work-orders/{id}');
