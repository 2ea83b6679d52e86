import { beforeEach, describe, expect, it } from 'vitest';
import { jobCostingReport } from '../../../../lambdas/domain/reports/job-costing-report.ts';
import type { Technician } from '../../../../lambdas/domain/scheduling/technicians.ts';
import type { CompletedWork, CompletedWorkOrder } from '../../../../lambdas/ports/completed-work.ts';
import { ForbiddenError, type ValidationError } from '../../../../lambdas/shared/errors.ts';
import { aPartUsage } from '../../../fixtures/part-records.ts';
import {
  aDispatcher,
  aLaborEntry,
  aServiceType,
  aTechnicianUser,
  aTenant,
} from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryTechnicians } from '../../fakes/in-memory-technicians.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

class CompletedWorkLog implements CompletedWork {
  readonly asked: [string, string][] = [];
  constructor(private readonly completions: CompletedWorkOrder[]) {}

  async completedBetween(tenantId: string, from: string, to: string): Promise<CompletedWorkOrder[]> {
    this.asked.push([from, to]);
    return this.completions.filter(
      (completion) =>
        completion.tenantId === tenantId && completion.completedAt >= from && completion.completedAt < to,
    );
  }
}

const aCostedTechnician = (technicianId: string, costRatePerHour?: number): Technician => ({
  tenantId: 'ten_acme',
  technicianId,
  name: technicianId,
  skills: ['hvac'],
  workingHours: {},
  timeOff: [],
  ...(costRatePerHour !== undefined ? { costRatePerHour } : {}),
  active: true,
  version: 1,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
});

describe('jobCostingReport', () => {
  let workOrders: InMemoryWorkOrderStore;
  let completed: CompletedWorkLog;
  let deps: Parameters<typeof jobCostingReport>[0];

  beforeEach(() => {
    const directory = new InMemoryDirectory().addTenant(aTenant()).addServiceType('ten_acme', aServiceType());
    workOrders = new InMemoryWorkOrderStore(directory)
      .putLaborEntry(aLaborEntry({ workOrderId: 'wo_a', minutes: 60, technicianId: 'tec_ana' }))
      .putLaborEntry(
        aLaborEntry({ workOrderId: 'wo_a', laborId: 'lab_0002', minutes: 30, technicianId: 'tec_ben' }),
      )
      .putPartUsage(aPartUsage({ workOrderId: 'wo_a', quantity: 2 }))
      .putLaborEntry(
        aLaborEntry({ workOrderId: 'wo_b', laborId: 'lab_0003', minutes: 120, technicianId: 'tec_ana' }),
      );
    completed = new CompletedWorkLog([
      {
        tenantId: 'ten_acme',
        workOrderId: 'wo_a',
        completedAt: '2025-03-10T18:00:00.000Z',
        customerId: 'cus_existing',
        serviceTypeId: 'svc_ac_repair',
      },
      {
        tenantId: 'ten_acme',
        workOrderId: 'wo_b',
        completedAt: '2025-03-31T23:30:00.000Z',
        customerId: 'cus_existing',
        serviceTypeId: 'svc_ac_repair',
      },
      {
        tenantId: 'ten_acme',
        workOrderId: 'wo_late',
        completedAt: '2025-04-01T04:30:00.000Z',
        customerId: 'cus_existing',
      },
    ]);
    deps = {
      completed,
      workOrders,
      directory,
      technicians: new InMemoryTechnicians()
        .add(aCostedTechnician('tec_ana', 6_000))
        .add(aCostedTechnician('tec_ben')),
    };
  });

  it('when work was completed in the period, each work order is costed as its job costing and the totals add them up', async () => {
    // Act
    const report = await jobCostingReport(deps, aDispatcher(), { from: '2025-03-01', to: '2025-03-31' });

    // Assert: wo_a: labor 90 min at 145.00/h = 217.50, parts 2 × 39.00, trip 89.00; cost 60 min at 60.00/h + parts 2 × 12.50.
    expect(report.workOrders.map((line) => [line.workOrderId, line.revenue, line.cost, line.margin])).toEqual(
      [
        ['wo_a', 21_750 + 7_800 + 8_900, 6_000 + 2_500, 38_450 - 8_500],
        ['wo_b', 29_000 + 8_900, 12_000, 37_900 - 12_000],
      ],
    );
    expect(report.workOrders[0]?.missingCostRates).toEqual(['tec_ben']);
    expect(report.totals).toEqual({
      workOrders: 2,
      laborMinutes: 210,
      laborCost: 18_000,
      partsCost: 2_500,
      revenue: 76_350,
      cost: 20_500,
      margin: 55_850,
      marginPercent: 73.1,
    });
    expect(report).toMatchObject({ from: '2025-03-01', to: '2025-03-31', currency: 'USD' });
  });

  it('when the period is given in local days, it asks for the instants of the tenant’s days (New York)', async () => {
    // Act
    await jobCostingReport(deps, aDispatcher(), { from: '2025-03-01', to: '2025-03-31' });

    // Assert: 31 March 23:30 UTC is still 31 March in New York; 1 April 04:30 UTC is 1 April 00:30.
    expect(completed.asked).toEqual([['2025-03-01T05:00:00.000Z', '2025-04-01T04:00:00.000Z']]);
  });

  it('when nothing was completed, the totals are zero and the margin percent is null', async () => {
    // Act
    const report = await jobCostingReport(deps, aDispatcher(), { from: '2025-02-01', to: '2025-02-28' });

    // Assert
    expect(report.workOrders).toEqual([]);
    expect(report.totals).toMatchObject({ workOrders: 0, revenue: 0, marginPercent: null });
  });

  it('when the period runs backwards or past a year, it names query.to (400); a technician is forbidden', async () => {
    // Act
    const backwards = await rejectionOf(
      jobCostingReport(deps, aDispatcher(), { from: '2025-03-02', to: '2025-03-01' }),
    );
    const tooLong = await rejectionOf(
      jobCostingReport(deps, aDispatcher(), { from: '2024-01-01', to: '2025-03-01' }),
    );
    const technician = await rejectionOf(
      jobCostingReport(deps, aTechnicianUser(), { from: '2025-03-01', to: '2025-03-31' }),
    );

    // Assert
    expect((backwards as ValidationError).errors[0]?.field).toBe('query.to');
    expect((tooLong as ValidationError).errors[0]?.field).toBe('query.to');
    expect(technician).toBeInstanceOf(ForbiddenError);
  });
});
