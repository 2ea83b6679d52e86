/**
 * What a customer's service agreement does for a visit, asked when its invoice is priced: a
 * member discount on what is charged, and whether the visit is one the agreement includes (no
 * labor and no trip charge). Asked again for the same work order (a retried step, a
 * recalculated draft), it answers the same: an included visit is counted once per work order.
 */
export interface AgreementCoverage {
  coverageFor(input: {
    tenantId: string;
    customerId: string;
    locationId?: string;
    serviceTypeId?: string;
    workOrderId: string;
    /** When the visit was done (its completion), ISO 8601. */
    at: string;
  }): Promise<{ agreementId: string; memberDiscountBasisPoints: number; coversVisit: boolean } | undefined>;
}
