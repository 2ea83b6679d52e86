import type { BlobStore, UploadForm } from '../../ports/blob-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import { ConflictError, ValidationError } from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import { actionRules, allowedActions } from '../work-orders/lifecycle.ts';
import { detectImageType, signatureBytes } from '../work-orders/photos.ts';
import { getWorkOrder } from '../work-orders/queries.ts';
import type { Signature, WorkOrder } from '../work-orders/work-order.ts';
import { gatherWorkSummary, type WorkSummarySources } from './work-summary.ts';

/** A signature image is a PNG of at most 256 KB: a drawn signature, not a photo. */
export const signatureImageContentType = 'image/png';
export const maxSignatureImageBytes = 256 * 1024;
/** The upload form lasts five minutes, as photo forms do. */
export const signatureUploadSeconds = 5 * 60;

/** Bounds of a signature sent as strokes: enough for any signature, small enough for the work order item. */
export const maxSignatureStrokes = 50;
export const maxSignaturePoints = 2000;
export const maxSignatureCoordinate = 10_000;

export type SignaturePoint = [number, number];

/** What the client sends to sign: who, which summary, and the signature drawn or uploaded. */
export interface SignatureInput {
  signerName: string;
  summaryHash: string;
  strokes?: SignaturePoint[][];
  imageKey?: string;
}

const ulidPattern = '[0-9A-HJKMNP-TV-Z]{26}';

/** Where a signature image lives: built from the verified tenant and a new id, never from the client. */
export const signatureImageKey = (tenantId: string, workOrderId: string, signatureId: string): string =>
  `tenants/${tenantId}/work-orders/${workOrderId}/signatures/${signatureId}.png`;

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** True when the key is a signature image key of this very work order. */
export function isSignatureImageKeyOf(key: string, tenantId: string, workOrderId: string): boolean {
  return new RegExp(
    `^tenants/${escaped(tenantId)}/work-orders/${escaped(workOrderId)}/signatures/sig_${ulidPattern}\\.png$`,
  ).test(key);
}

export interface SignatureUploadDependencies {
  workOrders: WorkOrderStore;
  blobs: Pick<BlobStore, 'createUploadForm'>;
  ids: IdGenerator;
  clock: Clock;
}

/**
 * Hands out a form that uploads one signature image (PNG, at most 256 KB) straight to the
 * bucket, while the work order can be completed. The key is the server's; the client names
 * it back as `signature.imageKey` when completing, and the completion checks the object.
 */
export async function requestSignatureUpload(
  dependencies: SignatureUploadDependencies,
  actor: Actor,
  workOrderId: string,
): Promise<{ imageKey: string; upload: UploadForm }> {
  const workOrder = await getWorkOrder(dependencies.workOrders, actor, workOrderId);
  if (!actionRules.complete.from.includes(workOrder.status)) {
    throw new ConflictError(`A ${workOrder.status} work order is not signed off`, {
      currentStatus: workOrder.status,
      allowedActions: allowedActions(workOrder, actor),
    });
  }
  const imageKey = signatureImageKey(actor.tenantId, workOrderId, dependencies.ids.next('sig'));
  const upload = await dependencies.blobs.createUploadForm({
    key: imageKey,
    contentType: signatureImageContentType,
    maxBytes: maxSignatureImageBytes,
    expiresInSeconds: signatureUploadSeconds,
  });
  return { imageKey, upload };
}

const imageKeyProblem = (message: string) =>
  new ValidationError([{ field: 'body.signature.imageKey', message }]);

/** Refuses an image key that is not this work order's, or whose object is not a small PNG. */
async function checkSignatureImage(
  blobs: Pick<BlobStore, 'head' | 'readStart'>,
  workOrder: WorkOrder,
  key: string,
): Promise<void> {
  if (!isSignatureImageKeyOf(key, workOrder.tenantId, workOrder.workOrderId)) {
    throw imageKeyProblem('not a signature upload of this work order');
  }
  const stored = await blobs.head(key);
  if (!stored) throw imageKeyProblem('no image has been uploaded with this key');
  if (stored.size <= 0 || stored.size > maxSignatureImageBytes) {
    throw imageKeyProblem(`the image must be 1 to ${maxSignatureImageBytes} bytes`);
  }
  const firstBytes = await blobs.readStart(key, signatureBytes, stored.versionId);
  if (detectImageType(firstBytes) !== signatureImageContentType) {
    throw imageKeyProblem('the uploaded file is not a PNG');
  }
}

export type SignOffDependencies = WorkSummarySources & { blobs: Pick<BlobStore, 'head' | 'readStart'> };

/**
 * The signature to record at completion.
 * 1. Strokes or an uploaded image, not both; an image must be this work order's PNG.
 * 2. The summary is compiled again from the work order's records: if its hash is not the one the
 *    customer signed, the work changed since they were shown it (409, naming the hash).
 * 3. The signer, the time, the hash and the strokes or the image key are what is kept.
 */
export async function signatureToRecord(
  dependencies: SignOffDependencies,
  workOrder: WorkOrder,
  input: SignatureInput,
  signedAt: string,
): Promise<Signature> {
  if (input.strokes && input.imageKey) {
    throw new ValidationError([
      { field: 'body.signature.imageKey', message: 'give the strokes or an uploaded image, not both' },
    ]);
  }
  const [{ hash }] = await Promise.all([
    gatherWorkSummary(dependencies, workOrder),
    input.imageKey ? checkSignatureImage(dependencies.blobs, workOrder, input.imageKey) : undefined,
  ]);
  if (hash !== input.summaryHash) {
    throw new ConflictError(
      'The work changed since the summary was shown: show the customer the current one',
      {
        errors: [
          { field: 'body.signature.summaryHash', message: 'is not the hash of the current work summary' },
        ],
        currentSummaryHash: hash,
      },
    );
  }
  return {
    signerName: input.signerName,
    signedAt,
    summaryHash: hash,
    ...(input.strokes ? { strokes: input.strokes } : {}),
    ...(input.imageKey ? { imageKey: input.imageKey } : {}),
  };
}
