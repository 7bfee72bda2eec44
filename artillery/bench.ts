/**
 * `npm run bench`: the cached GET /dashboard against bare Koa serving the same bytes, side by side
 * and interleaved in one run, in the three ways the service is deployed (and, for scale, plain
 * node:http sending the same bytes with every header the cached hit carries: what those 17 headers
 * cost any server, the floor under the lane):
 *   - production mode (PostgreSQL + Redis) with the per-IP limit on, set high enough never to refuse
 *     (RATE_LIMIT_PER_MINUTE=1000000: every hit is still counted and gets its RateLimit-* headers);
 *   - production mode with the limit off (RATE_LIMIT_PER_MINUTE=0);
 *   - embedded mode (PGlite + the memory cache, no REDIS_URL), limit on as above.
 * Each round measures bare Koa and every service target once, one after another, so that each
 * ratio compares figures taken a few seconds apart; the ratio per round and over all rounds are
 * printed. While one target is measured the others are stopped (SIGSTOP): each has core 0 to
 * itself, as a deployed instance has its own cores, and no target's timers (lease renewals, journal
 * checks, heartbeats, PGlite) run on another's time. A target gets a second of load after SIGCONT
 * before its measured phase. Built on the same scheme as hot-path.ts: servers pinned to core 0 and the load
 * generator to core 1 when `taskset` exists: wrk when installed (`apt-get install wrk`), else autocannon in this
 * process, which tops out near the rate of the servers it measures (the ratios then drift towards 1). Bounded: ROUNDS x 4
 * phases of PHASE_SECONDS each, on 127.0.0.1 only.
 *
 *   npm run bench   (BENCH_DATABASE_URL, default visionaire_bench_lane; REDIS_URL;
 *                    ROUNDS=3 PHASE_SECONDS=5 CONNECTIONS=32)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
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

const DB = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/visionaire_bench_lane';
const REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROUNDS = Math.min(Number(process.env.ROUNDS ?? 3), 8);
const PHASE_SECONDS = Math.min(Number(process.env.PHASE_SECONDS ?? 5), 30);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const ANALYSES = Number(process.env.ANALYSES ?? 200);
const HIGH_LIMIT = '1000000'; // the most RATE_LIMIT_PER_MINUTE takes: counted, never refused here
const GOAL = 0.85;
const ROOT = path.resolve(import.meta.dirname, '..');
const HERE = import.meta.filename;
const TASKSET = os.cpus().length >= 2 && has('taskset');

const spawned: ChildProcess[] = [];
process.on('exit', () => spawned.forEach((child) => child.kill('SIGTERM')));

/** Runs a node process pinned to core 0; resolves once it says it listens. */
function startNode(args: string[], env: Record<string, string>): Promise<ChildProcess> {
  const cmd = TASKSET ? 'taskset' : process.execPath;
  const argv = TASKSET ? ['-c', '0', process.execPath, ...args] : args;
  const child = spawn(cmd, argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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

type Phase = { rps: number; p50: number; p99: number; errors: number; non2xx: number; cpuMsPerRequest: number };

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux); NaN elsewhere. */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return NaN;
  }
}

