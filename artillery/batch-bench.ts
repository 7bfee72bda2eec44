/**
 * Operator batches through the real CLI (compiled: `node bin/run.js`, so run `npm run build` first):
 *   1. generates an NDJSON file of N analyses (default 100 000, about 1 KB each) and a progress
 *      history for a tenth of them;
 *   2. `analyses import FILE` on an empty database, then again (every row skipped);
 *   3. `badges reevaluate --all`, then again (nothing left to award);
 *   4. CLI start-up: `--version`, `--help` and `analyses list --limit 1`, each RUNS times.
 * Each run reports wall time, CPU time (user + system) and peak RSS (GNU time), plus rows per second.
 *
 *   npx tsx artillery/batch-bench.ts
 *   N=20000 RUNS=5 BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/vb_me npx tsx artillery/batch-bench.ts
 *
 * BENCH_DATABASE_URL defaults to visionaire_bench_batch (recreated). Bounded: N ≤ 100 000.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { DEMO_RESULTS } from '../src/db/demo-seed.js';
import { ensureDatabase } from '../test/helpers/postgres.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const DB = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/visionaire_bench_batch';
const N = Math.min(Number(process.env.N ?? 100_000), 100_000);
const RUNS = Math.min(Number(process.env.RUNS ?? 5), 20);
const DIR = path.join(ROOT, '.tmp', 'batch-bench');
const FILE = path.join(DIR, 'analyses.ndjson');

if (!existsSync(path.join(ROOT, 'oclif.manifest.json')))
  throw new Error('run `npm run build` first: the benchmark runs the compiled CLI');

type Run = { seconds: number; cpu: number; rssMb: number; code: number; stdout: string };

/** Runs the compiled CLI under GNU time: wall seconds and peak RSS of the process. */
async function cli(args: string[]): Promise<Run> {
  const child = spawn(
    '/usr/bin/time',
    ['-f', '%e %U %S %M', process.execPath, path.join(ROOT, 'bin/run.js'), ...args],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: DB, LOG_LEVEL: 'warn' },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = (await once(child, 'close')) as [number];
  const [seconds, user, sys, kb] = (stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { seconds: seconds ?? NaN, cpu: (user ?? 0) + (sys ?? 0), rssMb: Math.round((kb ?? 0) / 1024), code, stdout };
}

async function generate(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  const out = createWriteStream(FILE);
  for (let i = 0; i < N; i++) {
    const row = {
      url: `https://entreprise-${i}.bench.example/`,
      results_summary: {
        ...DEMO_RESULTS,
        identity_a1: { ...DEMO_RESULTS.identity_a1, company_name: `Entreprise ${i}` },
      },
      created_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    };
    if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const line = (label: string, r: Run, rows?: number) =>
  console.log(
    `${label.padEnd(34)} ${r.seconds.toFixed(2).padStart(7)} s  CPU ${r.cpu.toFixed(1).padStart(5)} s  peak RSS ${String(r.rssMb).padStart(4)} MB${rows ? `  ${Math.round(rows / r.seconds)} rows/s` : ''}  (exit ${r.code})`,
  );

await ensureDatabase(DB, { fresh: true });
const c = createContainer(loadConfig({ DATABASE_URL: DB, LOG_LEVEL: 'silent' }));
await c.migrate();
await generate();
console.log(
  `batch-bench: N=${N}, file ${(statSync(FILE).size / 1e6).toFixed(1)} MB, ${DB.replace(/\/\/[^@]*@/, '//')}, node ${process.version}`,
);

line('analyses import (empty db)', await cli(['analyses', 'import', FILE, '--json']), N);
line('analyses import (all skipped)', await cli(['analyses', 'import', FILE, '--json']), N);
// A tenth of the analyses get progress: two opportunities implemented, so three badges each are due.
await c.db.raw(
  `INSERT INTO user_progress (analysis_id, opportunity_id, opportunity_category, status, implemented_at)
  SELECT a.id, o.k, o.k, 'IMPLEMENTED', a.created_at + interval '1 day'
  FROM (SELECT id, created_at FROM analyses ORDER BY id LIMIT ?) a CROSS JOIN (VALUES ('digital_presence'), ('value_creation')) AS o(k)`,
  [Math.ceil(N / 10)],
);
const first = await cli(['badges', 'reevaluate', '--all', '--json']);
line('badges reevaluate --all', first, N);
console.log(`${''.padEnd(34)} ${first.stdout.replace(/\s+/g, ' ').trim()}`);
line('badges reevaluate --all (again)', await cli(['badges', 'reevaluate', '--all', '--json']), N);
await c.close();

for (const args of [['--version'], ['--help'], ['analyses', 'list', '--limit', '1']]) {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await cli(args));
  const times = runs.map((r) => r.seconds).sort((a, b) => a - b);
  console.log(
    `start-up: ${args.join(' ').padEnd(24)} median ${times[Math.floor(times.length / 2)]?.toFixed(2)} s, min ${times[0]?.toFixed(2)} s, max ${times.at(-1)?.toFixed(2)} s over ${RUNS} runs`,
  );
}
console.log(
  `load average: ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (the machine is shared; figures are noisy)`,
);
