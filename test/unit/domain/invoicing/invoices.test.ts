import { beforeEach, describe, expect, it } from 'vitest';
import type { Invoice } from '../../../../lambdas/domain/invoicing/invoice.ts';
import {
  getInvoice,
  type InvoiceDependencies,
  listInvoices,
  recalculateInvoice,
  updateDraftInvoice,
  voidInvoice,
} from '../../../../lambdas/domain/invoicing/invoices.ts';
import {
  getPricingRules,
  updatePricingRules,
} from '../../../../lambdas/domain/invoicing/pricing-settings.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  type ValidationError,
} from '../../../../lambdas/shared/errors.ts';
import { aPartUsage } from '../../../fixtures/part-records.ts';
import {
  aCustomer,
  aDispatcher,
  aLaborEntry,
  aLocation,
  anAdmin,
  anInvoice,
  aServiceType,
  aTechnician,
  aTechnicianUser,
  aTenant,
  aWorkOrderAt,
} from '../../../fixtures/unit-records.ts';
import { InMemoryAgreementCoverage } from '../../fakes/in-memory-agreement-coverage.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryInvoiceStore } from '../../fakes/in-memory-invoice-store.ts';
import { InMemoryPricingSources } from '../../fakes/in-memory-pricing-sources.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { RecordingEventPublisher } from '../../fakes/recording-event-publisher.ts';
import { RecordingWorkflow } from '../../fakes/recording-workflow.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

/** 20 March 2025, 14:00 in Boston. */
const now = '2025-03-20T18:00:00.000Z';

/** The draft GenerateInvoice writes for 95 minutes at 14 500 and the 8 900 trip: 31 858, nothing taxed. */
const aDraft = (overrides: Partial<Invoice> = {}): Invoice =>
  anInvoice({
    lines: [
      {
        kind: 'labor',
        description: 'Labor: AC repair',
        quantity: 95 / 60,
        unit: 'hour',
        unitPrice: 14500,
        amount: 22958,
        taxable: false,
      },
      {
        kind: 'part',
        description: 'Run capacitor 45/5 µF (CAP-45-5)',
        quantity: 2,
        unit: 'each',
        unitPrice: 3900,
        amount: 7800,
        taxable: true,
      },
      {
        kind: 'trip',
        description: 'Trip charge',
        quantity: 1,
        unit: 'visit',
        unitPrice: 8900,
        amount: 8900,
        taxable: false,
      },
    ],
    subtotal: 39658,
    taxableSubtotal: 7800,
    taxRatePerMillion: 62_500,
    tax: 488,
    total: 40146,
    ...overrides,
  });

