import { expect } from 'vitest';
import type { Entities } from '../../lambdas/adapters/dynamodb/entities.ts';
import { aStoredWorkOrder } from '../fixtures/tenants.ts';
import { aCrew, type Crew, freeSlots } from './crew.ts';
import { aJobAwaitingPayment, aJobInProgress, linkFor, type Office } from './customer-pages.ts';
import { aPart, reorderAt, stockUp, truckOf, useParts } from './inventory.ts';
import { api, eventually } from './local-platform.ts';

/** The ids of one tenant's records that routes name in their path, query or body. */
export interface BusinessIds {
  tenantId: string;
  /** In progress, assigned to the qualified technician, with a note and labor: the field's job. */
  workOrderId: string;
  /** Booked for tomorrow afternoon, assigned to the same technician. */
  bookedWorkOrderId: string;
  /** Just taken, not yet booked. */
  newWorkOrderId: string;
  /** Invoiced and sent (waiting for payment), assigned to the same technician. */
  invoicedWorkOrderId: string;
  invoiceId: string;
  customerId: string;
  locationId: string;
  equipmentId: string;
  serviceTypeId: string;
  /** Assigned to both work orders. */
  technicianId: string;
  /** Assigned to none. */
  otherTechnicianId: string;
  partId: string;
  purchaseOrderId: string;
  agreementId: string;
  reminderId: string;
  recommendationId: string;
  taskId: string;
  linkId: string;
}

/** The links a customer was sent, as tokens (the last segment of their URLs). */
export interface CustomerLinks {
  /** The appointment page of the booked job. */
  view: string;
  /** The sign-off page of the field's job. */
  sign: string;
  /** The invoice page of the invoiced job. */
  pay: string;
}

/** A tenant that runs its business: records of every kind, its office and field people and their tokens. */
export interface Business {
  crew: Crew;
  ids: BusinessIds;
  links: CustomerLinks;
  /** Every id of the tenant's records: none of them may reach another tenant. */
  allIds: string[];
}

const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

