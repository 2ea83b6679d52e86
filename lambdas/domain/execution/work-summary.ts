import { createHash } from 'node:crypto';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import type { PhotoStore } from '../../ports/photo-store.ts';
import type { DirectoryStore, WorkOrderStore } from '../../ports/work-order-store.ts';
import type { Customer, ServiceLocation, Tenant } from '../customers/customer.ts';
import { formatAddress } from '../dispatch/dispatch-package.ts';
import type { Actor } from '../shared/actor.ts';
import { getWorkOrder } from '../work-orders/queries.ts';
import type { WorkOrder } from '../work-orders/work-order.ts';
import type { LaborEntry, PartUsage, WorkOrderNote } from './field-records.ts';
import { extendedAmount, netPartsUsed } from './parts-tally.ts';

/** Named in the canonical form, so a later change of what a summary holds changes every hash on purpose. */
export const workSummaryFormat = 'work-summary/1';

/**
 * What the customer is shown and signs: the job, the work done and what it took. Every field
 * is part of the canonical form and so of the hash; nothing in it changes at completion
 * itself (status, times of the transition, the signature), so a signed summary keeps its hash
 * until the work record changes.
 */
export interface WorkSummary {
  format: typeof workSummaryFormat;
  workOrderId: string;
  customer: { customerId: string; name: string };
  serviceAddress?: string;
  serviceType?: string;
  /** The problem in the customer's words, as the office took it. */
  problem: string;
  technician?: SummaryTechnician;
  /** Oldest first. */
  notes: { noteId: string; at: string; text: string; authorRole: string }[];
  /** Oldest first; tags only when the photo has some. */
  photos: { photoId: string; phase: string; caption?: string; tags?: string[]; uploadedAt: string }[];
  /**
   * In the order they were recorded, each net of its corrections (one taken back whole is
   * left out); money in minor units of `currency`, line totals as the invoice prices them.
   */
  parts: {
    usageId: string;
    sku: string;
    name: string;
    quantity: number;
    unit?: string;
    unitPrice: number;
    lineTotal: number;
  }[];
  partsTotal: number;
  /** Per technician, by name. */
  labor: (SummaryTechnician & { minutes: number; entries: number })[];
  laborMinutes: number;
  currency: string;
}

export interface SummaryTechnician {
  technicianId: string;
  name: string;
}

/** A photo as the summary needs it; tags are read when the photo has them. */
export interface SummaryPhoto {
  photoId: string;
  phase: string;
  caption?: string;
  tags?: readonly string[];
  uploadedAt?: string;
  requestedAt: string;
}

/** Everything a summary is compiled from, already read. */
export interface WorkSummaryRecords {
  workOrder: Pick<WorkOrder, 'workOrderId' | 'customerId' | 'description' | 'technicianId'>;
  customer?: Pick<Customer, 'name'>;
  location?: Pick<ServiceLocation, 'address'>;
  serviceTypeName?: string;
  /** Names of the technicians by id; an unknown id stands for itself. */
  technicianNames: ReadonlyMap<string, string>;
  notes: readonly WorkOrderNote[];
  photos: readonly SummaryPhoto[];
  parts: readonly PartUsage[];
  labor: readonly LaborEntry[];
  currency: string;
}

const byKeys =
  <T>(...keys: ((item: T) => string)[]) =>
  (one: T, other: T): number => {
    for (const key of keys) {
      const [a, b] = [key(one), key(other)];
      if (a !== b) return a < b ? -1 : 1;
    }
    return 0;
  };

/**
 * Compiles the work summary from the work order and its records. Pure: the same records give
 * the same summary, whatever order the store returned them in.
 */
