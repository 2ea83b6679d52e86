import { type Agreement, coveringAgreements } from '../../domain/agreements/agreement.ts';
import { isLocalDay, LocalCalendar } from '../../domain/scheduling/local-time.ts';
import type { AgreementCoverage } from '../../ports/agreement-coverage.ts';
import { type Clock, systemClock } from '../../ports/clock.ts';
import { ServiceUnavailableError } from '../../shared/errors.ts';
import { isConditionalCheckFailure } from './conditional-check.ts';
import type { Condition, Operations } from './conditions.ts';
import type { Entities } from './entities.ts';

type CoverageInput = Parameters<AgreementCoverage['coverageFor']>[0];
type Coverage = Awaited<ReturnType<AgreementCoverage['coverageFor']>>;
/** Transactions cancelled by a concurrent one before the count is given up as busy. */
const maxAttempts = 10;

/** Included visits left, on an agreement still active. */
const visitLeft: Condition = ({ visitsRemaining, status }, { gt, eq }) =>
  `${(gt as Operations[string])(visitsRemaining, 0)} AND ${(eq as Operations[string])(status, 'active')}`;

/**
 * Which of a customer's service agreements applies to a visit, from the table.
 * 1. Reads the customer's agreements (one Query) and any answer already given for the work
 *    order (one BatchGet of their `agreementVisit` items): asked again, the same answer.
 * 2. Otherwise picks the active agreement in its term on the visit's local day that covers the
 *    location and the service type (`coveringAgreements`), and, while it has included visits
 *    left, takes one in a transaction: the visit's item written only if absent, and the count
 *    taken down only while above zero (bumping the agreement's version, so a write of an older
 *    read fails). Concurrent transactions on one agreement cancel each other and are tried
 *    again: of work orders racing for the last visits, exactly as many as are left get one; the
 *    same work order asked twice at once counts once.
 * 3. With no visit left, records that the visit was not included, so that stays the answer.
 */
export class DynamoAgreementCoverage implements AgreementCoverage {
  constructor(
    private readonly entities: Entities,
    private readonly clock: Clock = systemClock,
  ) {}

  async coverageFor(input: CoverageInput): Promise<Coverage> {
    const { tenantId, customerId, workOrderId } = input;
    const { data } = await this.entities.agreement.query
      .byCustomer({ tenantId, customerId })
      .go({ pages: 'all' });
    const agreements = data as Agreement[];
    if (agreements.length === 0) return undefined;
    const answered = await this.answeredBefore(agreements, workOrderId);
    if (answered) return answered;

    const day = isLocalDay(input.at) ? input.at : await this.localDay(tenantId, input.at);
    const [chosen] = coveringAgreements(agreements, input, day);
    if (!chosen) return undefined;
    const terms = {
      agreementId: chosen.agreementId,
      memberDiscountBasisPoints: chosen.memberDiscountBasisPoints,
    };
    const visit = {
      tenantId,
      agreementId: chosen.agreementId,
      workOrderId,
      at: input.at,
      recordedAt: this.clock.now().toISOString(),
    };
    if (chosen.visitsRemaining > 0) {
      const taken = await this.takeVisit(chosen, visit);
      if (taken === 'taken') return { ...terms, coversVisit: true };
      if (taken === 'answered')
        return (await this.answeredBefore([chosen], workOrderId)) ?? { ...terms, coversVisit: true };
    }
    try {
      await this.entities.agreementVisit.create({ ...visit, coversVisit: false }).go();
      return { ...terms, coversVisit: false };
    } catch (error) {
      if (!isConditionalCheckFailure(error)) throw error;
      // The same work order was answered meanwhile: that answer stands.
      return (await this.answeredBefore([chosen], workOrderId)) ?? { ...terms, coversVisit: false };
    }
  }

  /**
   * Takes one included visit for the work order: the visit's item and the count in one
   * transaction. Two transactions on the same agreement at once cancel each other (a conflict,
   * not a refusal), so a conflict is tried again after a short random pause.
   */
  private async takeVisit(
    agreement: Agreement,
    visit: { tenantId: string; agreementId: string; workOrderId: string; at: string; recordedAt: string },
  ): Promise<'taken' | 'answered' | 'none left'> {
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const result = await this.entities.service.transaction
        .write((entity) => [
          entity.agreementVisit.create({ ...visit, coversVisit: true }).commit(),
          entity.agreement
            .patch({ tenantId: agreement.tenantId, agreementId: agreement.agreementId })
            .subtract({ visitsRemaining: 1 })
            .add({ version: 1 })
            .set({ updatedAt: visit.recordedAt })
            .where(visitLeft as never)
            .commit(),
        ])
        .go();
      if (!result.canceled) return 'taken';
      const [visitOutcome, agreementOutcome] = result.data as unknown as { code?: string }[];
      if (visitOutcome?.code === 'ConditionalCheckFailed') return 'answered';
      if (agreementOutcome?.code === 'ConditionalCheckFailed') return 'none left';
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
    throw new ServiceUnavailableError(`Agreement ${agreement.agreementId} is busy; retry`);
  }

  private async answeredBefore(agreements: Agreement[], workOrderId: string): Promise<Coverage> {
    const keys = agreements.map(({ tenantId, agreementId }) => ({ tenantId, agreementId, workOrderId }));
    const { data } = await this.entities.agreementVisit.get(keys).go({ consistent: true });
    const [answer] = data.sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
    if (!answer) return undefined;
    const agreement = agreements.find((candidate) => candidate.agreementId === answer.agreementId);
    return {
      agreementId: answer.agreementId,
      memberDiscountBasisPoints: agreement?.memberDiscountBasisPoints ?? 0,
      coversVisit: answer.coversVisit,
    };
  }

  private async localDay(tenantId: string, at: string): Promise<string> {
    const { data: tenant } = await this.entities.tenant.get({ tenantId }).go();
    return new LocalCalendar(tenant?.timeZone ?? 'UTC').dayOf(at);
  }
}