const created = async (path: string, token: string, body: unknown): Promise<string> => {
  const response = await api<{ id: string }>('POST', path, { token, body });
  expect(response.status, `POST ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body.id;
};

/** Tomorrow as a local day (far enough ahead for every "today or later" rule). */
export const tomorrow = () => new Date(Date.now() + 36 * 60 * 60 * 1000).toISOString().slice(0, 10);

/**
 * A tenant with a job in the field and an invoiced one (both taken through the API and the
 * workflow), a customer with a home and its equipment, a part with stock and a purchase order
 * raised at its reorder point, an agreement, a reminder, a recommendation, a follow-up task and
 * the customer links of the jobs.
 */
export async function aBusiness(entities: Entities): Promise<Business> {
  const crew = await aCrew(entities);
  const { tenant } = crew;
  const office: Office = {
    tenant,
    dispatcher: crew.dispatcher,
    technician: crew.technician,
    nextSlot: freeSlots(),
  };
  const start = new Date(Date.now() + 24 * 60 * 60 * 1000);
  start.setUTCHours(21, 0, 0, 0);
  const [field, invoiced, booked, fresh] = await Promise.all([
    aJobInProgress(office),
    aJobAwaitingPayment(office),
    aStoredWorkOrder(entities, tenant, {
      status: 'scheduled',
      technicianId: tenant.technicianId,
      serviceTypeId: tenant.serviceTypeId,
      scheduledStart: start.toISOString(),
      scheduledEnd: new Date(start.getTime() + 90 * 60 * 1000).toISOString(),
      scheduledDate: start.toISOString().slice(0, 10),
    }),
    aStoredWorkOrder(entities, tenant, { serviceTypeId: tenant.serviceTypeId }),
  ]);
  if (!invoiced.invoiceId) throw new Error(`No invoice on ${invoiced.id}`);
  const invoiceId = invoiced.invoiceId;

  const partId = await aPart(crew, { sku: `AUTH-${tenant.tenantId.slice(-8)}`, supplier: 'Coastal Supply' });
  const truck = truckOf(tenant.technicianId);
  await stockUp(crew, partId, truck, 3);
  await reorderAt(crew, partId, truck, 2, 10);
  const used = await useParts(crew.technician, field.id, { partId, quantity: 2 });
  expect(used.status, JSON.stringify(used.body)).toBe(201);
  const purchaseOrderId = await eventually(async () => {
    const orders = await api<{ items: { id: string }[] }>('GET', '/v1/purchase-orders?status=draft', {
      token: crew.dispatcher,
    });
    return orders.body.items[0]?.id;
  });

  const [equipmentId, agreementId, recommendationId, taskId, reminderId, view, sign, pay] = await Promise.all(
    [
      created(`/v1/locations/${tenant.locationId}/equipment`, crew.dispatcher, {
        type: 'AC condenser',
        make: 'Carrier',
      }),
      created('/v1/agreements', crew.dispatcher, {
        customerId: tenant.customerId,
        name: 'Comfort Club',
        locationIds: [tenant.locationId],
        serviceTypeIds: [tenant.serviceTypeId],
        billing: { frequency: 'quarterly', amount: 8_900 },
        termStart: tomorrow(),
      }),
      created(`/v1/work-orders/${field.id}/recommendations`, crew.technician, {
        description: 'Condenser coil is corroded; replace within a year',
        urgency: 'medium',
        estimatedPrice: 120_000,
      }),
      created(`/v1/work-orders/${field.id}/follow-ups`, crew.dispatcher, {
        kind: 'task',
        description: 'Call about the ageing condenser',
        dueDate: tomorrow(),
      }),
      created(`/v1/work-orders/${invoiced.id}/reminders`, crew.dispatcher, {
        in: { months: 3 },
        note: 'Ask how the new capacitor holds up',
        createTask: true,
      }),
      linkFor(crew.dispatcher, `/v1/work-orders/${booked.workOrderId}/links`, { purpose: 'view' }),
      linkFor(crew.technician, `/v1/work-orders/${field.id}/links`, { purpose: 'sign' }),
      linkFor(crew.dispatcher, `/v1/invoices/${invoiceId}/links`),
    ],
  );
  // Its balance paid in two instalments: the plan the payment-plan routes read.
  await created(`/v1/invoices/${invoiceId}/payment-plan`, crew.dispatcher, { count: 2 });

  const ids: BusinessIds = {
    tenantId: tenant.tenantId,
    workOrderId: field.id,
    bookedWorkOrderId: booked.workOrderId,
    newWorkOrderId: fresh.workOrderId,
    invoicedWorkOrderId: invoiced.id,
    invoiceId,
    customerId: tenant.customerId,
    locationId: tenant.locationId,
    equipmentId,
    serviceTypeId: tenant.serviceTypeId,
    technicianId: tenant.technicianId,
    otherTechnicianId: tenant.unqualifiedTechnicianId,
    partId,
    purchaseOrderId,
    agreementId,
    reminderId,
    recommendationId,
    taskId,
    linkId: view.linkId,
  };
  return {
    crew,
    ids,
    links: { view: tokenOf(view.url), sign: tokenOf(sign.url), pay: tokenOf(pay.url) },
    allIds: [...Object.values(ids), tenant.otherCustomersLocationId],
  };
}

/**
 * A tenant with only its people and a job booked for its technician, of which its customer was
 * sent the appointment link: the caller from elsewhere.
 */
export async function aNeighbour(entities: Entities): Promise<{ crew: Crew; viewLink: string }> {
  const crew = await aCrew(entities);
  const workOrder = await aStoredWorkOrder(entities, crew.tenant, {
    status: 'scheduled',
    technicianId: crew.tenant.technicianId,
    serviceTypeId: crew.tenant.serviceTypeId,
  });
  const link = await linkFor(crew.dispatcher, `/v1/work-orders/${workOrder.workOrderId}/links`, {
    purpose: 'view',
  });
  return { crew, viewLink: tokenOf(link.url) };
}
