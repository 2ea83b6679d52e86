import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import type { BlobStore } from '../../ports/blob-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { WorkOrderStore } from '../../ports/work-order-store.ts';
import { ConflictError } from '../../shared/errors.ts';
import type { Actor } from '../shared/actor.ts';
import { getWorkOrder } from '../work-orders/queries.ts';
import type { Signature } from '../work-orders/work-order.ts';
import { maxSignatureImageBytes } from './sign-off.ts';
import { formatMinutes, formatMoney, type SignOff, type WorkSummary } from './work-summary.ts';

export const completionReportContentType = 'application/pdf';
/** Download links last fifteen minutes, as photo links do. */
export const completionReportLinkSeconds = 15 * 60;

/** Where a work order's completion report lives: one per work order, under its tenant's prefix. */
export const completionReportKey = (tenantId: string, workOrderId: string): string =>
  `tenants/${tenantId}/work-orders/${workOrderId}/completion-report.pdf`;

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

const pageSize: [number, number] = [612, 792]; // US Letter, in points
const margin = 50;
const bodySize = 10;
const lineGap = 3;
const ink = rgb(0.1, 0.1, 0.1);
const muted = rgb(0.4, 0.4, 0.4);
const alert = rgb(0.7, 0.1, 0.1);
const signatureBox = { width: 240, height: 80 };

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  mono: PDFFont;
}

interface TextStyle {
  font?: keyof Fonts;
  size?: number;
  indent?: number;
  color?: ReturnType<typeof rgb>;
}

/** Lays out text top to bottom, wrapping lines and starting new pages as needed. */
class ReportWriter {
  private page!: PDFPage;
  private y = 0;
  private readonly characters: Map<PDFFont, Set<number>> = new Map();

  constructor(
    private readonly document: PDFDocument,
    private readonly fonts: Fonts,
  ) {
    this.newPage();
  }

  private newPage() {
    this.page = this.document.addPage(pageSize);
    this.y = pageSize[1] - margin;
  }

  private room(height: number) {
    if (this.y - height < margin) this.newPage();
  }

  /** The standard fonts write WinAnsi only: any other character is shown as `?`, never a failure. */
  private writable(font: PDFFont, text: string): string {
    let known = this.characters.get(font);
    if (!known) {
      known = new Set(font.getCharacterSet());
      this.characters.set(font, known);
    }
    const characters = known;
    return [...text.replace(/[\t\r]/g, ' ')]
      .map((character) => (characters.has(character.codePointAt(0) ?? 0) ? character : '?'))
      .join('');
  }

  private wrap(font: PDFFont, size: number, text: string, width: number): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      for (const word of paragraph.split(/ +/)) {
        const candidate = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(candidate, size) <= width) {
          line = candidate;
          continue;
        }
        if (line) lines.push(line);
        line = word;
        // A word wider than the line (a long part number, a URL) is cut where it must be.
        while (font.widthOfTextAtSize(line, size) > width) {
          let cut = line.length - 1;
          while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut -= 1;
          lines.push(line.slice(0, cut));
          line = line.slice(cut);
        }
      }
      lines.push(line);
    }
    return lines;
  }

  text(text: string, style: TextStyle = {}) {
    const font = this.fonts[style.font ?? 'regular'];
    const size = style.size ?? bodySize;
    const indent = style.indent ?? 0;
    const width = pageSize[0] - 2 * margin - indent;
    for (const line of this.wrap(font, size, this.writable(font, text), width)) {
      this.room(size + lineGap);
      this.y -= size;
      this.page.drawText(line, { x: margin + indent, y: this.y, size, font, color: style.color ?? ink });
      this.y -= lineGap;
    }
  }

  /** One line of cells at fixed columns (a table row); each cell is cut to its column. */
  row(cells: { text: string; x: number; width: number; align?: 'right' }[], style: TextStyle = {}) {
    const font = this.fonts[style.font ?? 'regular'];
    const size = style.size ?? bodySize;
    this.room(size + lineGap);
    this.y -= size;
    for (const cell of cells) {
      let text = this.writable(font, cell.text);
      while (text.length > 1 && font.widthOfTextAtSize(text, size) > cell.width) text = text.slice(0, -1);
      const offset = cell.align === 'right' ? cell.width - font.widthOfTextAtSize(text, size) : 0;
      this.page.drawText(text, { x: margin + cell.x + offset, y: this.y, size, font, color: ink });
    }
    this.y -= lineGap;
  }

  heading(text: string) {
    this.gap(8);
    this.room(40);
    this.text(text, { font: 'bold', size: 12 });
    this.gap(2);
  }

  gap(points: number) {
    this.y -= points;
  }

  /** A box of the signature's size, on this page; draws into it and moves below it. */
  box(height: number, draw: (page: PDFPage, box: { x: number; y: number }) => void) {
    this.room(height + lineGap);
    this.y -= height;
    draw(this.page, { x: margin, y: this.y });
    this.page.drawLine({
      start: { x: margin, y: this.y - 2 },
      end: { x: margin + signatureBox.width, y: this.y - 2 },
      thickness: 0.5,
      color: muted,
    });
    this.y -= lineGap + 4;
  }
}

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

const localTime = (at: string, timeZone: string) => format(new TZDate(at, timeZone), 'yyyy-MM-dd HH:mm');

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
  const fonts: Fonts = {
    regular: await document.embedFont(StandardFonts.Helvetica),
    bold: await document.embedFont(StandardFonts.HelveticaBold),
    mono: await document.embedFont(StandardFonts.Courier),
  };
  const writer = new ReportWriter(document, fonts);
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
    writer.box(signatureBox.height, (page, box) => drawStrokes(page, box, strokes));
  } else if (input.signatureImage) {
    // The upload was checked to start as a PNG; a file damaged beyond that is reported, not fatal.
    const image = await document.embedPng(input.signatureImage).catch(() => undefined);
    if (image) {
      const fitted = image.scaleToFit(signatureBox.width, signatureBox.height);
      writer.box(signatureBox.height, (page, box) =>
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

export interface CompletionReportLink {
  url: string;
  expiresAt: string;
}

/**
 * A time-limited link to the work order's completion report, for the office or the assigned
 * technician; 409 while the workflow has not written it yet.
 */
export async function completionReportLink(
  dependencies: { workOrders: WorkOrderStore; blobs: Pick<BlobStore, 'downloadUrl'>; clock: Clock },
  actor: Actor,
  workOrderId: string,
): Promise<CompletionReportLink> {
  const workOrder = await getWorkOrder(dependencies.workOrders, actor, workOrderId);
  if (!workOrder.completionReportKey) {
    throw new ConflictError('The completion report has not been written yet', {
      currentStatus: workOrder.status,
      workflowState: workOrder.workflowState,
    });
  }
  const url = await dependencies.blobs.downloadUrl(workOrder.completionReportKey, {
    expiresInSeconds: completionReportLinkSeconds,
  });
  const expiresAt = new Date(dependencies.clock.now().getTime() + completionReportLinkSeconds * 1000);
  return { url, expiresAt: expiresAt.toISOString() };
}
