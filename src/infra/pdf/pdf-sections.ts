import type { Status } from '../../domain/progress.js';
import type { ReportModel } from '../../domain/report-model.js';
import type { ReportSection } from '../../domain/report-sections.js';
import {
  badgeInitials,
  categoryLabel,
  formatDate,
  formatHours,
  formatMoney,
  formatRate,
  formatNumber,
  formatPercent,
  NBSP,
  printable,
  reasonFr,
  reportPercent,
  STATUS_LABELS,
  statusCount,
  truncate,
} from '../../domain/report-format.js';
import {
  COLORS,
  CONTENT_WIDTH,
  PAGE,
  STATUS_COLORS,
  type Block,
  type PdfCanvas,
  type SectionLayout,
} from './pdf-canvas.js';

const X = PAGE.margin;
const BADGE_COLORS: Record<string, string> = {
  first_step: '#2563A8',
  quick_win: '#C26A00',
  time_saver: '#0F8A7A',
  efficiency_expert: '#6D3FB5',
  streak_master: '#C2410C',
};

/** Completion bar and counts per status; the percentage is rounded as in the email, not floored as in the API. */
function summary(c: PdfCanvas, m: ReportModel): SectionLayout {
  const s = m.completion;
  const percent = reportPercent(s.implemented, s.total_opportunities);
  const draw = () => {
    const top = c.y;
    c.style('regular', 10, COLORS.muted).text(
      `Progression globale sur ${s.total_opportunities} opportunité${s.total_opportunities > 1 ? 's' : ''}`,
      X,
      top,
      { lineBreak: false },
    );
    c.style('bold', 10, COLORS.ink).text(`${formatPercent(percent)} complété`, X, top, {
      width: CONTENT_WIDTH,
      align: 'right',
      lineBreak: false,
    });
    const barY = top + 18;
    c.doc.roundedRect(X, barY, CONTENT_WIDTH, 12, 6).fill(COLORS.track);
    if (percent > 0)
      c.doc.roundedRect(X, barY, Math.max(12, (CONTENT_WIDTH * percent) / 100), 12, 6).fill(COLORS.accent);
    let x = X;
    const counts: [Status, number][] = [
      ['IMPLEMENTED', s.implemented],
      ['IN_PROGRESS', s.in_progress],
      ['NOT_STARTED', s.not_started],
    ];
    for (const [status, n] of counts) {
      const label = statusCount(status, n);
      c.doc.circle(x + 4, barY + 30.5, 4).fill(STATUS_COLORS[status]);
      c.style('regular', 9.5, COLORS.ink).text(label, x + 13, barY + 24, { lineBreak: false });
      x += 13 + c.doc.widthOfString(label) + 22;
    }
  };
  return { name: 'summary', heading: c.heading('Résumé'), blocks: [{ height: 64, draw }] };
}

/** A line of muted text where a section has nothing to show. */
function emptyState(c: PdfCanvas, text: string): Block {
  return {
    height: c.measure(text, 'regular', 10, CONTENT_WIDTH),
    draw: () => c.style('regular', 10, COLORS.muted).text(text, X, c.y, { width: CONTENT_WIDTH }),
  };
}

const COLS = { title: 250, hours: 75, complexity: 70 } as const;

function drawTableHeader(c: PdfCanvas): void {
  const y = c.y;
  c.doc.rect(X, y, CONTENT_WIDTH, 20).fill(COLORS.panel);
  c.style('bold', 8, COLORS.muted);
  c.doc.text('OPPORTUNITÉ', X + 8, y + 6, { lineBreak: false });
  c.doc.text('HEURES / SEM.', X + COLS.title, y + 6, { width: COLS.hours, align: 'right', lineBreak: false });
  c.doc.text('COMPLEXITÉ', X + COLS.title + COLS.hours, y + 6, {
    width: COLS.complexity,
    align: 'center',
    lineBreak: false,
  });
  c.doc.text('STATUT', X + COLS.title + COLS.hours + COLS.complexity + 10, y + 6, { lineBreak: false });
}

