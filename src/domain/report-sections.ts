/** The parts of a PDF report, in the fixed order they are printed. */
export const REPORT_SECTIONS = ['summary', 'opportunities', 'badges', 'metrics', 'recommendations'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

export type SectionsParse = { ok: true; sections: ReportSection[] } | { ok: false; unknown: string[] };

const isSection = (s: string): s is ReportSection => (REPORT_SECTIONS as readonly string[]).includes(s);

/** Puts sections in the fixed print order without duplicates; none means all. */
export function normalizeSections(sections: readonly ReportSection[]): ReportSection[] {
  const wanted = new Set(sections);
  return wanted.size === 0 ? [...REPORT_SECTIONS] : REPORT_SECTIONS.filter((s) => wanted.has(s));
}

/**
 * Reads a comma-separated list such as `summary,metrics` (case and spaces ignored).
 * Absent or empty means every section; any unknown name makes the whole list invalid.
 */
export function parseSections(raw: string | null | undefined): SectionsParse {
  const names = (raw ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  const unknown = names.filter((s) => !isSection(s));
  if (unknown.length > 0) return { ok: false, unknown: [...new Set(unknown)] };
  return { ok: true, sections: normalizeSections(names.filter(isSection)) };
}

/** The message for a rejected list: what was unknown and what is allowed. */
export function unknownSectionsMessage(unknown: readonly string[]): string {
  return `unknown section(s) ${unknown.join(', ')}; allowed: ${REPORT_SECTIONS.join(', ')}`;
}

/** The stable cache-key part for a set of sections, e.g. `summary,metrics`. */
export function sectionsKey(sections: readonly ReportSection[]): string {
  return normalizeSections(sections).join(',');
}