describe('invoices', () => {
  let directory: InMemoryDirectory;
  let workOrders: InMemoryWorkOrderStore;
  let pricing: InMemoryPricingSources;
  let agreements: InMemoryAgreementCoverage;
  let workflow: RecordingWorkflow;
  let events: RecordingEventPublisher;
  let clock: SettableClock;
  let dependencies: InvoiceDependencies;
  const trail = () => workOrders.eventsOf('ten_acme', 'wo_existing');

  beforeEach(() => {
    directory = new InMemoryDirectory()
      .addTenant(aTenant())
      .addTenant(aTenant({ tenantId: 'ten_other' }))
      .addCustomer(aCustomer())
      .addLocation(aLocation())
      .addServiceType('ten_acme', aServiceType())
      .addTechnician('ten_acme', aTechnician());
    workOrders = new InMemoryWorkOrderStore(directory);
    pricing = new InMemoryPricingSources(directory);
    agreements = new InMemoryAgreementCoverage();
    workflow = new RecordingWorkflow();
    events = new RecordingEventPublisher();
    clock = new SettableClock(now);
    dependencies = {
      invoices: new InMemoryInvoiceStore(workOrders),
      workOrders,
      directory,
      pricing,
      agreements,
      workflow,
      events,
      clock,
      ids: new SequentialIds(),
      reportFailure: () => {},
    };
    workOrders
      .putLaborEntry(aLaborEntry({ laborId: 'lab_0001', minutes: 95 }))
      .putPartUsage(aPartUsage({ usageId: 'use_0001' }));
  });

  describe('getInvoice', () => {
    it('when the office reads a sent invoice past its due day, it answers its balance and that it is overdue', async () => {
      // Arrange: due on the 19th; today is the 20th in Boston.
      workOrders.put(aWorkOrderAt('invoiced'));
      workOrders.putInvoice(aDraft({ status: 'sent', dueDate: '2025-03-19', amountPaid: 0 }));

      // Act
      const reading = await getInvoice(dependencies, aDispatcher(), 'inv_existing');

      // Assert
      expect(reading).toMatchObject({ balance: 40146, isOverdue: true });
    });

    it('when the invoice is due today, a draft, or paid, it is not overdue', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced'));
      const cases: Partial<Invoice>[] = [
        { status: 'sent', dueDate: '2025-03-20' },
        { status: 'draft', dueDate: '2025-03-01' },
        { status: 'paid', dueDate: '2025-03-01', amountPaid: 40146 },
      ];

      // Act
      const readings = [];
      for (const overrides of cases) {
        workOrders.putInvoice(aDraft(overrides));
        readings.push(await getInvoice(dependencies, aDispatcher(), 'inv_existing'));
      }

      // Assert
      expect(readings.map((reading) => reading.isOverdue)).toEqual([false, false, false]);
    });

    it('when a technician asks, it is forbidden; another tenant’s invoice is not found', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));
      workOrders.putInvoice(aDraft());

      // Act
      const technician = await rejectionOf(getInvoice(dependencies, aTechnicianUser(), 'inv_existing'));
      const otherTenant = await rejectionOf(
        getInvoice(dependencies, aDispatcher({ tenantId: 'ten_other' }), 'inv_existing'),
      );

      // Assert
      expect(technician).toBeInstanceOf(ForbiddenError);
      expect(otherTenant).toBeInstanceOf(NotFoundError);
    });
  });

  describe('listInvoices', () => {
    it('when listed by status and a due day, it answers those due before it, soonest first', async () => {
      // Arrange
      for (const [suffix, dueDate, status] of [
        ['A', '2025-03-25', 'sent'],
        ['B', '2025-03-10', 'sent'],
        ['C', '2025-04-30', 'sent'],
        ['D', '2025-03-01', 'draft'],
      ] as const) {
        workOrders.put(aWorkOrderAt('invoiced', { workOrderId: `wo_${suffix}`, invoiceId: `inv_${suffix}` }));
        workOrders.putInvoice(
          aDraft({ workOrderId: `wo_${suffix}`, invoiceId: `inv_${suffix}`, dueDate, status }),
        );
      }

      // Act
      const page = await listInvoices(
        dependencies,
        aDispatcher(),
        { status: 'sent', dueBefore: '2025-04-01' },
        { limit: 10 },
      );

      // Assert
      expect(page.items.map((reading) => [reading.invoice.invoiceId, reading.isOverdue])).toEqual([
        ['inv_B', true],
        ['inv_A', false],
      ]);
    });
  });

  describe('updateDraftInvoice', () => {
    beforeEach(() => {
      workOrders.put(aWorkOrderAt('completed'));
      workOrders.putInvoice(aDraft());
    });

    it('when the office gives a draft a 10 % discount and notes, the totals are settled again and the change audited', async () => {
      // Act
      const reading = await updateDraftInvoice(dependencies, aDispatcher(), 'inv_existing', {
        discount: { type: 'percent', basisPoints: 1_000, reason: 'Loyal customer' },
        notes: 'Thank you for your business',
      });

      // Assert: −780 of the taxable 7 800 and −3 186 of the untaxed 31 858 (3 185.8);
      // 39 658 − 3 966 = 35 692; tax 6.25 % of 7 020 = 438.75 → 439; 36 131.
      expect(reading.invoice).toMatchObject({
        subtotal: 35692,
        taxableSubtotal: 7020,
        tax: 439,
        total: 36131,
        discount: { type: 'percent', basisPoints: 1000, reason: 'Loyal customer' },
        notes: 'Thank you for your business',
        version: 2,
      });
      expect(
        reading.invoice.lines.filter((line) => line.kind === 'discount').map((line) => line.amount),
      ).toEqual([-780, -3186]);
      expect(trail()).toEqual([
        expect.objectContaining({
          action: 'invoice_updated',
          actorRole: 'dispatcher',
          changes: {
            invoice: {
              before: expect.objectContaining({ total: 40146 }),
              after: expect.objectContaining({ total: 36131, notes: 'Thank you for your business' }),
            },
          },
        }),
      ]);
    });

    it('when the discount is removed, the draft is back to its charges', async () => {
      // Arrange
      await updateDraftInvoice(dependencies, aDispatcher(), 'inv_existing', {
        discount: { type: 'amount', amount: 1_000 },
      });

      // Act
      const reading = await updateDraftInvoice(dependencies, aDispatcher(), 'inv_existing', {
        discount: null,
        notes: null,
      });

      // Assert
      expect(reading.invoice.total).toBe(40146);
      expect(reading.invoice).not.toHaveProperty('discount');
      expect(reading.invoice.lines).toHaveLength(3);
    });

    it('when an amount discount exceeds what the invoice charges, it is refused naming the field', async () => {
      // Act
      const error = await rejectionOf(
        updateDraftInvoice(dependencies, aDispatcher(), 'inv_existing', {
          discount: { type: 'amount', amount: 39_659 },
        }),
      );

      // Assert
      expect(error).toBeInstanceOf(UnprocessableError);
      expect((error as UnprocessableError).extensions.errors).toEqual([
        { field: 'body.discount.amount', message: 'at most 39658, what the invoice charges' },
      ]);
    });

    it('when a percentage is above 100 %, it is refused naming the field', async () => {
      // Act
      const error = await rejectionOf(
        updateDraftInvoice(dependencies, aDispatcher(), 'inv_existing', {
          discount: { type: 'percent', basisPoints: 10_001 },
        }),
      );

      // Assert
      expect((error as ValidationError).errors.map((problem) => problem.field)).toEqual([
        'body.discount.basisPoints',
      ]);
    });

    it('when the invoice is no longer a draft or the version read is stale, it is refused with 409', async () => {
      // Arrange
      workOrders.putInvoice(aDraft({ status: 'approved', version: 2 }));

      // Act
      const approved = await rejectionOf(
        updateDraftInvoice(dependencies, aDispatcher(), 'inv_existing', { notes: 'x' }),
      );
      const stale = await rejectionOf(
        updateDraftInvoice(dependencies, aDispatcher(), 'inv_existing', { notes: 'x' }, 1),
      );

      // Assert
      expect(approved).toBeInstanceOf(ConflictError);
      expect((approved as ConflictError).extensions).toEqual({ currentStatus: 'approved' });
      expect((stale as ConflictError).extensions).toEqual({ version: 2 });
    });
  });

  describe('recalculateInvoice', () => {
    it('when the rules changed since the draft was priced, it prices the work again and keeps the discount', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));
      workOrders.putInvoice(aDraft({ discount: { type: 'amount', amount: 1_000 } }));
      pricing.setRules('ten_acme', { laborTaxable: true, taxRatePerMillion: 100_000 });

      // Act
      const reading = await recalculateInvoice(dependencies, aDispatcher(), 'inv_existing');

      // Assert: 22 958 labor + 7 800 parts taxable, 8 900 trip not: 39 658. $10 off shared:
      // 1 000 × 30 758 / 39 658 = 775.6 → 776 taxable, 224 not. 38 658; tax 10 % of 29 982 = 2 998.2 → 2 998.
      expect(reading.invoice).toMatchObject({
        subtotal: 38658,
        taxableSubtotal: 29982,
        taxRatePerMillion: 100000,
        tax: 2998,
        total: 41656,
        discount: { type: 'amount', amount: 1000 },
        pricedAt: now,
        version: 2,
      });
      expect(trail().map((event) => event.action)).toEqual(['invoice_recalculated']);
    });

    it('when the invoice was approved, it is refused with 409', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced'));
      workOrders.putInvoice(aDraft({ status: 'approved' }));

      // Act
      const error = await rejectionOf(recalculateInvoice(dependencies, aDispatcher(), 'inv_existing'));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
    });
  });

  describe('voidInvoice', () => {
    it('when a draft awaiting approval is voided, a fresh draft replaces it and the workflow keeps waiting, now for it', async () => {
      // Arrange
      workOrders.put(
        aWorkOrderAt('completed', {
          taskToken: 'token-approval',
          waitingWhile: ['completed'],
          workflowState: 'AwaitApproval',
        }),
      );
      workOrders.putInvoice(aDraft());

      // Act
      const outcome = await voidInvoice(dependencies, aDispatcher(), 'inv_existing', 'Wrong service type');

      // Assert
      const replacementId = outcome.replacement.invoice.invoiceId;
      expect(outcome.voided.invoice).toMatchObject({
        status: 'void',
        voided: { at: now, by: 'user-dispatcher-1', reason: 'Wrong service type' },
        replacedBy: replacementId,
        version: 2,
      });
      expect(outcome.replacement.invoice).toMatchObject({
        status: 'draft',
        replaces: 'inv_existing',
        total: 39658,
        dueDate: '2025-04-03',
        version: 1,
      });
      expect(await workOrders.get('ten_acme', 'wo_existing')).toMatchObject({
        status: 'completed',
        invoiceId: replacementId,
        taskToken: 'token-approval',
      });
      expect(workflow.failures).toEqual([]);
      expect(trail()).toEqual([
        expect.objectContaining({
          action: 'invoice_voided',
          changes: expect.objectContaining({ invoiceId: { before: 'inv_existing', after: replacementId } }),
        }),
      ]);
      expect(events.ofType('WorkOrder.InvoiceVoided')).toEqual([
        expect.objectContaining({
          detail: expect.objectContaining({ invoiceId: 'inv_existing', replacementInvoiceId: replacementId }),
        }),
      ]);
    });

    it('when a sent invoice awaiting payment is voided, the work order goes back to completed and the workflow to approval', async () => {
      // Arrange
      workOrders.put(
        aWorkOrderAt('invoiced', {
          taskToken: 'token-payment',
          waitingWhile: ['invoiced'],
          workflowState: 'AwaitPayment',
        }),
      );
      workOrders.putInvoice(aDraft({ status: 'sent', version: 3 }));

      // Act
      const outcome = await voidInvoice(
        dependencies,
        aDispatcher(),
        'inv_existing',
        'Billed the wrong customer',
      );

      // Assert
      const workOrder = await workOrders.get('ten_acme', 'wo_existing');
      expect(workOrder).toMatchObject({
        status: 'completed',
        invoiceId: outcome.replacement.invoice.invoiceId,
      });
      expect(workOrder).not.toHaveProperty('taskToken');
      expect(workflow.failures).toEqual([
        {
          taskToken: 'token-payment',
          error: 'WorkOrder.InvoiceVoided',
          cause: 'Invoice inv_existing was voided',
        },
      ]);
    });

    it('when something was paid on it, or it is void already, it is refused with 409 and nothing changes', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced'));
      workOrders.putInvoice(aDraft({ status: 'partially_paid', amountPaid: 5_000 }));

      // Act
      const partlyPaid = await rejectionOf(
        voidInvoice(dependencies, aDispatcher(), 'inv_existing', 'Mistake'),
      );
      workOrders.putInvoice(aDraft({ status: 'void' }));
      const voided = await rejectionOf(voidInvoice(dependencies, aDispatcher(), 'inv_existing', 'Mistake'));

      // Assert
      expect(partlyPaid).toBeInstanceOf(ConflictError);
      expect(voided).toBeInstanceOf(ConflictError);
      expect(workOrders.invoicesOf('ten_acme', 'wo_existing')).toHaveLength(1);
      expect(trail()).toEqual([]);
    });

    it('when a payment arrives while it is being voided, it reads again and refuses', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('invoiced'));
      workOrders.putInvoice(aDraft({ status: 'sent' }));
      workOrders.beforeNextApply(() => {
        workOrders.putInvoice(aDraft({ status: 'partially_paid', amountPaid: 1_000, version: 2 }));
      });

      // Act
      const error = await rejectionOf(voidInvoice(dependencies, aDispatcher(), 'inv_existing', 'Mistake'));

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect(await workOrders.get('ten_acme', 'wo_existing')).toMatchObject({
        status: 'invoiced',
        invoiceId: 'inv_existing',
      });
    });

    it('when the replacement is read by its own id, it is found', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('completed'));
      workOrders.putInvoice(aDraft());
      const { replacement } = await voidInvoice(dependencies, aDispatcher(), 'inv_existing', 'Wrong rate');

      // Act
      const reading = await getInvoice(dependencies, aDispatcher(), replacement.invoice.invoiceId);

      // Assert
      expect(reading.invoice).toMatchObject({
        workOrderId: 'wo_existing',
        status: 'draft',
        replaces: 'inv_existing',
      });
    });
  });
});

