import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { PdfRenderPool } from '../../../../src/infra/pdf/pdf-pool.js';
import { PdfRenderer } from '../../../../src/infra/pdf/pdf-renderer.js';
import { pdfTextRuns } from '../../../helpers/pdf.js';
import { reportModel } from '../../../helpers/report-model.js';
import { SPEC_RESULTS } from '../../../helpers/fixtures.js';

describe('infra/pdf/pdf-pool', function () {
  this.timeout(60_000);
  const pool = new PdfRenderPool({ threads: 2 });
  after(() => pool.close());

  it('renders in worker threads the same PDF as the in-process renderer', async () => {
    const model = reportModel();
    const [inWorker, inProcess] = await Promise.all([
      pool.render(model, ['summary', 'badges']),
      new PdfRenderer().render(model, ['summary', 'badges']),
    ]);
    expect(Buffer.isBuffer(inWorker)).to.equal(true);
    expect(pool.completed).to.equal(1);
    expect(inWorker.equals(inProcess)).to.equal(true);
    expect(pdfTextRuns(inWorker)).to.include('Premier Pas');
  });

  it('takes concurrent renders through the pool, each with its own result', async () => {
    const before = pool.completed;
    const names = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'];
    const model = (company: string) =>
      reportModel({
        results: { ...SPEC_RESULTS, identity_a1: { ...SPEC_RESULTS.identity_a1!, company_name: company } },
      });
    const pdfs = await Promise.all(names.map((n) => pool.render(model(n))));
    expect(pool.completed - before).to.equal(5);
    pdfs.forEach((pdf, i) => expect(pdfTextRuns(pdf), names[i]).to.include(names[i]));
  });

  it('renders at a lower CPU priority than the thread serving requests (Linux)', async function () {
    if (!existsSync('/proc/self/task')) this.skip();
    await pool.render(reportModel());
    // Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value (after the parenthesised name).
    const niceOf = (tid: string) =>
      Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const tids = readdirSync('/proc/self/task');
    const mainNice = niceOf(String(process.pid));
    expect(
      tids.map(niceOf).filter((n) => n >= mainNice + 10),
      'threads niced below the main thread',
    ).to.have.length.of.at.least(1);
  });
});
