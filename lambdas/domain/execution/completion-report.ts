import { PDFDocument, type PDFPage, rgb } from 'pdf-lib';
import type { BlobStore } from '../../ports/blob-store.ts';
import { embedReportFonts, ink, muted, ReportWriter } from '../shared/pdf-report-writer.ts';
import type { Signature } from '../work-orders/work-order.ts';
import { maxSignatureImageBytes } from './sign-off.ts';
import { formatMinutes, formatMoney, localTime, type SignOff, type WorkSummary } from './work-summary.ts';

export interface CompletionReportInput {
  summary: WorkSummary;
  /** The hash of `summary` (what the report prints). */
  summaryHash: string;
  signOff: SignOff;
  tenantName: string;
  timeZone: string;
  /** The PNG the customer signed with, when they uploaded one. */
  signatureImage?: Uint8Array;
}

const alert = rgb(0.7, 0.1, 0.1);
const signatureBox = { width: 240, height: 80 };

/** The strokes scaled into the box, keeping their proportions; screen y (downwards) becomes page y (upwards). */
function drawStrokes(page: PDFPage, box: { x: number; y: number }, strokes: [number, number][][]) {
  const points = strokes.flat();
  if (points.length === 0) return;
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y);
  const [minX, minY] = [Math.min(...xs), Math.min(...ys)];
  const width = Math.max(...xs) - minX || 1;
  const height = Math.max(...ys) - minY || 1;
  const scale = Math.min(signatureBox.width / width, signatureBox.height / height);
  // Drawn on the signature line: the box's bottom is the drawing's.
  const at = ([x, y]: [number, number]) => ({
    x: box.x + (x - minX) * scale,
    y: box.y + (height - (y - minY)) * scale,
  });
  for (const stroke of strokes) {
    if (stroke.length === 1 && stroke[0]) {
      page.drawCircle({ ...at(stroke[0]), size: 0.9, color: ink });
      continue;
    }
    for (let index = 1; index < stroke.length; index += 1) {
      const [from, to] = [stroke[index - 1], stroke[index]];
      if (from && to) page.drawLine({ start: at(from), end: at(to), thickness: 1.4, color: ink });
    }
  }
}

/**
 * Renders the completion report: the job, the work notes, photos, parts, labor, the sign-off
 * with the signature drawn (strokes) or embedded (PNG), and the hash of the summary. The same
 * input renders the same bytes (the document's dates are the completion's).
 */
