import { beforeEach, describe, expect, it } from 'vitest';
import {
  createPart,
  findParts,
  getPart,
  type PartCatalogDependencies,
  updatePart,
} from '../../../../lambdas/domain/parts/parts-catalog.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../../lambdas/shared/errors.ts';
import { aMeasuredPart, aPart } from '../../../fixtures/part-records.ts';
import { anAdmin, aTechnicianUser } from '../../../fixtures/unit-records.ts';
import { InMemoryPartCatalog } from '../../fakes/in-memory-part-catalog.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const now = '2025-03-12T15:30:00.000Z';

describe('parts catalogue', () => {
  let parts: InMemoryPartCatalog;
  let dependencies: PartCatalogDependencies;

  beforeEach(() => {
    parts = new InMemoryPartCatalog();
    dependencies = { parts, clock: new SettableClock(now), ids: new SequentialIds() };
  });

  describe('createPart', () => {
    it('when an admin adds a part, it is stored with its SKU upper-cased', async () => {
      // Act
      const part = await createPart(dependencies, anAdmin(), {
        sku: 'cap-45-5',
        name: 'Run capacitor',
        category: 'Capacitors',
        unit: 'each',
        unitCost: 1250,
        unitPrice: 3900,
        taxable: false,
      });

      // Assert
      expect(part).toMatchObject({ partId: 'prt_0001', sku: 'CAP-45-5', taxable: false, active: true });
      expect(await parts.bySku('ten_acme', 'CAP-45-5')).toEqual(part);
    });

    it('when the SKU is held by another part in any case, it refuses with 409 naming body.sku and the holder', async () => {
      // Arrange
      parts.add(aPart());

      // Act
      const error = await rejectionOf(
        createPart(dependencies, anAdmin(), {
          sku: 'Cap-45-5',
          name: 'Another capacitor',
          unit: 'each',
          unitCost: 1,
          unitPrice: 2,
        }),
      );

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).extensions).toEqual({ field: 'body.sku', partId: 'prt_capacitor' });
      expect(parts.all()).toHaveLength(1);
    });

    it('when a concurrent create takes the SKU between the check and the write, it answers 409 with the winner', async () => {
      // Arrange
      parts.beforeNextWrite(() => parts.add(aPart({ partId: 'prt_winner' })));

      // Act
      const error = await rejectionOf(
        createPart(dependencies, anAdmin(), {
          sku: 'CAP-45-5',
          name: 'Run capacitor',
          unit: 'each',
          unitCost: 1250,
          unitPrice: 3900,
        }),
      );

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).extensions).toMatchObject({ partId: 'prt_winner' });
      expect(parts.all().map((part) => part.partId)).toEqual(['prt_winner']);
    });

    it('when fields break the rules, it refuses naming each and writes nothing', async () => {
      // Act
      const error = await rejectionOf(
        createPart(dependencies, anAdmin(), {
          sku: 'OK-1',
          name: 'Fitting',
          unit: 'each',
          unitCost: 1.5,
          unitPrice: -3,
        }),
      );

      // Assert
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors.map((problem) => problem.field)).toEqual([
        'body.unitCost',
        'body.unitPrice',
      ]);
      expect(parts.all()).toEqual([]);
    });
  });

  describe('getPart and findParts', () => {
    it('when another tenant asks for a part, it is not found', async () => {
      // Arrange
      parts.add(aPart());

      // Act
      const error = await rejectionOf(getPart(parts, anAdmin({ tenantId: 'ten_other' }), 'prt_capacitor'));

      // Assert
      expect(error).toBeInstanceOf(NotFoundError);
    });

    it('when a SKU is looked up in another case, it finds the one part holding it', async () => {
      // Arrange
      parts.add(aPart()).add(aMeasuredPart());

      // Act
      const page = await findParts(parts, aTechnicianUser(), { sku: ' cu-38 ' }, { limit: 25 });

      // Assert
      expect(page.items.map((part) => part.partId)).toEqual(['prt_copper']);
    });

    it('when a SKU nobody holds is looked up, the page is empty', async () => {
      // Act
      const page = await findParts(parts, aTechnicianUser(), { sku: 'NOPE' }, { limit: 25 });

      // Assert
      expect(page).toEqual({ items: [] });
    });

    it('when the catalogue is listed, it reads in SKU order, filtered', async () => {
      // Arrange
      parts
        .add(aMeasuredPart())
        .add(aPart())
        .add(aPart({ partId: 'prt_old', sku: 'AAA-1', active: false }));

      // Act
      const page = await findParts(parts, anAdmin(), { active: true }, { limit: 25 });

      // Assert
      expect(page.items.map((part) => part.sku)).toEqual(['CAP-45-5', 'CU-38']);
    });
  });

  describe('updatePart', () => {
    it('when the SKU changes to a free one, the part holds the new SKU and frees the old one', async () => {
      // Arrange
      parts.add(aPart());

      // Act
      const part = await updatePart(dependencies, anAdmin(), 'prt_capacitor', { sku: 'cap-45-5-440' });

      // Assert
      expect(part).toMatchObject({ sku: 'CAP-45-5-440', version: 2, updatedAt: now });
      expect(await parts.bySku('ten_acme', 'CAP-45-5-440')).toEqual(part);
      expect(await parts.bySku('ten_acme', 'CAP-45-5')).toBeUndefined();
    });

    it('when the new SKU is another part’s, it refuses with 409 naming body.sku', async () => {
      // Arrange
      parts.add(aPart()).add(aMeasuredPart());

      // Act
      const error = await rejectionOf(updatePart(dependencies, anAdmin(), 'prt_capacitor', { sku: 'CU-38' }));

      // Assert
      expect((error as ConflictError).extensions).toEqual({ field: 'body.sku', partId: 'prt_copper' });
      expect((await parts.get('ten_acme', 'prt_capacitor'))?.version).toBe(1);
    });

    it('when the version the caller read is not the current one, it refuses with 409', async () => {
      // Arrange
      parts.add(aPart({ version: 3 }));

      // Act
      const error = await rejectionOf(
        updatePart(dependencies, anAdmin(), 'prt_capacitor', { unitPrice: 4500 }, 2),
      );

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).extensions).toEqual({ currentVersion: 3 });
    });

    it('when another change lands between the read and the write, it refuses with 409 and keeps the other', async () => {
      // Arrange
      parts.add(aPart());
      parts.beforeNextWrite(() => parts.add(aPart({ unitPrice: 4100, version: 2 })));

      // Act
      const error = await rejectionOf(
        updatePart(dependencies, anAdmin(), 'prt_capacitor', { unitPrice: 4500 }),
      );

      // Assert
      expect(error).toBeInstanceOf(ConflictError);
      expect((await parts.get('ten_acme', 'prt_capacitor'))?.unitPrice).toBe(4100);
    });
  });
});
