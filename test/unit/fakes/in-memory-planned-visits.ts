import type { PlannedVisit } from '../../../lambdas/domain/agreements/agreement-visits.ts';
import type { PlannedVisitStore } from '../../../lambdas/ports/planned-visit-store.ts';

/** Visit days keyed as the table keys them (tenant, agreement, day); a claim writes only when the day has no record. */
export class InMemoryPlannedVisits implements PlannedVisitStore {
  private readonly visits = new Map<string, PlannedVisit>();

  async visitsOf(tenantId: string, agreementId: string): Promise<PlannedVisit[]> {
    return [...this.visits.values()]
      .filter((visit) => visit.tenantId === tenantId && visit.agreementId === agreementId)
      .sort((a, b) => a.day.localeCompare(b.day))
      .map((visit) => structuredClone(visit));
  }

  async claim(visit: PlannedVisit): Promise<PlannedVisit> {
    const key = `${visit.tenantId}#${visit.agreementId}#${visit.day}`;
    const existing = this.visits.get(key);
    if (existing) return structuredClone(existing);
    this.visits.set(key, structuredClone(visit));
    return structuredClone(visit);
  }
}
