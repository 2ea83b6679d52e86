import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import {
  agreementInvoiceId,
  billingPeriod,
  coveringAgreements,
  covers,
} from '../../../../lambdas/domain/agreements/agreement.ts';
import { anAgreement } from '../../../fixtures/agreement-records.ts';

describe('billingPeriod', () => {
  it('when a quarterly agreement runs a year, it has four periods and none after the term', () => {
    // Act
    const periods = [0, 1, 2, 3, 4].map((period) => billingPeriod(anAgreement(), period));

    // Assert
    expect(periods).toEqual([
      { period: 0, start: '2025-01-01', end: '2025-03-31' },
      { period: 1, start: '2025-04-01', end: '2025-06-30' },
      { period: 2, start: '2025-07-01', end: '2025-09-30' },
      { period: 3, start: '2025-10-01', end: '2025-12-31' },
      undefined,
    ]);
  });

  it('when a monthly term starts on the 31st, periods start on the last day of shorter months, counted from the start', () => {
    // Arrange
    const agreement = anAgreement({
      billing: { frequency: 'monthly', amount: 2_500 },
      termStart: '2025-01-31',
      termEnd: '2025-04-15',
    });

    // Act
    const periods = [0, 1, 2, 3].map((period) => billingPeriod(agreement, period));

    // Assert
    expect(periods).toEqual([
      { period: 0, start: '2025-01-31', end: '2025-02-27' },
      { period: 1, start: '2025-02-28', end: '2025-03-30' },
      { period: 2, start: '2025-03-31', end: '2025-04-15' },
      undefined,
    ]);
  });
});

describe('agreementInvoiceId', () => {
  it('when asked twice for a period, it gives the same prefixed ULID; another period or agreement gets another', () => {
    // Arrange
    const first = billingPeriod(anAgreement(), 0)!;
    const second = billingPeriod(anAgreement(), 1)!;

    // Act
    const id = agreementInvoiceId('agr_01JQ0000000000000000000001', first);

    // Assert
    expect(id).toMatch(/^inv_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(agreementInvoiceId('agr_01JQ0000000000000000000001', first)).toBe(id);
    expect(agreementInvoiceId('agr_01JQ0000000000000000000001', second)).not.toBe(id);
    expect(agreementInvoiceId('agr_01JQ0000000000000000000002', first)).not.toBe(id);
  });

  it('when periods follow each other, their ids sort in period order (the ULID time is the first day)', () => {
    // Act
    const ids = [0, 1, 2, 3].map((period) =>
      agreementInvoiceId('agr_x', billingPeriod(anAgreement(), period)!),
    );

    // Assert
    expect([...ids].sort()).toEqual(ids);
    expect(decodeTime(ids[0]?.slice(4) ?? '')).toBe(Date.parse('2025-01-01T00:00:00Z'));
  });
});

describe('covers', () => {
  it('when the visit is of a covered type, at a covered location, in the term, the active agreement covers it', () => {
    // Arrange
    const agreement = anAgreement({ locationIds: ['loc_home'] });
    const visit = { locationId: 'loc_home', serviceTypeId: 'svc_ac_repair' };

    // Act & Assert
    expect(covers(agreement, visit, '2025-06-01')).toBe(true);
    expect(covers(agreement, { ...visit, locationId: 'loc_cabin' }, '2025-06-01')).toBe(false);
    expect(covers(agreement, { ...visit, serviceTypeId: 'svc_plumbing' }, '2025-06-01')).toBe(false);
    expect(covers(agreement, visit, '2026-01-01')).toBe(false);
    expect(covers({ ...agreement, status: 'paused' }, visit, '2025-06-01')).toBe(false);
    expect(covers(anAgreement(), { serviceTypeId: 'svc_ac_repair' }, '2025-06-01')).toBe(true);
  });

  it('when several agreements cover a visit, the one with visits left comes first, then the larger discount', () => {
    // Arrange
    const spent = anAgreement({ agreementId: 'agr_a', visitsRemaining: 0, memberDiscountBasisPoints: 2_000 });
    const small = anAgreement({ agreementId: 'agr_b', memberDiscountBasisPoints: 500 });
    const large = anAgreement({ agreementId: 'agr_c', memberDiscountBasisPoints: 1_500 });

    // Act
    const order = coveringAgreements([spent, small, large], { serviceTypeId: 'svc_ac_repair' }, '2025-06-01');

    // Assert
    expect(order.map((agreement) => agreement.agreementId)).toEqual(['agr_c', 'agr_b', 'agr_a']);
  });
});
