import { crc32, deflateSync } from 'node:zlib';
import { extractText, getDocumentProxy } from 'unpdf';
import { beforeEach, describe, expect, it } from 'vitest';
import { renderCompletionReport } from '../../../../lambdas/domain/execution/completion-report.ts';
import {
  completionReportKey,
  completionReportLink,
} from '../../../../lambdas/domain/execution/completion-report-link.ts';
import type { PartUsage } from '../../../../lambdas/domain/execution/field-records.ts';
import {
  compileWorkSummary,
  summaryHashOf,
  type WorkSummary,
} from '../../../../lambdas/domain/execution/work-summary.ts';
import type { Signature } from '../../../../lambdas/domain/work-orders/work-order.ts';
import { ConflictError, NotFoundError } from '../../../../lambdas/shared/errors.ts';
import {
  aCustomer,
  aDispatcher,
  aLaborEntry,
  aLocation,
  aNote,
  aPhoto,
  aTechnicianUser,
  aWorkOrderAt,
} from '../../../fixtures/unit-records.ts';
import { InMemoryBlobStore } from '../../fakes/in-memory-blob-store.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const part = (overrides: Partial<PartUsage> = {}): PartUsage => ({
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
  recordedBy: 'user-technician-ana',
  at: '2025-03-14T14:05:00.000Z',
  ...overrides,
});

const aSummary = (): WorkSummary =>
  compileWorkSummary({
    workOrder: aWorkOrderAt('completed'),
    customer: aCustomer(),
    location: aLocation(),
    serviceTypeName: 'AC repair',
    technicianNames: new Map([['tec_ana', 'Ana Reyes']]),
    notes: [
      aNote({ noteId: 'not_0001', text: 'Capacitor swollen', at: '2025-03-14T13:40:00.000Z' }),
      aNote({
        noteId: 'not_0002',
        text: 'Replaced capacitor; cooling restored',
        at: '2025-03-14T14:20:00.000Z',
      }),
    ],
    photos: [aPhoto({ caption: 'Swollen capacitor' })],
    parts: [part()],
    labor: [aLaborEntry({ minutes: 95 })],
    currency: 'USD',
  });

const signedAt = '2025-03-14T15:00:00.000Z';
const strokes: [number, number][][] = [
  [
    [10, 50],
    [40, 10],
    [70, 50],
    [100, 20],
  ],
  [[120, 40]],
];

async function textOf(pdf: Uint8Array): Promise<string> {
  const document = await getDocumentProxy(new Uint8Array(pdf));
  // Runs of spaces are one space once extracted.
  return (await extractText(document, { mergePages: true })).text.replace(/ +/g, ' ');
}

