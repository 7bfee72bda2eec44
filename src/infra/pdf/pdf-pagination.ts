/** What pagination knows of a section: the heights of its parts, in points. */
export type SectionShape = {
  heading: number;
  /** A header drawn under the heading and again at the top of every page the section continues on (0: none). */
  repeat: number;
  blocks: readonly number[];
};

/** Where content may go: the first page's top (under the title band), other pages' top, and every page's bottom. */
export type Frame = { firstTop: number; top: number; bottom: number };

/** One part placed: `part` is the block's index, or `heading` or `repeat`. */
export type Placement = { section: number; part: number | 'heading' | 'repeat'; page: number; top: number };

/**
 * Breaks sections into pages, greedily, with two rules that keep every block in company:
 * - a heading never ends a page: it moves to the next page with its first block;
 * - a section never continues onto a page with a single block: the block before it comes along
 *   (taking the heading too when only the heading would stay behind).
 * So no page after the first holds a lone block, unless blocks are too tall for two to share a page.
 */
/** Heights are sums of fractions: a part that fits in exact arithmetic fits. */
const EPSILON = 1e-6;

export function paginate(sections: readonly SectionShape[], frame: Frame): Placement[] {
  const out: Placement[] = [];
  let page = 0;
  let y = frame.firstTop;
  /** Blocks (headings included, repeated headers not) placed on the current page so far. */
  let onPage = 0;
  const newPage = () => {
    page++;
    y = frame.top;
    onPage = 0;
  };

  sections.forEach((s, section) => {
    // Item 0 is the heading (with the repeated header under it), item k ≥ 1 is block k - 1.
    const heights = [s.heading + s.repeat, ...s.blocks];
    const n = heights.length;
    const place = (part: Placement['part'], height: number) => {
      out.push({ section, part, page, top: y });
      y += height;
      if (part !== 'repeat') onPage++;
    };
    const placeItems = (from: number, to: number) => {
      for (let k = from; k < to; k++) {
        if (k > 0) place(k - 1, s.blocks[k - 1]!);
        else {
          place('heading', s.heading);
          if (s.repeat > 0) place('repeat', s.repeat);
        }
      }
    };
    const continueOnNextPage = () => {
      newPage();
      if (s.repeat > 0) place('repeat', s.repeat);
    };

    let i = 0;
    while (i < n) {
      let fits = i;
      let end = y;
      while (fits < n && end + heights[fits]! <= frame.bottom + EPSILON) end += heights[fits++]!;
      if (fits === n) {
        placeItems(i, n);
        return;
      }
      let cut = fits;
      if (n - cut === 1) cut--; // one block alone on the next page: take the one before along
      if (cut === 1) cut = 0; // the heading alone at the bottom: take it along too
      if (cut <= i) {
        if (i === 0 && (onPage > 0 || y > frame.top)) {
          newPage(); // the whole section moves to the next page (the first page keeps its title band)
          continue;
        }
        // Even a fresh page cannot keep these together: break where they stop fitting (at least one item,
        // and a heading with its first block).
        cut = Math.max(fits, i + 1, i === 0 ? Math.min(2, n) : 0);
      }
      placeItems(i, cut);
      i = cut;
      if (i < n) continueOnNextPage();
    }
  });
  return out;
}