export function compileWorkSummary(records: WorkSummaryRecords): WorkSummary {
  const { workOrder, technicianNames } = records;
  const technician = (technicianId: string): SummaryTechnician => ({
    technicianId,
    name: technicianNames.get(technicianId) ?? technicianId,
  });
  const parts = netPartsUsed(
    [...records.parts].sort(
      byKeys<PartUsage>(
        (usage) => usage.at,
        (usage) => usage.usageId,
      ),
    ),
  ).map(({ usage, quantity }) => ({
    usageId: usage.usageId,
    sku: usage.sku,
    name: usage.name,
    quantity,
    ...(usage.unit ? { unit: usage.unit } : {}),
    unitPrice: usage.unitPrice,
    lineTotal: extendedAmount(quantity, usage.unitPrice),
  }));
  const minutesByTechnician = new Map<string, { minutes: number; entries: number }>();
  for (const entry of records.labor) {
    const sum = minutesByTechnician.get(entry.technicianId) ?? { minutes: 0, entries: 0 };
    minutesByTechnician.set(entry.technicianId, {
      minutes: sum.minutes + entry.minutes,
      entries: sum.entries + 1,
    });
  }
  const labor = [...minutesByTechnician.entries()]
    .map(([technicianId, sum]) => ({ ...technician(technicianId), ...sum }))
    .sort(
      byKeys(
        (line) => line.name,
        (line) => line.technicianId,
      ),
    );
  return {
    format: workSummaryFormat,
    workOrderId: workOrder.workOrderId,
    customer: { customerId: workOrder.customerId, name: records.customer?.name ?? '' },
    ...(records.location ? { serviceAddress: formatAddress(records.location.address) } : {}),
    ...(records.serviceTypeName ? { serviceType: records.serviceTypeName } : {}),
    problem: workOrder.description,
    ...(workOrder.technicianId ? { technician: technician(workOrder.technicianId) } : {}),
    notes: [...records.notes]
      .sort(
        byKeys<WorkOrderNote>(
          (note) => note.at,
          (note) => note.noteId,
        ),
      )
      .map((note) => ({ noteId: note.noteId, at: note.at, text: note.text, authorRole: note.authorRole })),
    photos: [...records.photos]
      .map((photo) => ({ ...photo, uploadedAt: photo.uploadedAt ?? photo.requestedAt }))
      .sort(
        byKeys(
          (photo) => photo.uploadedAt,
          (photo) => photo.photoId,
        ),
      )
      .map((photo) => ({
        photoId: photo.photoId,
        phase: photo.phase,
        ...(photo.caption ? { caption: photo.caption } : {}),
        ...(photo.tags && photo.tags.length > 0 ? { tags: [...photo.tags] } : {}),
        uploadedAt: photo.uploadedAt,
      })),
    parts,
    partsTotal: parts.reduce((sum, part) => sum + part.lineTotal, 0),
    labor,
    laborMinutes: labor.reduce((sum, line) => sum + line.minutes, 0),
    currency: records.currency,
  };
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function canonicalValue(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('A summary holds finite numbers only');
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => canonicalValue(item) ?? null);
  if (typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .flatMap((key) => {
        const item = canonicalValue((value as Record<string, unknown>)[key]);
        return item === undefined ? [] : [[key, item] as const];
      });
    return Object.fromEntries(entries);
  }
  throw new Error(`A summary cannot hold a ${typeof value}`);
}

/**
 * The canonical form: JSON with the keys of every object in code-unit order, no whitespace,
 * absent fields left out and arrays in their order. Two equal summaries serialize to the
 * same bytes whatever order their fields were built in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalValue(value) ?? null);
}

/** The SHA-256 of the summary's canonical form (UTF-8), in lowercase hex. */
export function summaryHashOf(summary: WorkSummary): string {
  return createHash('sha256').update(canonicalJson(summary), 'utf8').digest('hex');
}

export interface WorkSummarySources {
  workOrders: Pick<WorkOrderStore, 'notes' | 'laborEntries' | 'partsUsed'>;
  directory: Pick<
    DirectoryStore,
    'getTenant' | 'getCustomer' | 'getLocation' | 'getServiceType' | 'getTechnician'
  >;
  photos: Pick<PhotoStore, 'listUploaded'>;
}

export interface CompiledSummary {
  summary: WorkSummary;
  hash: string;
  tenant: Tenant | undefined;
}

/** Reads what the summary of a work order is made of, and compiles it. */
export async function gatherWorkSummary(
  sources: WorkSummarySources,
  workOrder: WorkOrder,
): Promise<CompiledSummary> {
  const { tenantId, workOrderId } = workOrder;
  const [tenant, customer, location, serviceType, notes, labor, parts, photos] = await Promise.all([
    sources.directory.getTenant(tenantId),
    sources.directory.getCustomer(tenantId, workOrder.customerId),
    workOrder.locationId ? sources.directory.getLocation(tenantId, workOrder.locationId) : undefined,
    workOrder.serviceTypeId ? sources.directory.getServiceType(tenantId, workOrder.serviceTypeId) : undefined,
    sources.workOrders.notes(tenantId, workOrderId),
    sources.workOrders.laborEntries(tenantId, workOrderId),
    sources.workOrders.partsUsed(tenantId, workOrderId),
    sources.photos.listUploaded(tenantId, workOrderId),
  ]);
  const technicianIds = [
    ...new Set([
      ...(workOrder.technicianId ? [workOrder.technicianId] : []),
      ...labor.map((entry) => entry.technicianId),
    ]),
  ];
  const technicians = await Promise.all(
    technicianIds.map((technicianId) => sources.directory.getTechnician(tenantId, technicianId)),
  );
  const summary = compileWorkSummary({
    workOrder,
    ...(customer ? { customer } : {}),
    ...(location ? { location } : {}),
    ...(serviceType ? { serviceTypeName: serviceType.name } : {}),
    technicianNames: new Map(
      technicians.flatMap((technician) => (technician ? [[technician.technicianId, technician.name]] : [])),
    ),
    notes,
    photos,
    parts,
    labor,
    currency: tenant?.currency ?? 'USD',
  });
  return { summary, hash: summaryHashOf(summary), tenant };
}

