import { beforeEach, describe, expect, it } from 'vitest';
import type { PartUsage } from '../../../../lambdas/domain/execution/field-records.ts';
import {
  canonicalJson,
  compileWorkSummary,
  gatherWorkSummary,
  readWorkSummary,
  summaryHashOf,
  summaryText,
  type WorkSummaryRecords,
} from '../../../../lambdas/domain/execution/work-summary.ts';
import { NotFoundError } from '../../../../lambdas/shared/errors.ts';
import {
  aCustomer,
  aDispatcher,
  aLaborEntry,
  aLocation,
  aNote,
  aPhoto,
  aServiceType,
  aTechnician,
  aTechnicianUser,
  aTenant,
  aWorkOrderAt,
} from '../../../fixtures/unit-records.ts';
import { InMemoryDirectory } from '../../fakes/in-memory-directory.ts';
import { InMemoryPhotoStore } from '../../fakes/in-memory-photo-store.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const aPartUsage = (overrides: Partial<PartUsage> = {}): PartUsage => ({
  tenantId: 'ten_acme',
  workOrderId: 'wo_existing',
  usageId: 'use_0001',
  partId: 'prt_capacitor',
  sku: 'CAP-455',
  name: 'Run capacitor 45/5',
  quantity: 2,
  unitCost: 900,
  unitPrice: 1850,
  taxable: true,
  technicianId: 'tec_ana',
  recordedBy: 'user-technician-ana',
  at: '2025-03-14T14:05:00.000Z',
  ...overrides,
});

const records = (overrides: Partial<WorkSummaryRecords> = {}): WorkSummaryRecords => ({
  workOrder: aWorkOrderAt('in_progress'),
  customer: aCustomer(),
  location: aLocation(),
  serviceTypeName: 'AC repair',
  technicianNames: new Map([
    ['tec_ana', 'Ana Reyes'],
    ['tec_bo', 'Bo Lind'],
  ]),
  notes: [
    aNote({
      noteId: 'not_0002',
      text: 'Replaced capacitor; cooling restored',
      at: '2025-03-14T14:20:00.000Z',
    }),
    aNote({ noteId: 'not_0001', text: 'Capacitor swollen', at: '2025-03-14T13:40:00.000Z' }),
  ],
  photos: [aPhoto({ photoId: 'pho_0001', caption: 'Swollen capacitor', phase: 'before' })],
  parts: [aPartUsage()],
  labor: [
    aLaborEntry({ laborId: 'lab_0001', minutes: 60 }),
    aLaborEntry({ laborId: 'lab_0002', technicianId: 'tec_bo', minutes: 30 }),
    aLaborEntry({ laborId: 'lab_0003', minutes: 35 }),
  ],
  currency: 'USD',
  ...overrides,
});

