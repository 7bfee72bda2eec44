import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { cliCommandIds, runCliWithin, tempDir, type DeadlineResult } from '../helpers/cli.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/env.js';
import { freePort } from '../helpers/redis-server.js';

/**
 * The watchdog: every error path of every command, run as a real process with stdin at /dev/null
 * (as in cron), must end by itself, with a non-zero status and one line saying why (and, under
 * --json, the `{error, detail}` document on stdout). A command in the oclif manifest without a
 * case here fails the suite: a new command adds its error paths to CASES.
 */

/** Well-formed and unknown everywhere. */
const UNKNOWN = '11111111-1111-4111-8111-111111111111';
/** Generous: a hang is a process still running after this; a healthy error path ends in seconds. */
const DEADLINE_MS = 90_000;

type Ctx = {
  pg: Record<string, string>;
  /** Production mode with everything emails need. */
  mail: Record<string, string>;
  dbDown: Record<string, string>;
  redisDown: string;
  closedUrl: string;
  busyPort: number;
  dir: string;
};
type Case = {
  /** The error path, as the test name says it. */
  what: string;
  args: (x: Ctx) => string[];
  env: (x: Ctx) => Record<string, string>;
  exit: 1 | 2;
  error: string;
  detail?: RegExp;
  /** A command that finished but failed in part prints its result on stdout, then the error line on stderr. */
  partial?: boolean;
  /** Which outputs to check; by default the plain line, and the JSON document for a command's first case. */
  modes?: ('plain' | 'json')[];
};

const c = (what: string, exit: 1 | 2, error: string, args: Case['args'], env: Case['env'], more: Partial<Case> = {}) =>
  ({ what, exit, error, args, env, ...more }) satisfies Case;

