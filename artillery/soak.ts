/**
 * The soak: 3 API instances and 1 scheduler over one PostgreSQL and one Redis, behind HAProxy (round robin,
 * health checks on /api/v1/health), driven with mixed traffic for SOAK_SECONDS (at least 60) while faults
 * are injected: an instance SIGKILLed and restarted, Redis frozen for 5 s, Redis restarted empty, and the
 * database's connections cut for 5 s. Prints a table, writes artillery/results/soak.json, and exits 1
 * when an acknowledged write was lost, a read was stale, a 5xx other than a 503-with-Retry-After during the
 * database outage was seen, the per-IP limit over-admitted by more than 10 %, or a due report was not sent
 * exactly once.
 *
 *   npm run soak          (needs haproxy: apt-get install haproxy; skips with a message without it)
 *
 * Talks to 127.0.0.1 only. PostgreSQL: SOAK_DATABASE_URL (recreated; default visionaire_soak on the local
 * server). Redis: a redis-server of its own on a spare port. SMTP: a local sink.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { createContainer } from '../src/container.js';
import { DEMO_RESULTS } from '../src/db/demo-seed.js';
import { ensureDatabase } from '../test/helpers/postgres.js';
import { freePort, OwnRedis } from '../test/helpers/redis-server.js';
import { startSmtpSink } from '../test/helpers/smtp.js';
import { haproxyConfig } from './soak/haproxy.js';
import { TcpGate } from './soak/tcp-gate.js';
import { call, limitProbe, percentile, Traffic } from './soak/traffic.js';

const env = process.env;
const SECONDS = Math.max(60, Number(env.SOAK_SECONDS ?? 75));
const CLIENTS = Number(env.SOAK_CLIENTS ?? 12);
const ANALYSES = Number(env.SOAK_ANALYSES ?? 48);
const DUE = Number(env.SOAK_DUE_SUBSCRIPTIONS ?? 30);
const LIMIT = Number(env.SOAK_RATE_LIMIT ?? 100);
const DB = env.SOAK_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/visionaire_soak';
const root = path.resolve(import.meta.dirname, '..');
const results = path.join(root, 'artillery', 'results');
const work = mkdtempSync(path.join(os.tmpdir(), 'visionaire-soak-'));
const ADMIN_TOKEN = 'soak-admin-token-0123456789abcdef';

if (spawnSync('haproxy', ['-v']).error) {
  console.log('soak: skipped — haproxy is not installed (Debian: apt-get install haproxy)');
  process.exit(0);
}

const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(name: string, args: string[], extra: Record<string, string>): ChildProcess {
  const log = createWriteStream(path.join(work, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [path.join(root, 'bin/run.js'), ...args], {
    cwd: root,
    env: { PATH: env.PATH ?? '', ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Waits for /health to answer 200; throws (or, with `soft`, returns the last answer) past the deadline. */
async function waitHealthy(port: number, ms = 30_000, soft = false): Promise<string> {
  const base = new URL(`http://127.0.0.1:${port}`);
  const deadline = Date.now() + ms;
  let last = '';
  while (Date.now() < deadline) {
    const r = await call(base, 'GET', '/api/v1/health', '127.0.0.1', undefined, 1000);
    if (r.status === 200) return 'healthy';
    last = `${r.status} ${r.body.slice(0, 200)}`;
    await sleep(200);
  }
  if (soft) return `not healthy after ${ms / 1000} s (last answer: ${last})`;
  throw new Error(`port ${port} did not become healthy (logs in ${work}); last answer: ${last}`);
}

/** CPU seconds (user + system) and resident memory of a process, from /proc. */
function usage(pid: number): { cpuS: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuS: (Number(stat[11]) + Number(stat[12])) / 100, rssMb: rssKb / 1024 };
}

