/**
 * Hot-path benchmark, side by side and interleaved, against real PostgreSQL and Redis on 127.0.0.1:
 *   - bare node:http and bare Koa serving the same dashboard bytes (the ceilings), and bare Koa
 *     also setting every header the service sends on a cached hit (what those headers cost);
 *   - the service's cached GET /dashboard in production mode (PostgreSQL + Redis, entries warm),
 *     with generation tags held under CLIENT TRACKING (the default) and with an MGET per hit;
 *   - the uncached path (CACHE_ENABLED=false: what users get with Redis down);
 *   - POST /progress at 4 connections (real status changes, invalidation included), alone and
 *     while another instance holds the analyses' tags (then each write waits out the lease);
 *   - cached GET /dashboard p99 at a fixed rate, idle and while 5 PDF renders run at once.
 * With BASELINE_DIR (a checkout of an older commit with its node_modules), the same service
 * phases also run against it, from the same process tree, for "against today" ratios.
 *
 * Servers are pinned to core 0 and the load generator to core 1 when `taskset` exists; `wrk` is
 * used when installed, otherwise autocannon (printed). The fixed-rate phase uses autocannon.
 * Bounded: ROUNDS x phases of PHASE_SECONDS each.
 *
 *   npx tsx artillery/hot-path.ts   (BENCH_DATABASE_URL, default visionaire_bench_hot; REDIS_URL;
 *                                    ROUNDS=2 PHASE_SECONDS=5 CONNECTIONS=32 PORT_BASE BASELINE_DIR)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Koa from 'koa';
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { DEMO_RESULTS } from '../src/db/demo-seed.js';
import { ensureDatabase } from '../test/helpers/postgres.js';
import { freePort } from '../test/helpers/redis-server.js';
import { has, WRK, wrkLoad } from './wrk.js';

const DB = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/visionaire_bench_hot';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROUNDS = Math.min(Number(process.env.ROUNDS ?? 2), 5);
const PHASE_SECONDS = Math.min(Number(process.env.PHASE_SECONDS ?? 5), 30);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const ANALYSES = 400;
const PDF_RATE = 200; // requests/s of cached GET /dashboard in the PDF phase
const ROOT = path.resolve(import.meta.dirname, '..');
const HERE = import.meta.filename;

const TASKSET = has('taskset') && os.cpus().length >= 2;

const spawned: ChildProcess[] = [];
process.on('exit', () => spawned.forEach((child) => child.kill('SIGTERM')));

/** Runs a node process pinned to core 0; resolves once it prints "listening" (or a serve line). */
function startNode(args: string[], env: Record<string, string>, cwd = ROOT): Promise<ChildProcess> {
  const cmd = TASKSET ? 'taskset' : process.execPath;
  const argv = TASKSET ? ['-c', '0', process.execPath, ...args] : args;
  const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${out.slice(-500)}`)));
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/listening|API on|http:\/\/127\.0\.0\.1/.test(out)) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  });
}

type Phase = { rps: number; p50: number; p95: number; p99: number; requests: number; errors: number; pdfs?: number };

/** Closed-loop load: wrk (pinned to core 1) or autocannon, cycling over `paths`. */
async function closedLoop(base: string, paths: string[], connections: number, post = false): Promise<Phase> {
  if (WRK) return wrkLoad(base, paths, { connections, post, seconds: PHASE_SECONDS, taskset: TASKSET });
  return autocannonLoad(base, paths, { connections, post });
}

async function autocannonLoad(
  base: string,
  paths: string[],
  opts: { connections: number; post?: boolean; overallRate?: number },
): Promise<Phase> {
  const latencies: number[] = [];
  const state = new Map<string, string>();
  let i = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections: opts.connections,
        duration: PHASE_SECONDS,
        ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
        requests: [
          {
            setupRequest: (req) => {
              const p = paths[i++ % paths.length]!;
              if (!opts.post) return { ...req, path: p };
              const next = state.get(p) === 'IN_PROGRESS' ? 'NOT_STARTED' : 'IN_PROGRESS';
              state.set(p, next);
              return {
                ...req,
                path: p,
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ opportunity_id: 'value_creation', status: next }),
              };
            },
          },
        ],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_c: unknown, _s: number, _b: number, ms: number) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.max(0, Math.ceil(latencies.length * p) - 1)] ?? NaN;
  return {
    rps: result.requests.total / PHASE_SECONDS,
    p50: pct(0.5),
    p95: pct(0.95),
    p99: pct(0.99),
    requests: result.requests.total,
    errors: result.errors + result.non2xx,
  };
}

/** Cached dashboard p99 at a fixed rate while `pdfLoops` clients each keep one PDF render going. */
async function pdfPhase(
  base: string,
  dashboards: string[],
  pdfs: string[],
  pdfLoops: number,
): Promise<Phase & { pdfs: number }> {
  let stop = false;
  let rendered = 0;
  let next = 0;
  const loops = Array.from({ length: pdfLoops }, async () => {
    while (!stop) {
      const res = await fetch(base + pdfs[next++ % pdfs.length]);
      await res.arrayBuffer();
      if (res.status === 200) rendered++;
    }
  });
  const phase = await autocannonLoad(base, dashboards, { connections: 8, overallRate: PDF_RATE });
  stop = true;
  await Promise.all(loops);
  return { ...phase, pdfs: rendered };
}

async function main(): Promise<void> {
  if (TASKSET) execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' }); // this process (autocannon, fetch) on core 1
  await ensureDatabase(DB, { fresh: true });
  const namespace = `bench-hot-${randomUUID()}`;
  const c = createContainer(
    loadConfig({ DATABASE_URL: DB, REDIS_URL: REDIS, CACHE_NAMESPACE: namespace, LOG_LEVEL: 'warn', PDF_WORKERS: '0' }),
  );
  await c.migrate();
  const ids: string[] = [];
  for (let i = 0; i < ANALYSES; i++) {
    ids.push(
      (await c.analyses.createAnalysis({ url: `https://hot-${i}.example.org`, results_summary: DEMO_RESULTS }))
        .analysis_id,
    );
  }
  const sample = Buffer.from(JSON.stringify(await c.dashboard.loadDashboard(ids[0]!)));

  let port = Number(process.env.PORT_BASE ?? 0);
  const nextPort = async () => (port ? port++ : freePort());
  const serveEnv = (p: number, extra: Record<string, string>) => ({
    DATABASE_URL: DB,
    REDIS_URL: REDIS,
    CACHE_NAMESPACE: namespace,
    PORT: String(p),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SCHEDULER: 'off',
    NODE_ENV: 'production',
    UNSUBSCRIBE_SECRET: 'bench-secret-0123456789',
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
    MAIL_POSTAL_ADDRESS: '1000 rue Sherbrooke Ouest, Montréal (Québec)',
    RATE_LIMIT_PER_MINUTE: '0',
    ...extra,
  });
  const cli = existsSync(path.join(ROOT, 'dist/commands'))
    ? [path.join(ROOT, 'bin/run.js')]
    : ['--import', 'tsx', path.join(ROOT, 'bin/dev.js')];
  const targets: { name: string; port: number; child: Promise<ChildProcess> }[] = [];
  const add = async (name: string, start: (p: number) => Promise<ChildProcess>) => {
    const p = await nextPort();
    targets.push({ name, port: p, child: start(p) });
  };
  await add('bare node:http', (p) =>
    startNode(['--import', 'tsx', HERE, '--bare-http', String(p), sample.toString('base64')], {}),
  );
  await add('bare Koa', (p) =>
    startNode(['--import', 'tsx', HERE, '--bare-koa', String(p), sample.toString('base64')], {}),
  );
  await add('cached', (p) => startNode([...cli, 'serve'], serveEnv(p, {})));
  await add('cached, MGET per hit', (p) => startNode([...cli, 'serve'], serveEnv(p, { CACHE_LEASE_MS: '0' })));
  await add('uncached', (p) => startNode([...cli, 'serve'], serveEnv(p, { CACHE_ENABLED: 'false' })));
  const baseline = process.env.BASELINE_DIR;
  if (baseline) {
    const baseCli = ['--import', 'tsx', path.join(baseline, 'bin/dev.js'), 'serve'];
    await add('baseline cached', (p) => startNode(baseCli, serveEnv(p, {}), baseline));
    await add('baseline uncached', (p) => startNode(baseCli, serveEnv(p, { CACHE_ENABLED: 'false' }), baseline));
  }
  await Promise.all(targets.map((t) => t.child));
  const base = (name: string) => `http://127.0.0.1:${targets.find((t) => t.name === name)!.port}`;
  const dashboards = ids.map((id) => `/api/v1/dashboard/${id}`);
  // Bare Koa again, also setting every header the service sends on a cached hit (what the headers alone cost).
  await fetch(base('cached') + dashboards[0]!);
  const hit = await fetch(base('cached') + dashboards[0]!);
  const headers = [...hit.headers].filter(
    ([name]) => !['date', 'connection', 'keep-alive', 'content-length', 'content-type'].includes(name),
  );
  await add('bare Koa, same headers', (p) =>
    startNode(
      ['--import', 'tsx', HERE, '--bare-koa', String(p), sample.toString('base64'), JSON.stringify(headers)],
      {},
    ),
  );
  const children = await Promise.all(targets.map((t) => t.child));
  const progress = ids.map((id) => `/api/v1/dashboard/${id}/progress`);
  const sections = ['summary', 'opportunities', 'badges', 'metrics', 'recommendations'];
  const pdfs = ids.flatMap((id) => sections.map((s) => `/api/v1/dashboard/${id}/report.pdf?sections=${s}`));
  const results = new Map<string, Phase[]>();
  const record = (name: string, phase: Phase) => results.set(name, [...(results.get(name) ?? []), phase]);

  try {
    // Warm-up: JIT everywhere, every dashboard entry cached.
    for (const t of targets) await closedLoop(base(t.name), dashboards.slice(0, 50), 8).catch(() => undefined);
    for (const name of ['cached', 'cached, MGET per hit', 'baseline cached']) {
      if (targets.some((t) => t.name === name))
        for (const p of dashboards) await (await fetch(base(name) + p)).arrayBuffer();
    }
    for (let round = 1; round <= ROUNDS; round++) {
      for (const t of targets) record(`GET ${t.name}`, await closedLoop(base(t.name), dashboards, CONNECTIONS));
      record('POST /progress', await closedLoop(base('cached'), progress, 4, true));
      // The same writes through another instance, while 'cached' holds every tag: each waits out its lease.
      for (const p of dashboards) await (await fetch(base('cached') + p)).arrayBuffer();
      record(
        'POST /progress, another instance holding the tags',
        await closedLoop(base('cached, MGET per hit'), progress, 4, true),
      );
      if (baseline) record('POST /progress baseline', await closedLoop(base('baseline cached'), progress, 4, true));
      for (const p of dashboards) await (await fetch(base('cached') + p)).arrayBuffer(); // re-warm after the writes
      const idle = await pdfPhase(base('cached'), dashboards, pdfs, 0);
      record('dashboard at fixed rate, idle', { ...idle, pdfs: undefined });
      const withPdfs = await pdfPhase(base('cached'), dashboards, pdfs.slice((round - 1) * 500), 5);
      record('dashboard at fixed rate, 5 PDFs rendering', withPdfs);
    }
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await c.cache.clear().catch(() => undefined);
    await c.close();
  }

  const r = (n: number) => (Number.isFinite(n) ? n.toFixed(n >= 100 ? 0 : 2) : 'n/a');
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const koa = mean((results.get('GET bare Koa') ?? []).map((p) => p.rps));
  console.log(
    `machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}; load generator: ${WRK ? 'wrk' : 'autocannon'}` +
      `${TASKSET ? ', servers on core 0, load on core 1 (taskset)' : ', no pinning'}; ${CONNECTIONS} connections, ${PHASE_SECONDS} s per phase, ${ROUNDS} rounds interleaved`,
  );
  for (const [name, phases] of results) {
    const rps = mean(phases.map((p) => p.rps));
    const rounds = phases
      .map(
        (p) =>
          `${r(p.rps)} rps p50 ${r(p.p50)} p95 ${r(p.p95)} p99 ${r(p.p99)} ms${p.errors ? ` errors ${p.errors}` : ''}${p.pdfs === undefined ? '' : `, ${p.pdfs} PDFs`}`,
      )
      .join(' | ');
    console.log(
      `${name.padEnd(58)} mean ${r(rps).padStart(6)} rps = ${(rps / koa).toFixed(2)}x bare Koa   [${rounds}]`,
    );
  }
  const idle = results.get('dashboard at fixed rate, idle') ?? [];
  const busy = results.get('dashboard at fixed rate, 5 PDFs rendering') ?? [];
  const sameHeaders = mean((results.get('GET bare Koa, same headers') ?? []).map((p) => p.rps));
  const cached = mean((results.get('GET cached') ?? []).map((p) => p.rps));
  console.log(
    `cached GET /dashboard = ${(cached / sameHeaders).toFixed(2)}x bare Koa setting the same ${headers.length} headers per response`,
  );
  if (idle.length && busy.length)
    console.log(
      `dashboard p99 with 5 PDFs / idle: ${(mean(busy.map((p) => p.p99)) / mean(idle.map((p) => p.p99))).toFixed(2)} (goal <= 2)`,
    );
}

// Child modes: the bare servers, serving the bytes held in a file.
if (process.argv[2] === '--bare-koa' || process.argv[2] === '--bare-http') {
  const body = Buffer.from(process.argv[4]!, 'base64');
  const port = Number(process.argv[3]);
  if (process.argv[2] === '--bare-koa') {
    const headers = JSON.parse(process.argv[5] ?? '[]') as [string, string][];
    const app = new Koa();
    app.use((ctx) => {
      for (const [name, value] of headers) ctx.set(name, value);
      ctx.type = 'application/json';
      ctx.body = body;
    });
    app.listen(port, '127.0.0.1', () => console.log('listening'));
  } else {
    createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
      res.end(body);
    }).listen(port, '127.0.0.1', () => console.log('listening'));
  }
} else {
  await main();
}