const CASES: Record<string, Case[]> = {
  'analyses:import': [
    c(
      'a missing file',
      2,
      'INVALID_INPUT',
      () => ['analyses', 'import', 'missing.ndjson'],
      (x) => x.pg,
    ),
    c(
      'rows that fail',
      1,
      'ROWS_FAILED',
      (x) => ['analyses', 'import', path.join(x.dir, 'bad.ndjson')],
      (x) => x.pg,
      {
        partial: true,
      },
    ),
  ],
  'analyses:list': [
    c(
      'a filter that matches nothing',
      2,
      'NOT_FOUND',
      () => ['analyses', 'list', '--url-contains', 'no-such-site-9f3e'],
      (x) => x.pg,
    ),
    c(
      'an unreachable database',
      1,
      'SERVICE_UNAVAILABLE',
      () => ['analyses', 'list'],
      (x) => x.dbDown,
    ),
  ],
  'analyses:show': [
    c(
      'an unknown id',
      2,
      'NOT_FOUND',
      () => ['analyses', 'show', UNKNOWN],
      (x) => x.pg,
    ),
    c(
      'a malformed id',
      2,
      'INVALID_INPUT',
      () => ['analyses', 'show', 'nope'],
      (x) => x.pg,
    ),
  ],
  'badges:reevaluate': [
    c(
      'an unknown analysis',
      2,
      'NOT_FOUND',
      () => ['badges', 'reevaluate', '--analysis', UNKNOWN],
      (x) => x.pg,
    ),
  ],
  'cache:clear': [
    c(
      'Redis unreachable',
      1,
      'SERVICE_UNAVAILABLE',
      () => ['cache', 'clear'],
      (x) => ({ ...x.pg, REDIS_URL: x.redisDown }),
      {
        detail: /Redis is unreachable/,
      },
    ),
    c(
      'no REDIS_URL',
      2,
      'INVALID_CONFIG',
      () => ['cache', 'clear'],
      (x) => x.pg,
    ),
  ],
  'cache:stats': [
    c(
      'Redis unreachable',
      1,
      'SERVICE_UNAVAILABLE',
      () => ['cache', 'stats'],
      (x) => ({ ...x.pg, REDIS_URL: x.redisDown }),
      {
        detail: /Redis is unreachable/,
      },
    ),
    c(
      'no REDIS_URL',
      2,
      'INVALID_CONFIG',
      () => ['cache', 'stats'],
      (x) => x.pg,
    ),
  ],
  console: [
    c(
      'an unreachable service',
      1,
      'SERVICE_UNAVAILABLE',
      (x) => ['console', '--once', '--url', x.closedUrl],
      () => ({}),
      {
        detail: /service unreachable/,
      },
    ),
    c(
      'no terminal for the live console',
      2,
      'INVALID_INPUT',
      (x) => ['console', '--url', x.closedUrl],
      () => ({}),
      {
        modes: ['plain'],
      },
    ),
    c(
      'a malformed --url',
      2,
      'INVALID_INPUT',
      () => ['console', '--once', '--url', 'nowhere'],
      () => ({}),
    ),
  ],
  migrate: [
    c(
      'rollback with no terminal to confirm on (embedded)',
      2,
      'INVALID_INPUT',
      () => ['migrate', 'rollback'],
      (x) => ({ DATA_DIR: x.dir }),
      {
        detail: /no terminal.*--yes/,
      },
    ),
    c(
      'an unknown action',
      2,
      'INVALID_INPUT',
      () => ['migrate', 'sideways'],
      (x) => x.pg,
    ),
    c(
      'the drill without PostgreSQL',
      2,
      'INVALID_CONFIG',
      () => ['migrate', 'drill'],
      (x) => ({ DATA_DIR: x.dir }),
    ),
    c(
      'an unreachable database',
      1,
      'SERVICE_UNAVAILABLE',
      () => ['migrate', 'status'],
      (x) => x.dbDown,
    ),
  ],
  'reports:export': [
    c(
      'an unknown analysis',
      2,
      'NOT_FOUND',
      (x) => ['reports', 'export', UNKNOWN, '-o', path.join(x.dir, 'r.pdf')],
      (x) => x.pg,
    ),
    c(
      '-o - with --json',
      2,
      'INVALID_INPUT',
      () => ['reports', 'export', UNKNOWN, '-o', '-'],
      (x) => x.pg,
      {
        modes: ['json'],
        detail: /--json/,
      },
    ),
    c(
      'an output directory that does not exist',
      2,
      'INVALID_INPUT',
      (x) => ['reports', 'export', UNKNOWN, '-o', path.join(x.dir, 'no', 'r.pdf')],
      (x) => x.pg,
    ),
    c(
      'unknown sections',
      2,
      'INVALID_INPUT',
      () => ['reports', 'export', UNKNOWN, '-o', 'r.pdf', '--sections', 'nope'],
      (x) => x.pg,
    ),
  ],
  'reports:preview': [
    c(
      'an unknown analysis',
      2,
      'NOT_FOUND',
      () => ['reports', 'preview', UNKNOWN, '-o', '-'],
      (x) => x.pg,
    ),
    c(
      'an output directory that does not exist',
      2,
      'INVALID_INPUT',
      (x) => ['reports', 'preview', UNKNOWN, '-o', path.join(x.dir, 'no', 'r.html')],
      (x) => x.pg,
    ),
  ],
  'reports:retry': [
    c(
      'a malformed period',
      2,
      'INVALID_INPUT',
      () => ['reports', 'retry', '--period', 'garbage'],
      (x) => x.mail,
      {
        detail: /period must be/,
      },
    ),
    c(
      'an unknown delivery id',
      2,
      'NOT_FOUND',
      () => ['reports', 'retry', '--id', UNKNOWN],
      (x) => x.mail,
    ),
    c(
      'a period with no failure',
      2,
      'NOT_FOUND',
      () => ['reports', 'retry', '--period', '1999-W01', '--dry-run'],
      (x) => x.mail,
    ),
    c(
      'production without what emails need',
      2,
      'INVALID_CONFIG',
      () => ['reports', 'retry'],
      (x) => ({ ...x.pg, REDIS_URL: TEST_REDIS_URL }),
    ),
  ],
  'reports:send': [
    c(
      'production without what emails need, Redis up',
      2,
      'INVALID_CONFIG',
      () => ['reports', 'send'],
      (x) => ({ ...x.pg, REDIS_URL: TEST_REDIS_URL }),
      {
        detail: /UNSUBSCRIBE_SECRET/,
      },
    ),
    c(
      'an unreachable database',
      1,
      'SERVICE_UNAVAILABLE',
      () => ['reports', 'send', '--dry-run'],
      (x) => x.dbDown,
    ),
  ],
  scheduler: [
    c(
      'production without what emails need, Redis up',
      2,
      'INVALID_CONFIG',
      () => ['scheduler'],
      (x) => ({ ...x.pg, REDIS_URL: TEST_REDIS_URL }),
    ),
  ],
  serve: [
    c(
      'production without ADMIN_TOKEN, Redis up',
      2,
      'INVALID_CONFIG',
      () => ['serve'],
      (x) => ({ ...x.mail, REDIS_URL: TEST_REDIS_URL }),
      {
        detail: /ADMIN_TOKEN is required/,
      },
    ),
    c(
      'a port already in use',
      2,
      'INVALID_CONFIG',
      () => ['serve'],
      (x) => ({
        ...x.mail,
        REDIS_URL: TEST_REDIS_URL,
        ADMIN_TOKEN: 'watchdog-admin-token-0123456789',
        HOST: '127.0.0.1',
        PORT: String(x.busyPort),
      }),
      { detail: /address is in use/ },
    ),
  ],
  'deliveries:list': [
    c(
      'an unknown state',
      2,
      'INVALID_INPUT',
      () => ['deliveries', 'list', '--status', 'lost'],
      (x) => x.pg,
    ),
    c(
      'an unreachable database',
      1,
      'SERVICE_UNAVAILABLE',
      () => ['deliveries', 'list'],
      (x) => x.dbDown,
    ),
  ],
  'keys:generate': [
    c(
      'an unreachable database',
      1,
      'SERVICE_UNAVAILABLE',
      () => ['keys', 'generate'],
      (x) => x.dbDown,
    ),
  ],
  'privacy:erase': [
    c(
      'no --yes',
      2,
      'INVALID_INPUT',
      () => ['privacy', 'erase', '--email', 'someone@example.com'],
      (x) => x.pg,
      { detail: /--yes/ },
    ),
    c(
      'no --email',
      2,
      'INVALID_INPUT',
      () => ['privacy', 'erase', '--yes'],
      (x) => x.pg,
    ),
  ],
  'privacy:export': [
    c(
      'no --email',
      2,
      'INVALID_INPUT',
      () => ['privacy', 'export'],
      (x) => x.pg,
    ),
    c(
      'an unreachable database',
      1,
      'SERVICE_UNAVAILABLE',
      () => ['privacy', 'export', '--email', 'someone@example.com'],
      (x) => x.dbDown,
    ),
  ],
  'subscriptions:list': [
    c(
      'an unknown state',
      2,
      'INVALID_INPUT',
      () => ['subscriptions', 'list', '--status', 'asleep'],
      (x) => x.pg,
    ),
    c(
      'an unreachable database',
      1,
      'SERVICE_UNAVAILABLE',
      () => ['subscriptions', 'list'],
      (x) => x.dbDown,
    ),
  ],
  'subscriptions:show': [
    c(
      'an unknown id',
      2,
      'NOT_FOUND',
      () => ['subscriptions', 'show', UNKNOWN],
      (x) => x.pg,
    ),
    c(
      'a malformed id',
      2,
      'INVALID_INPUT',
      () => ['subscriptions', 'show', 'nope'],
      (x) => x.pg,
    ),
  ],
  'subscriptions:resend-confirmation': [
    c(
      'an unknown id',
      2,
      'NOT_FOUND',
      () => ['subscriptions', 'resend-confirmation', UNKNOWN],
      (x) => x.pg,
    ),
  ],
  'subscriptions:reactivate': [
    c(
      'an unknown id',
      2,
      'NOT_FOUND',
      () => ['subscriptions', 'reactivate', UNKNOWN],
      (x) => x.pg,
    ),
    c(
      'a malformed id',
      2,
      'INVALID_INPUT',
      () => ['subscriptions', 'reactivate', 'nope'],
      (x) => x.pg,
    ),
  ],
};

