import type PDFDocument from 'pdfkit';
import type { Status } from '../../domain/progress.js';
import { fontName, type FontSet, type Weight } from './pdf-fonts.js';
import { paginate } from './pdf-pagination.js';
import { scriptRuns } from './script-runs.js';

/** A4 in points, the page margin and the line under which the footer lives. */
export const PAGE = { width: 595.28, height: 841.89, margin: 50, footerTop: 800 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
export const CONTENT_BOTTOM = PAGE.footerTop - 14;
/** A section title's height: space above, the title, and the rule under it. */
const HEADING_HEIGHT = 49;

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

/** Font names registered on every document: the Latin ones; other scripts' fonts are added on first use. */
export const FONT: Record<Weight, string> = { regular: fontName('latin', 'regular'), bold: fontName('latin', 'bold') };

type Doc = InstanceType<typeof PDFDocument>;
type TextOptions = PDFKit.Mixins.TextOptions;

/** A part of a section, measured before it is drawn; `draw` draws it with its top at the canvas's y. */
export type Block = { height: number; draw(): void };

/** A section as blocks: its heading, a header repeated on each page it continues on (a table's), its body. */
export type SectionLayout = { name: string; heading: Block; repeat?: Block; blocks: Block[] };

/** Where a part of the document landed, page by page (pages from 0). */
export type LayoutEntry = {
  page: number;
  section: string;
  part: 'header' | 'heading' | 'repeat' | 'block';
  top: number;
  bottom: number;
};

/** Drawing helpers over one pdfkit document: page flow, headings and small shapes. */
export class PdfCanvas {
  /** The weight of the current style: text in another script is set in that script's font of this weight. */
  private weight: Weight = 'regular';
  private size = 12;
  private readonly registered = new Set<string>();
  /** Every part drawn so far and the page it is on: how the layout rules are checked. */
  readonly layout: LayoutEntry[] = [];

  constructor(
    readonly doc: Doc,
    private readonly fonts: FontSet,
  ) {
    for (const weight of ['regular', 'bold'] as const) this.register('latin', weight);
    // Every text call goes through the script split, so that any name or teaser, in any script, shows.
    const draw = doc.text.bind(doc) as (text: string, ...rest: unknown[]) => Doc;
    doc.text = ((text: string | number, ...rest: unknown[]) =>
      this.textByScript(draw, String(text), rest)) as Doc['text'];
  }

  private register(script: Parameters<FontSet['font']>[0], weight: Weight): string {
    const name = fontName(script, weight);
    if (!this.registered.has(name)) {
      // pdfkit accepts a parsed fontkit font (anything with layout()); its type definitions lag behind.
      this.doc.registerFont(name, this.fonts.font(script, weight) as unknown as PDFKit.Mixins.PDFFontSource);
      this.registered.add(name);
    }
    return name;
  }

  /** Draws text as runs of one script each, chained with `continued`, each in a font that has its glyphs. */
  private textByScript(draw: (text: string, ...rest: unknown[]) => Doc, text: string, rest: unknown[]): Doc {
    const runs = scriptRuns(text, (script, cp) => this.fonts.covers(script, cp));
    if (runs.every((r) => r.script === 'latin')) return draw(text, ...rest);
    const positioned = typeof rest[0] === 'number';
    const options = ((positioned ? rest[2] : rest[0]) ?? {}) as TextOptions;
    // Every run on the Latin font's baseline (pdfkit would place each one by its own font's ascender).
    const latin = this.fonts.font('latin', this.weight);
    const baseline = -((latin.ascent / latin.unitsPerEm) * this.size);
    runs.forEach((run, i) => {
      this.doc.font(this.register(run.script, this.weight));
      const continued = i < runs.length - 1 ? true : (options.continued ?? false);
      const opts = { ...options, baseline, continued };
      if (i === 0 && positioned) draw(run.text, rest[0], rest[1], opts);
      else draw(run.text, opts);
    });
    return this.doc.font(FONT[this.weight]);
  }

  get y(): number {
    return this.doc.y;
  }

  set y(value: number) {
    this.doc.y = value;
  }

  /** The page being drawn on, from 0. */
  get page(): number {
    return this.doc.bufferedPageRange().count - 1;
  }

  /** Notes that a part of the document now spans from `top` to the current y of the current page. */
  record(section: string, part: LayoutEntry['part'], top: number): void {
    this.layout.push({ page: this.page, section, part, top, bottom: this.doc.y });
  }

  /** Draws the sections from the current y on, breaking pages where `paginate` says. */
  flow(sections: readonly SectionLayout[]): void {
    const shapes = sections.map((s) => ({
      heading: s.heading.height,
      repeat: s.repeat?.height ?? 0,
      blocks: s.blocks.map((b) => b.height),
    }));
    const frame = { firstTop: this.doc.y, top: PAGE.margin, bottom: CONTENT_BOTTOM };
    for (const p of paginate(shapes, frame)) {
      while (this.page < p.page) this.doc.addPage();
      const s = sections[p.section]!;
      const block = p.part === 'heading' ? s.heading : p.part === 'repeat' ? s.repeat! : s.blocks[p.part]!;
      this.doc.y = p.top;
      block.draw();
      this.doc.y = p.top + block.height;
      this.record(s.name, typeof p.part === 'number' ? 'block' : p.part, p.top);
    }
  }

  /** Sets font, size and colour in one call. */
  style(font: Weight, size: number, color: string): Doc {
    this.weight = font;
    this.size = size;
    return this.doc.font(FONT[font]).fontSize(size).fillColor(color);
  }

  /** Height of a text block at the given style and width. */
  measure(text: string, font: Weight, size: number, width: number): number {
    return this.doc.font(FONT[font]).fontSize(size).heightOfString(text, { width });
  }

  /** A section title with a rule under it. */
  heading(title: string): Block {
    return {
      height: HEADING_HEIGHT,
      draw: () => {
        const top = this.doc.y + 18;
        this.style('bold', 13, COLORS.navy).text(title, PAGE.margin, top, { width: CONTENT_WIDTH, lineBreak: false });
        const ruleY = top + 21;
        this.doc
          .moveTo(PAGE.margin, ruleY)
          .lineTo(PAGE.margin + CONTENT_WIDTH, ruleY)
          .lineWidth(0.75)
          .strokeColor(COLORS.line)
          .stroke();
      },
    };
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
  fitSize(text: string, font: Weight, size: number, width: number): number {
    let s = size;
    while (s > 8 && this.doc.font(FONT[font]).fontSize(s).widthOfString(text) > width) s -= 0.5;
    return s;
  }
}
