import { NotFoundError, ValidationError } from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import { distinctTermsOf } from './text-terms.ts';
import type { WorkOrder, WorkOrderStatus } from './work-order.ts';

/** Where earlier work orders of a customer are read from: newest first, at most `limit`. */
export interface WorkOrderHistorySource {
  workOrdersAtLocation(tenantId: string, locationId: string, limit: number): Promise<WorkOrder[]>;
  workOrdersOfCustomer(tenantId: string, customerId: string, limit: number): Promise<WorkOrder[]>;
}

export interface RelevantHistoryDependencies {
  history: WorkOrderHistorySource;
  /** Names the technicians of the answer (one GetItem per distinct technician); ids only without it. */
  technicianName?: (tenantId: string, technicianId: string) => Promise<string | undefined>;
}

export interface HistoryRequest {
  customerId: string;
  locationId?: string;
  equipmentId?: string;
  description: string;
}

/** How an earlier work order relates to the new one, closest first. */
export type HistoryRelation = 'same_equipment' | 'same_location' | 'same_customer';

export interface HistoryEntry {
  workOrderId: string;
  status: WorkOrderStatus;
  /** When the job was done, else when it was booked, else when it was taken. */
  date: string;
  description: string;
  /** The outcome: the completion summary, or why it was cancelled. */
  summary?: string;
  technician?: { technicianId: string; name?: string };
  serviceTypeId?: string;
  relation: HistoryRelation;
  /** Shared terms weighed against both descriptions' terms, in [0, 1]. */
  similarity: number;
  /** The description terms both share, for the office to see why it is listed. */
  matchedTerms: string[];
  /** `similarity` plus the relation's weight: what the list is ordered by. */
  relevance: number;
}

/** How much closeness adds to similarity: a similar problem anywhere of the customer's still beats an unrelated one here. */
export const relationWeights: Record<HistoryRelation, number> = {
  same_equipment: 0.3,
  same_location: 0.2,
  same_customer: 0.1,
};

/** How many earlier work orders each source reads at most. */
export const HISTORY_READ_LIMIT = 100;

const BIGRAM_WEIGHT = 0.5;

/**
 * The earlier work orders that matter for a new one, while the office is still on the
 * phone:
 * 1. read the newest `HISTORY_READ_LIMIT` work orders at the location (if given) and of the
 *    customer (one Query each);
 * 2. keep each once, under its closest relation: the same equipment (when work orders carry
 *    `equipmentId` and one was given), the same location, else the same customer;
 * 3. score each by the similarity of its description with the new one (terms of
 *    `text-terms.ts`: stems and two-word phrases, a phrase weighing half a word; the shared
 *    weight over the geometric mean of both descriptions' weights), plus the relation's weight;
 * 4. order by that relevance, then newest first, and answer `limit` of them with the names
 *    of their technicians.
 */
export async function relevantHistory(
  deps: RelevantHistoryDependencies,
  tenantId: string,
  request: HistoryRequest,
  limit = 10,
): Promise<HistoryEntry[]> {
  if (limit <= 0) return [];
  const [atLocation, ofCustomer] = await Promise.all([
    request.locationId
      ? deps.history.workOrdersAtLocation(tenantId, request.locationId, HISTORY_READ_LIMIT)
      : Promise.resolve([]),
    deps.history.workOrdersOfCustomer(tenantId, request.customerId, HISTORY_READ_LIMIT),
  ]);
  const ranked = rankHistory(request, [...atLocation, ...ofCustomer]).slice(0, limit);
  if (!deps.technicianName) return ranked;
  const lookup = deps.technicianName;
  const names = new Map(
    await Promise.all(
      [...new Set(ranked.flatMap((entry) => (entry.technician ? [entry.technician.technicianId] : [])))].map(
        async (technicianId) => [technicianId, await lookup(tenantId, technicianId)] as const,
      ),
    ),
  );
  return ranked.map((entry) => {
    const name = entry.technician && names.get(entry.technician.technicianId);
    return name && entry.technician ? { ...entry, technician: { ...entry.technician, name } } : entry;
  });
}

