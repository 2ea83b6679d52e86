import type { AgreementCoverage } from '../../../lambdas/ports/agreement-coverage.ts';

type Coverage = Awaited<ReturnType<AgreementCoverage['coverageFor']>>;
type Question = Parameters<AgreementCoverage['coverageFor']>[0];

/**
 * Customers' agreements kept by tenant and customer, answering every question about a customer
 * the same way (a real adapter counts an included visit once per work order); remembers what it
 * was asked.
 */
export class InMemoryAgreementCoverage implements AgreementCoverage {
  private readonly coverage = new Map<string, NonNullable<Coverage>>();
  readonly asked: Question[] = [];

  /** The customer holds an agreement with these terms. */
  cover(tenantId: string, customerId: string, terms: NonNullable<Coverage>): this {
    this.coverage.set(`${tenantId}#${customerId}`, { ...terms });
    return this;
  }

  async coverageFor(input: Question): Promise<Coverage> {
    this.asked.push({ ...input });
    const terms = this.coverage.get(`${input.tenantId}#${input.customerId}`);
    return terms ? { ...terms } : undefined;
  }
}