describe('pricing settings', () => {
  let pricing: InMemoryPricingSources;
  const clock = new SettableClock(now);

  beforeEach(() => {
    pricing = new InMemoryPricingSources(new InMemoryDirectory().addTenant(aTenant()));
  });

  it('when nothing is set, the rules are the defaults, which charge nothing extra', async () => {
    // Act
    const rules = await getPricingRules(pricing, aDispatcher());

    // Assert
    expect(rules).toEqual({
      levelMultipliersBasisPoints: { apprentice: 10000, technician: 10000, senior: 10000, master: 10000 },
      businessHours: {},
      afterHoursMultiplierBasisPoints: 10000,
      emergencyMultiplierBasisPoints: 10000,
      partsPricing: 'captured',
      partsMarkup: { defaultBasisPoints: 0, byCategory: [] },
      taxRatePerMillion: 0,
      laborTaxable: false,
      tripChargeTaxable: false,
      paymentTermsDays: 14,
    });
  });

  it('when an admin changes some rules, the others stay and the level multipliers merge', async () => {
    // Arrange
    await updatePricingRules({ settings: pricing, clock }, anAdmin(), {
      levelMultipliersBasisPoints: { senior: 12_500 },
      taxRatePerMillion: 82_500,
    });

    // Act
    const rules = await updatePricingRules({ settings: pricing, clock }, anAdmin(), {
      levelMultipliersBasisPoints: { apprentice: 8_000 },
      businessHours: {
        1: [
          { start: '13:00', end: '17:00' },
          { start: '08:00', end: '12:00' },
        ],
      },
    });

    // Assert
    expect(rules).toMatchObject({
      levelMultipliersBasisPoints: { apprentice: 8000, technician: 10000, senior: 12500, master: 10000 },
      businessHours: {
        1: [
          { start: '08:00', end: '12:00' },
          { start: '13:00', end: '17:00' },
        ],
      },
      taxRatePerMillion: 82500,
    });
  });

  it('when rules are out of range, each is named and nothing is saved', async () => {
    // Act
    const error = await rejectionOf(
      updatePricingRules({ settings: pricing, clock }, anAdmin(), {
        afterHoursMultiplierBasisPoints: 9_000,
        taxRatePerMillion: 12.5,
        businessHours: { 2: [{ start: '09:00', end: '08:00' }] },
        partsMarkup: {
          byCategory: [
            { category: 'Filters', basisPoints: 100 },
            { category: 'filters', basisPoints: 200 },
          ],
        },
      }),
    );

    // Assert
    expect((error as ValidationError).errors.map((problem) => problem.field)).toEqual([
      'body.businessHours.2.0.end',
      'body.afterHoursMultiplierBasisPoints',
      'body.taxRatePerMillion',
      'body.partsMarkup.byCategory.1.category',
    ]);
    expect(pricing.saved).toEqual([]);
  });

  it('when a dispatcher tries to change them, it is forbidden', async () => {
    // Act
    const error = await rejectionOf(
      updatePricingRules({ settings: pricing, clock }, aDispatcher(), { laborTaxable: true }),
    );

    // Assert
    expect(error).toBeInstanceOf(ForbiddenError);
  });
});
