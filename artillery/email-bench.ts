/**
 * Report emails sent per hour through the real path: croner-free enqueue (advisory lock + one
 * INSERT … SELECT), then workers claiming with FOR UPDATE SKIP LOCKED, building each report model
 * from PostgreSQL, rendering the eta templates and sending over pooled SMTP to a local sink
 * (smtp-server on 127.0.0.1 that accepts everything), then marking each row sent.
 *
 *   npx tsx artillery/email-bench.ts
 *   N=20000 WORKERS=2 CONCURRENCY=20 SMTP_CONNECTIONS=10 BATCH=100 npx tsx artillery/email-bench.ts
 *
 * BENCH_DATABASE_URL defaults to visionaire_bench_email (recreated). Bounded: N ≤ 50 000.
 * WORKERS is the number of containers (each its own knex pool and SMTP pool), as separate
 * `visionaire scheduler` processes would be.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../src/config.js';
import { createContainer, type Container } from '../src/container.js';
import { DEMO_RESULTS } from '../src/db/demo-seed.js';
import { ensureDatabase } from '../test/helpers/postgres.js';

const DB = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/visionaire_bench_email';
const N = Math.min(Number(process.env.N ?? 10_000), 50_000);
const WORKERS = Math.min(Number(process.env.WORKERS ?? 1), 8);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 10);
const SMTP_CONNECTIONS = Number(process.env.SMTP_CONNECTIONS ?? 5);
const BATCH = Number(process.env.BATCH ?? 50);
const NOW = new Date('2026-03-09T13:00:00Z'); // Monday 09:00 in Montréal (REPORT_TIME_ZONE)

let accepted = 0;
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  disableReverseLookup: true,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      accepted += 1;
      callback(null, 'ok');
    });
  },
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
const smtpUrl = `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}`;

await ensureDatabase(DB, { fresh: true });
const env = {
  DATABASE_URL: DB,
  SMTP_URL: smtpUrl,
  UNSUBSCRIBE_SECRET: 'bench-secret-0123456789abcdef',
  MAIL_POSTAL_ADDRESS: '1 rue du Banc, Montréal (Québec)',
  LOG_LEVEL: 'silent',
  DATA_DIR: '.tmp/email-bench',
};
const clock = { now: () => NOW };
const containers: Container[] = Array.from({ length: WORKERS }, () =>
  createContainer(loadConfig(env), {
    clock,
    delivery: { batchSize: BATCH, concurrency: CONCURRENCY, smtpMaxConnections: SMTP_CONNECTIONS },
  }),
);
const [c] = containers as [Container];

try {
  await c.migrate();
  // Seed: N analyses (the spec example; one opportunity implemented, one badge this week), one subscriber each.
  const t0 = performance.now();
  for (let i = 0; i < N; i += 1000) {
    const ids = Array.from({ length: Math.min(1000, N - i) }, () => randomUUID());
    await c.db('analyses').insert(
      ids.map((id, j) => ({
        id,
        url: `https://bench-${i + j}.example.com`,
        url_hash: id.replace(/-/g, '').padEnd(64, '0'),
        status: 'COMPLETE',
        results_summary: JSON.stringify({
          ...DEMO_RESULTS,
          identity_a1: { ...DEMO_RESULTS.identity_a1, company_name: `Entreprise ${i + j}` },
        }),
        hourly_rate: 50,
        created_at: new Date('2026-03-02T10:00:00Z'),
        completed_at: new Date('2026-03-02T10:00:00Z'),
      })),
    );
    await c.db('user_progress').insert(
      ids.map((id) => ({
        analysis_id: id,
        opportunity_category: 'digital_presence',
        opportunity_id: 'digital_presence',
        status: 'IMPLEMENTED',
        implemented_at: new Date('2026-03-04T10:00:00Z'),
      })),
    );
    await c.db('user_badges').insert(
      ids.map((id) => ({
        analysis_id: id,
        badge_type: 'first_step',
        badge_version: 1,
        badge_name: 'Premier Pas',
        description: 'Vous avez commencé votre première opportunité!',
        points: 10,
        earned_at: new Date('2026-03-04T10:00:00Z'),
      })),
    );
    await c.db('email_subscriptions').insert(
      ids.map((id, j) => ({
        analysis_id: id,
        email: `bench-${i + j}@example.org`,
        frequency: 'weekly',
        hourly_rate: 50,
        consent_requested_at: new Date('2026-03-02T10:00:00Z'),
        confirmed_at: new Date('2026-03-02T10:05:00Z'),
      })),
    );
  }
  // Planner statistics, as autovacuum would have gathered them on a live database (without them
  // the enqueue's join is planned for a handful of rows and goes quadratic).
  await c.db.raw('ANALYZE');
  console.log(`seeded ${N} subscriptions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const t1 = performance.now();
  const enqueued = await c.deliveries.enqueueDue('weekly');
  const enqueueMs = performance.now() - t1;

  const t2 = performance.now();
  const results = await Promise.all(containers.map((w) => w.deliveries.drain()));
  const seconds = (performance.now() - t2) / 1000;
  const sent = results.reduce((a, r) => a + r.sent, 0);
  const counts = await c.deliveries.counts('2026-W10');

  console.log(`enqueue: ${enqueued.enqueued} rows in ${enqueueMs.toFixed(0)} ms`);
  console.log(
    `settings: workers=${WORKERS} concurrency=${CONCURRENCY}/worker smtp_pool=${SMTP_CONNECTIONS}/worker batch=${BATCH} knex_pool=10/worker`,
  );
  console.log(
    `sent ${sent} (sink accepted ${accepted}; rows sent=${counts.sent} failed=${counts.failed} pending=${counts.pending}) in ${seconds.toFixed(2)} s`,
  );
  console.log(
    `throughput: ${Math.round(sent / seconds)} reports/s = ${Math.round((sent / seconds) * 3600).toLocaleString('en-US')} reports/hour`,
  );
  if (sent !== N || accepted !== N || counts.sent !== N) process.exitCode = 1;
} finally {
  await Promise.all(containers.map((w) => w.close()));
  await new Promise<void>((resolve) => sink.close(() => resolve()));
}
