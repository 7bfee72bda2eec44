/**
 * Cache benchmark, in one go against real PostgreSQL and Redis on 127.0.0.1:
 *   1. GET /dashboard cached (Redis, entries warm) and uncached (CACHE_ENABLED=false: every read
 *      loads from PostgreSQL; invalidations are still written): requests/s and p95;
 *   2. the hit rate counted by the service over a 60/20/20 mix of GET /dashboard, POST /progress
 *      (always a real status change, so every write invalidates) and GET /recommendations;
 *   3. cached-dashboard throughput over a bare Koa route serving the same JSON from memory.
 * Each server runs in its own process (the `serve` command, or the bare route); autocannon runs
 * here. Bounded: PHASE_SECONDS per phase (at most MAX_REQUESTS each) and MIX_REQUESTS requests.
 *
 *   npx tsx artillery/cache-bench.ts   (BENCH_DATABASE_URL, default visionaire_bench_cache; REDIS_URL)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Koa from 'koa';
import Router from '@koa/router';
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { ensureDatabase } from '../test/helpers/postgres.js';
import { freePort } from '../test/helpers/redis-server.js';
import { DEMO_RESULTS } from '../src/db/demo-seed.js';

const DB = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/visionaire_bench_cache';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ANALYSES = Number(process.env.ANALYSES ?? 200);
const PHASE_SECONDS = Number(process.env.PHASE_SECONDS ?? 8);
const MAX_REQUESTS = 400_000;
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const MIX_REQUESTS = Number(process.env.MIX_REQUESTS ?? 6000);
const HERE = import.meta.filename;

// Child mode: a bare Koa route returning a JSON body held in memory.
if (process.argv[2] === '--bare') {
  const body = JSON.parse(process.argv[4]!);
  const app = new Koa();
  const router = new Router({ prefix: '/api/v1' });
  router.get('/dashboard/:analysisId', (ctx) => {
    ctx.body = body;
  });
  app.use(router.routes());
  app.listen(Number(process.argv[3]), '127.0.0.1', () => console.log('listening'));
} else {
  await main();
}

function startProcess(args: string[], env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('listening') && resolve(child));
  });
}

type Phase = { rps: number; p95: number; errors: number; requests: number };

async function load(url: string, paths: string[]): Promise<Phase> {
  const latencies: number[] = [];
  let i = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: PHASE_SECONDS,
        requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      if (latencies.push(ms) === MAX_REQUESTS) instance.stop();
    });
  });
  latencies.sort((a, b) => a - b);
  const p95 = latencies[Math.ceil(latencies.length * 0.95) - 1] ?? NaN;
  return { rps: result.requests.average, p95, errors: result.errors + result.non2xx, requests: result.requests.total };
}

async function main(): Promise<void> {
  await ensureDatabase(DB, { fresh: true });
  const namespace = `bench-${randomUUID()}`;
  const c = createContainer(
    loadConfig({ DATABASE_URL: DB, REDIS_URL: REDIS, CACHE_NAMESPACE: namespace, LOG_LEVEL: 'warn' }),
  );
  await c.migrate();
  const ids: string[] = [];
  for (let i = 0; i < ANALYSES; i++) {
    ids.push(
      (await c.analyses.createAnalysis({ url: `https://bench-${i}.example.org`, results_summary: DEMO_RESULTS }))
        .analysis_id,
    );
  }
  const sample = JSON.stringify(await c.dashboard.loadDashboard(ids[0]!));

  const [cachedPort, uncachedPort, barePort] = [await freePort(), await freePort(), await freePort()];
  const serve = (port: number, extra: Record<string, string>) =>
    startProcess([path.resolve(import.meta.dirname, '../bin/dev.js'), 'serve'], {
      DATABASE_URL: DB,
      REDIS_URL: REDIS,
      CACHE_NAMESPACE: namespace,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SCHEDULER: 'off',
      // One client IP sends everything: the per-IP limit would turn the load into 429s.
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
      UNSUBSCRIBE_SECRET: 'bench-secret-0123456789',
      MAIL_POSTAL_ADDRESS: '1000 rue Sherbrooke Ouest, Montréal (Québec)',
      RATE_LIMIT_PER_MINUTE: '0',
      ...extra,
    });
  const children = [
    await serve(cachedPort, {}),
    await serve(uncachedPort, { CACHE_ENABLED: 'false' }),
    await startProcess([HERE, '--bare', String(barePort), sample], {}),
  ];
  const base = (port: number) => `http://127.0.0.1:${port}`;
  const dashboards = ids.map((id) => `/api/v1/dashboard/${id}`);
  const r = (n: number) => Math.round(n * 100) / 100;

  try {
    // Warm-up: JIT in every server, and every dashboard entry cached.
    for (const port of [cachedPort, uncachedPort, barePort])
      await load(base(port), dashboards.slice(0, 50)).catch(() => undefined);
    for (const p of dashboards) await fetch(base(cachedPort) + p).then((res) => res.arrayBuffer());

    const cached = await load(base(cachedPort), dashboards);
    const uncached = await load(base(uncachedPort), dashboards);
    const bare = await load(base(barePort), dashboards);

    // 60/20/20 mix at 16 concurrent clients; the hit rate is the service's own count over the mix.
    const statsUrl = `${base(cachedPort)}/api/v1/cache/stats`;
    const before = (await (await fetch(statsUrl)).json()) as { hits: number; misses: number };
    const status = new Map<string, 'IN_PROGRESS' | 'NOT_STARTED'>();
    let sent = 0;
    let mixErrors = 0;
    const mixStarted = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (sent < MIX_REQUESTS) {
          sent++;
          const id = ids[Math.floor(Math.random() * ids.length)]!;
          const roll = Math.random();
          let res: Response;
          if (roll < 0.6) res = await fetch(`${base(cachedPort)}/api/v1/dashboard/${id}`);
          else if (roll < 0.8) res = await fetch(`${base(cachedPort)}/api/v1/dashboard/${id}/recommendations`);
          else {
            const next = status.get(id) === 'IN_PROGRESS' ? 'NOT_STARTED' : 'IN_PROGRESS';
            status.set(id, next);
            res = await fetch(`${base(cachedPort)}/api/v1/dashboard/${id}/progress`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ opportunity_id: 'value_creation', status: next }),
            });
          }
          await res.arrayBuffer();
          if (res.status !== 200) mixErrors++;
        }
      }),
    );
    const mixSeconds = (performance.now() - mixStarted) / 1000;
    const after = (await (await fetch(statsUrl)).json()) as { hits: number; misses: number; memory_used: string };
    const hits = after.hits - before.hits;
    const misses = after.misses - before.misses;

    const lines = [
      `machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}; ${CONNECTIONS} connections, ${PHASE_SECONDS} s per phase`,
      `GET /dashboard cached     rps=${r(cached.rps)} p95=${r(cached.p95)}ms requests=${cached.requests} errors=${cached.errors}`,
      `GET /dashboard uncached   rps=${r(uncached.rps)} p95=${r(uncached.p95)}ms requests=${uncached.requests} errors=${uncached.errors} (CACHE_ENABLED=false: every read loads from PostgreSQL)`,
      `bare Koa route, same JSON rps=${r(bare.rps)} p95=${r(bare.p95)}ms requests=${bare.requests} errors=${bare.errors} (${sample.length} bytes)`,
      `cached / bare throughput  ${r(cached.rps / bare.rps)} (goal >= 0.5)`,
      `60/20/20 mix              hit rate=${r((hits / (hits + misses)) * 100)}% (hits=${hits} misses=${misses}) over ${MIX_REQUESTS} requests in ${r(mixSeconds)} s, errors=${mixErrors}; Redis used_memory=${after.memory_used}`,
    ];
    console.log(lines.join('\n'));
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await c.cache.clear().catch(() => undefined);
    await c.close();
  }
}