/** Closed-loop load with wrk when installed (else autocannon, in this process), cycling over `paths`. */
async function load(base: string, paths: string[], pid?: number, seconds = PHASE_SECONDS): Promise<Phase> {
  let i = 0;
  const cpuBefore = cpuMs(pid);
  if (WRK) {
    const r = wrkLoad(base, paths, { connections: CONNECTIONS, seconds, taskset: TASKSET });
    const cpuMsPerRequest = (cpuMs(pid) - cpuBefore) / r.requests;
    return { rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors, non2xx: 0, cpuMsPerRequest };
  }
  const result = await new Promise<autocannon.Result>((resolve, reject) =>
    autocannon(
      {
        url: base,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    ),
  );
  return {
    rps: result.requests.total / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpuMsPerRequest: (cpuMs(pid) - cpuBefore) / result.requests.total,
  };
}

async function main(): Promise<void> {
  if (TASKSET) execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
  await ensureDatabase(DB, { fresh: true });
  const namespace = `bench-lane-${randomUUID()}`;
  const c = createContainer(
    loadConfig({ DATABASE_URL: DB, REDIS_URL: REDIS, CACHE_NAMESPACE: namespace, LOG_LEVEL: 'warn' }),
  );
  await c.migrate();
  const ids: string[] = [];
  for (let i = 0; i < ANALYSES; i++)
    ids.push(
      (await c.analyses.createAnalysis({ url: `https://lane-${i}.example.org`, results_summary: DEMO_RESULTS }))
        .analysis_id,
    );
  const sample = Buffer.from(JSON.stringify(await c.dashboard.loadDashboard(ids[0]!)));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-lane-'));
  const cli = existsSync(path.join(ROOT, 'dist/commands'))
    ? [path.join(ROOT, 'bin/run.js')]
    : ['--import', 'tsx', path.join(ROOT, 'bin/dev.js')];
  const common = {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SCHEDULER: 'off',
    NODE_ENV: 'production',
    UNSUBSCRIBE_SECRET: 'bench-secret-0123456789',
    MAIL_POSTAL_ADDRESS: '1000 rue Sherbrooke Ouest, Montréal (Québec)',
    PDF_WORKERS: '0',
  };
  const production = {
    DATABASE_URL: DB,
    REDIS_URL: REDIS,
    CACHE_NAMESPACE: namespace,
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
  };
  const plan: { name: string; env: Record<string, string> | null }[] = [
    { name: 'bare Koa, same bytes', env: null },
    { name: 'node:http, same bytes and headers', env: null },
    { name: 'cached, limit on (Redis)', env: { ...production, RATE_LIMIT_PER_MINUTE: HIGH_LIMIT } },
    { name: 'cached, limit off (Redis)', env: { ...production, RATE_LIMIT_PER_MINUTE: '0' } },
    { name: 'cached, embedded (memory cache)', env: { DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: HIGH_LIMIT } },
  ];
  const targets = await Promise.all(
    plan.map(async (t) => {
      const port = await freePort();
      const mode = t.name.startsWith('node:http') ? '--bare-node' : '--bare-koa';
      const args = t.env ? [...cli, 'serve'] : ['--import', 'tsx', HERE, mode, String(port), sample.toString('base64')];
      return {
        ...t,
        base: `http://127.0.0.1:${port}`,
        child: await startNode(args, { ...common, ...t.env, PORT: String(port) }),
      };
    }),
  );
  // Embedded mode has its own database: the same analyses, through its API.
  const embedded = targets.find((t) => t.name.includes('embedded'))!;
  const embeddedIds: string[] = [];
  for (let i = 0; i < ANALYSES; i++) {
    const res = await fetch(`${embedded.base}/api/v1/analyses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `https://lane-${i}.example.org`, results_summary: DEMO_RESULTS }),
    });
    embeddedIds.push(((await res.json()) as { analysis_id: string }).analysis_id);
  }
  const pathsOf = (t: (typeof targets)[number]) =>
    (t === embedded ? embeddedIds : ids).map((id) => `/api/v1/dashboard/${id}`);

  const results = new Map<string, Phase[]>();
  try {
    for (const t of targets) {
      for (const p of pathsOf(t)) await (await fetch(t.base + p)).arrayBuffer(); // every entry cached
      await load(t.base, pathsOf(t)); // warm-up: JIT
    }
    const limitOn = targets.find((t) => t.name.startsWith('cached, limit on'))!;
    const hit = await fetch(limitOn.base + pathsOf(limitOn)[0]!);
    console.log(`a hit with the limit on carries: ${[...hit.headers.keys()].join(', ')}`);
    // node:http answers with the same headers as that hit (Node adds Date, Connection and Keep-Alive itself).
    const own = new Set(['date', 'connection', 'keep-alive']);
    const headers = [...hit.headers].filter(([n]) => !own.has(n)).flat();
    const bareNode = targets.find((t) => t.name.startsWith('node:http'))!;
    await fetch(`${bareNode.base}/headers`, { method: 'PUT', body: JSON.stringify(headers) });
    for (let round = 1; round <= ROUNDS; round++)
      for (const t of targets) {
        for (const other of targets) other.child.kill(other === t ? 'SIGCONT' : 'SIGSTOP');
        await load(t.base, pathsOf(t), undefined, 1); // back from SIGSTOP: leases renewed, caches warm
        results.set(t.name, [...(results.get(t.name) ?? []), await load(t.base, pathsOf(t), t.child.pid)]);
      }
  } finally {
    for (const t of targets) t.child.kill('SIGCONT');
    for (const t of targets) t.child.kill('SIGTERM');
    await c.cache.clear().catch(() => undefined);
    await c.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const koa = results.get(plan[0]!.name)!;
  console.log(
    `machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; node ${process.version}; ` +
      `${WRK ? 'wrk' : 'autocannon'} ${CONNECTIONS} connections, ${PHASE_SECONDS} s per phase, ${ROUNDS} rounds interleaved${TASKSET ? ', servers on core 0, load on core 1' : ''}`,
  );
  const koaCpu = mean(koa.map((p) => p.cpuMsPerRequest));
  const floor = mean(results.get(plan[1]!.name)!.map((p) => p.rps));
  for (const [name, phases] of results) {
    const perRound = phases.map((p, i) => (p.rps / koa[i]!.rps).toFixed(2)).join(' ');
    const ratio = mean(phases.map((p) => p.rps)) / mean(koa.map((p) => p.rps));
    const cpu = mean(phases.map((p) => p.cpuMsPerRequest));
    const bad = phases.reduce((n, p) => n + p.errors + p.non2xx, 0);
    console.log(
      `${name.padEnd(34)} ${mean(phases.map((p) => p.rps))
        .toFixed(0)
        .padStart(
          6,
        )} rps  p50 ${mean(phases.map((p) => p.p50)).toFixed(1)} p99 ${mean(phases.map((p) => p.p99)).toFixed(1)} ms` +
        `  = ${ratio.toFixed(2)}x bare Koa (rounds: ${perRound})${bad ? `  errors/non-2xx ${bad}` : ''}` +
        (!name.startsWith('cached') ? '' : ratio >= GOAL ? `  goal ${GOAL}x met` : `  goal ${GOAL}x NOT met`) +
        `;  server CPU ${(cpu * 1000).toFixed(0)} us/request = ${(koaCpu / cpu).toFixed(2)}x bare Koa's throughput per CPU second` +
        (name.startsWith('cached')
          ? `;  ${(mean(phases.map((p) => p.rps)) / floor).toFixed(2)}x node:http with its headers`
          : ''),
    );
  }
}

// Child modes: bare Koa serving the same dashboard bytes; node:http serving them with the lane's headers.
if (process.argv[2] === '--bare-node') {
  const body = Buffer.from(process.argv[4]!, 'base64');
  let headers: string[] = [];
  http
    .createServer((req, res) => {
      if (req.method !== 'PUT') return void res.writeHead(200, headers).end(body);
      let text = '';
      req
        .on('data', (d: Buffer) => (text += d.toString()))
        .on('end', () => {
          headers = JSON.parse(text) as string[];
          res.end();
        });
    })
    .listen(Number(process.argv[3]), '127.0.0.1', () => console.log('listening'));
} else if (process.argv[2] === '--bare-koa') {
  const body = Buffer.from(process.argv[4]!, 'base64');
  const app = new Koa();
  app.use((ctx) => {
    ctx.type = 'application/json';
    ctx.body = body;
  });
  app.listen(Number(process.argv[3]), '127.0.0.1', () => console.log('listening'));
} else {
  await main();
}