export async function renderCompletionReport(input: CompletionReportInput): Promise<Uint8Array> {
  const { summary, summaryHash, signOff, timeZone } = input;
  const document = await PDFDocument.create();
  const stamp = new Date(signOff.completedAt ?? signOff.signature?.signedAt ?? 0);
  document.setTitle(`Completion report ${summary.workOrderId}`);
  document.setAuthor(input.tenantName);
  document.setCreator('Field Service Work Orders');
  document.setProducer('Field Service Work Orders');
  document.setCreationDate(stamp);
  document.setModificationDate(stamp);
  const writer = new ReportWriter(document, await embedReportFonts(document));
  const money = (amount: number) => formatMoney(amount, summary.currency);

  writer.text(input.tenantName, { font: 'bold', size: 16 });
  writer.gap(4);
  writer.text('Completion report', { font: 'bold', size: 13 });
  writer.text(`Work order ${summary.workOrderId}`, { color: muted });

  writer.heading('Job');
  writer.text(`Customer: ${summary.customer.name}`);
  if (summary.serviceAddress) writer.text(`Address: ${summary.serviceAddress}`);
  if (summary.serviceType) writer.text(`Service: ${summary.serviceType}`);
  if (summary.technician) writer.text(`Technician: ${summary.technician.name}`);
  if (signOff.completedAt) writer.text(`Completed: ${localTime(signOff.completedAt, timeZone)}`);

  writer.heading('Problem reported');
  writer.text(summary.problem);

  writer.heading('Work notes');
  if (summary.notes.length === 0) writer.text('None', { color: muted });
  for (const note of summary.notes) writer.text(`${localTime(note.at, timeZone)}  ${note.text}`);

  writer.heading('Photos');
  if (summary.photos.length === 0) writer.text('None', { color: muted });
  for (const photo of summary.photos) {
    const tags = (photo.tags ?? []).map((tag) => `#${tag}`).join(' ');
    writer.text(
      [`${localTime(photo.uploadedAt, timeZone)}  ${photo.phase}`, photo.caption, tags]
        .filter(Boolean)
        .join(' - '),
    );
  }

  writer.heading('Parts');
  if (summary.parts.length === 0) writer.text('None', { color: muted });
  else {
    const columns = { part: 0, quantity: 300, unitPrice: 350, lineTotal: 432 };
    writer.row(
      [
        { text: 'Part', x: columns.part, width: 290 },
        { text: 'Qty', x: columns.quantity, width: 40, align: 'right' },
        { text: 'Unit price', x: columns.unitPrice, width: 72, align: 'right' },
        { text: 'Line total', x: columns.lineTotal, width: 80, align: 'right' },
      ],
      { font: 'bold' },
    );
    for (const part of summary.parts) {
      writer.row([
        { text: `${part.name} (${part.sku})`, x: columns.part, width: 290 },
        {
          text: part.unit && part.unit !== 'each' ? `${part.quantity} ${part.unit}` : String(part.quantity),
          x: columns.quantity,
          width: 40,
          align: 'right',
        },
        { text: money(part.unitPrice), x: columns.unitPrice, width: 72, align: 'right' },
        { text: money(part.lineTotal), x: columns.lineTotal, width: 80, align: 'right' },
      ]);
    }
    writer.row(
      [
        { text: 'Parts total', x: columns.part, width: 290 },
        { text: money(summary.partsTotal), x: columns.lineTotal, width: 80, align: 'right' },
      ],
      { font: 'bold' },
    );
  }

  writer.heading('Labor');
  if (summary.labor.length === 0) writer.text('None', { color: muted });
  for (const line of summary.labor) writer.text(`${line.name}: ${formatMinutes(line.minutes)}`);
  if (summary.labor.length > 0) {
    writer.text(`Total: ${formatMinutes(summary.laborMinutes)}`, { font: 'bold' });
  }

  writer.heading('Sign-off');
  await writeSignOff(writer, document, input);

  writer.heading('Summary hash (SHA-256)');
  writer.text(summaryHash, { font: 'mono', size: 9 });
  const signedHash = signOff.signature?.summaryHash;
  if (signedHash && signedHash !== summaryHash) {
    writer.gap(4);
    writer.text('The work record changed after the customer signed. The customer signed summary:', {
      color: alert,
    });
    writer.text(signedHash, { font: 'mono', size: 9, color: alert });
  }
  return document.save();
}

async function writeSignOff(writer: ReportWriter, document: PDFDocument, input: CompletionReportInput) {
  const { signature, noSignatureReason } = input.signOff;
  if (!signature) {
    writer.text(`Not signed: ${noSignatureReason ?? 'no reason recorded'}`);
    return;
  }
  writer.text(`Signed by ${signature.signerName} at ${localTime(signature.signedAt, input.timeZone)}`);
  writer.gap(6);
  if (signature.strokes && signature.strokes.length > 0) {
    const strokes = signature.strokes;
    writer.box(signatureBox.width, signatureBox.height, (page, box) => drawStrokes(page, box, strokes));
  } else if (input.signatureImage) {
    // The upload was checked to start as a PNG; a file damaged beyond that is reported, not fatal.
    const image = await document.embedPng(input.signatureImage).catch(() => undefined);
    if (image) {
      const fitted = image.scaleToFit(signatureBox.width, signatureBox.height);
      writer.box(signatureBox.width, signatureBox.height, (page, box) =>
        page.drawImage(image, { x: box.x, y: box.y, width: fitted.width, height: fitted.height }),
      );
    } else {
      writer.text('(The signature image could not be read.)', { color: muted });
    }
  }
}

/** The uploaded signature image's bytes, when the signature is one. */
export async function signatureImageOf(
  blobs: Pick<BlobStore, 'readStart'>,
  signature: Signature | undefined,
): Promise<Uint8Array | undefined> {
  if (!signature?.imageKey) return undefined;
  return blobs.readStart(signature.imageKey, maxSignatureImageBytes);
}
