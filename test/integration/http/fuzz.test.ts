import { expect } from 'chai';
import fc from 'fast-check';
import { Agent, request } from 'node:http';
import { apiRoutes } from '../../../src/http/app.js';
import { api, startHarness, type Harness } from '../../helpers/harness.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { captureLogs } from '../../helpers/log-capture.js';

const TABLES = [
  'analyses',
  'user_progress',
  'progress_events',
  'user_badges',
  'email_subscriptions',
  'report_deliveries',
];
const ADDRESS = /[\w.+-]+@[\w-]+(\.[\w-]+)+/;
const RUNS = 500;
const BATCH = 10; // requests sent at once per run: RUNS × BATCH = 5,000 requests
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

type Req = { method: string; path: string; headers: Record<string, string>; body: Buffer | null };
type Res = { status: number; type: string; text: string };

// Links from emails answer a browser's failure with an HTML page of their own, by design; everything else with JSON.
// Pages for people (links in emails, credential pages): a browser gets an HTML error page.
const EMAILED_LINK = /^\/api\/v1\/(unsubscribe|subscriptions\/confirm|credentials)\//;

// Characters that break things: NUL, lone surrogates, quotes, escapes, RTL marks, astral characters.
const nasty = fc.string({
  maxLength: 24,
  unit: fc.oneof(
    fc.constantFrom(
      '\u0000',
      '\ud800',
      '\udfff',
      '"',
      '\\',
      '{',
      '}',
      '%',
      '\u202e',
      '😀',
      'é',
      ' ',
      '@',
      '.',
      '__proto__',
    ),
    fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
    fc.string({ unit: 'grapheme-ascii', maxLength: 4 }),
  ),
});
const jsonish = (depth: number): fc.Arbitrary<unknown> =>
  fc.anything({
    maxDepth: depth,
    maxKeys: 4,
    key: fc.oneof(
      fc.constantFrom(
        '__proto__',
        'constructor',
        'prototype',
        'email',
        'status',
        'opportunity_id',
        'results_summary',
        'url',
        'frequency',
        'hourly_rate',
      ),
      nasty,
    ),
    values: [nasty, fc.emailAddress(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null)],
  });

const token = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('GET', 'GET', 'GET', 'POST', 'POST', 'POST', 'PUT', 'HEAD', 'OPTIONS') },
  { weight: 1, arbitrary: fc.constantFrom('DELETE', 'PATCH', 'TRACE', 'PROPFIND', 'MKCOL') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Z]{3,9}$/) },
);
/** Mostly absent, sometimes one of `values`. */
const rarely = (values: string[]) =>
  fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...values) });
const encodeSafely = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return 'x%ED%A0%80'; // a lone surrogate has no UTF-8 form: send the bytes a client might
  }
};

function arbitraries(templates: string[], seeded: string, tokens: string[]) {
  const segment = fc.oneof(
    fc.constant(seeded),
    fc.constant(seeded.toUpperCase()),
    fc.uuid(),
    fc.constantFrom(...tokens),
    nasty.map(encodeSafely),
    fc.constantFrom('%00', '%ZZ', '%ED%A0%80', '..%2F..%2Fetc', '%2e%2e', 'x'.repeat(3000), ''),
  );
  const path = fc.oneof(
    {
      weight: 9,
      arbitrary: fc.tuple(fc.constantFrom(...templates), segment).map(([t, s]) => `/api/v1${t.replace(/:\w+/g, s)}`),
    },
    { weight: 1, arbitrary: fc.array(segment, { maxLength: 4 }).map((parts) => `/${parts.join('/')}`) },
  );
  const query = fc.option(
    fc
      .dictionary(
        fc.oneof(fc.constantFrom('sections', 'email', '__proto__', 'prototype', 'to'), nasty),
        fc.oneof(nasty, fc.emailAddress()),
        { maxKeys: 3 },
      )
      .map(
        (q) =>
          `?${Object.entries(q)
            .map(([k, v]) => `${encodeSafely(k)}=${encodeSafely(v)}`)
            .join('&')}`,
      ),
    { nil: '' },
  );
  const body = fc.oneof(
    fc.constant(null),
    jsonish(3).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
    fc
      .record({
        email: fc.oneof(fc.emailAddress(), nasty),
        frequency: nasty,
        opportunity_id: nasty,
        status: nasty,
        hourly_rate: fc.oneof(fc.double(), nasty),
      })
      .map((v) => Buffer.from(JSON.stringify(v))),
    fc.emailAddress().map((e) => Buffer.from(`{"email":"${e}","__proto__":{"admin":true}}`)),
    fc.string().map((s) => Buffer.from(`{"results_summary":{"identity_a1":{"company_name":${JSON.stringify(s)}}}}`)),
    fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
    nasty.map((s) => Buffer.from(s)),
  );
  const headers = fc
    .record({
      'content-type': fc.oneof(
        { weight: 4, arbitrary: fc.constant('application/json') },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'application/json; charset=utf-8',
            'application/json; charset=latin1',
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/xml',
            '*/*',
            'garbage',
          ),
        },
      ),
      'content-encoding': rarely(['gzip', 'br', 'deflate', 'identity', 'x-unknown', 'gzip, br']),
      accept: rarely(['application/json', 'application/pdf', 'text/html', '*/*']),
      'x-request-id': fc.option(fc.stringMatching(/^[\x21-\x7e]{0,80}$/), { nil: undefined }),
      'if-none-match': rarely(['*', '"abc"', 'W/"x"', '']),
    })
    .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>);
  return fc.record({
    method: token,
    path: fc.tuple(path, query).map(([p, q]) => p + q),
    headers,
    body,
  }) as fc.Arbitrary<Req>;
}

