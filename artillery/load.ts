/**
 * The load test: seeds ANALYSES analyses in BENCH_DATABASE_URL (recreated), starts `visionaire serve` in
 * production mode (PostgreSQL + Redis) on 127.0.0.1, runs load.yml at 100, 500 and 1,000 virtual users, then
 * rate.yml at rising arrival rates to find the highest sustained rate with p95 under 200 ms.
 *
 *   npm run build && npm run load      (from the repository root; artillery installed in artillery/)
 *
 * Bounded: each user phase lasts RAMP + about 3 s × ITERATIONS; each rate step DURATION seconds; the sweep
 * stops at the first failing rate. A warm-up (not measured) reads every analysis once first. Prints a Markdown table of the figures and writes results/latest.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { DEMO_RESULTS } from '../src/db/demo-seed.js';
import { ensureDatabase } from '../test/helpers/postgres.js';

const env = process.env;
const DB = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/visionaire_load';
const REDIS = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PORT = Number(env.LOAD_PORT ?? 8120);
const ANALYSES = Number(env.ANALYSES ?? 1000);
const USERS = (env.USERS ?? '100,500,1000').split(',').filter(Boolean).map(Number);
const RATES = (env.RATES ?? '25,50,75,100,150,200,300,400').split(',').filter(Boolean).map(Number);
const here = import.meta.dirname;
const root = path.resolve(here, '..');
const namespace = `load-${process.pid}`;
const target = `http://127.0.0.1:${PORT}`;

type Figures = {
  serverCpuMsPerRequest?: number;
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  codes: Record<string, number>;
  invalid400: number;
  realErrors: number;
  failedUsers: number;
  passed: boolean;
};

async function seed(): Promise<string> {
  await ensureDatabase(DB, { fresh: true });
  const c = createContainer(loadConfig({ DATABASE_URL: DB, LOG_LEVEL: 'warn', CACHE_NAMESPACE: namespace }));
  await c.migrate();
  const ids: string[] = [];
  for (let i = 0; i < ANALYSES; i += 20) {
    const batch = Array.from({ length: Math.min(20, ANALYSES - i) }, (_, k) =>
      c.analyses.createAnalysis({ url: `https://load-${i + k}.example.org`, results_summary: DEMO_RESULTS }),
    );
    ids.push(...(await Promise.all(batch)).map((r) => r.analysis_id));
  }
  await c.close();
  // Artillery reads a payload path relative to the scenario file.
  writeFileSync(path.join(here, 'results', 'ids.csv'), ids.join('\n') + '\n');
  return 'results/ids.csv';
}

function artillery(script: string, name: string, vars: Record<string, string>): Figures {
  const out = path.join(here, 'results', `${name}.json`);
  const run = spawnSync(path.join(here, 'node_modules/.bin/artillery'), ['run', '--quiet', '--output', out, script], {
    cwd: here,
    env: { ...env, ...vars, TARGET: target },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const { aggregate: a } = JSON.parse(readFileSync(out, 'utf8')) as {
    aggregate: {
      counters: Record<string, number>;
      summaries: Record<string, Record<string, number>>;
      firstMetricAt: number;
      lastMetricAt: number;
    };
  };
  const t = a.summaries['http.response_time'] ?? {};
  const codes = Object.fromEntries(
    Object.entries(a.counters)
      .filter(([k]) => k.startsWith('http.codes.'))
      .map(([k, v]) => [k.slice(11), v]),
  );
  const requests = a.counters['http.requests'] ?? 0;
  const seconds = Math.max(1, (a.lastMetricAt - a.firstMetricAt) / 1000);
  return {
    name,
    requests,
    rps: Math.round(requests / seconds),
    p50: t.median ?? t.p50 ?? NaN,
    p95: t.p95 ?? NaN,
    p99: t.p99 ?? NaN,
    codes,
    invalid400: a.counters['load.invalid_400'] ?? 0,
    realErrors: a.counters['load.real_errors'] ?? 0,
    failedUsers: a.counters['vusers.failed'] ?? 0,
    passed: run.status === 0,
  };
}

/** CPU time (user + system) the server process has used so far, in ms (Linux /proc; NaN elsewhere). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
  } catch {
    return NaN;
  }
}

/** One run, with the server's own CPU cost per request: what the figures would scale with on a quiet machine. */
function measured(script: string, name: string, vars: Record<string, string>): Figures {
  const before = cpuMs(server.pid!);
  const f = artillery(script, name, vars);
  f.serverCpuMsPerRequest = Math.round(((cpuMs(server.pid!) - before) / Math.max(1, f.requests)) * 100) / 100;
  return f;
}