/** A valid 2×1 PNG (RGB, one red and one black pixel), built chunk by chunk. */
function aPng(): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, checksum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const pixels = Buffer.from([0, 255, 0, 0, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('renderCompletionReport', () => {
  it('when a signed summary is rendered, the PDF holds the job, notes, parts, labor, photos, signer, time and hash', async () => {
    // Arrange
    const summary = aSummary();
    const hash = summaryHashOf(summary);
    const signature: Signature = { signerName: 'Dana Whitfield', signedAt, summaryHash: hash, strokes };

    // Act
    const pdf = await renderCompletionReport({
      summary,
      summaryHash: hash,
      signOff: { signature, completedAt: signedAt },
      tenantName: 'Acme Heating & Cooling',
      timeZone: 'America/New_York',
    });

    // Assert
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe('%PDF-');
    const text = await textOf(pdf);
    for (const expected of [
      'Acme Heating & Cooling',
      'Work order wo_existing',
      'Customer: Dana Whitfield',
      'Address: 12 Elm Street, Boston, MA 02118',
      'AC blows warm air',
      '2025-03-14 09:40 Capacitor swollen',
      '2025-03-14 10:20 Replaced capacitor; cooling restored',
      'Run capacitor 45/5 (CAP-455)',
      '$18.50',
      '$37.00',
      'Ana Reyes: 1 h 35 min',
      'Swollen capacitor',
      'Signed by Dana Whitfield at 2025-03-14 11:00',
      hash,
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('changed after the customer signed');
  });

  it('when the same input is rendered twice, the bytes are the same', async () => {
    // Arrange
    const summary = aSummary();
    const input = {
      summary,
      summaryHash: summaryHashOf(summary),
      signOff: { signature: { signerName: 'Dana', signedAt, strokes }, completedAt: signedAt },
      tenantName: 'Acme',
      timeZone: 'UTC',
    };

    // Act
    const [first, second] = [await renderCompletionReport(input), await renderCompletionReport(input)];

    // Assert
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });

  it('when the customer signed with an uploaded PNG, it is embedded', async () => {
    // Arrange
    const summary = aSummary();

    // Act
    const pdf = await renderCompletionReport({
      summary,
      summaryHash: summaryHashOf(summary),
      signOff: {
        signature: { signerName: 'Dana Whitfield', signedAt, imageKey: 'k' },
        completedAt: signedAt,
      },
      tenantName: 'Acme',
      timeZone: 'UTC',
      signatureImage: aPng(),
    });

    // Assert
    expect(Buffer.from(pdf).toString('latin1')).toMatch(/\/Subtype\s*\/Image/);
    expect(await textOf(pdf)).toContain('Signed by Dana Whitfield');
  });

  it('when the work changed after signing, the report says so and shows the hash that was signed', async () => {
    // Arrange
    const summary = aSummary();
    const signedHash = 'b'.repeat(64);

    // Act
    const pdf = await renderCompletionReport({
      summary,
      summaryHash: summaryHashOf(summary),
      signOff: {
        signature: { signerName: 'Dana', signedAt, summaryHash: signedHash },
        completedAt: signedAt,
      },
      tenantName: 'Acme',
      timeZone: 'UTC',
    });

    // Assert
    const text = await textOf(pdf);
    expect(text).toContain('The work record changed after the customer signed');
    expect(text).toContain(signedHash);
  });

  it('when text holds characters the standard fonts lack, and notes run over a page, it still renders them all', async () => {
    // Arrange
    const summary = {
      ...aSummary(),
      notes: Array.from({ length: 80 }, (_, index) => ({
        noteId: `not_${index}`,
        at: '2025-03-14T13:40:00.000Z',
        text: `Step ${index}: checked ✓ 日本 ${'long-word-'.repeat(12)}`,
        authorRole: 'technician',
      })),
    };

    // Act
    const pdf = await renderCompletionReport({
      summary,
      summaryHash: summaryHashOf(summary),
      signOff: { noSignatureReason: 'Customer away', completedAt: signedAt },
      tenantName: 'Acme',
      timeZone: 'UTC',
    });

    // Assert
    const text = await textOf(pdf);
    expect(text).toContain('Step 79: checked ? ??');
    expect(text).toContain('Not signed: Customer away');
  });
});

describe('completionReportLink', () => {
  let workOrders: InMemoryWorkOrderStore;
  let blobs: InMemoryBlobStore;
  const dependencies = () => ({ workOrders, blobs, clock: new SettableClock('2025-03-14T16:00:00.000Z') });

  beforeEach(() => {
    workOrders = new InMemoryWorkOrderStore();
    blobs = new InMemoryBlobStore();
  });

  it('when the report is written, it answers a link that expires in 15 minutes', async () => {
    // Arrange
    const key = completionReportKey('ten_acme', 'wo_existing');
    workOrders.put(aWorkOrderAt('completed', { completionReportKey: key }));

    // Act
    const link = await completionReportLink(dependencies(), aTechnicianUser(), 'wo_existing');

    // Assert
    expect(key).toBe('tenants/ten_acme/work-orders/wo_existing/completion-report.pdf');
    expect(link).toEqual({
      url: `https://field-service-bucket.s3.example/${key}?expires=900`,
      expiresAt: '2025-03-14T16:15:00.000Z',
    });
  });

  it('when the workflow has not written it yet, it refuses with 409', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('completed'));

    // Act
    const error = await rejectionOf(completionReportLink(dependencies(), aDispatcher(), 'wo_existing'));

    // Assert
    expect(error).toBeInstanceOf(ConflictError);
  });

  it('when another technician asks, it is not found', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('completed', { completionReportKey: 'k' }));

    // Act
    const error = await rejectionOf(
      completionReportLink(dependencies(), aTechnicianUser({ technicianId: 'tec_other' }), 'wo_existing'),
    );

    // Assert
    expect(error).toBeInstanceOf(NotFoundError);
  });
});