/** One row per opportunity with its status; the column header repeats on every page the table reaches. */
function opportunities(c: PdfCanvas, m: ReportModel): SectionLayout {
  const heading = c.heading('Opportunités');
  if (m.opportunities.length === 0)
    return { name: 'opportunities', heading, blocks: [emptyState(c, 'Aucune opportunité dans cette analyse.')] };
  const textWidth = COLS.title - 16;
  const rows = m.opportunities.map((o): Block => {
    const title = categoryLabel(o.category);
    const teaser = truncate(printable(o.problem_teaser), 240);
    const height =
      16 + c.measure(title, 'bold', 10, textWidth) + (teaser ? 2 + c.measure(teaser, 'regular', 8.5, textWidth) : 0);
    const draw = () => {
      const y = c.y;
      c.style('bold', 10, COLORS.ink).text(title, X + 8, y + 8, { width: textWidth });
      if (teaser) c.style('regular', 8.5, COLORS.muted).text(teaser, X + 8, c.y + 2, { width: textWidth });
      c.style('regular', 10, COLORS.ink).text(formatHours(o.hours_per_week), X + COLS.title, y + 8, {
        width: COLS.hours,
        align: 'right',
        lineBreak: false,
      });
      c.doc.text(`${o.complexity_level}/10`, X + COLS.title + COLS.hours, y + 8, {
        width: COLS.complexity,
        align: 'center',
        lineBreak: false,
      });
      const statusX = X + COLS.title + COLS.hours + COLS.complexity + 10;
      c.pill(STATUS_LABELS[o.status], statusX, y + 7, STATUS_COLORS[o.status]);
      const bottom = y + height;
      c.doc
        .moveTo(X, bottom)
        .lineTo(X + CONTENT_WIDTH, bottom)
        .lineWidth(0.5)
        .strokeColor(COLORS.line)
        .stroke();
    };
    return { height, draw };
  });
  return { name: 'opportunities', heading, repeat: { height: 20, draw: () => drawTableHeader(c) }, blocks: rows };
}

/** Earned badges as coloured marks with initials, the ones earned in the period marked new, then their total. */
function badges(c: PdfCanvas, m: ReportModel): SectionLayout {
  const heading = c.heading('Badges');
  if (m.badges.length === 0)
    return { name: 'badges', heading, blocks: [emptyState(c, 'Aucun badge obtenu pour l’instant.')] };
  const textX = X + 46;
  const textWidth = CONTENT_WIDTH - 46 - 110;
  const rows = m.badges.map((b): Block => {
    const name = printable(b.badge_name);
    const description = truncate(printable(b.description), 200);
    const height = Math.max(
      42,
      12 + c.measure(name, 'bold', 10.5, textWidth) + c.measure(description, 'regular', 9, textWidth),
    );
    const draw = () => {
      const y = c.y + 4;
      c.disc(badgeInitials(name), X + 17, y + 17, 17, BADGE_COLORS[b.badge_type] ?? COLORS.navy, 10.5);
      c.style('bold', 10.5, COLORS.ink).text(name, textX, y + 2, { width: textWidth, link: b.credential_url ?? null });
      if (b.is_new)
        c.pill('Nouveau', textX + Math.min(c.doc.widthOfString(name), textWidth) + 8, y + 2.5, COLORS.accent, 7.5);
      c.style('regular', 9, COLORS.muted).text(description, textX, c.y + 1, { width: textWidth });
      const right = X + CONTENT_WIDTH - 110;
      c.style('bold', 10.5, COLORS.accent).text(`+${b.points}${NBSP}pts`, right, y + 2, {
        width: 110,
        align: 'right',
        lineBreak: false,
      });
      c.style('regular', 8, COLORS.muted).text(`obtenu le ${formatDate(b.earned_at)}`, right, y + 18, {
        width: 110,
        align: 'right',
        lineBreak: false,
      });
    };
    return { height: 4 + height, draw };
  });
  const points = m.badges.reduce((sum, b) => sum + b.points, 0);
  const total = `${m.badges.length} badge${m.badges.length > 1 ? 's' : ''} · ${points}${NBSP}points`;
  const totalLine: Block = {
    height: 2 + c.measure(total, 'bold', 9.5, CONTENT_WIDTH),
    draw: () => c.style('bold', 9.5, COLORS.ink).text(total, X, c.y + 2, { width: CONTENT_WIDTH, align: 'right' }),
  };
  return { name: 'badges', heading, blocks: [...rows, totalLine] };
}