describe('compileWorkSummary', () => {
  it('when compiled, it holds the job, the notes in time order, photos, priced parts and labor per technician', () => {
    // Act
    const summary = compileWorkSummary(records());

    // Assert
    expect(summary).toEqual({
      format: 'work-summary/1',
      workOrderId: 'wo_existing',
      customer: { customerId: 'cus_existing', name: 'Dana Whitfield' },
      serviceAddress: '12 Elm Street, Boston, MA 02118',
      serviceType: 'AC repair',
      problem: 'AC blows warm air',
      technician: { technicianId: 'tec_ana', name: 'Ana Reyes' },
      notes: [
        {
          noteId: 'not_0001',
          at: '2025-03-14T13:40:00.000Z',
          text: 'Capacitor swollen',
          authorRole: 'technician',
        },
        {
          noteId: 'not_0002',
          at: '2025-03-14T14:20:00.000Z',
          text: 'Replaced capacitor; cooling restored',
          authorRole: 'technician',
        },
      ],
      photos: [
        {
          photoId: 'pho_0001',
          phase: 'before',
          caption: 'Swollen capacitor',
          uploadedAt: '2025-03-10T14:06:00.000Z',
        },
      ],
      parts: [
        {
          usageId: 'use_0001',
          sku: 'CAP-455',
          name: 'Run capacitor 45/5',
          quantity: 2,
          unitPrice: 1850,
          lineTotal: 3700,
        },
      ],
      partsTotal: 3700,
      labor: [
        { technicianId: 'tec_ana', name: 'Ana Reyes', minutes: 95, entries: 2 },
        { technicianId: 'tec_bo', name: 'Bo Lind', minutes: 30, entries: 1 },
      ],
      laborMinutes: 125,
      currency: 'USD',
    });
  });

  it('when parts were corrected, each is shown net of its corrections and priced as the invoice prices it', () => {
    // Arrange
    const parts = [
      aPartUsage({ usageId: 'use_0001', quantity: 2 }),
      aPartUsage({
        usageId: 'use_0002',
        sku: 'PIPE-CU',
        name: 'Copper pipe',
        quantity: 2.5,
        unit: 'ft',
        unitPrice: 899,
      }),
      aPartUsage({ usageId: 'use_0003', sku: 'FUSE-30', name: 'Fuse 30 A', quantity: 1 }),
      aPartUsage({
        usageId: 'use_0004',
        quantity: -1,
        correctionOf: 'use_0001',
        at: '2025-03-14T14:30:00.000Z',
      }),
      aPartUsage({
        usageId: 'use_0005',
        quantity: -1,
        correctionOf: 'use_0003',
        at: '2025-03-14T14:31:00.000Z',
      }),
    ];

    // Act
    const summary = compileWorkSummary(records({ parts }));

    // Assert
    expect(summary.parts).toEqual([
      expect.objectContaining({ usageId: 'use_0001', quantity: 1, lineTotal: 1850 }),
      expect.objectContaining({ usageId: 'use_0002', quantity: 2.5, unit: 'ft', lineTotal: 2248 }),
    ]);
    expect(summary.partsTotal).toBe(4098);
  });

  it('when a photo carries tags, they are part of the summary', () => {
    // Act
    const summary = compileWorkSummary(
      records({ photos: [{ ...aPhoto(), tags: ['capacitor', 'warranty'] }] }),
    );

    // Assert
    expect(summary.photos[0]?.tags).toEqual(['capacitor', 'warranty']);
  });
});

describe('the summary hash', () => {
  it('when the same records come in another order, the canonical form and the hash are the same', () => {
    // Arrange
    const inOrder = records();
    const shuffled = records({
      notes: [...inOrder.notes].reverse(),
      labor: [...inOrder.labor].reverse(),
      technicianNames: new Map([...inOrder.technicianNames].reverse()),
    });

    // Act
    const [one, other] = [compileWorkSummary(inOrder), compileWorkSummary(shuffled)];

    // Assert
    expect(canonicalJson(one)).toBe(canonicalJson(other));
    expect(summaryHashOf(one)).toBe(summaryHashOf(other));
    expect(summaryHashOf(one)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when objects are built with their keys in another order, the canonical form is the same', () => {
    // Act & Assert
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: 'x' }, skipped: undefined })).toBe(
      '{"a":{"c":"x","d":[2,1]},"b":1}',
    );
  });

  it.each<[string, Partial<WorkSummaryRecords>]>([
    ['a note', { notes: [...records().notes, aNote({ noteId: 'not_0003', text: 'Checked the breaker' })] }],
    ['a part', { parts: [aPartUsage(), aPartUsage({ usageId: 'use_0002', sku: 'FUSE-30', quantity: 1 })] }],
    ['a labor entry', { labor: [...records().labor, aLaborEntry({ laborId: 'lab_0004', minutes: 15 })] }],
    [
      'a correction of a part',
      { parts: [aPartUsage(), aPartUsage({ usageId: 'use_0002', quantity: -1, correctionOf: 'use_0001' })] },
    ],
    ['a photo', { photos: [...records().photos, aPhoto({ photoId: 'pho_0002', phase: 'after' })] }],
  ])('when %s is added, the hash changes', (_case, change) => {
    // Arrange
    const before = summaryHashOf(compileWorkSummary(records()));

    // Act
    const after = summaryHashOf(compileWorkSummary(records(change)));

    // Assert
    expect(after).not.toBe(before);
  });

  it('when a note is edited by one character, the hash changes', () => {
    // Arrange
    const before = summaryHashOf(compileWorkSummary(records()));

    // Act
    const after = summaryHashOf(
      compileWorkSummary(records({ notes: [aNote({ noteId: 'not_0001', text: 'Capacitor swollen.' })] })),
    );

    // Assert
    expect(after).not.toBe(before);
  });
});