/** The pure ranking of `relevantHistory` (steps 2–4 without the names): every candidate once, most relevant first. */
export function rankHistory(request: HistoryRequest, candidates: readonly WorkOrder[]): HistoryEntry[] {
  const wanted = weightedTerms(request.description);
  const seen = new Set<string>();
  const entries: HistoryEntry[] = [];
  for (const workOrder of candidates) {
    if (seen.has(workOrder.workOrderId)) continue;
    seen.add(workOrder.workOrderId);
    const relation = relationOf(request, workOrder);
    const { similarity, matchedTerms } = similarityOf(wanted, weightedTerms(workOrder.description));
    entries.push({
      workOrderId: workOrder.workOrderId,
      status: workOrder.status,
      date: workOrder.completedAt ?? workOrder.scheduledStart ?? workOrder.createdAt,
      description: workOrder.description,
      ...(outcomeOf(workOrder) ? { summary: outcomeOf(workOrder) } : {}),
      ...(workOrder.technicianId ? { technician: { technicianId: workOrder.technicianId } } : {}),
      ...(workOrder.serviceTypeId ? { serviceTypeId: workOrder.serviceTypeId } : {}),
      relation,
      similarity: round(similarity),
      matchedTerms,
      relevance: round(similarity + relationWeights[relation]),
    });
  }
  return entries.sort(
    (first, second) =>
      second.relevance - first.relevance ||
      second.date.localeCompare(first.date) ||
      second.workOrderId.localeCompare(first.workOrderId),
  );
}

/**
 * The checks of a history request made by the office: the customer exists in the actor's
 * tenant (404 otherwise, also for another tenant's id) and the location is one of theirs.
 */
export async function checkHistoryRequest(
  directory: {
    getCustomer(tenantId: string, customerId: string): Promise<unknown>;
    getLocation(tenantId: string, locationId: string): Promise<{ customerId: string } | undefined>;
  },
  actor: Actor,
  request: HistoryRequest,
): Promise<void> {
  const [customer, location] = await Promise.all([
    directory.getCustomer(actor.tenantId, request.customerId),
    request.locationId
      ? directory.getLocation(actor.tenantId, request.locationId)
      : Promise.resolve(undefined),
  ]);
  if (!customer) throw new NotFoundError('Customer', request.customerId);
  if (request.locationId) {
    if (!location) throw new NotFoundError('Location', request.locationId);
    if (location.customerId !== request.customerId)
      throw new ValidationError([
        { field: 'body.locationId', message: 'is not a location of this customer' },
      ]);
  }
}

function relationOf(request: HistoryRequest, workOrder: WorkOrder): HistoryRelation {
  // `equipmentId` is read only when work orders carry it; without it, equipment never matches.
  const equipmentId = (workOrder as WorkOrder & { equipmentId?: string }).equipmentId;
  if (request.equipmentId && equipmentId === request.equipmentId) return 'same_equipment';
  if (request.locationId && workOrder.locationId === request.locationId) return 'same_location';
  return 'same_customer';
}

function outcomeOf(workOrder: WorkOrder): string | undefined {
  if (workOrder.summary) return workOrder.summary;
  if (workOrder.cancelReason) return `Cancelled: ${workOrder.cancelReason}`;
  return undefined;
}

function weightedTerms(text: string): Map<string, number> {
  return new Map([...distinctTermsOf(text)].map((term) => [term, term.includes(' ') ? BIGRAM_WEIGHT : 1]));
}

function similarityOf(
  wanted: ReadonlyMap<string, number>,
  candidate: ReadonlyMap<string, number>,
): { similarity: number; matchedTerms: string[] } {
  const total = (terms: ReadonlyMap<string, number>) => [...terms.values()].reduce((sum, w) => sum + w, 0);
  const matchedTerms = [...wanted.keys()].filter((term) => candidate.has(term));
  const shared = matchedTerms.reduce((sum, term) => sum + (wanted.get(term) ?? 0), 0);
  const norm = Math.sqrt(total(wanted) * total(candidate));
  return { similarity: norm > 0 ? shared / norm : 0, matchedTerms };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
