/**
 * The soak's clients: each owns a few analyses (so it alone writes them) and loops over reads, progress
 * writes read back at once, subscribes and PDFs, through the load balancer. Every request comes from a
 * random client IP (X-Forwarded-For, documentation ranges) so the per-IP limit does not refuse the mix.
 */
import { request } from 'node:http';

export type Sample = { kind: string; phase: string; ms: number; status: number; retryAfter: boolean; at: number };
type Expected = { possible: Set<string>; ackAt: number };

const OPPORTUNITY = 'digital_presence';

export type Outcome = { status: number; body: string; retryAfter: boolean };

/** One HTTP request with its own deadline; a network error or a timeout is status 0. */
export function call(
  base: URL,
  method: string,
  path: string,
  ip: string,
  body?: unknown,
  timeoutMs = 15_000,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: {
          'x-forwarded-for': ip,
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            retryAfter: res.headers['retry-after'] !== undefined,
          }),
        );
        res.on('error', () => resolve({ status: 0, body: '', retryAfter: false }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: '', retryAfter: false }));
    req.end(payload);
  });
}

const randomIp = () =>
  `${['203.0.113', '198.51.100', '192.0.2'][Math.floor(Math.random() * 3)]}.${Math.floor(Math.random() * 256)}`;

export class Traffic {
  readonly samples: Sample[] = [];
  readonly expected = new Map<string, Expected>();
  staleReads: {
    analysis: string;
    saw: string;
    expected: string[];
    phase: string;
    readStart: number;
    ackAt: number;
  }[] = [];
  acknowledgedWrites = 0;
  subscribes = 0;
  private stopAt = 0;

  constructor(
    private readonly base: URL,
    private readonly phaseAt: (t: number) => string,
  ) {}

  private async timed(
    kind: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Outcome & { start: number }> {
    const start = Date.now();
    const out = await call(this.base, method, path, randomIp(), body);
    this.samples.push({
      kind,
      phase: this.phaseAt(start),
      ms: Date.now() - start,
      status: out.status,
      retryAfter: out.retryAfter,
      at: start,
    });
    return { ...out, start };
  }

  /** Reads the dashboard and checks it shows what the last acknowledged write left, if the read began after it. */
  async readBack(analysis: string, kind = 'read'): Promise<void> {
    const r = await this.timed(kind, 'GET', `/api/v1/dashboard/${analysis}`);
    if (r.status !== 200) return;
    const exp = this.expected.get(analysis);
    if (!exp || r.start < exp.ackAt) return;
    const opp = (
      JSON.parse(r.body) as { opportunities: { opportunity_id: string; status: string }[] }
    ).opportunities.find((o) => o.opportunity_id === OPPORTUNITY);
    const saw = opp?.status ?? 'missing';
    if (!exp.possible.has(saw)) {
      this.staleReads.push({
        analysis,
        saw,
        expected: [...exp.possible],
        phase: this.phaseAt(r.start),
        readStart: r.start,
        ackAt: exp.ackAt,
      });
    }
  }

  private async write(analysis: string): Promise<void> {
    const exp = this.expected.get(analysis) ?? { possible: new Set(['NOT_STARTED']), ackAt: 0 };
    const current = exp.possible.size === 1 ? [...exp.possible][0] : 'NOT_STARTED';
    const next = current === 'IN_PROGRESS' ? 'NOT_STARTED' : 'IN_PROGRESS';
    const r = await this.timed('write', 'POST', `/api/v1/dashboard/${analysis}/progress`, {
      opportunity_id: OPPORTUNITY,
      status: next,
    });
    if (r.status === 200 || r.status === 201) {
      this.acknowledgedWrites += 1;
      this.expected.set(analysis, { possible: new Set([next]), ackAt: Date.now() });
      await this.readBack(analysis, 'read-back');
    } else {
      // Not acknowledged: it may or may not have committed, until the next acknowledged write.
      this.expected.set(analysis, { possible: new Set([...exp.possible, next]), ackAt: exp.ackAt });
    }
  }

  private async client(owned: string[], n: number): Promise<void> {
    let i = 0;
    while (Date.now() < this.stopAt) {
      const analysis = owned[i++ % owned.length]!;
      const roll = Math.random();
      if (roll < 0.55) await this.readBack(analysis);
      else if (roll < 0.8) await this.write(analysis);
      else if (roll < 0.87) await this.timed('read', 'GET', `/api/v1/dashboard/${analysis}/badges`);
      else if (roll < 0.92) await this.timed('read', 'GET', `/api/v1/dashboard/${analysis}/recommendations`);
      else if (roll < 0.96) {
        this.subscribes += 1;
        await this.timed('subscribe', 'POST', `/api/v1/dashboard/${analysis}/subscribe`, {
          email: `soak-new-${n}-${i}@soak.test`,
          frequency: 'weekly',
        });
      } else await this.timed('pdf', 'GET', `/api/v1/dashboard/${analysis}/report.pdf`);
    }
  }

  /** Runs `clients` loops, each over its own share of `analyses`, until `durationMs` has passed. */
  async run(analyses: string[], clients: number, durationMs: number): Promise<void> {
    this.stopAt = Date.now() + durationMs;
    const shares = Array.from({ length: clients }, (_, c) => analyses.filter((_, k) => k % clients === c));
    await Promise.all(shares.map((owned, c) => this.client(owned, c)));
  }
}

/** Sends `count` reads from one client IP, 8 at a time; how many were admitted (not 429). */
export async function limitProbe(base: URL, analysis: string, count: number, ip: string): Promise<number> {
  let admitted = 0;
  let sent = 0;
  const worker = async () => {
    while (sent < count) {
      sent += 1;
      const r = await call(base, 'GET', `/api/v1/dashboard/${analysis}`, ip);
      if (r.status !== 429) admitted += 1;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return admitted;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
