import type { Status } from './progress.js';
import type { Recommendation } from './recommendations.js';
import type { Category } from './results-summary.js';

/** Narrow no-break space: the French thousands separator. */
export const NNBSP = '\u202F';
/** No-break space: between a number and its unit (h, $, %). */
export const NBSP = '\u00A0';

const numberFormats = [0, 1, 2].map((digits) => new Intl.NumberFormat('fr-CA', { maximumFractionDigits: digits }));
const dateFormat = new Intl.DateTimeFormat('fr-CA', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/**
 * A number in French notation with up to `fractionDigits` (0–2) decimals: `1 234,5`. The thousands
 * separator is always U+202F, whatever the runtime's ICU data picks (fr-CA has used U+00A0 and U+202F).
 */
export function formatNumber(n: number, fractionDigits: 0 | 1 | 2 = 1): string {
  return numberFormats[fractionDigits]!.formatToParts(n)
    .map((p) => (p.type === 'group' ? NNBSP : p.value))
    .join('');
}

/** `15 h` */
export const formatHours = (hours: number): string => `${formatNumber(hours)}${NBSP}h`;
/** `39 000 $` (CAD, whole dollars) */
export const formatMoney = (amount: number): string => `${formatNumber(amount, 0)}${NBSP}$`;
const centsFormat = new Intl.NumberFormat('fr-CA', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** `50 $/h`, `33,30 $/h`: the hourly rate as stored (20 to 500), with its cents when it has any. */
export const formatRate = (rate: number): string =>
  `${Number.isInteger(rate) ? formatNumber(rate, 0) : centsFormat.format(rate)}${NBSP}$/h`;
/**
 * A share as the whole percent a report shows: rounded to the nearest (2 of 3 is 67, where the API's
 * completion_percentage floors to 66), but never 100 before it is complete nor 0 once something is done,
 * so that the figure agrees with the badge it leads to. Nothing out of nothing is 0.
 */
export function reportPercent(part: number, whole: number): number {
  if (!(whole > 0) || !(part > 0)) return 0;
  if (part >= whole) return 100;
  return Math.min(99, Math.max(1, Math.round((100 * part) / whole)));
}

/** `33 %` */
export const formatPercent = (pct: number): string => `${formatNumber(pct)}${NBSP}%`;
/** `2 mars 2026` (UTC) */
export const formatDate = (d: Date): string => dateFormat.format(d);

const CATEGORY_LABELS: Record<Category, string> = {
  digital_presence: 'Présence numérique',
  value_creation: 'Création de valeur',
  business_management: 'Gestion d’entreprise',
};

export const STATUS_LABELS: Record<Status, string> = {
  NOT_STARTED: 'À démarrer',
  IN_PROGRESS: 'En cours',
  IMPLEMENTED: 'Implémentée',
};

/** A category's French name; unknown categories are shown as they are. */
export const categoryLabel = (category: string): string => CATEGORY_LABELS[category as Category] ?? category;

/** `1 implémentée`, `2 implémentées`: a count with its status in French. */
export function statusCount(status: Status, n: number): string {
  const label = STATUS_LABELS[status].toLowerCase();
  return `${n} ${status === 'IMPLEMENTED' && n > 1 ? `${label}s` : label}`;
}

/** Why a next step is worth doing, in French (same thresholds as the API's English reason). */
export function reasonFr(r: Pick<Recommendation, 'hours_per_week' | 'complexity_level'>): string {
  const h = `${formatHours(r.hours_per_week)}/sem.`;
  if (r.complexity_level <= 3) return `Gain rapide${NBSP}: faible complexité, ${h} à gagner`;
  const level = r.complexity_level <= 6 ? 'moyenne' : 'élevée';
  if (r.hours_per_week >= 5) return `Fort impact${NBSP}: ${h} à gagner, complexité ${level}`;
  return `Gain régulier${NBSP}: ${h} à gagner, complexité ${level}`;
}

const SMALL_WORDS = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'et', 'en', 'à', 'd', 'l']);

/** Up to two initials for a badge's round mark, e.g. `Économiseur de Temps` → `ÉT`. */
export function badgeInitials(name: string): string {
  const words = printable(name)
    .split(/[\s’'-]/)
    .filter((w) => w && !SMALL_WORDS.has(w.toLowerCase()));
  const letters = words
    .map((w) => [...w][0])
    .join('')
    .toUpperCase();
  return [...letters].slice(0, 2).join('') || '?';
}

/**
 * Text that a PDF font can draw: emoji, pictographs, variation selectors, joiners and control
 * characters are removed and runs of spaces collapsed.
 */
export function printable(text: string): string {
  return text
    .replace(/\p{Extended_Pictographic}|\p{Regional_Indicator}|\uFE0E|\uFE0F|\u200D|\u20E3/gu, '')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Cuts text to at most `max` characters, ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}
