import { expect } from 'chai';
import { DB_MODES, useHarness } from '../../helpers/harness.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { pdfText, pdfTextRuns } from '../../helpers/pdf.js';

const NNBSP = '\u202F';
const NBSP = '\u00A0';
const CAFE = { ...SPEC_RESULTS, identity_a1: { ...SPEC_RESULTS.identity_a1, company_name: 'Café Éloïse & Fils' } };

type PdfResponse = { status: number; headers: Headers; pdf: Buffer; json: { error?: string; detail?: string } | null };

for (const mode of DB_MODES) {
  describe(`GET /dashboard/:id/report.pdf [${mode}]`, function () {
    const t = useHarness(mode, { reset: false });

    const create = async (results = CAFE) =>
      (await t.client.post('/analyses', { url: uniqueUrl(), results_summary: results })).body.analysis_id as string;
    const progress = (id: string, opportunity_id: string, status: string, extra: object = {}) =>
      t.client.post(`/dashboard/${id}/progress`, { opportunity_id, status, ...extra });
    /** The spec example after progress: first IMPLEMENTED at 50 $/h, second IN_PROGRESS. */
    const specAfterProgress = async () => {
      const id = await create();
      expect((await progress(id, 'digital_presence', 'IMPLEMENTED', { hourly_rate: 50 })).status).to.equal(200);
      expect((await progress(id, 'value_creation', 'IN_PROGRESS')).status).to.equal(200);
      return id;
    };
    const getPdf = async (id: string, query = ''): Promise<PdfResponse> => {
      const res = await fetch(`${t.h.baseUrl}/dashboard/${id}/report.pdf${query}`);
      const pdf = Buffer.from(await res.arrayBuffer());
      const json = res.headers.get('content-type')?.startsWith('application/json')
        ? JSON.parse(pdf.toString('utf8'))
        : null;
      return { status: res.status, headers: res.headers, pdf, json };
    };

    it('returns the spec example as a PDF attachment with its figures and accented text', async () => {
      const id = await specAfterProgress();
      const res = await getPdf(id);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('application/pdf');
      expect(res.headers.get('content-disposition')).to.equal(`attachment; filename="visionaire-report-${id}.pdf"`);
      expect(res.pdf.subarray(0, 5).toString()).to.equal('%PDF-');
      const runs = pdfTextRuns(res.pdf);
      expect(runs).to.include.members([
        'Café Éloïse & Fils',
        `15${NBSP}h`,
        `5${NBSP}h`,
        `39${NNBSP}000${NBSP}$`,
        `13${NNBSP}000${NBSP}$`,
        `33${NBSP}% complété`,
        'Implémentée',
        'En cours',
        'À démarrer',
        'Premier Pas',
        'Victoire Rapide',
        `http://localhost:3000/dashboard/${id}`,
      ]);
      const { text } = await pdfText(res.pdf);
      for (const s of [
        'Café Éloïse & Fils',
        'Économies potentielles',
        'Implémentée',
        'Prochaines étapes',
        '39 000 $',
        '13 000 $',
      ])
        expect(text).to.include(s);
    });

    it('prints the requested sections only, each set cached under its own key', async () => {
      const id = await specAfterProgress();
      const part = await getPdf(id, '?sections=metrics,summary');
      expect(part.status).to.equal(200);
      const runs = pdfTextRuns(part.pdf);
      expect(runs).to.include.members(['Résumé', 'Économies', `39${NNBSP}000${NBSP}$`]);
      for (const absent of ['Opportunités', 'Badges', 'Prochaines étapes']) expect(runs).not.to.include(absent);
      const all = pdfTextRuns((await getPdf(id, '?sections=')).pdf);
      expect(all).to.include.members(['Résumé', 'Opportunités', 'Badges', 'Économies', 'Prochaines étapes']);
      const badges = pdfTextRuns((await getPdf(id, '?sections=badges')).pdf);
      expect(badges).to.include('Badges').and.not.to.include('Résumé');
    });

    it('serves from the cache, and a progress update shows in the next PDF', async () => {
      const id = await specAfterProgress();
      expect(pdfTextRuns((await getPdf(id)).pdf)).to.include('Café Éloïse & Fils');
      // A change behind the service's back stays hidden: the PDF comes from the cache.
      await t.h.container
        .db('analyses')
        .where({ id })
        .update({
          results_summary: JSON.stringify({
            ...CAFE,
            identity_a1: { ...CAFE.identity_a1, company_name: 'Crèmerie Zoé' },
          }),
        });
      expect(pdfTextRuns((await getPdf(id)).pdf)).to.include('Café Éloïse & Fils');
      // A write through the API invalidates every cached report of the analysis.
      expect((await progress(id, 'value_creation', 'IMPLEMENTED')).status).to.equal(200);
      const runs = pdfTextRuns((await getPdf(id)).pdf);
      expect(runs).to.include.members([
        'Crèmerie Zoé',
        'Économiseur de Temps',
        `13${NBSP}h`,
        `33${NNBSP}800${NBSP}$`,
        `67${NBSP}% complété`, // 2 of 3, rounded (the API floors to 66)
      ]);
    });

    it('rejects unknown sections with 400 INVALID_INPUT without counting against the limit', async () => {
      const id = await create();
      for (let i = 0; i < 6; i++) {
        const res = await getPdf(id, '?sections=summary,charts');
        expect(res.status).to.equal(400);
        expect(res.json?.error).to.equal('INVALID_INPUT');
        expect(res.json?.detail)
          .to.include('charts')
          .and.to.include('summary, opportunities, badges, metrics, recommendations');
      }
      expect((await getPdf(id, '?sections=summary')).status).to.equal(200);
    });

    it('answers 404 NOT_FOUND for an unknown analysis and 400 for a malformed id', async () => {
      const unknown = await getPdf('11111111-2222-4333-8444-555555555555');
      expect(unknown.status).to.equal(404);
      expect(unknown.json?.error).to.equal('NOT_FOUND');
      const malformed = await getPdf('not-a-uuid');
      expect(malformed.status).to.equal(400);
      expect(malformed.json?.error).to.equal('INVALID_INPUT');
    });

    it('allows 5 requests a minute per analysis whatever the id case: the 6th gets 429 with Retry-After', async () => {
      const id = await create();
      const other = await create();
      const cases = [id, id.toUpperCase(), id, `${id.slice(0, 9)}${id.slice(9).toUpperCase()}`, id];
      for (const [i, variant] of cases.entries()) {
        const res = await getPdf(variant, i % 2 ? '?sections=summary' : '');
        expect(res.status, `request ${i + 1}`).to.equal(200);
        expect(res.headers.get('ratelimit-limit')).to.equal('5');
        expect(res.headers.get('ratelimit-remaining')).to.equal(String(4 - i));
      }
      for (const variant of [id, id.toUpperCase()]) {
        const res = await getPdf(variant);
        expect(res.status, variant).to.equal(429);
        expect(res.json?.error).to.equal('RATE_LIMIT_EXCEEDED');
        expect(Number(res.headers.get('retry-after'))).to.be.within(1, 60);
        expect(res.headers.get('ratelimit-remaining')).to.equal('0');
      }
      expect((await getPdf(other.toUpperCase())).status, 'another analysis has its own limit').to.equal(200);
    });

    it('answers an unknown id 404 every time, never 429: only known analyses are counted', async () => {
      const unknown = '11111111-1111-1111-1111-111111111111';
      for (let i = 0; i < 7; i++)
        expect((await getPdf(i % 2 ? unknown : unknown.toUpperCase())).status, `request ${i + 1}`).to.equal(404);
    });
  });
}

describe('GET /dashboard/:id/report.pdf [postgres + redis]', function () {
  const t = useHarness('postgres', { redis: true, reset: false });

  it('stores the PDF in Redis and serves it back byte for byte', async () => {
    const id = (await t.client.post('/analyses', { url: uniqueUrl(), results_summary: CAFE })).body
      .analysis_id as string;
    const get = async () =>
      Buffer.from(await (await fetch(`${t.h.baseUrl}/dashboard/${id}/report.pdf?sections=summary`)).arrayBuffer());
    const first = await get();
    await t.h.container
      .db('analyses')
      .where({ id })
      .update({
        results_summary: JSON.stringify({ ...CAFE, identity_a1: { ...CAFE.identity_a1, company_name: 'Autre nom' } }),
      });
    const second = await get();
    expect(second.equals(first), 'served from the cache').to.equal(true);
    expect(pdfTextRuns(second)).to.include('Café Éloïse & Fils');
    expect((await pdfText(second)).pages).to.equal(1);
  });
});
