import { type PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';

/** The layout every PDF of the platform shares (completion reports, invoices): US Letter, Helvetica. */
export const pageSize: [number, number] = [612, 792]; // US Letter, in points
export const margin = 50;
const bodySize = 10;
const lineGap = 3;
export const ink = rgb(0.1, 0.1, 0.1);
export const muted = rgb(0.4, 0.4, 0.4);

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  mono: PDFFont;
}

export interface TextStyle {
  font?: keyof Fonts;
  size?: number;
  indent?: number;
  color?: ReturnType<typeof rgb>;
}

/** Lays out text top to bottom, wrapping lines and starting new pages as needed. */
export class ReportWriter {
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

  /** A box of `width` × `height` on this page, underlined; draws into it and moves below it. */
  box(width: number, height: number, draw: (page: PDFPage, box: { x: number; y: number }) => void) {
    this.room(height + lineGap);
    this.y -= height;
    draw(this.page, { x: margin, y: this.y });
    this.page.drawLine({
      start: { x: margin, y: this.y - 2 },
      end: { x: margin + width, y: this.y - 2 },
      thickness: 0.5,
      color: muted,
    });
    this.y -= lineGap + 4;
  }
}

/** The standard fonts a report writes with. */
export async function embedReportFonts(document: PDFDocument): Promise<Fonts> {
  return {
    regular: await document.embedFont(StandardFonts.Helvetica),
    bold: await document.embedFont(StandardFonts.HelveticaBold),
    mono: await document.embedFont(StandardFonts.Courier),
  };
}
