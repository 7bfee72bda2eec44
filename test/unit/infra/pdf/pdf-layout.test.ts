import { expect } from 'chai';
import fc from 'fast-check';
import { CONTENT_BOTTOM, type LayoutEntry } from '../../../../src/infra/pdf/pdf-canvas.js';
import { PdfRenderer } from '../../../../src/infra/pdf/pdf-renderer.js';
import { progressSummary, type OpportunityProgress, type Status } from '../../../../src/domain/progress.js';
import { recommend } from '../../../../src/domain/recommendations.js';
import type { ReportBadge, ReportModel } from '../../../../src/domain/report-model.js';
import { REPORT_SECTIONS, type ReportSection } from '../../../../src/domain/report-sections.js';
import { pdfPageCount, pdftotext } from '../../../helpers/pdf.js';
import { reportModel } from '../../../helpers/report-model.js';

const CATEGORIES = ['digital_presence', 'value_creation', 'business_management'] as const;
const AT = new Date('2026-03-02T10:00:00Z');

type Shape = {
  company: string;
  opportunities: { category: number; teaser: string; status: Status; hours: number; complexity: number }[];
  badges: { name: string; description: string; isNew: boolean }[];
  sections: ReportSection[];
};

/** A report model of any size: the renderer lays out whatever it is given, beyond the three categories. */
function modelOf(shape: Shape): ReportModel {
  const base = reportModel();
  const opportunities: OpportunityProgress[] = shape.opportunities.map((o, i) => ({
    opportunity_id: CATEGORIES[o.category]!,
    category: CATEGORIES[o.category]!,
    hours_per_week: o.hours,
    hours_per_year: o.hours * 52,
    problem_teaser: o.teaser,
    complexity_level: o.complexity,
    tools_hint: `outil ${i}`,
    status: o.status,
    implemented_at: o.status === 'IMPLEMENTED' ? AT : null,
  }));
  const badges: ReportBadge[] = shape.badges.map((b, i) => ({
    badge_type: `badge_${i}`,
    badge_name: b.name,
    description: b.description,
    icon: null,
    points: 10 * (i + 1),
    earned_at: AT,
    is_new: b.isNew,
  }));
  return {
    ...base,
    identity: { ...base.identity, company_name: shape.company },
    completion: progressSummary(opportunities),
    opportunities,
    badges,
    new_badges: badges.filter((b) => b.is_new),
    next_steps: recommend(opportunities),
  };
}

const words = (maxCount: number) => fc.lorem({ maxCount, mode: 'words' });
const shapes: fc.Arbitrary<Shape> = fc.record({
  company: fc.oneof(fc.constant('Example Inc.'), words(30)),
  opportunities: fc.array(
    fc.record({
      category: fc.integer({ min: 0, max: 2 }),
      teaser: fc.oneof(fc.constant(''), words(8), words(60)),
      status: fc.constantFrom<Status>('NOT_STARTED', 'IN_PROGRESS', 'IMPLEMENTED'),
      hours: fc.integer({ min: 1, max: 40 }),
      complexity: fc.integer({ min: 1, max: 10 }),
    }),
    { maxLength: 24 },
  ),
  badges: fc.array(fc.record({ name: words(12), description: words(45), isNew: fc.boolean() }), { maxLength: 14 }),
  sections: fc.subarray([...REPORT_SECTIONS]),
});

/** The entries page by page, and the rule the layout breaks first (null when none). */
function brokenRule(layout: LayoutEntry[]): string | null {
  const pages: LayoutEntry[][] = [];
  for (const e of layout) (pages[e.page] ??= []).push(e);
  for (const [page, entries = []] of pages.entries()) {
    if (entries.length === 0) return `page ${page} is empty`;
    const last = entries.at(-1)!;
    if (last.part === 'heading') return `page ${page} ends with the ${last.section} heading`;
    if (last.part === 'repeat') return `page ${page} ends with the ${last.section} table header`;
    const blocks = entries.filter((e) => e.part !== 'repeat');
    if (page > 0 && blocks.length === 1) return `page ${page} holds one lone ${blocks[0]!.section} block`;
    const first = blocks[0]!;
    if (page > 0 && first.part !== 'heading' && blocks.filter((b) => b.section === first.section).length < 2)
      return `page ${page} continues ${first.section} with a single block`;
    for (const [i, e] of entries.entries()) {
      if (e.bottom > CONTENT_BOTTOM) return `a ${e.section} ${e.part} on page ${page} runs into the footer`;
      if (i > 0 && e.top < entries[i - 1]!.bottom - 0.001) return `${e.section} parts overlap on page ${page}`;
    }
  }
  return null;
}

