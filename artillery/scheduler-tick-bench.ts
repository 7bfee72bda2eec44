/**
 * What the report scheduler's 5-minute tick costs with subscribers spread over many time zones:
 * a tick that finds nothing due (nearly all of them), a tick that queues one zone's reports, and
 * a whole Monday of ticks (every 5 minutes, 24 h) that must queue each report exactly once.
 *
 *   npx tsx artillery/scheduler-tick-bench.ts
 *   N=20000 npx tsx artillery/scheduler-tick-bench.ts
 *
 * BENCH_DATABASE_URL defaults to visionaire_bench_tick (recreated). Bounded: N ≤ 50 000.
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { DEMO_RESULTS } from '../src/db/demo-seed.js';
import { startReportScheduler } from '../src/jobs/report-scheduler.js';
import { ensureDatabase } from '../test/helpers/postgres.js';

const DB = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/visionaire_bench_tick';
const N = Math.min(Number(process.env.N ?? 10_000), 50_000);
const ZONES = [
  'America/St_Johns',
  'America/Halifax',
  'America/Toronto',
  'America/Winnipeg',
  'America/Regina',
  'America/Edmonton',
  'America/Vancouver',
  'Europe/Paris',
  'Europe/London',
  'Africa/Casablanca',
  'Asia/Tokyo',
  'Pacific/Auckland',
];
let now = new Date('2026-03-08T12:00:00Z');

await ensureDatabase(DB, { fresh: true });
const c = createContainer(
  loadConfig({
    DATABASE_URL: DB,
    UNSUBSCRIBE_SECRET: 'bench-secret-0123456789abcdef',
    MAIL_POSTAL_ADDRESS: '1 rue du Banc',
    LOG_LEVEL: 'silent',
    DATA_DIR: '.tmp/tick-bench',
  }),
  { clock: { now: () => now } },
);
const scheduler = startReportScheduler({ deliveries: c.deliveries, logger: c.logger, autoStart: false });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const timed = async (at: string) => {
  now = new Date(at);
  const t = performance.now();
  await scheduler.tick();
  return performance.now() - t;
};

try {
  await c.migrate();
  for (let i = 0; i < N; i += 1000) {
    const ids = Array.from({ length: Math.min(1000, N - i) }, () => randomUUID());
    await c.db('analyses').insert(
      ids.map((id, j) => ({
        id,
        url: `https://tick-${i + j}.example.com`,
        url_hash: id.replace(/-/g, '').padEnd(64, '0'),
        status: 'COMPLETE',
        results_summary: JSON.stringify(DEMO_RESULTS),
        time_zone: ZONES[(i + j) % ZONES.length],
        created_at: new Date('2026-03-01T10:00:00Z'),
      })),
    );
    await c.db('email_subscriptions').insert(
      ids.map((id, j) => ({
        analysis_id: id,
        email: `tick-${i + j}@example.org`,
        frequency: 'weekly',
        consent_requested_at: new Date('2026-03-01T10:00:00Z'),
        confirmed_at: new Date('2026-03-01T10:05:00Z'),
      })),
    );
  }
  await c.db.raw('ANALYZE');

  // Sunday afternoon UTC: the last send times (Monday 2 March) are a week old, nothing is due.
  const idle: number[] = [];
  for (let k = 0; k < 20; k++) idle.push(await timed(`2026-03-08T12:${String(k).padStart(2, '0')}:00Z`));
  const oneZone = await timed('2026-03-08T20:00:00Z'); // Monday 09:00 in Auckland (NZDT)
  const queuedFirst = Number((await c.db('report_deliveries').count('* as n').first())?.n ?? 0);

  // The rest of Monday, every 5 minutes, in every zone.
  const t0 = performance.now();
  let ticks = 0;
  for (let at = Date.parse('2026-03-08T20:05:00Z'); at <= Date.parse('2026-03-09T20:00:00Z'); at += 5 * 60_000) {
    now = new Date(at);
    await scheduler.tick();
    ticks += 1;
  }
  const sweepMs = performance.now() - t0;
  const rows = await c.db('report_deliveries').select('period_key').count('* as n').groupBy('period_key');

  console.log(
    `subscriptions: ${N} weekly, confirmed, over ${ZONES.length} time zones; PostgreSQL; shared 2-core machine (figures are noisy)`,
  );
  console.log(
    `idle tick (nothing due): median ${median(idle).toFixed(1)} ms, max ${Math.max(...idle).toFixed(1)} ms over ${idle.length} ticks`,
  );
  console.log(`tick that queues one zone (${queuedFirst} reports): ${oneZone.toFixed(1)} ms`);
  console.log(
    `a day of ticks every 5 min (${ticks} ticks): ${(sweepMs / 1000).toFixed(2)} s in all, ${(sweepMs / ticks).toFixed(1)} ms per tick`,
  );
  console.log(`rows per period: ${rows.map((r) => `${r.period_key}=${r.n}`).join(', ')}`);
  if (rows.length !== 1 || Number(rows[0]!.n) !== N) process.exitCode = 1;
} finally {
  await scheduler.stop();
  await c.close();
}