// ---- set-up: database, seed, services -------------------------------------------------------------
await ensureDatabase(DB, { fresh: true });
const seed = createContainer(loadConfig({ DATABASE_URL: DB, LOG_LEVEL: 'warn' }));
await seed.migrate();
const analyses: string[] = [];
for (let i = 0; i < ANALYSES; i++) {
  const r = await seed.analyses.createAnalysis({ url: `https://soak-${i}.example.org`, results_summary: DEMO_RESULTS });
  analyses.push(r.analysis_id);
}
await seed.close();
const sql = new pg.Client({ connectionString: DB });
await sql.connect();
// Subscriptions confirmed 40 days ago: each one's current weekly period is due (catch-up window of 31 days).
for (let i = 0; i < DUE; i++) {
  await sql.query(
    `INSERT INTO email_subscriptions (analysis_id, email, frequency, active, created_at, consent_requested_at, confirmed_at)
     VALUES ($1, $2, 'weekly', true, now() - interval '40 days', now() - interval '40 days', now() - interval '40 days')`,
    [analyses[i % analyses.length], `due-${i}@soak.test`],
  );
}

const redis = await OwnRedis.start();
const smtp = await startSmtpSink();
const gate = await TcpGate.open(Number(new URL(DB).port || 5432));
const viaGate = new URL(DB);
viaGate.port = String(gate.port);
const lbPort = await freePort();
const apiPorts = [await freePort(), await freePort(), await freePort()];
const common = {
  DATABASE_URL: viaGate.toString(),
  REDIS_URL: redis.url,
  SMTP_URL: smtp.url,
  PUBLIC_URL: `http://127.0.0.1:${lbPort}`,
  UNSUBSCRIBE_SECRET: 'soak-unsubscribe-secret-0123456789',
  ADMIN_TOKEN,
  MAIL_POSTAL_ADDRESS: '1000 rue Sherbrooke Ouest, Montréal (Québec)',
  LOG_LEVEL: 'warn',
  DB_ACQUIRE_TIMEOUT_MS: '1000',
};
const apiEnv = (i: number) => ({
  ...common,
  PORT: String(apiPorts[i]),
  HOST: '127.0.0.1',
  SCHEDULER: 'off',
  TRUST_PROXY: 'true',
  RATE_LIMIT_PER_MINUTE: String(LIMIT),
  PDF_WORKERS: '1',
});
const api: ChildProcess[] = apiPorts.map((_, i) => start(`api${i + 1}`, ['serve'], apiEnv(i)));
await Promise.all(apiPorts.map((p) => waitHealthy(p)));
const haproxy = spawn('haproxy', ['-db', '-f', haproxyConfig(work, lbPort, apiPorts)], { stdio: 'ignore' });
children.add(haproxy);
const lb = new URL(`http://127.0.0.1:${lbPort}`);
await waitHealthy(lbPort);
await sleep(2500); // every backend passes its first checks

// ---- the run: traffic and faults on one timeline ----------------------------------------------------
const PHASES: [string, number][] = [
  ['warm', 0],
  ['instance-kill', 10],
  ['redis-freeze', 20],
  ['redis-restart', 30],
  ['db-outage', 40],
  ['calm', 52],
];
const t0 = Date.now();
const phaseAt = (t: number) => PHASES.filter(([, s]) => (t - t0) / 1000 >= s).at(-1)![0];
const traffic = new Traffic(lb, phaseAt);
const at = (s: number, what: () => unknown | Promise<unknown>) =>
  sleep(Math.max(0, t0 + s * 1000 - Date.now())).then(what);
const events: string[] = [];
const log = (e: string) => events.push(`${((Date.now() - t0) / 1000).toFixed(1)} s  ${e}`);

const scheduler = start('scheduler', ['scheduler', '--poll-interval', '1'], {
  ...common,
  REPORT_CATCHUP_HOURS: String(24 * 31),
});
const before = [api[0]!, api[1]!, scheduler].map((c) => usage(c.pid!));
let probeAdmitted = 0;
await Promise.all([
  traffic.run(analyses, CLIENTS, SECONDS * 1000),
  at(3, async () => {
    probeAdmitted = await limitProbe(lb, analyses[0]!, Math.round(LIMIT * 1.5), '198.18.0.77');
    log(`per-IP probe: ${probeAdmitted} of ${Math.round(LIMIT * 1.5)} admitted (limit ${LIMIT}/min)`);
  }),
  at(11, async () => {
    api[2]!.kill('SIGKILL');
    log('SIGKILL api3');
    await sleep(4000);
    api[2] = start('api3', ['serve'], apiEnv(2));
    log(`api3 restarted: ${await waitHealthy(apiPorts[2]!, 20_000, true)}`);
  }),
  at(21, async () => {
    redis.pause();
    log('Redis frozen (SIGSTOP)');
    await sleep(5000);
    redis.resume();
    log('Redis resumed (SIGCONT)');
  }),
  at(31, async () => {
    await redis.kill();
    await redis.restart();
    log('Redis restarted empty');
  }),
  at(41, () => {
    gate.cut(5000);
    log('database connections cut for 5 s');
  }),
]);
const elapsedS = (Date.now() - t0) / 1000;
const after = [api[0]!, api[1]!, scheduler].map((c) => usage(c.pid!));

