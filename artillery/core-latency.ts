/**
 * p50/p95 of GET /dashboard and POST /progress against real PostgreSQL with the cache off
 * (CACHE_ENABLED=false: every read loads from the database). Every dashboard read targets a
 * different analysis, and every progress update is a real status change.
 *
 *   npx tsx artillery/core-latency.ts            (BENCH_DATABASE_URL, default visionaire_bench)
 *
 * Bounded: REQUESTS requests per endpoint at CONCURRENCY, against 127.0.0.1 only.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { ensureDatabase } from '../test/helpers/postgres.js';
import { DEMO_RESULTS } from '../src/db/demo-seed.js';

const DB = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/visionaire_bench';
const REQUESTS = Number(process.env.REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 8110);
const base = `http://127.0.0.1:${PORT}/api/v1`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function run(name: string, count: number, send: (i: number) => Promise<Response>) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        const res = await send(i);
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        if (res.status >= 400) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 100) / 100;
  console.log(
    `${name.padEnd(22)} n=${count} errors=${errors} rps=${r(count / seconds)} p50=${r(percentile(latencies, 50))}ms p95=${r(percentile(latencies, 95))}ms p99=${r(percentile(latencies, 99))}ms`,
  );
}

await ensureDatabase(DB, { fresh: true });
const c = createContainer(loadConfig({ DATABASE_URL: DB, LOG_LEVEL: 'warn' }));
await c.migrate();
const ids: string[] = [];
for (let i = 0; i < REQUESTS; i++) {
  ids.push(
    (await c.analyses.createAnalysis({ url: `https://bench-${i}.example.org`, results_summary: DEMO_RESULTS }))
      .analysis_id,
  );
}
await c.close();

const server = spawn(
  process.execPath,
  ['--import', 'tsx', path.resolve(import.meta.dirname, '../bin/dev.js'), 'serve'],
  {
    // One client IP sends everything: the per-IP limit is off so the figures are the request path's own.
    env: {
      ...process.env,
      DATABASE_URL: DB,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SCHEDULER: 'off',
      REDIS_URL: '',
      CACHE_ENABLED: 'false',
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
      UNSUBSCRIBE_SECRET: 'bench-secret-0123456789',
      MAIL_POSTAL_ADDRESS: '1000 rue Sherbrooke Ouest, Montréal (Québec)',
      RATE_LIMIT_PER_MINUTE: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
await new Promise<void>((resolve) =>
  server.stdout.on('data', (d: Buffer) => d.toString().includes('listening') && resolve()),
);

try {
  // Warm up connections and JIT on a separate slice, then measure.
  await run('warm-up', 200, (i) => fetch(`${base}/health?${i}`));
  await run('GET /dashboard', REQUESTS, (i) => fetch(`${base}/dashboard/${ids[i]}`));
  const statuses = ['IN_PROGRESS', 'NOT_STARTED'];
  await run('POST /progress', REQUESTS, (i) =>
    fetch(`${base}/dashboard/${ids[i % ids.length]}/progress`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ opportunity_id: 'value_creation', status: statuses[Math.floor(i / ids.length) % 2] }),
    }),
  );
} finally {
  server.kill('SIGTERM');
}
