import { expect, inject } from 'vitest';
import { aWorkOrderRequest, type TenantFixture } from '../fixtures/tenants.ts';
import { api, eventually } from './local-platform.ts';

export interface WorkOrderBody {
  id: string;
  status: string;
  version: number;
  invoiceId?: string;
  schedule?: { start: string; end: string };
  technicianId?: string;
  accessNotes?: string;
  cancelReason?: string;
  signature?: { signerName: string; summaryHash?: string };
  workflow: { state: string };
}

export interface PageResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Where a 303 leads, when it is one. */
  location?: string;
}

/** A customer's browser asking for a page, or posting a form to one (redirects are not followed). */
export async function visit(
  url: string,
  options: {
    form?: Record<string, string>;
    method?: 'GET' | 'POST';
    contentType?: string;
    body?: string;
  } = {},
): Promise<PageResponse> {
  const method = options.method ?? (options.form || options.body !== undefined ? 'POST' : 'GET');
  const absolute = url.startsWith('http') ? url : `${inject('apiUrl')}${url}`;
  const response = await fetch(absolute, {
    method,
    redirect: 'manual',
    headers: {
      accept: 'text/html',
      ...(method === 'POST'
        ? { 'content-type': options.contentType ?? 'application/x-www-form-urlencoded' }
        : {}),
    },
    ...(method === 'POST'
      ? { body: options.body ?? new URLSearchParams(options.form ?? {}).toString() }
      : {}),
  });
  const location = response.headers.get('location') ?? undefined;
  return {
    status: response.status,
    headers: response.headers,
    text: await response.text(),
    ...(location ? { location } : {}),
  };
}

const terminalStates = ['Closed', 'WorkOrderCancelled', 'NeedsAttention'];

/** The work order once its execution waits in `state` (failing on any other end). */
export async function workflowIn(token: string, id: string, state: string): Promise<WorkOrderBody> {
  const seen = await eventually(async () => {
    const { body } = await api<WorkOrderBody>('GET', `/v1/work-orders/${id}`, { token });
    return body.workflow.state === state || terminalStates.includes(body.workflow.state) ? body : undefined;
  }, 20_000);
  expect(seen.workflow.state, `the workflow of ${id}`).toBe(state);
  return seen;
}

export interface Office {
  tenant: TenantFixture;
  dispatcher: string;
  technician: string;
  nextSlot: () => string;
}

export const act = (token: string, id: string, verb: string, body: unknown = {}) =>
  api<WorkOrderBody>('POST', `/v1/work-orders/${id}/${verb}`, { token, body });

/** A new work order, its execution waiting for scheduling. */
export async function aNewJob(
  office: Office,
  overrides: Record<string, unknown> = {},
): Promise<WorkOrderBody> {
  const created = await api<WorkOrderBody>('POST', '/v1/work-orders', {
    token: office.dispatcher,
    body: aWorkOrderRequest(office.tenant, overrides),
  });
  expect(created.status).toBe(201);
  return workflowIn(office.dispatcher, created.body.id, 'AwaitScheduling');
}

/** A job booked and confirmed (its execution waiting for dispatch). */
export async function aBookedJob(office: Office): Promise<WorkOrderBody> {
  const { id } = await aNewJob(office);
  const booked = await act(office.dispatcher, id, 'schedule', {
    start: office.nextSlot(),
    technicianId: office.tenant.technicianId,
  });
  expect(booked.status, JSON.stringify(booked.body)).toBe(200);
  return workflowIn(office.dispatcher, id, 'AwaitDispatch');
}

/** A job whose technician is at work, with a note and labor recorded: ready to sign. */
export async function aJobInProgress(office: Office): Promise<WorkOrderBody> {
  const { id } = await aBookedJob(office);
  const steps: [string, string, unknown][] = [
    [office.dispatcher, 'dispatch', {}],
    [office.technician, 'field-status', { status: 'en_route' }],
    [office.technician, 'field-status', { status: 'arrived' }],
    [office.technician, 'field-status', { status: 'in_progress' }],
    [office.technician, 'notes', { text: 'Replaced the run capacitor; cooling restored' }],
    [office.technician, 'labor', { minutes: 90 }],
  ];
  for (const [token, verb, body] of steps) {
    const response = await act(token, id, verb, body);
    expect(response.status, `${verb} ${JSON.stringify(response.body)}`).toBeLessThan(300);
  }
  return workflowIn(office.dispatcher, id, 'AwaitFieldWork');
}

/** A job signed, its invoice approved and sent (the execution waiting for payment). */
export async function aJobAwaitingPayment(office: Office): Promise<WorkOrderBody> {
  const { id } = await aJobInProgress(office);
  const shown = await api<{ summaryHash: string }>('GET', `/v1/work-orders/${id}/summary`, {
    token: office.technician,
  });
  const completed = await act(office.technician, id, 'complete', {
    signature: { signerName: 'Pat Doe', summaryHash: shown.body.summaryHash },
  });
  expect(completed.status).toBe(200);
  await workflowIn(office.dispatcher, id, 'AwaitApproval');
  expect((await act(office.dispatcher, id, 'invoice/approve')).status).toBe(200);
  return workflowIn(office.dispatcher, id, 'AwaitPayment');
}

/** A link issued by the office (or the technician) through the API; its URL. */
export async function linkFor(
  token: string,
  path: string,
  body: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ url: string; linkId: string }> {
  const issued = await api<{ url: string; linkId: string }>('POST', path, { token, body, headers });
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  return issued.body;
}

/** The path of a page URL (the gateway's origin left out), as forms and redirects name it. */
export const pathOf = (url: string) => new URL(url).pathname;