/** Redis bytes per cached dashboard entry (MEMORY USAGE of each `dashboard:` key, averaged). */
function redisBytesPerDashboard(): number | null {
  const cli = (...args: string[]) =>
    spawnSync('redis-cli', ['-p', String(redis.port), ...args], { encoding: 'utf8' }).stdout.trim();
  const keys = cli('--scan', '--pattern', '*dashboard:*').split('\n').filter(Boolean);
  if (keys.length === 0) return null;
  const sizes = keys.map((k) => Number(cli('MEMORY', 'USAGE', k))).filter((n) => n > 0);
  return sizes.length ? Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length) : null;
}
const bytesPerDashboard = redisBytesPerDashboard();

// ---- checks after the run ---------------------------------------------------------------------------
await sleep(3000);
for (const a of analyses) await traffic.readBack(a, 'final-read');
const { rows } = await sql.query<{ analysis_id: string; status: string }>(
  `SELECT analysis_id, status FROM user_progress WHERE opportunity_id = 'digital_presence'`,
);
const stored = new Map(rows.map((r) => [r.analysis_id, r.status]));
let lostWrites = 0;
for (const [a, exp] of traffic.expected) if (!exp.possible.has(stored.get(a) ?? 'NOT_STARTED')) lostWrites += 1;

const deadline = Date.now() + 90_000;
let pending = 1;
while (pending > 0 && Date.now() < deadline) {
  const r = await sql.query<{ n: string }>(
    `SELECT count(*) AS n FROM report_deliveries WHERE status NOT IN ('sent', 'failed', 'cancelled')`,
  );
  pending = Number(r.rows[0]!.n);
  if (pending > 0) await sleep(1000);
}
const deliveries = await sql.query<{ email: string; n: string; sent: string }>(
  `SELECT s.email, count(d.*) AS n, count(d.*) FILTER (WHERE d.status = 'sent') AS sent
     FROM email_subscriptions s LEFT JOIN report_deliveries d ON d.subscription_id = s.id
    WHERE s.email LIKE 'due-%' GROUP BY s.email`,
);
const reportMails = smtp.received.filter((m) => m.to.some((t) => t.startsWith('due-')));
const mailsTo = (email: string) => reportMails.filter((m) => m.to.includes(email)).length;
const duplicateMails = reportMails.length - new Set(reportMails.map((m) => m.messageId)).size;
const reportProblems = deliveries.rows.filter(
  (d) => Number(d.n) < 1 || Number(d.sent) !== Number(d.n) || mailsTo(d.email) !== Number(d.n),
);
await sql.end();

