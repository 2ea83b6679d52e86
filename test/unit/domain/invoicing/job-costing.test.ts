import { beforeEach, describe, expect, it } from 'vitest';
import {
  costJob,
  type JobCostingInput,
  jobCosting,
} from '../../../../lambdas/domain/invoicing/job-costing.ts';
import type { Technician } from '../../../../lambdas/domain/scheduling/technicians.ts';
import { ForbiddenError, NotFoundError } from '../../../../lambdas/shared/errors.ts';
import { aPartUsage } from '../../../fixtures/part-records.ts';
import {
  aDispatcher,
  aLaborEntry,
  anInvoice,
  aServiceType,
  aTechnicianUser,
  aTenant,
  aWorkOrderAt,
  createdAt,
} from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryTechnicians } from '../../fakes/in-memory-technicians.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const copper = aPartUsage({
  usageId: 'use_0002',
  partId: 'prt_copper',
  sku: 'CU-38',
  name: 'Copper line 3/8"',
  quantity: 2.5,
  unit: 'ft',
  unitCost: 310,
  unitPrice: 899,
  taxable: false,
});

/** Ana (45.00 an hour) worked 60 + 30 minutes, Bo (30.00 an hour) 45; two capacitors and 2.5 ft of copper. */
const aJob = (overrides: Partial<JobCostingInput> = {}): JobCostingInput => ({
  laborEntries: [
    aLaborEntry({ laborId: 'lab_0001', technicianId: 'tec_ana', minutes: 60 }),
    aLaborEntry({ laborId: 'lab_0002', technicianId: 'tec_bo', minutes: 45 }),
    aLaborEntry({ laborId: 'lab_0003', technicianId: 'tec_ana', minutes: 30 }),
  ],
  costRates: new Map([
    ['tec_ana', 4500],
    ['tec_bo', 3000],
  ]),
  laborRatePerHour: 14500,
  tripCharge: 8900,
  serviceName: 'AC repair',
  parts: [aPartUsage({ quantity: 2 }), copper],
  ...overrides,
});

describe('costJob', () => {
  it('when two technicians at different cost rates worked and two parts were used, it adds up revenue, cost and margin', () => {
    // Act
    const costing = costJob(aJob());

    // Assert, worked by hand:
    // labor cost: Ana 90 min × 4 500 / 60 = 6 750; Bo 45 min × 3 000 / 60 = 2 250; 9 000
    // labor price: 135 min × 14 500 / 60 = 32 625
    // parts: cost 2 × 1 250 + 2.5 × 310 = 3 275; price 2 × 3 900 + 2.5 × 899 (2 247.5 → 2 248) = 10 048
    // revenue 32 625 + 10 048 + 8 900 = 51 573; cost 9 000 + 3 275 = 12 275; margin 39 298 (76.2 %)
    expect(costing).toEqual({
      labor: {
        minutes: 135,
        ratePerHour: 14500,
        price: 32625,
        cost: 9000,
        byTechnician: [
          { technicianId: 'tec_ana', minutes: 90, costRatePerHour: 4500, cost: 6750 },
          { technicianId: 'tec_bo', minutes: 45, costRatePerHour: 3000, cost: 2250 },
        ],
      },
      parts: { count: 2, cost: 3275, price: 10048 },
      tripCharge: 8900,
      revenue: 51573,
      revenueBasis: 'estimate',
      cost: 12275,
      margin: 39298,
      marginPercent: 76.2,
      missingCostRates: [],
    });
  });

  it('when a technician has no cost rate, their time counts at no cost and they are named', () => {
    // Act
    const costing = costJob(
      aJob({
        laborEntries: [
          aLaborEntry({ laborId: 'lab_0001', technicianId: 'tec_ana', minutes: 60 }),
          aLaborEntry({ laborId: 'lab_0002', technicianId: 'tec_cy', minutes: 30 }),
        ],
      }),
    );

    // Assert: Ana 4 500; Cy 0
    expect(costing.labor.byTechnician).toEqual([
      { technicianId: 'tec_ana', minutes: 60, costRatePerHour: 4500, cost: 4500 },
      { technicianId: 'tec_cy', minutes: 30, cost: 0 },
    ]);
    expect(costing.labor.cost).toBe(4500);
    expect(costing.missingCostRates).toEqual(['tec_cy']);
  });

  it('when a technician records time in pieces, their cost is rounded once on the total', () => {
    // Act: 7 + 7 minutes at 100.00 an hour is 2 333.33 (per entry it would be 1 166.67 twice, 2 334)
    const costing = costJob(
      aJob({
        laborEntries: [
          aLaborEntry({ laborId: 'lab_0001', technicianId: 'tec_ana', minutes: 7 }),
          aLaborEntry({ laborId: 'lab_0002', technicianId: 'tec_ana', minutes: 7 }),
        ],
        costRates: new Map([['tec_ana', 10000]]),
      }),
    );

    // Assert
    expect(costing.labor.cost).toBe(2333);
  });

  it('when revenue equals the invoice’s subtotal, labor, parts and trip add up to it', () => {
    // Act
    const costing = costJob(aJob());

    // Assert
    expect(costing.labor.price + costing.parts.price + costing.tripCharge).toBe(costing.revenue);
    expect(costing.cost).toBe(costing.labor.cost + costing.parts.cost);
  });

  it('when nothing is charged, the margin is the loss and it has no percentage', () => {
    // Act
    const costing = costJob(aJob({ laborRatePerHour: 0, tripCharge: 0, parts: [] }));

    // Assert
    expect(costing).toMatchObject({ revenue: 0, cost: 9000, margin: -9000, marginPercent: null });
  });

  it('when nothing was recorded, everything is zero', () => {
    // Act
    const costing = costJob(aJob({ laborEntries: [], parts: [], tripCharge: 0 }));

    // Assert
    expect(costing).toMatchObject({
      labor: { minutes: 0, price: 0, cost: 0, byTechnician: [] },
      parts: { count: 0, cost: 0, price: 0 },
      revenue: 0,
      cost: 0,
      margin: 0,
      marginPercent: null,
      missingCostRates: [],
    });
  });
});