/** Where a signed work order stands against its current summary. */
export interface SignedState {
  signedSummaryHash: string;
  /** True when a note, a photo, a part, labor (anything the summary holds) changed after signing. */
  changedSinceSigned: boolean;
}

/** Undefined when the work order was not signed, or signed before summaries carried a hash. */
function signedStateOf(workOrder: WorkOrder, currentHash: string): SignedState | undefined {
  const signed = workOrder.signature?.summaryHash;
  if (!signed) return undefined;
  return { signedSummaryHash: signed, changedSinceSigned: signed !== currentHash };
}

/** Whether the work changed since the customer signed; undefined when there is no signed hash to compare. */
export async function changedSinceSigned(
  sources: WorkSummarySources,
  workOrder: WorkOrder,
): Promise<boolean | undefined> {
  if (!workOrder.signature?.summaryHash) return undefined;
  const { hash } = await gatherWorkSummary(sources, workOrder);
  return signedStateOf(workOrder, hash)?.changedSinceSigned;
}

export interface WorkSummaryReading extends Partial<SignedState> {
  summary: WorkSummary;
  summaryHash: string;
  signature?: { signerName: string; signedAt: string };
}

/**
 * The current summary of a work order the actor may see (office, or the assigned technician),
 * with its hash; once signed, the hash that was signed and whether the work changed since.
 */
export async function readWorkSummary(
  sources: WorkSummarySources & { workOrders: WorkOrderStore },
  actor: Actor,
  workOrderId: string,
): Promise<WorkSummaryReading> {
  const workOrder = await getWorkOrder(sources.workOrders, actor, workOrderId);
  const { summary, hash } = await gatherWorkSummary(sources, workOrder);
  const signed = signedStateOf(workOrder, hash);
  return {
    summary,
    summaryHash: hash,
    ...(workOrder.signature
      ? { signature: { signerName: workOrder.signature.signerName, signedAt: workOrder.signature.signedAt } }
      : {}),
    ...(signed ?? {}),
  };
}

/** What the sign-off of a completed work order recorded. */
export type SignOff = Pick<WorkOrder, 'signature' | 'noSignatureReason' | 'completedAt'>;

/** An instant as the tenant's clock shows it (`2025-03-14 09:30`). */
export const localTime = (at: string, timeZone: string): string =>
  format(new TZDate(at, timeZone), 'yyyy-MM-dd HH:mm');

/** Minor units as the currency writes them (`$1,234.50`). */
export function formatMoney(minorUnits: number, currency: string): string {
  const formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(minorUnits / 10 ** digits);
}

export const formatMinutes = (minutes: number): string => `${Math.floor(minutes / 60)} h ${minutes % 60} min`;

/**
 * The summary as text, the way the work order keeps it (`summary`) and history previews show
 * it: the problem, the notes with their local times, photos, parts, labor, the sign-off and
 * the hash of the summary.
 */
export function summaryText(summary: WorkSummary, hash: string, signOff: SignOff, timeZone: string): string {
  const { signature } = signOff;
  const byTechnician = summary.labor.map((line) => `${line.name} ${formatMinutes(line.minutes)}`).join(', ');
  return [
    `Problem reported: ${summary.problem}`,
    'Work notes:',
    ...summary.notes.map((note) => `- ${localTime(note.at, timeZone)} ${note.text}`),
    ...(summary.photos.length > 0
      ? [
          `Photos: ${summary.photos
            .map((photo) =>
              [photo.phase, photo.caption, ...(photo.tags ?? []).map((tag) => `#${tag}`)]
                .filter(Boolean)
                .join(' '),
            )
            .join('; ')}`,
        ]
      : []),
    ...(summary.parts.length > 0
      ? [
          'Parts:',
          ...summary.parts.map(
            (part) =>
              `- ${part.quantity}${part.unit && part.unit !== 'each' ? ` ${part.unit}` : ''} x ${part.name} (${part.sku}) at ${formatMoney(part.unitPrice, summary.currency)} = ${formatMoney(part.lineTotal, summary.currency)}`,
          ),
        ]
      : []),
    `Labor: ${formatMinutes(summary.laborMinutes)}${byTechnician ? ` (${byTechnician})` : ''}`,
    signature
      ? `Signed by ${signature.signerName} at ${localTime(signature.signedAt, timeZone)}`
      : `Not signed: ${signOff.noSignatureReason ?? 'no reason recorded'}`,
    ...(signature?.summaryHash && signature.summaryHash !== hash
      ? [`Changed since signed: the customer signed summary ${signature.summaryHash}`]
      : []),
    `Summary hash: ${hash}`,
  ].join('\n');
}
