import { expect } from 'vitest';
import { aWorkOrderRequest } from '../fixtures/tenants.ts';
import { type Crew, freeSlots } from './crew.ts';
import { api } from './local-platform.ts';

export type Problem = {
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
};

export type StockLevelBody = {
  partId: string;
  sku?: string;
  locationId: string;
  onHand: number;
  negative: boolean;
  reorderPoint?: number;
  reorderQuantity?: number;
  belowReorderPoint: boolean;
  lowStockAlertId?: string;
};

export type PurchaseOrderBody = {
  id: string;
  supplier?: string;
  status: string;
  lines: {
    partId: string;
    sku: string;
    quantity: number;
    unitCost: number;
    total: number;
    receivedQuantity: number;
    outstandingQuantity: number;
  }[];
  deliverTo: string;
  total: number;
  raisedBy: string;
  version: number;
};

export type Page<T> = { items: T[]; nextCursor?: string };

export const fieldsOf = (problem: unknown) => (problem as Problem).errors?.map((error) => error.field);

export const truckOf = (technicianId: string) => `truck:${technicianId}`;

/** Adds a part to the crew's catalogue (by the each unless said otherwise), answering its id. */
export async function aPart(
  crew: Crew,
  fields: { sku: string; unitCost?: number; supplier?: string; unit?: string },
): Promise<string> {
  const response = await api<{ id: string }>('POST', '/v1/parts', {
    token: crew.admin,
    body: {
      name: `Part ${fields.sku}`,
      unit: 'each',
      unitCost: 1000,
      unitPrice: 2500,
      ...fields,
    },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id;
}

/** Puts `quantity` into a location's stock by a receipt. */
export async function stockUp(crew: Crew, partId: string, locationId: string, quantity: number) {
  const response = await api('POST', '/v1/inventory/adjustments', {
    token: crew.dispatcher,
    body: { partId, locationId, quantity, reason: 'Opening stock', type: 'receipt' },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
}

export async function reorderAt(
  crew: Crew,
  partId: string,
  locationId: string,
  reorderPoint: number,
  reorderQuantity: number,
) {
  const response = await api('POST', '/v1/inventory/reorder-rules', {
    token: crew.dispatcher,
    body: { partId, locationId, reorderPoint, reorderQuantity },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

export async function setNegativeStock(crew: Crew, negativeStock: 'refuse' | 'flag') {
  const response = await api('PATCH', '/v1/settings/inventory', {
    token: crew.admin,
    body: { negativeStock },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

/** A location's stock of a part as the API shows it (undefined when it holds no record of it). */
export async function stockOf(
  crew: Crew,
  partId: string,
  locationId: string,
): Promise<StockLevelBody | undefined> {
  const response = await api<Page<StockLevelBody>>('GET', `/v1/inventory/stock?partId=${partId}&limit=100`, {
    token: crew.dispatcher,
  });
  expect(response.status).toBe(200);
  return response.body.items.find((level) => level.locationId === locationId);
}

export const openOrders = async (crew: Crew) =>
  (
    await api<Page<PurchaseOrderBody>>('GET', '/v1/purchase-orders?status=draft&limit=100', {
      token: crew.dispatcher,
    })
  ).body.items;

const slots = freeSlots();

/** A work order taken through the API to in progress, dispatched to the crew's technician. */
export async function aJobInProgress(crew: Crew): Promise<string> {
  const created = await api<{ id: string }>('POST', '/v1/work-orders', {
    token: crew.dispatcher,
    body: aWorkOrderRequest(crew.tenant),
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  const steps: [string, string, unknown][] = [
    [crew.dispatcher, 'schedule', { start: slots() }],
    [crew.dispatcher, 'dispatch', { technicianId: crew.tenant.technicianId }],
    [crew.technician, 'field-status', { status: 'en_route' }],
    [crew.technician, 'field-status', { status: 'arrived' }],
    [crew.technician, 'field-status', { status: 'in_progress' }],
  ];
  for (const [token, verb, body] of steps) {
    const response = await api('POST', `/v1/work-orders/${id}/${verb}`, { token, body });
    expect(response.status, `${verb}: ${JSON.stringify(response.body)}`).toBe(200);
  }
  return id;
}

export const useParts = (token: string, workOrderId: string, body: Record<string, unknown>) =>
  api<
    {
      id: string;
      stockLocationId?: string;
      stock?: { locationId: string; onHand: number; negative: boolean };
    } & Problem
  >('POST', `/v1/work-orders/${workOrderId}/parts`, { token, body });