function parseOr(text: string, what: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return expect.fail(`not a JSON error body: ${what}`);
  }
}

function send(agent: Agent, base: URL, r: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...r.headers };
    if (r.body) headers['content-length'] = String(r.body.length);
    const req = request(
      { host: base.hostname, port: base.port, method: r.method, path: r.path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(r.body ?? undefined);
  });
}

describe('fuzzing every route with generated requests', function () {
  this.timeout(120_000);
  let h: Harness;
  const logs = captureLogs('debug');

  before(async () => {
    // RATE_LIMIT_PER_MINUTE=0: the per-IP limit would answer nearly everything 429 and hide the routes.
    h = await startHarness('postgres', {
      env: { RATE_LIMIT_PER_MINUTE: '0', UNSUBSCRIBE_SECRET: 'fuzz-unsubscribe-secret-0123456789' },
      overrides: { logger: logs.logger },
    });
  });
  after(() => h?.close());

  const snapshot = async () => {
    const out: Record<string, unknown[]> = {};
    for (const t of TABLES) out[t] = await h.container.db(t).select('*').orderBy('id');
    return JSON.stringify(out);
  };

  it('5,000 requests: no 5xx, the contract error body on every 4xx, no write from a rejected request, no address in the log', async () => {
    const client = api(h.baseUrl);
    const seeded = (await client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS })).body
      .analysis_id as string;
    await client.post(`/dashboard/${seeded}/progress`, { opportunity_id: 'digital_presence', status: 'IN_PROGRESS' });
    await client.post(`/dashboard/${seeded}/subscribe`, { email: 'owner@example.com', frequency: 'weekly' });
    const [sub] = await h.container.db('email_subscriptions').select('id');
    const tokens = [
      h.container.links.sign('unsubscribe', String(sub.id)),
      new URL(h.container.consents.confirmUrl(String(sub.id))).pathname.split('/').pop()!,
    ];
    const templates = apiRoutes(h.container).map((r) => r.path);

    let expected = await snapshot();
    const agent = new Agent({ keepAlive: true, maxSockets: BATCH });
    const base = new URL(h.baseUrl);
    let sent = 0;
    const statuses: Record<number, number> = {};
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbitraries(templates, seeded, tokens), { minLength: BATCH, maxLength: BATCH }),
        async (batch) => {
          const answers = await Promise.all(batch.map((r) => send(agent, base, r)));
          sent += batch.length;
          let wrote = false;
          answers.forEach((res, i) => {
            const r = batch[i]!;
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            const what = `${r.method} ${r.path.slice(0, 200)} → ${res.status} ${res.text.slice(0, 300)}`;
            if (res.status >= 500)
              expect.fail(`${what}\nbody: ${r.body?.toString('utf8').slice(0, 300)}\nlog: ${logs.text().slice(-1500)}`);
            if (res.status >= 200 && res.status < 300 && !SAFE.has(r.method)) wrote = true;
            if (
              res.status >= 400 &&
              r.method !== 'HEAD' &&
              EMAILED_LINK.test(r.path) &&
              res.type.startsWith('text/html')
            ) {
              expect(res.text, what).to.match(/^<!DOCTYPE html>/);
              expect(res.text, what).to.include('Lien invalide');
            } else if (res.status >= 400 && r.method !== 'HEAD') {
              const body = parseOr(res.text, what);
              expect(body, what).to.include.keys('error', 'detail', 'timestamp', 'request_id');
              expect(body.error, what).to.match(/^[A-Z_]+$/);
              expect(body.detail, what).to.be.a('string');
              expect(Number.isNaN(Date.parse(String(body.timestamp))), what).to.equal(false);
            }
          });
          // A generated body may happen to be valid (then the write is legitimate); otherwise nothing may change.
          if (wrote) expected = await snapshot();
          else {
            const now = await snapshot();
            if (now !== expected) {
              const [a, b] = [
                JSON.parse(expected) as Record<string, unknown>,
                JSON.parse(now) as Record<string, unknown>,
              ];
              const changed = TABLES.filter((t) => JSON.stringify(a[t]) !== JSON.stringify(b[t]));
              const rowDiff = (t: string) => {
                const before = new Map((a[t] as { id: string }[]).map((r) => [r.id, JSON.stringify(r)]));
                return (b[t] as { id: string }[])
                  .filter((r) => before.get(r.id) !== JSON.stringify(r))
                  .map((r) => `${before.get(r.id) ?? '(new)'} => ${JSON.stringify(r)}`)
                  .join('; ');
              };
              expect.fail(
                `rejected requests changed ${changed.join(', ')}: ${changed.map(rowDiff).join(' | ').slice(0, 3000)}\n${batch.map((r, i) => `${r.method} ${r.path.slice(0, 120)} → ${answers[i]!.status}`).join('\n')}`,
              );
            }
          }
        },
      ),
      { numRuns: RUNS, endOnFailure: true, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) },
    );
    agent.destroy();

    expect(sent).to.be.at.least(5000);
    expect(Object.keys(statuses).every((s) => Number(s) < 500)).to.equal(true);
    // The generator reaches the handlers, not only the guards in front of them.
    expect(statuses[200] ?? 0, JSON.stringify(statuses)).to.be.greaterThan(100);
    expect(statuses[404] ?? 0, JSON.stringify(statuses)).to.be.greaterThan(50);
    expect(logs.text()).to.not.match(ADDRESS);
  });
});