const ok = (f: Figures) => f.p95 < 200 && (f.realErrors + f.failedUsers) / Math.max(1, f.requests) < 0.01;
const row = (f: Figures) =>
  `| ${f.name} | ${f.requests} | ${f.rps} | ${f.p50} | ${f.p95} | ${f.p99} | ${f.invalid400} | ${f.realErrors + f.failedUsers} | ${f.serverCpuMsPerRequest} | ${ok(f) ? 'pass' : 'FAIL'} |`;

mkdirSync(path.join(here, 'results'), { recursive: true });
const ids = await seed();
const server = spawn(process.execPath, [path.join(root, 'bin/run.js'), 'serve'], {
  cwd: root,
  env: {
    PATH: env.PATH,
    HOME: env.HOME,
    DATABASE_URL: DB,
    REDIS_URL: REDIS,
    CACHE_NAMESPACE: namespace,
    PORT: String(PORT),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SCHEDULER: 'off',
    UNSUBSCRIBE_SECRET: 'load-test-unsubscribe-secret-0123',
    ADMIN_TOKEN: 'load-test-admin-token-0123456789',
    MAIL_POSTAL_ADDRESS: '1000 rue Sherbrooke Ouest, Montréal (Québec)',
    RATE_LIMIT_PER_MINUTE: '0',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((resolve) =>
  server.stdout!.on('data', (d: Buffer) => d.toString().includes('listening') && resolve()),
);

// Warm-up, not measured: JIT, connection pools, and one cache fill per analysis (a dashboard is read many times).
const idList = readFileSync(path.join(here, ids), 'utf8').trim().split('\n');
for (let i = 0; i < idList.length; i += 10) {
  await Promise.all(
    idList
      .slice(i, i + 10)
      .flatMap((id) =>
        [fetch(`${target}/api/v1/dashboard/${id}`), fetch(`${target}/api/v1/dashboard/${id}/recommendations`)].map(
          (p) => p.then((r) => r.arrayBuffer()),
        ),
      ),
  );
}

const results: Figures[] = [];
try {
  for (const users of USERS) {
    results.push(
      measured('load.yml', `users-${users}`, {
        USERS: String(users),
        RAMP: env.RAMP ?? '20',
        ITERATIONS: env.ITERATIONS ?? '20',
        IDS_CSV: ids,
      }),
    );
    console.log(row(results.at(-1)!));
  }
  for (const rate of RATES) {
    const f = measured('rate.yml', `rate-${rate}`, {
      RATE: String(rate),
      DURATION: env.DURATION ?? '20',
      IDS_CSV: ids,
    });
    results.push(f);
    console.log(row(f));
    if (!ok(f)) break;
  }
} finally {
  server.kill('SIGTERM');
  spawnSync(process.execPath, [path.join(root, 'bin/run.js'), 'cache', 'clear'], {
    env: { PATH: env.PATH, DATABASE_URL: DB, REDIS_URL: REDIS, CACHE_NAMESPACE: namespace },
    stdio: 'ignore',
  });
}

const best = results.filter((f) => f.name.startsWith('rate-') && ok(f)).at(-1);
writeFileSync(
  path.join(here, 'results', 'latest.json'),
  JSON.stringify(
    {
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      results,
    },
    null,
    2,
  ),
);
console.log(
  '\n| phase | requests | req/s | p50 ms | p95 ms | p99 ms | 400s | real errors | server CPU ms/request | p95 < 200 ms and errors < 1 % |\n|---|---|---|---|---|---|---|---|---|---|',
);
for (const f of results) console.log(row(f));
console.log(
  `\nhighest sustained rate with p95 < 200 ms: ${best ? `${best.name.slice(5)} requests/s (measured ${best.rps} req/s, p95 ${best.p95} ms)` : 'none of the rates tried'}`,
);
process.exitCode = results.filter((f) => f.name.startsWith('users-')).every((f) => f.passed) ? 0 : 1;
