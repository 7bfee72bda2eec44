import { expect } from 'chai';
import fc from 'fast-check';
import { paginate, type Placement, type SectionShape } from '../../../../src/infra/pdf/pdf-pagination.js';

const FRAME = { firstTop: 160, top: 50, bottom: 786 };

/** The placements page by page, repeated headers left out (they are not blocks). */
function blocksByPage(placements: Placement[]): Placement[][] {
  const pages: Placement[][] = [];
  for (const p of placements) if (p.part !== 'repeat') (pages[p.page] ??= []).push(p);
  return pages;
}

/** Every rule a laid-out document must keep; returns the first one broken, or null. */
function brokenRule(sections: SectionShape[], placements: Placement[]): string | null {
  // Every part exactly once, in order, each section starting with its heading.
  const expected = sections.flatMap((s, section) => [
    { section, part: 'heading' as const },
    ...s.blocks.map((_, part) => ({ section, part })),
  ]);
  const got = placements.filter((p) => p.part !== 'repeat').map(({ section, part }) => ({ section, part }));
  if (JSON.stringify(got) !== JSON.stringify(expected)) return 'parts missing, repeated or out of order';
  const height = (p: Placement) => {
    const s = sections[p.section]!;
    return p.part === 'heading' ? s.heading : p.part === 'repeat' ? s.repeat : s.blocks[p.part]!;
  };
  for (const [i, p] of placements.entries()) {
    const next = placements[i + 1];
    if (p.top + height(p) > FRAME.bottom) return `part ${JSON.stringify(p)} runs past the bottom`;
    if (next && next.page === p.page && next.top < p.top + height(p)) return 'parts overlap';
    if (next && next.page > p.page + 1) return 'an empty page';
    if ((!next || next.page > p.page) && p.part === 'heading') return `a heading ends page ${p.page}`;
    if ((!next || next.page > p.page) && p.part === 'repeat') return `a table header ends page ${p.page}`;
    if (next && next.page > p.page && next.section === p.section && sections[p.section]!.repeat > 0) {
      if (next.part !== 'repeat') return 'a continued table without its header';
    }
  }
  const pages = blocksByPage(placements);
  for (const [page, blocks] of pages.entries()) {
    if (!blocks) continue; // the first page, left to its title band
    if (page > 0 && blocks.length === 1) return `page ${page} holds a lone block`;
    // A section continued on this page brings at least two of its blocks.
    const continued = blocks.filter((b) => b.section === blocks[0]!.section);
    if (page > 0 && blocks[0]!.part !== 'heading' && continued.length < 2)
      return `page ${page} continues section ${blocks[0]!.section} with one block`;
  }
  return null;
}

const shape = (heading: number, blocks: number[], repeat = 0): SectionShape => ({ heading, repeat, blocks });

describe('infra/pdf/pdf-pagination', () => {
  it('keeps everything on the first page when it fits', () => {
    const placements = paginate([shape(49, [64]), shape(49, [100, 100])], FRAME);
    expect(placements.every((p) => p.page === 0)).to.equal(true);
    expect(brokenRule([shape(49, [64]), shape(49, [100, 100])], placements)).to.equal(null);
  });

  it('moves a heading that would end the page to the next page with its first block', () => {
    // 160 + 500 + 49 = 709: the heading fits, its 100-point block (to 809) does not.
    const sections = [shape(49, [451]), shape(49, [100, 40])];
    const placements = paginate(sections, FRAME);
    expect(placements.filter((p) => p.section === 1).map((p) => p.page)).to.deep.equal([1, 1, 1]);
    expect(brokenRule(sections, placements)).to.equal(null);
  });

  it('takes the row before along rather than leave the last row alone on the next page', () => {
    // Heading + header (69) + 5 rows of 100 from 160: the fifth row ends at 729, the sixth (the last) would end at 829.
    const sections = [shape(49, [100, 100, 100, 100, 100, 100], 20)];
    const placements = paginate(sections, FRAME);
    const pageOf = placements.filter((p) => typeof p.part === 'number').map((p) => p.page);
    expect(pageOf).to.deep.equal([0, 0, 0, 0, 1, 1]);
    expect(placements.filter((p) => p.part === 'repeat').map((p) => p.page)).to.deep.equal([0, 1]);
    expect(brokenRule(sections, placements)).to.equal(null);
  });

  it('moves a whole section when keeping company would leave its heading alone', () => {
    // From 600: the heading and first block fit (to 749), the second (a small total line) does not.
    const sections = [shape(49, [391]), shape(49, [100, 40])];
    const placements = paginate(sections, FRAME);
    expect(placements.filter((p) => p.section === 1).map((p) => p.page)).to.deep.equal([1, 1, 1]);
    expect(brokenRule(sections, placements)).to.equal(null);
  });

  it('moves a first section the rules cannot split under the title band to the next page', () => {
    // From 400: the heading and the first block fit, the second block would end past the bottom, alone.
    const sections = [shape(49, [196, 196]), shape(49, [8])];
    const placements = paginate(sections, { ...FRAME, firstTop: 400 });
    expect(placements.map((p) => p.page)).to.deep.equal([1, 1, 1, 1, 1]);
    expect(brokenRule(sections, placements)).to.equal(null);
  });

  it('keeps every rule for any sections whose blocks are at most a third of a page', () => {
    const block = fc.double({ min: 8, max: (FRAME.bottom - FRAME.top) / 3 - 49, noNaN: true });
    const section = fc.record({
      heading: fc.constantFrom(49),
      repeat: fc.constantFrom(0, 20),
      blocks: fc.array(block, { minLength: 1, maxLength: 30 }),
    });
    fc.assert(
      fc.property(
        fc.array(section, { minLength: 1, maxLength: 6 }),
        fc.double({ min: 100, max: 400, noNaN: true }),
        (sections, firstTop) => {
          const frame = { ...FRAME, firstTop };
          const placements = paginate(sections, frame);
          expect(
            brokenRule(
              sections,
              placements.map((p) => p),
            ),
            JSON.stringify(sections),
          ).to.equal(null);
          // The first section starts under the title band, or, when the rules cannot split it in the room left
          // there, at the top of the next page.
          const first = placements[0]!;
          expect(first.page === 0 ? first.top === firstTop : first.page === 1 && first.top === FRAME.top).to.equal(
            true,
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('fills pages: a page breaks only when the next parts could not have stayed', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 10, max: 200 }), { minLength: 2, maxLength: 40 }), (blocks) => {
        const sections = [shape(49, blocks)];
        const placements = paginate(sections, FRAME);
        const pages = blocksByPage(placements).length;
        const total = 49 + blocks.reduce((a, b) => a + b, 0);
        // Each page but the last holds more than half a page: the rules move at most two blocks (≤ 400 pt).
        expect(pages).to.be.at.most(Math.ceil(total / (FRAME.bottom - FRAME.top - 400)) + 1);
        if (total <= FRAME.bottom - FRAME.firstTop) expect(pages).to.equal(1);
      }),
      { numRuns: 300 },
    );
  });
});