/** Four tiles, hours and money, potential and implemented, with the note on how money is counted. */
function metrics(c: PdfCanvas, m: ReportModel): SectionLayout {
  const { time_saved: t, money_saved: money } = m.metrics;
  const rate = money.hourly_rate;
  const tiles: [string, string, string][] = [
    ['Temps potentiel', formatHours(t.potential_weekly), `par semaine · ${formatHours(t.potential_annual)}/an`],
    ['Temps économisé', formatHours(t.implemented_weekly), `par semaine · ${formatHours(t.implemented_annual)}/an`],
    [
      'Économies potentielles',
      money.potential_annual === null ? '—' : formatMoney(money.potential_annual),
      rate === null ? 'taux horaire inconnu' : 'par an',
    ],
    [
      'Économies réalisées',
      money.implemented_annual === null ? '—' : formatMoney(money.implemented_annual),
      rate === null ? 'taux horaire inconnu' : 'par an',
    ],
  ];
  const note =
    rate === null
      ? 'Indiquez votre taux horaire dans le tableau de bord pour estimer les économies en dollars.'
      : `Montants annuels en dollars canadiens, calculés à ${formatRate(rate)}.`;
  const gap = 10;
  const width = (CONTENT_WIDTH - gap * (tiles.length - 1)) / tiles.length;
  const draw = () => {
    const y = c.y + 2;
    tiles.forEach(([label, value, sub], i) => {
      const x = X + i * (width + gap);
      c.doc.roundedRect(x, y, width, 74, 6).fill(COLORS.panel);
      c.doc.rect(x, y + 10, 3, 54).fill(i < 2 ? COLORS.navy : COLORS.accent);
      c.style('bold', c.fitSize(label, 'bold', 8.5, width - 18), COLORS.muted).text(label, x + 12, y + 10, {
        lineBreak: false,
      });
      const size = c.fitSize(value, 'bold', 18, width - 22);
      c.style('bold', size, COLORS.navy).text(value, x + 12, y + 27 + (18 - size) / 2, {
        width: width - 20,
        lineBreak: false,
      });
      c.style('regular', 7.5, COLORS.muted).text(sub, x + 12, y + 55, { width: width - 16, lineBreak: false });
    });
    c.style('regular', 8.5, COLORS.muted).text(note, X, y + 82, { width: CONTENT_WIDTH });
  };
  const height = 84 + c.measure(note, 'regular', 8.5, CONTENT_WIDTH);
  return { name: 'metrics', heading: c.heading('Économies'), blocks: [{ height, draw }] };
}

/** Every opportunity not started yet, best first, with why it is worth doing. */
function recommendations(c: PdfCanvas, m: ReportModel): SectionLayout {
  const heading = c.heading('Prochaines étapes');
  if (m.next_steps.length === 0)
    return {
      name: 'recommendations',
      heading,
      blocks: [emptyState(c, `Toutes les opportunités sont démarrées. Bravo${NBSP}!`)],
    };
  const textX = X + 34;
  const textWidth = CONTENT_WIDTH - 34;
  const steps = m.next_steps.map((r, i): Block => {
    const title = categoryLabel(r.category);
    const teaser = truncate(printable(r.problem_teaser), 300);
    const meta = `${formatHours(r.hours_per_week)}/sem. · complexité ${r.complexity_level}/10 · priorité ${formatNumber(r.priority_score, 2)}`;
    const reason = reasonFr(r);
    const height =
      14 +
      c.measure(title, 'bold', 10.5, textWidth) +
      (teaser ? c.measure(teaser, 'regular', 9, textWidth) : 0) +
      Math.max(13, 3 + c.measure(meta, 'regular', 8.5, textWidth)) +
      Math.max(13, 3 + c.measure(reason, 'bold', 8.5, textWidth));
    const draw = () => {
      const y = c.y + 4;
      c.disc(String(i + 1), X + 11, y + 8, 11, COLORS.accent, 10);
      c.style('bold', 10.5, COLORS.ink).text(title, textX, y, { width: textWidth });
      if (teaser) c.style('regular', 9, COLORS.ink).text(teaser, textX, c.y + 1, { width: textWidth });
      c.style('regular', 8.5, COLORS.muted).text(meta, textX, c.y + 2, { width: textWidth });
      c.style('bold', 8.5, COLORS.accent).text(reason, textX, c.y + 1, { width: textWidth });
    };
    return { height, draw };
  });
  return { name: 'recommendations', heading, blocks: steps };
}

/** The section builders, keyed by section name: each measures its blocks for the canvas to lay out. */
export const SECTION_LAYOUTS: Record<ReportSection, (c: PdfCanvas, m: ReportModel) => SectionLayout> = {
  summary,
  opportunities,
  badges,
  metrics,
  recommendations,
};