// ---- figures ----------------------------------------------------------------------------------------
const s = traffic.samples;
const byStatus: Record<string, number> = {};
for (const x of s) byStatus[x.status] = (byStatus[x.status] ?? 0) + 1;
const allowed503 = (x: (typeof s)[number]) => x.status === 503 && x.retryAfter && x.phase === 'db-outage';
const bad5xx = s.filter((x) => (x.status >= 500 || x.status === 0) && !allowed503(x));
const phases = PHASES.map(([name]) => {
  const ms = s
    .filter((x) => x.phase === name && x.kind !== 'final-read')
    .map((x) => x.ms)
    .sort((a, b) => a - b);
  return {
    phase: name,
    requests: ms.length,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
  };
});
const measured = s.filter((x) => x.kind !== 'final-read').length;
const rps = measured / elapsedS;
const perInstance = after.map((a, i) => ({
  process: ['api1', 'api2', 'scheduler'][i],
  cpuS: +(a.cpuS - before[i]!.cpuS).toFixed(2),
  rssMb: +a.rssMb.toFixed(0),
}));
const apiCpu = (perInstance[0]!.cpuS + perInstance[1]!.cpuS) / 2;
const overAdmission = Math.max(0, probeAdmitted - LIMIT) / LIMIT;
const report = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
  settings: { seconds: SECONDS, clients: CLIENTS, analyses: ANALYSES, dueSubscriptions: DUE, limitPerMinute: LIMIT },
  requests: measured,
  rps: +rps.toFixed(1),
  byStatus,
  acknowledgedWrites: traffic.acknowledgedWrites,
  acknowledgedWritesLost: lostWrites,
  staleReads: traffic.staleReads.length,
  staleExamples: traffic.staleReads.slice(0, 5),
  unexpected5xx: bad5xx.length,
  unexpected5xxByPhase: Object.fromEntries(
    PHASES.map(([p]) => [p, bad5xx.filter((x) => x.phase === p).length]).filter(([, n]) => n),
  ),
  phases,
  perIpLimit: { limit: LIMIT, sent: Math.round(LIMIT * 1.5), admitted: probeAdmitted, overAdmission },
  reports: {
    dueSubscriptions: deliveries.rows.length,
    mails: reportMails.length,
    duplicateMails,
    problems: reportProblems,
  },
  cost: {
    perProcess: perInstance,
    // CPU seconds per second of one API instance at its share (a third) of the traffic, scaled to 1,000 req/s.
    apiCoresPer1000Rps: +((apiCpu / elapsedS / (rps / 3)) * 1000).toFixed(2),
    redisBytesPerCachedDashboard: bytesPerDashboard,
  },
  events,
};
mkdirSync(results, { recursive: true });
writeFileSync(path.join(results, 'soak.json'), JSON.stringify(report, null, 2));

const rowsOut = [
  ['requests', `${measured} in ${elapsedS.toFixed(0)} s (${rps.toFixed(0)} req/s)`],
  [
    'by status',
    Object.entries(byStatus)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', '),
  ],
  ['acknowledged writes', String(traffic.acknowledgedWrites)],
  ['acknowledged writes lost', String(lostWrites)],
  ['stale reads after an acknowledged write', String(traffic.staleReads.length)],
  ['5xx other than 503 + Retry-After in the db outage', String(bad5xx.length)],
  [
    'per-IP limit',
    `${probeAdmitted} of ${Math.round(LIMIT * 1.5)} admitted at ${LIMIT}/min (over by ${(overAdmission * 100).toFixed(1)} %)`,
  ],
  [
    'reports',
    `${reportMails.length} mails for ${deliveries.rows.length} due subscriptions, ${duplicateMails} duplicates, ${reportProblems.length} not exactly once`,
  ],
  [
    'cost',
    `${report.cost.apiCoresPer1000Rps} cores per 1,000 req/s per instance; RSS ${perInstance.map((p) => `${p.process} ${p.rssMb} MB`).join(', ')}; Redis ${bytesPerDashboard ?? '?'} B per cached dashboard`,
  ],
];
console.log('\n| figure | value |\n|---|---|');
for (const [k, v] of rowsOut) console.log(`| ${k} | ${v} |`);
console.log('\n| phase | requests | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|');
for (const p of phases) console.log(`| ${p.phase} | ${p.requests} | ${p.p50} | ${p.p95} | ${p.p99} |`);
console.log(`\nevents:\n${events.map((e) => `  ${e}`).join('\n')}\nlogs: ${work}\nJSON: artillery/results/soak.json`);

const passed =
  lostWrites === 0 &&
  traffic.staleReads.length === 0 &&
  bad5xx.length === 0 &&
  overAdmission <= 0.1 &&
  reportProblems.length === 0 &&
  duplicateMails === 0 &&
  deliveries.rows.length === DUE;
console.log(passed ? 'soak: passed' : 'soak: FAILED');
for (const c of children) c.kill('SIGTERM');
await Promise.all([smtp.close(), gate.close(), redis.stop()]);
process.exit(passed ? 0 : 1);