describe('jobCosting', () => {
  let workOrders: InMemoryWorkOrderStore;
  let technicians: InMemoryTechnicians;
  let dependencies: Parameters<typeof jobCosting>[0];

  const aStoredTechnician = (technicianId: string, costRatePerHour?: number): Technician => ({
    tenantId: 'ten_acme',
    technicianId,
    name: technicianId,
    skills: ['hvac'],
    workingHours: {},
    timeOff: [],
    ...(costRatePerHour !== undefined ? { costRatePerHour } : {}),
    active: true,
    version: 1,
    createdAt,
    updatedAt: createdAt,
  });

  beforeEach(() => {
    const directory = new InMemoryDirectory().addTenant(aTenant()).addServiceType('ten_acme', aServiceType());
    workOrders = new InMemoryWorkOrderStore(directory);
    technicians = new InMemoryTechnicians()
      .add(aStoredTechnician('tec_ana', 4500))
      .add(aStoredTechnician('tec_bo'));
    dependencies = { workOrders, directory, technicians };
  });

  it('when the office asks, it costs the job from its records, rates and service type', async () => {
    // Arrange
    workOrders
      .put(aWorkOrderAt('in_progress', { serviceTypeId: 'svc_ac_repair' }))
      .putLaborEntry(aLaborEntry({ laborId: 'lab_0001', technicianId: 'tec_ana', minutes: 90 }))
      .putLaborEntry(aLaborEntry({ laborId: 'lab_0002', technicianId: 'tec_bo', minutes: 30 }))
      .putPartUsage(aPartUsage({ quantity: 2 }));

    // Act
    const costing = await jobCosting(dependencies, aDispatcher(), 'wo_existing');

    // Assert: labor 120 min × 14 500 / 60 = 29 000; parts 7 800; trip 8 900; revenue 45 700
    // cost: Ana 90 × 4 500 / 60 = 6 750, Bo no rate; parts 2 500; 9 250; margin 36 450 (79.8 %)
    expect(costing).toMatchObject({
      workOrderId: 'wo_existing',
      status: 'in_progress',
      currency: 'USD',
      revenue: 45700,
      cost: 9250,
      margin: 36450,
      marginPercent: 79.8,
      missingCostRates: ['tec_bo'],
    });
  });

  it('when the work is invoiced, revenue is the invoice’s subtotal (rules, agreement, discounts), not the list-price estimate', async () => {
    // Arrange: the invoice charged 31 858 before tax; at list prices the work would be 45 700.
    workOrders
      .put(aWorkOrderAt('invoiced', { serviceTypeId: 'svc_ac_repair', invoiceId: 'inv_existing' }))
      .putLaborEntry(aLaborEntry({ laborId: 'lab_0001', technicianId: 'tec_ana', minutes: 90 }))
      .putLaborEntry(aLaborEntry({ laborId: 'lab_0002', technicianId: 'tec_bo', minutes: 30 }))
      .putPartUsage(aPartUsage({ quantity: 2 }))
      .putInvoice(anInvoice({ status: 'sent', subtotal: 31858, tax: 2549, total: 34407 }));

    // Act
    const costing = await jobCosting(dependencies, aDispatcher(), 'wo_existing');

    // Assert: cost 9 250 as above; margin 31 858 − 9 250 = 22 608 (71.0 %)
    expect(costing).toMatchObject({
      revenue: 31858,
      revenueBasis: 'invoice',
      cost: 9250,
      margin: 22608,
      marginPercent: 71,
    });
  });

  it('when the invoice was voided, revenue falls back to the estimate', async () => {
    // Arrange
    workOrders
      .put(aWorkOrderAt('completed', { serviceTypeId: 'svc_ac_repair', invoiceId: 'inv_existing' }))
      .putLaborEntry(aLaborEntry({ laborId: 'lab_0001', technicianId: 'tec_ana', minutes: 120 }))
      .putInvoice(anInvoice({ status: 'void' }));

    // Act
    const costing = await jobCosting(dependencies, aDispatcher(), 'wo_existing');

    // Assert: 120 min × 14 500 / 60 = 29 000 + trip 8 900
    expect(costing).toMatchObject({ revenue: 37900, revenueBasis: 'estimate' });
  });

  it('when the work order is another tenant’s, it answers 404', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('in_progress'));

    // Act
    const error = await rejectionOf(
      jobCosting(dependencies, aDispatcher({ tenantId: 'ten_other' }), 'wo_existing'),
    );

    // Assert
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it('when a technician asks, it refuses with 403', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('in_progress'));

    // Act
    const error = await rejectionOf(jobCosting(dependencies, aTechnicianUser(), 'wo_existing'));

    // Assert
    expect(error).toBeInstanceOf(ForbiddenError);
  });
});
