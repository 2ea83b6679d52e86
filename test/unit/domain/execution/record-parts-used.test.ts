import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { tallyParts } from '../../../../lambdas/domain/execution/parts-tally.ts';
import {
  type PartsUsedDependencies,
  partsUsedOn,
  recordPartUsed,
} from '../../../../lambdas/domain/execution/record-parts-used.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../../lambdas/shared/errors.ts';
import { aMeasuredPart, aPart, aPartUsage } from '../../../fixtures/part-records.ts';
import { aDispatcher, aTechnicianUser, aWorkOrderAt } from '../../../fixtures/unit-records.ts';
import { InMemoryPartCatalog } from '../../fakes/in-memory-part-catalog.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const now = '2025-03-14T14:10:00.000Z';

const fieldsOf = (error: unknown) => (error as ValidationError).errors.map((problem) => problem.field);

describe('parts used', () => {
  let workOrders: InMemoryWorkOrderStore;
  let parts: InMemoryPartCatalog;
  let dependencies: PartsUsedDependencies;

  const stored = () => workOrders.get('ten_acme', 'wo_existing');
  const usages = () => workOrders.partsUsed('ten_acme', 'wo_existing');
  const trail = () => workOrders.eventsOf('ten_acme', 'wo_existing');

  beforeEach(() => {
    workOrders = new InMemoryWorkOrderStore();
    parts = new InMemoryPartCatalog().add(aPart()).add(aMeasuredPart());
    dependencies = { workOrders, parts, clock: new SettableClock(now), ids: new SequentialIds() };
  });

  describe('recordPartUsed', () => {
    it('when the assigned technician uses a part, it captures the catalogue’s figures and adds them to the work order', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', { version: 6 }));

      // Act
      const usage = await recordPartUsed(dependencies, aTechnicianUser(), 'wo_existing', {
        partId: 'prt_capacitor',
        quantity: 2,
      });

      // Assert
      expect(usage).toEqual({
        tenantId: 'ten_acme',
        workOrderId: 'wo_existing',
        usageId: 'use_0001',
        partId: 'prt_capacitor',
        sku: 'CAP-45-5',
        name: 'Run capacitor 45/5 µF',
        quantity: 2,
        unit: 'each',
        unitCost: 1250,
        unitPrice: 3900,
        taxable: true,
        technicianId: 'tec_ana',
        recordedBy: 'user-technician-ana',
        at: now,
      });
      expect(await usages()).toEqual([usage]);
      expect(await stored()).toMatchObject({ partCount: 1, partsCost: 2500, partsPrice: 7800, version: 6 });
      expect(trail()).toEqual([
        expect.objectContaining({
          action: 'part_used',
          actorId: 'user-technician-ana',
          actorRole: 'technician',
          at: now,
          changes: {
            details: {
              after: expect.objectContaining({
                usageId: 'use_0001',
                sku: 'CAP-45-5',
                quantity: 2,
                unitPrice: 3900,
              }),
            },
          },
        }),
      ]);
    });

    it('when a part sold by the foot is used by the fraction, the amounts are rounded once per usage', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('arrived', { partCount: 1, partsCost: 2500, partsPrice: 7800 }));

      // Act
      await recordPartUsed(dependencies, aTechnicianUser(), 'wo_existing', {
        partId: 'prt_copper',
        quantity: 2.5,
      });

      // Assert: 2.5 × 310 = 775; 2.5 × 899 = 2 247.5, rounded up
      expect(await stored()).toMatchObject({ partCount: 2, partsCost: 3275, partsPrice: 10048 });
    });

    it('when the office sets its own price, the usage carries it and the audit keeps the catalogue’s', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const usage = await recordPartUsed(dependencies, aDispatcher(), 'wo_existing', {
        partId: 'prt_capacitor',
        quantity: 1,
        unitPrice: 2900,
      });

      // Assert
      expect(usage).toMatchObject({ unitPrice: 2900, unitCost: 1250, technicianId: 'tec_ana' });
      expect((await stored())?.partsPrice).toBe(2900);
      expect(trail()[0]?.changes.details?.after).toMatchObject({ unitPrice: 2900, catalogUnitPrice: 3900 });
    });

    it('when a technician sets a price, it refuses naming body.unitPrice and writes nothing', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const error = await rejectionOf(
        recordPartUsed(dependencies, aTechnicianUser(), 'wo_existing', {
          partId: 'prt_capacitor',
          quantity: 1,
          unitPrice: 1,
        }),
      );

      // Assert
      expect(fieldsOf(error)).toEqual(['body.unitPrice']);
      expect(await usages()).toEqual([]);
    });

    it.each([
      ['an unknown part', 'prt_nothing', 'no part prt_nothing'],
      ['an inactive part', 'prt_retired', 'inactive'],
    ])('when %s is used, it refuses naming body.partId', async (_, partId, message) => {
      // Arrange
      parts.add(aPart({ partId: 'prt_retired', sku: 'OLD-1', active: false }));
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const error = await rejectionOf(
        recordPartUsed(dependencies, aTechnicianUser(), 'wo_existing', { partId, quantity: 1 }),
      );

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors).toEqual([
        { field: 'body.partId', message: expect.stringContaining(message) },
      ]);
      expect(await usages()).toEqual([]);
      expect(trail()).toEqual([]);
    });

    it('when another tenant’s part is named, it is unknown', async () => {
      // Arrange
      parts.add(aPart({ tenantId: 'ten_other', partId: 'prt_theirs' }));
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const error = await rejectionOf(
        recordPartUsed(dependencies, aDispatcher(), 'wo_existing', { partId: 'prt_theirs', quantity: 1 }),
      );

      // Assert
      expect(fieldsOf(error)).toEqual(['body.partId']);
    });

    it.each([
      [1.5, 'prt_capacitor'],
      [0, 'prt_copper'],
      [2.0001, 'prt_copper'],
    ])('when %d of %s is used, it refuses naming body.quantity', async (quantity, partId) => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const error = await rejectionOf(
        recordPartUsed(dependencies, aTechnicianUser(), 'wo_existing', { partId, quantity }),
      );

      // Assert
      expect(fieldsOf(error)).toEqual(['body.quantity']);
    });

    it('when the technician is not the one assigned, it answers 404 and writes nothing', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', { technicianId: 'tec_bo' }));

      // Act
      const error = await rejectionOf(
        recordPartUsed(dependencies, aTechnicianUser(), 'wo_existing', {
          partId: 'prt_capacitor',
          quantity: 1,
        }),
      );

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
      expect(await usages()).toEqual([]);
    });

    it('when the work order is another tenant’s, it answers 404', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress'));

      // Act
      const error = await rejectionOf(
        recordPartUsed(dependencies, aDispatcher({ tenantId: 'ten_other' }), 'wo_existing', {
          partId: 'prt_capacitor',
          quantity: 1,
        }),
      );

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
    });

    it.each(['scheduled', 'completed', 'invoiced', 'cancelled'] as const)(
      'when the work order is %s, it refuses with 409 and writes nothing',
      async (status) => {
        // Arrange
        workOrders.put(aWorkOrderAt(status));

        // Act
        const error = await rejectionOf(
          recordPartUsed(dependencies, aDispatcher(), 'wo_existing', {
            partId: 'prt_capacitor',
            quantity: 1,
          }),
        );

        // Assert
        expect(error).toBeInstanceOf(ConflictError);
        expect((error as ConflictError).extensions).toMatchObject({ currentStatus: status });
        expect(await usages()).toEqual([]);
        expect((await stored())?.partCount).toBeUndefined();
      },
    );

    it.each(['dispatched', 'en_route', 'arrived', 'in_progress'] as const)(
      'when the work order is %s, the part is recorded',
      async (status) => {
        // Arrange
        workOrders.put(aWorkOrderAt(status));

        // Act
        await recordPartUsed(dependencies, aDispatcher(), 'wo_existing', {
          partId: 'prt_capacitor',
          quantity: 1,
        });

        // Assert
        expect(await usages()).toHaveLength(1);
      },
    );
  });

  describe('corrections', () => {
    beforeEach(() => {
      workOrders
        .put(aWorkOrderAt('in_progress', { partCount: 1, partsCost: 3750, partsPrice: 11700 }))
        .putPartUsage(aPartUsage({ quantity: 3 }));
    });

    it('when part of a usage is taken back, a negative entry is added, the usage is kept and the counters drop', async () => {
      // Act
      const correction = await recordPartUsed(dependencies, aTechnicianUser(), 'wo_existing', {
        correctionOf: 'use_0000',
        quantity: 1,
        reason: 'One was left in the truck',
      });

      // Assert
      expect(correction).toMatchObject({
        usageId: 'use_0001',
        quantity: -1,
        correctionOf: 'use_0000',
        reason: 'One was left in the truck',
        unitCost: 1250,
        unitPrice: 3900,
        partId: 'prt_capacitor',
      });
      const [original, entry] = await usages();
      expect(original).toMatchObject({ quantity: 3, correctedQuantity: 1 });
      expect(entry).toEqual(correction);
      expect(await stored()).toMatchObject({ partCount: 1, partsCost: 2500, partsPrice: 7800 });
      expect(trail()).toEqual([
        expect.objectContaining({
          action: 'part_usage_corrected',
          changes: {
            details: {
              after: expect.objectContaining({
                correctionOf: 'use_0000',
                quantity: -1,
                reason: 'One was left in the truck',
              }),
            },
          },
        }),
      ]);
    });

    it('when the whole usage is taken back, it no longer counts as a part in use', async () => {
      // Act
      await recordPartUsed(dependencies, aDispatcher(), 'wo_existing', {
        correctionOf: 'use_0000',
        quantity: 3,
        reason: 'Recorded on the wrong job',
      });

      // Assert
      expect(await stored()).toMatchObject({ partCount: 0, partsCost: 0, partsPrice: 0 });
    });

    it('when more is taken back than is left, it refuses naming body.quantity', async () => {
      // Act
      const error = await rejectionOf(
        recordPartUsed(dependencies, aDispatcher(), 'wo_existing', {
          correctionOf: 'use_0000',
          quantity: 4,
          reason: 'Typo',
        }),
      );

      // Assert
      expect((error as ValidationError).errors).toEqual([
        { field: 'body.quantity', message: 'at most 3 each of usage use_0000 can be taken back' },
      ]);
      expect(await usages()).toHaveLength(1);
    });

    it.each([
      ['no such usage', 'use_9999'],
      ['a correction', 'use_0002'],
    ])('when the usage named is %s, it refuses naming body.correctionOf', async (_, correctionOf) => {
      // Arrange
      workOrders.putPartUsage(aPartUsage({ usageId: 'use_0002', quantity: -1, correctionOf: 'use_0000' }));

      // Act
      const error = await rejectionOf(
        recordPartUsed(dependencies, aDispatcher(), 'wo_existing', {
          correctionOf,
          quantity: 1,
          reason: 'Oops',
        }),
      );

      // Assert
      expect(fieldsOf(error)).toEqual(['body.correctionOf']);
    });

    it('when two corrections race, the second sees what the first took back and cannot take back more than was used', async () => {
      // Arrange: the first write of the second correction finds the first one landed meanwhile
      const write = workOrders.addPartUsage.bind(workOrders);
      let raced = false;
      vi.spyOn(workOrders, 'addPartUsage').mockImplementation(async (record, statuses) => {
        if (!raced) {
          raced = true;
          await recordPartUsed(dependencies, aDispatcher(), 'wo_existing', {
            correctionOf: 'use_0000',
            quantity: 2,
            reason: 'Two were spare',
          });
        }
        return write(record, statuses);
      });

      // Act
      const error = await rejectionOf(
        recordPartUsed(dependencies, aTechnicianUser(), 'wo_existing', {
          correctionOf: 'use_0000',
          quantity: 2,
          reason: 'Two were spare',
        }),
      );

      // Assert
      expect(fieldsOf(error)).toEqual(['body.quantity']);
      expect((await usages()).map((usage) => usage.quantity)).toEqual([3, -2]);
      expect(await stored()).toMatchObject({ partCount: 1, partsCost: 1250, partsPrice: 3900 });
    });
  });

  it('for any uses and corrections, the work order’s counters equal the tally of its usage items', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            measured: fc.boolean(),
            thousandths: fc.integer({ min: 1, max: 20_000 }),
            takeBack: fc.array(fc.integer({ min: 1, max: 20_000 }), { maxLength: 3 }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        async (plan) => {
          // Arrange
          const store = new InMemoryWorkOrderStore().put(aWorkOrderAt('in_progress'));
          const deps = { ...dependencies, workOrders: store };

          // Act
          for (const step of plan) {
            const quantity = step.measured ? step.thousandths / 1000 : Math.ceil(step.thousandths / 1000);
            const usage = await recordPartUsed(deps, aDispatcher(), 'wo_existing', {
              partId: step.measured ? 'prt_copper' : 'prt_capacitor',
              quantity,
            });
            for (const taken of step.takeBack) {
              const back = step.measured ? taken / 1000 : Math.ceil(taken / 1000);
              await recordPartUsed(deps, aDispatcher(), 'wo_existing', {
                correctionOf: usage.usageId,
                quantity: back,
                reason: 'Adjusted',
              }).catch((error: unknown) => {
                if (!(error instanceof ValidationError)) throw error;
              });
            }
          }

          // Assert
          const workOrder = await store.get('ten_acme', 'wo_existing');
          const tally = tallyParts(await store.partsUsed('ten_acme', 'wo_existing'));
          expect({
            partCount: workOrder?.partCount,
            partsCost: workOrder?.partsCost,
            partsPrice: workOrder?.partsPrice,
          }).toEqual(tally);
        },
      ),
      { numRuns: 60 },
    );
  });

  describe('partsUsedOn', () => {
    it('when a technician reads the parts of their job, they get every entry and the net totals', async () => {
      // Arrange
      workOrders
        .put(aWorkOrderAt('in_progress'))
        .putPartUsage(aPartUsage({ quantity: 3, correctedQuantity: 1 }))
        .putPartUsage(
          aPartUsage({ usageId: 'use_0002', quantity: -1, correctionOf: 'use_0000', reason: 'Spare' }),
        );

      // Act
      const parts = await partsUsedOn(workOrders, aTechnicianUser(), 'wo_existing');

      // Assert
      expect(parts.usages.map((usage) => usage.usageId)).toEqual(['use_0000', 'use_0002']);
      expect(parts.inUse.map((net) => [net.usage.usageId, net.quantity])).toEqual([['use_0000', 2]]);
      expect(parts.totals).toEqual({ partCount: 1, partsCost: 2500, partsPrice: 7800 });
    });

    it('when another technician reads them, it answers 404', async () => {
      // Arrange
      workOrders.put(aWorkOrderAt('in_progress', { technicianId: 'tec_bo' }));

      // Act
      const error = await rejectionOf(partsUsedOn(workOrders, aTechnicianUser(), 'wo_existing'));

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
    });
  });
});
