import type PDFDocument from 'pdfkit';
import type { Status } from '../../domain/progress.js';

/** A4 in points, the page margin and the line under which the footer lives. */
export const PAGE = { width: 595.28, height: 841.89, margin: 50, footerTop: 800 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
const CONTENT_BOTTOM = PAGE.footerTop - 14;

export const COLORS = {
  ink: '#1F2933',
  muted: '#5B6675',
  navy: '#1E3A5F',
  accent: '#0F8A7A',
  line: '#D9DEE5',
  panel: '#F3F5F8',
  track: '#E3E8EF',
  white: '#FFFFFF',
} as const;

export const STATUS_COLORS: Record<Status, string> = {
  IMPLEMENTED: '#1E8E3E',
  IN_PROGRESS: '#C26A00',
  NOT_STARTED: '#7A8599',
};

/** Font names registered on every document. */
export const FONT = { regular: 'NotoSans', bold: 'NotoSans-Bold' } as const;

type Doc = InstanceType<typeof PDFDocument>;

/** Drawing helpers over one pdfkit document: page flow, headings and small shapes. */
export class PdfCanvas {
  constructor(readonly doc: Doc) {}

  get y(): number {
    return this.doc.y;
  }

  set y(value: number) {
    this.doc.y = value;
  }

  /** Starts a new page when fewer than `height` points are left; true when it did. */
  ensureSpace(height: number): boolean {
    if (this.doc.y + height <= CONTENT_BOTTOM) return false;
    this.doc.addPage();
    this.doc.y = PAGE.margin;
    return true;
  }

  /** Sets font, size and colour in one call. */
  style(font: keyof typeof FONT, size: number, color: string): Doc {
    return this.doc.font(FONT[font]).fontSize(size).fillColor(color);
  }

  /** Height of a text block at the given style and width. */
  measure(text: string, font: keyof typeof FONT, size: number, width: number): number {
    return this.doc.font(FONT[font]).fontSize(size).heightOfString(text, { width });
  }

  /** A section title with a rule under it; keeps at least `keepWith` points of content on its page. */
  heading(title: string, keepWith: number): void {
    this.ensureSpace(44 + keepWith);
    const top = this.doc.y + 18;
    this.style('bold', 13, COLORS.navy).text(title, PAGE.margin, top, { width: CONTENT_WIDTH, lineBreak: false });
    const ruleY = top + 21;
    this.doc
      .moveTo(PAGE.margin, ruleY)
      .lineTo(PAGE.margin + CONTENT_WIDTH, ruleY)
      .lineWidth(0.75)
      .strokeColor(COLORS.line)
      .stroke();
    this.doc.y = ruleY + 10;
  }

  /** A rounded label with white text; returns its width. */
  pill(label: string, x: number, y: number, color: string, size = 8): number {
    const width = this.style('bold', size, COLORS.white).widthOfString(label) + 14;
    const height = size + 8;
    this.doc.roundedRect(x, y, width, height, height / 2).fill(color);
    this.style('bold', size, COLORS.white).text(label, x, y + 3.2 - (size - 8) * 0.1, {
      width,
      align: 'center',
      lineBreak: false,
    });
    return width;
  }

  /** A filled circle with centred text: badge marks and step numbers. */
  disc(label: string, cx: number, cy: number, radius: number, color: string, size: number): void {
    this.doc.circle(cx, cy, radius).fill(color);
    this.style('bold', size, COLORS.white).text(label, cx - radius, cy - size * 0.68, {
      width: radius * 2,
      align: 'center',
      lineBreak: false,
    });
  }

  /** The largest size (≤ `size`) at which `text` fits in `width`. */
  fitSize(text: string, font: keyof typeof FONT, size: number, width: number): number {
    let s = size;
    while (s > 8 && this.doc.font(FONT[font]).fontSize(s).widthOfString(text) > width) s -= 0.5;
    return s;
  }
}
