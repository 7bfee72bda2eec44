import { expect } from 'chai';
import { PdfRenderer } from '../../../../src/infra/pdf/pdf-renderer.js';
import { pdfText, pdftotext, pdfTextRuns } from '../../../helpers/pdf.js';
import { reportModel, SPEC_BADGES } from '../../../helpers/report-model.js';
import { SPEC_RESULTS } from '../../../helpers/fixtures.js';

const NNBSP = '\u202F';
const NBSP = '\u00A0';
const HEADINGS = ['Résumé', 'Opportunités', 'Badges', 'Économies', 'Prochaines étapes'];
const MISSING_GLYPH = '\u0000';

describe('services/pdf-renderer', () => {
  const renderer = new PdfRenderer();

  it('renders the spec example with its figures in French notation and every section in order', async () => {
    const pdf = await renderer.render(reportModel());
    expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-');
    const runs = pdfTextRuns(pdf);
    const positions = HEADINGS.map((h) => runs.indexOf(h));
    expect(
      positions.every((p) => p >= 0),
      JSON.stringify(runs),
    ).to.equal(true);
    expect([...positions].sort((a, b) => a - b)).to.deep.equal(positions);
    expect(runs).to.include.members([
      `15${NBSP}h`,
      `5${NBSP}h`,
      `par semaine · 780${NBSP}h/an`,
      `par semaine · 260${NBSP}h/an`,
      `39${NNBSP}000${NBSP}$`,
      `13${NNBSP}000${NBSP}$`,
      `33${NBSP}% complété`,
      'Implémentée',
      'En cours',
      'À démarrer',
      'Gestion d’entreprise',
      'Premier Pas',
      'Victoire Rapide',
      `Montants annuels en dollars canadiens, calculés à 50${NBSP}$/h.`,
    ]);
    expect(runs.join('')).not.to.include(MISSING_GLYPH);
  });

  it('reads back as accented French text with pdf-parse', async () => {
    const { text, pages } = await pdfText(await renderer.render(reportModel({ badges: SPEC_BADGES })));
    expect(pages).to.be.within(1, 2);
    for (const s of [
      'Économiseur de Temps',
      'Économies potentielles',
      'Implémentée',
      'À démarrer',
      'Présence numérique',
      'Généré le 2 mars 2026',
      'Example Inc.',
    ]) {
      expect(text).to.include(s);
    }
    expect(text).to.include('39 000 $').and.to.include('13 000 $');
  });

  it('keeps ligatures (ff, ffi, fl) readable as their letters', async () => {
    const results = {
      ...SPEC_RESULTS,
      value_creation: { ...SPEC_RESULTS.value_creation!, problem_teaser: 'Flux de facturation inefficace au bureau' },
    };
    const pdf = await renderer.render({ ...reportModel({ results }), url: 'https://office.example/4eff' }, [
      'opportunities',
    ]);
    expect(pdfTextRuns(pdf)).to.include.members([
      'Flux de facturation inefficace au bureau',
      'Services Professionnels  ·  https://office.example/4eff',
    ]);
    expect((await pdfText(pdf)).text).to.include('inefficace');
  });

  it('prints only the asked sections, in the fixed order whatever order they are asked in', async () => {
    const pdf = await renderer.render(reportModel(), ['metrics', 'summary']);
    const runs = pdfTextRuns(pdf);
    expect(runs).to.include.members(['Résumé', 'Économies', `39${NNBSP}000${NBSP}$`]);
    for (const absent of ['Opportunités', 'Badges', 'Prochaines étapes', 'Implémentée', 'Premier Pas'])
      expect(runs).not.to.include(absent);
    expect(runs.indexOf('Résumé')).to.be.below(runs.indexOf('Économies'));
    expect(pdf.equals(await renderer.render(reportModel(), ['summary', 'metrics']))).to.equal(true);
    const badgesOnly = pdfTextRuns(await renderer.render(reportModel(), ['badges']));
    expect(HEADINGS.filter((h) => badgesOnly.includes(h))).to.deep.equal(['Badges']);
  });

  it('shows no dollar amounts without an hourly rate', async () => {
    const runs = pdfTextRuns(await renderer.render(reportModel({ hourlyRate: null }), ['metrics']));
    expect(runs.filter((r) => r === '—')).to.have.length(2);
    expect(runs.filter((r) => r === 'taux horaire inconnu')).to.have.length(2);
    expect(runs.some((r) => r.endsWith('$'))).to.equal(false);
  });

  it('marks badges earned in the period as new', async () => {
    const model = reportModel();
    const withNew = { ...model, badges: model.badges.map((b, i) => ({ ...b, is_new: i === 1 })) };
    const runs = pdfTextRuns(await renderer.render(withNew, ['badges']));
    expect(runs.filter((r) => r === 'Nouveau')).to.have.length(1);
    expect(runs.indexOf('Nouveau')).to.be.greaterThan(runs.indexOf('Victoire Rapide'));
    expect(runs).to.include.members(['PP', 'VR', `+10${NBSP}pts`, `+25${NBSP}pts`, `2 badges · 35${NBSP}points`]);
    expect(pdfTextRuns(await renderer.render(model, ['badges']))).not.to.include('Nouveau');
  });

  it('draws no emoji: badge icons become initials and emoji in names are dropped', async () => {
    const results = {
      ...SPEC_RESULTS,
      identity_a1: { ...SPEC_RESULTS.identity_a1, company_name: 'Café Éloïse 🥐 & Fils' },
    };
    const runs = pdfTextRuns(await renderer.render(reportModel({ results, badges: SPEC_BADGES })));
    expect(runs).to.include.members(['Café Éloïse & Fils', 'ÉT', 'Économiseur de Temps']);
    const all = runs.join('');
    expect(all).not.to.match(/\p{Extended_Pictographic}/u);
    expect(all).not.to.include(MISSING_GLYPH);
  });

  it('shows empty states when nothing is left to start and no badge is earned', async () => {
    const runs = pdfTextRuns(
      await renderer.render(reportModel({ statuses: ['IMPLEMENTED', 'IMPLEMENTED', 'IN_PROGRESS'], badges: [] })),
    );
    expect(runs).to.include.members([
      `Toutes les opportunités sont démarrées. Bravo${NBSP}!`,
      'Aucun badge obtenu pour l’instant.',
      `67${NBSP}% complété`, // 2 of 3, rounded as in the email (the API floors it to 66)
      '2 implémentées',
    ]);
  });

  it('shows the completion rounded, not floored: 2 of 3 reads back through pdftotext as 67 %', async function () {
    const model = reportModel({ statuses: ['IMPLEMENTED', 'IMPLEMENTED', 'NOT_STARTED'] });
    expect(model.completion.completion_percentage).to.equal(66); // the API's figure stays floored
    const text = await pdftotext(await renderer.render(model, ['summary']));
    if (text === null) return this.skip(); // pdftotext (poppler-utils) is not installed
    expect(text).to.match(/\b67\s%\scomplété/u); // \s takes the no-break space too
    expect(text).not.to.match(/\b66\s%/u);
  });

  it('draws the completion bar to the rounded percentage', async () => {
    const model = reportModel({ statuses: ['IMPLEMENTED', 'IMPLEMENTED', 'NOT_STARTED'] });
    const page = (await new PdfRenderer({ compress: false }).render(model, ['summary'])).toString('latin1');
    // Each bar is a rounded rectangle (radius 6) from x = 50: a path `56 y m` then `x+w-6 y l`.
    const bars = [...page.matchAll(/^56 ([\d.]+) m\n([\d.]+) \1 l$/gm)].map((m) => Number(m[2]) + 6 - 50);
    expect(bars).to.have.length(2); // the track, then the fill
    expect(bars[1]! / bars[0]!).to.be.closeTo(0.67, 1e-6);
  });

  it('keeps long analyzer text inside the page: truncated teasers, numbered pages', async () => {
    const long = 'Très long constat sur la facturation. '.repeat(60);
    const results = {
      ...SPEC_RESULTS,
      identity_a1: {
        ...SPEC_RESULTS.identity_a1,
        company_name: 'Société Générale de Développement Économique '.repeat(6).trim(),
      },
      value_creation: { ...SPEC_RESULTS.value_creation!, problem_teaser: long },
    };
    const pdf = await renderer.render(reportModel({ results, badges: SPEC_BADGES }));
    const { pages } = await pdfText(pdf);
    const runs = pdfTextRuns(pdf);
    expect(runs.filter((r) => r.startsWith('Page '))).to.deep.equal(
      Array.from({ length: pages }, (_, i) => `Page ${i + 1} / ${pages}`),
    );
    expect(pages).to.be.within(2, 3);
    expect(runs.join(' ')).to.include('…');
    expect(runs.join('')).not.to.include('Très long constat sur la facturation. '.repeat(10));
  });
});