describe('summaryText', () => {
  it('when signed, it tells the work in local times, the parts priced, the labor per technician, the signer and the hash', () => {
    // Arrange
    const summary = compileWorkSummary(records());
    const hash = summaryHashOf(summary);

    // Act
    const text = summaryText(
      summary,
      hash,
      {
        signature: { signerName: 'Dana Whitfield', signedAt: '2025-03-14T15:00:00.000Z', summaryHash: hash },
      },
      'America/New_York',
    );

    // Assert
    expect(text.split('\n')).toEqual([
      'Problem reported: AC blows warm air',
      'Work notes:',
      '- 2025-03-14 09:40 Capacitor swollen',
      '- 2025-03-14 10:20 Replaced capacitor; cooling restored',
      'Photos: before Swollen capacitor',
      'Parts:',
      '- 2 x Run capacitor 45/5 (CAP-455) at $18.50 = $37.00',
      'Labor: 2 h 5 min (Ana Reyes 1 h 35 min, Bo Lind 0 h 30 min)',
      'Signed by Dana Whitfield at 2025-03-14 11:00',
      `Summary hash: ${hash}`,
    ]);
  });

  it('when the work changed after signing, it says which summary the customer signed', () => {
    // Arrange
    const summary = compileWorkSummary(records());

    // Act
    const text = summaryText(
      summary,
      summaryHashOf(summary),
      {
        signature: { signerName: 'Dana', signedAt: '2025-03-14T15:00:00.000Z', summaryHash: 'f'.repeat(64) },
      },
      'UTC',
    );

    // Assert
    expect(text).toContain(`Changed since signed: the customer signed summary ${'f'.repeat(64)}`);
  });
});

describe('readWorkSummary', () => {
  let directory: InMemoryDirectory;
  let workOrders: InMemoryWorkOrderStore;
  let photos: InMemoryPhotoStore;
  const sources = () => ({ workOrders, directory, photos });

  beforeEach(() => {
    directory = new InMemoryDirectory()
      .addTenant(aTenant())
      .addCustomer(aCustomer())
      .addLocation(aLocation())
      .addServiceType('ten_acme', aServiceType())
      .addTechnician('ten_acme', aTechnician());
    workOrders = new InMemoryWorkOrderStore(directory);
    photos = new InMemoryPhotoStore().put(aPhoto());
    workOrders.putNote(aNote()).putLaborEntry(aLaborEntry());
    workOrders.partUsageItems.push(aPartUsage());
  });

  it('when the work order is not signed, it answers the summary and its hash only', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('in_progress'));

    // Act
    const reading = await readWorkSummary(sources(), aTechnicianUser(), 'wo_existing');

    // Assert
    expect(reading.summaryHash).toBe(summaryHashOf(reading.summary));
    expect(reading.summary).toMatchObject({
      customer: { name: 'Dana Whitfield' },
      technician: { name: 'Ana Reyes' },
      parts: [{ sku: 'CAP-455', lineTotal: 3700 }],
      labor: [{ name: 'Ana Reyes', minutes: 95 }],
    });
    expect(reading).not.toHaveProperty('signedSummaryHash');
    expect(reading).not.toHaveProperty('changedSinceSigned');
  });

  it('when signed and nothing changed since, it is not changed; a note added after signing changes it', async () => {
    // Arrange
    const unsigned = aWorkOrderAt('in_progress');
    workOrders.put(unsigned);
    const { hash } = await gatherWorkSummary(sources(), unsigned);
    workOrders.put(
      aWorkOrderAt('completed', {
        signature: { signerName: 'Dana Whitfield', signedAt: '2025-03-14T15:00:00.000Z', summaryHash: hash },
      }),
    );
    const atSigning = await readWorkSummary(sources(), aDispatcher(), 'wo_existing');

    // Act
    workOrders.putNote(aNote({ noteId: 'not_0009', text: 'Customer called: all good' }));
    const later = await readWorkSummary(sources(), aDispatcher(), 'wo_existing');

    // Assert
    expect(atSigning).toMatchObject({
      summaryHash: hash,
      signedSummaryHash: hash,
      changedSinceSigned: false,
    });
    expect(later).toMatchObject({ signedSummaryHash: hash, changedSinceSigned: true });
    expect(later.summaryHash).not.toBe(hash);
  });

  it('when a technician asks for a work order not assigned to them, it is not found', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('in_progress'));

    // Act
    const error = await rejectionOf(
      readWorkSummary(sources(), aTechnicianUser({ technicianId: 'tec_other' }), 'wo_existing'),
    );

    // Assert
    expect(error).toBeInstanceOf(NotFoundError);
  });
});