/** Not commands: what oclif does with a command it does not know. */
const UNKNOWN_COMMANDS: Case[] = [
  c(
    'an unknown command',
    2,
    'INVALID_INPUT',
    () => ['nope'],
    () => ({}),
    { modes: ['plain', 'json'], detail: /nope is not a visionaire command/ },
  ),
  c(
    'an unknown command in a topic',
    2,
    'INVALID_INPUT',
    () => ['reports', 'exprt'],
    () => ({}),
    {
      modes: ['plain', 'json'],
      detail: /reports exprt is not a visionaire command; see visionaire help reports/,
    },
  ),
];

type Run = { name: string; kase: Case; mode: 'plain' | 'json'; result?: DeadlineResult };

/** Runs at most `width` at a time. */
async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

describe('watchdog: every error path of every command ends, non-zero, with one line', function () {
  this.timeout(15 * 60_000);
  let busy: Server;
  const runs: Run[] = [];
  for (const [id, cases] of [...Object.entries(CASES), ['(unknown)', UNKNOWN_COMMANDS] as const]) {
    cases.forEach((kase, i) => {
      for (const mode of kase.modes ?? (i === 0 ? ['plain', 'json'] : ['plain'])) {
        runs.push({ name: `${id}: ${kase.what}${mode === 'json' ? ' (--json)' : ''}`, kase, mode });
      }
    });
  }

  before(async () => {
    const dir = tempDir('watchdog');
    writeFileSync(path.join(dir, 'bad.ndjson'), '{"url":"not a url","results_summary":{}}\n');
    busy = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => busy.once('listening', resolve));
    const pg = { DATABASE_URL: TEST_DATABASE_URL };
    const ctx: Ctx = {
      pg,
      mail: { ...pg, UNSUBSCRIBE_SECRET: 'watchdog-secret-0123456789', MAIL_POSTAL_ADDRESS: '1 rue du Test, Montréal' },
      dbDown: { DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/visionaire` },
      redisDown: `redis://127.0.0.1:${await freePort()}`,
      closedUrl: `http://127.0.0.1:${await freePort()}`,
      busyPort: (busy.address() as { port: number }).port,
      dir,
    };
    await pool(runs, 4, async (run) => {
      const args = [...run.kase.args(ctx), ...(run.mode === 'json' ? ['--json'] : [])];
      run.result = await runCliWithin(args, run.kase.env(ctx), DEADLINE_MS);
    });
  });
  after(() => busy?.close());

  it('has error cases for every command in the oclif manifest, and for no command that is not in it', () => {
    expect(Object.keys(CASES).sort()).to.deep.equal(cliCommandIds().sort());
  });

  for (const run of runs) {
    it(run.name, () => {
      const r = run.result!;
      const { kase } = run;
      const shown = `exit ${r.code} ${r.signal ?? ''}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
      expect(r.killed, `still running after ${DEADLINE_MS} ms\n${shown}`).to.equal(false);
      expect(r.code, shown).to.equal(kase.exit);
      const detail = kase.detail ?? /\S/;
      if (run.mode === 'json' && !kase.partial) {
        const body = JSON.parse(r.stdout) as Record<string, string>;
        expect(Object.keys(body), shown).to.deep.equal(['error', 'detail']);
        expect(body.error, shown).to.equal(kase.error);
        expect(body.detail, shown).to.match(detail);
        expect(r.stderr, shown).to.equal('');
        return;
      }
      // A partial failure may have reported progress first; its error is the last line.
      const lines = r.stderr.split('\n').filter(Boolean);
      if (!kase.partial) expect(lines, shown).to.have.length(1);
      const line = lines.at(-1) ?? '';
      expect(line, shown).to.match(new RegExp(`^${kase.error}: `));
      expect(line.slice(kase.error.length + 2), shown).to.match(detail);
      expect(
        lines.filter((l) => /^[A-Z_]+: /.test(l)),
        shown,
      ).to.have.length(1);
      if (kase.partial && run.mode === 'json') expect(() => JSON.parse(r.stdout) as unknown, shown).to.not.throw();
      else if (!kase.partial) expect(r.stdout, shown).to.equal('');
    });
  }
});