describe('infra/pdf layout: no heading ends a page, no page after the first holds a lone block', () => {
  const renderer = new PdfRenderer({ compress: false });

  it('keeps the rules for reports of every size, as the canvas recorded them and as the PDF has pages', async () => {
    let multiPage = 0;
    await fc.assert(
      fc.asyncProperty(shapes, async (shape) => {
        const { pdf, layout } = await renderer.renderWithLayout(modelOf(shape), shape.sections);
        expect(brokenRule(layout), JSON.stringify(layout)).to.equal(null);
        // The recorded pages are the document's: pdfkit broke no page on its own.
        const pages = layout.at(-1)!.page + 1;
        expect(pdfPageCount(pdf)).to.equal(pages);
        if (pages > 1) multiPage++;
      }),
      { numRuns: 40 },
    );
    expect(multiPage, 'reports long enough to need several pages').to.be.greaterThan(5);
  });

  it('lays out the spec example with every section in order, each heading on the page of its first block', async () => {
    const { layout } = await renderer.renderWithLayout(reportModel());
    expect(brokenRule(layout)).to.equal(null);
    const headings = layout.filter((e) => e.part === 'heading');
    expect(headings.map((e) => e.section)).to.deep.equal([...REPORT_SECTIONS]);
    for (const h of headings) {
      const first = layout.find((e) => e.section === h.section && e.part === 'block')!;
      expect(first.page, h.section).to.equal(h.page);
    }
  });

  it('moves a heading that would have ended a page to the next one, as pdftotext reads the pages', async function () {
    // More and more rows until the badges heading would fit at the bottom of page 1 but its first badge would not.
    let found: { pdf: Buffer; layout: LayoutEntry[] } | null = null;
    for (let rows = 1; rows <= 30 && !found; rows++) {
      const shape: Shape = {
        company: 'Example Inc.',
        opportunities: Array.from({ length: rows }, (_, i) => ({
          category: i % 3,
          teaser: `Constat ${i + 1} sur la facturation manuelle des clients`,
          status: 'IN_PROGRESS' as const,
          hours: 2,
          complexity: 3,
        })),
        badges: [
          { name: 'Premier Pas', description: 'Vous avez commencé votre première opportunité!', isNew: false },
          { name: 'Victoire Rapide', description: 'Première opportunité complétée en moins de 7 jours!', isNew: true },
        ],
        sections: ['opportunities', 'badges'],
      };
      const out = await renderer.renderWithLayout(modelOf(shape), shape.sections);
      const heading = out.layout.findIndex((e) => e.section === 'badges' && e.part === 'heading');
      const before = out.layout[heading - 1]!;
      if (out.layout[heading]!.page === 1 && before.page === 0 && before.bottom + 49 <= CONTENT_BOTTOM) found = out;
    }
    expect(found, 'a report where only the heading would have fitted').not.to.equal(null);
    const page1 = await pdftotext(found!.pdf, { first: 1, last: 1 });
    if (page1 === null) return this.skip(); // pdftotext (poppler-utils) is not installed
    const page2 = (await pdftotext(found!.pdf, { first: 2, last: 2 }))!;
    expect(page1).not.to.match(/^\s*Badges\s*$/m);
    expect(page2).to.match(/^\s*Badges\s*$/m);
    expect(page2.indexOf('Premier Pas')).to.be.greaterThan(page2.search(/^\s*Badges\s*$/m));
  });
});
