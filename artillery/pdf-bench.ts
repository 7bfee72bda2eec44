/**
 * PDF generation time for the spec-example report (5/8/2 h a week, first IMPLEMENTED at 50 $/h,
 * second IN_PROGRESS, two badges): the renderer alone, and end to end through the service with no
 * cache (report model from the database, then rendering).
 *
 *   npx tsx artillery/pdf-bench.ts      (BENCH_DATABASE_URL, default visionaire_bench_pdf; pglite:memory works too)
 *
 * Bounded: RUNS timed runs per case after WARMUP untimed ones, sequential, in process.
 */
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { PdfRenderer } from '../src/infra/pdf/pdf-renderer.js';
import { DEMO_RESULTS } from '../src/db/demo-seed.js';
import { ensureDatabase } from '../test/helpers/postgres.js';

const DB = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/visionaire_bench_pdf';
const RUNS = Math.min(Number(process.env.RUNS ?? 200), 5000);
const WARMUP = 20;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function time(name: string, once: () => Promise<Buffer>): Promise<void> {
  for (let i = 0; i < WARMUP; i++) await once();
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    bytes = (await once()).length;
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const r = (n: number) => n.toFixed(2);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  console.log(
    `${name.padEnd(34)} n=${RUNS} median=${r(percentile(samples, 50))}ms p95=${r(percentile(samples, 95))}ms mean=${r(mean)}ms max=${r(samples.at(-1)!)}ms size=${bytes}B`,
  );
}

if (DB.startsWith('postgres')) await ensureDatabase(DB, { fresh: true });
const c = createContainer(loadConfig({ DATABASE_URL: DB, LOG_LEVEL: 'silent', DATA_DIR: '.tmp/pdf-bench' }));
try {
  await c.migrate();
  const { analysis_id: id } = await c.analyses.createAnalysis({
    url: `https://bench-${Date.now()}.example.com`,
    results_summary: DEMO_RESULTS,
  });
  await c.progress.updateProgress(id, { opportunity_id: 'digital_presence', status: 'IMPLEMENTED', hourly_rate: 50 });
  await c.progress.updateProgress(id, { opportunity_id: 'value_creation', status: 'IN_PROGRESS' });
  const model = await c.reports.buildReport(id);

  const cold = new PdfRenderer();
  const t0 = performance.now();
  await cold.render(model);
  console.log(`first render in a process (font load + parse): ${(performance.now() - t0).toFixed(2)}ms`);

  const compressed = new PdfRenderer();
  const plain = new PdfRenderer({ compress: false });
  await time('renderer, all sections', () => compressed.render(model));
  await time('renderer, all sections, compress=off', () => plain.render(model));
  await time('renderer, summary+metrics', () => compressed.render(model, ['summary', 'metrics']));
  // A company name mixing Latin, CJK and Arabic: the fallback fonts are loaded and subset too.
  const mixed = { ...model, identity: { ...model.identity, company_name: 'Café 東京 مرحبا' } };
  const coldMixed = new PdfRenderer();
  const t1 = performance.now();
  await coldMixed.render(mixed);
  console.log(`first render, mixed-script name (font load + parse): ${(performance.now() - t1).toFixed(2)}ms`);
  await time('renderer, all sections, mixed name', () => compressed.render(mixed));
  await time('service uncached (db + render)', () => c.pdfReports.renderPdf(id));
  await time('service cached (exportPdf hit)', async () => (await c.pdfReports.exportPdf(id)).pdf);
} finally {
  await c.close();
}
