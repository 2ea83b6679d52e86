import type { PlannedVisit } from '../../domain/agreements/agreement-visits.ts';
import type { PlannedVisitStore } from '../../ports/planned-visit-store.ts';
import { isConditionalCheckFailure } from './conditional-check.ts';
import type { Entities } from './entities.ts';

/**
 * The visit days of agreements' plans, as `plannedVisit` items in each agreement's item
 * collection (sorted by day): one Query lists an agreement's, and a day is claimed with a
 * not-exists write, so of a skip and the schedule creating the visit's work order one wins.
 */
export class DynamoPlannedVisitStore implements PlannedVisitStore {
  constructor(private readonly entities: Entities) {}

  async visitsOf(tenantId: string, agreementId: string): Promise<PlannedVisit[]> {
    const { data } = await this.entities.plannedVisit.query
      .byAgreement({ tenantId, agreementId })
      .go({ pages: 'all' });
    return data as PlannedVisit[];
  }

  async claim(visit: PlannedVisit): Promise<PlannedVisit> {
    try {
      await this.entities.plannedVisit.create(visit).go();
      return visit;
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      const { tenantId, agreementId, day } = visit;
      const { data } = await this.entities.plannedVisit
        .get({ tenantId, agreementId, day })
        .go({ consistent: true });
      if (!data) throw error;
      return data as PlannedVisit;
    }
  }
}
