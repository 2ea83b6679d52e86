import { beforeEach, describe, expect, it } from 'vitest';
import {
  isSignatureImageKeyOf,
  maxSignatureImageBytes,
  maxSignaturePoints,
  requestSignatureUpload,
} from '../../../../lambdas/domain/execution/sign-off.ts';
import { signatureBody } from '../../../../lambdas/schemas/sign-off.ts';
import { completeBody } from '../../../../lambdas/schemas/work-orders.ts';
import { ConflictError, NotFoundError } from '../../../../lambdas/shared/errors.ts';
import { aDispatcher, aTechnicianUser, aWorkOrderAt } from '../../../fixtures/unit-records.ts';
import { InMemoryBlobStore } from '../../fakes/in-memory-blob-store.ts';
import { InMemoryWorkOrderStore } from '../../fakes/in-memory-work-order-store.ts';
import { SequentialIds } from '../../fakes/sequential-ids.ts';
import { SettableClock } from '../../fakes/settable-clock.ts';
import { rejectionOf } from '../../support/caught-errors.ts';

const hash = 'c'.repeat(64);

describe('requestSignatureUpload', () => {
  let workOrders: InMemoryWorkOrderStore;
  let blobs: InMemoryBlobStore;
  const dependencies = () => ({
    workOrders,
    blobs,
    ids: new SequentialIds(),
    clock: new SettableClock('2025-03-14T15:00:00.000Z'),
  });

  beforeEach(() => {
    workOrders = new InMemoryWorkOrderStore();
    blobs = new InMemoryBlobStore();
  });

  it('when the work is in progress, it hands out a form for one small PNG at a key of this work order', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('in_progress'));

    // Act
    const { imageKey, upload } = await requestSignatureUpload(
      dependencies(),
      aTechnicianUser(),
      'wo_existing',
    );

    // Assert
    expect(imageKey).toMatch(/^tenants\/ten_acme\/work-orders\/wo_existing\/signatures\/sig_[0-9A-Z]+\.png$/);
    expect(blobs.forms).toEqual([
      { key: imageKey, contentType: 'image/png', maxBytes: maxSignatureImageBytes, expiresInSeconds: 300 },
    ]);
    expect(upload.fields).toMatchObject({ key: imageKey, 'Content-Type': 'image/png' });
  });

  it('when the work order is not in progress, it refuses with 409', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('completed'));

    // Act
    const error = await rejectionOf(requestSignatureUpload(dependencies(), aDispatcher(), 'wo_existing'));

    // Assert
    expect(error).toBeInstanceOf(ConflictError);
    expect(blobs.forms).toEqual([]);
  });

  it('when a technician asks for a work order not assigned to them, it is not found', async () => {
    // Arrange
    workOrders.put(aWorkOrderAt('in_progress'));

    // Act
    const error = await rejectionOf(
      requestSignatureUpload(dependencies(), aTechnicianUser({ technicianId: 'tec_other' }), 'wo_existing'),
    );

    // Assert
    expect(error).toBeInstanceOf(NotFoundError);
  });
});

describe('isSignatureImageKeyOf', () => {
  it.each([
    ['tenants/ten_acme/work-orders/wo_existing/signatures/sig_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3.png', true],
    ['tenants/ten_other/work-orders/wo_existing/signatures/sig_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3.png', false],
    ['tenants/ten_acme/work-orders/wo_existing/photos/pho_01JD3Q8ZV5X6Y7Z8A9B0C1D2E3', false],
    ['tenants/ten_acme/work-orders/wo_existing/signatures/../completion-report.pdf', false],
  ])('when the key is %s, it is a signature key of wo_existing: %s', (key, expected) => {
    // Act & Assert
    expect(isSignatureImageKeyOf(key, 'ten_acme', 'wo_existing')).toBe(expected);
  });
});

describe('the signature body', () => {
  it('when strokes are within bounds, they are taken as sent', () => {
    // Arrange
    const strokes = [
      [
        [0, 0],
        [12.5, 40],
      ],
      [[80, 20]],
    ];

    // Act
    const result = signatureBody.safeParse({ signerName: 'Dana', summaryHash: hash, strokes });

    // Assert
    expect(result.success && result.data.strokes).toEqual(strokes);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a hash that is not SHA-256 hex', { summaryHash: 'ABC' }, 'summaryHash'],
    ['no hash', { summaryHash: undefined }, 'summaryHash'],
    [
      'more points than a signature needs',
      { strokes: Array.from({ length: 3 }, () => Array.from({ length: 700 }, () => [1, 1])) },
      'strokes',
    ],
    ['a point off the canvas', { strokes: [[[-1, 5]]] }, 'strokes.0.0.0'],
    ['strokes and an image', { strokes: [[[1, 1]]], imageKey: 'k' }, 'imageKey'],
  ])('when it has %s, it is refused naming the field', (_case, change, field) => {
    // Act
    const result = completeBody.safeParse({
      signature: { signerName: 'Dana', summaryHash: hash, ...change },
    });

    // Assert
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(`signature.${field}`);
  });

  it('when the bound on points is read, it is what the schema enforces', () => {
    // Arrange
    const atBound = [Array.from({ length: maxSignaturePoints }, () => [1, 1])];

    // Act & Assert
    expect(signatureBody.safeParse({ signerName: 'D', summaryHash: hash, strokes: atBound }).success).toBe(
      true,
    );
  });
});
