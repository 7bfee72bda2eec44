import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { spawnCli } from '../helpers/cli.js';
import { SPEC_RESULTS, uniqueUrl } from '../helpers/fixtures.js';
import { useContainer } from '../helpers/harness.js';
import { freePort } from '../helpers/redis-server.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';

type Answer = { status: number; connection: string | undefined } | { error: string };

function send(
  port: number,
  agent: Agent,
  method: string,
  path: string,
  body?: unknown,
  written?: () => void,
): Promise<Answer> {
  const payload = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
        res.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
      },
    );
    req.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
    // The whole request is on the wire once it is written and its socket is connected.
    if (written)
      req.once('finish', () =>
        req.socket && !req.socket.connecting ? written() : req.socket?.once('connect', written),
      );
    req.end(payload);
  });
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code)),
  );
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const closedBy = (socket: Socket) =>
  new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

describe('visionaire serve shuts down gracefully on SIGTERM (production mode)', function () {
  this.timeout(90_000);
  const t = useContainer('postgres');
  let child: ChildProcess | null = null;
  let port = 0;
  let ids: string[] = [];

  before(async () => {
    ids = [];
    for (let i = 0; i < 10; i++)
      ids.push((await t.c.analyses.createAnalysis({ url: uniqueUrl(), results_summary: SPEC_RESULTS })).analysis_id);
  });

  beforeEach(async () => {
    port = await freePort();
    child = spawnCli(['serve'], {
      DATABASE_URL: TEST_DATABASE_URL,
      PORT: String(port),
      HOST: '127.0.0.1',
      SCHEDULER: 'off',
      SHUTDOWN_GRACE_MS: '1000',
      UNSUBSCRIBE_SECRET: 'shutdown-test-secret-0123456789',
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN: 'shutdown-test-admin-token-0123',
      MAIL_POSTAL_ADDRESS: '1000 rue Sherbrooke Ouest, Montréal',
      RATE_LIMIT_PER_MINUTE: '0',
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        out += d;
        if (/listening on/.test(out)) resolve();
      };
      child!.stdout!.on('data', onData);
      child!.stderr!.on('data', onData);
      child!.once('exit', () => reject(new Error(`serve exited early:\n${out}`)));
    });
  });
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    child = null;
  });

  it('finishes 20 requests in flight (progress posts and PDFs) with 0 failures, answers them Connection: close, and exits 0', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 20 });
    // Open the 20 connections first, so that every request below travels on a connection the server holds.
    const warm = await Promise.all(Array.from({ length: 20 }, () => send(port, agent, 'GET', '/api/v1/health')));
    expect(warm.every((a) => 'status' in a && a.status === 200)).to.equal(true);
    expect(Object.values(agent.freeSockets).flat()).to.have.length(20);
    let sent = 0;
    let allSent: () => void = () => undefined;
    const allWritten = new Promise<void>((resolve) => (allSent = resolve));
    const written = () => ++sent === 20 && allSent();
    const inFlight = ids.flatMap((id, i) => [
      send(
        port,
        agent,
        'POST',
        `/api/v1/dashboard/${id}/progress`,
        { opportunity_id: 'value_creation', status: i % 2 ? 'IN_PROGRESS' : 'IMPLEMENTED' },
        written,
      ),
      send(port, agent, 'GET', `/api/v1/dashboard/${id}/report.pdf`, undefined, written),
    ]);
    await allWritten; // all 20 requests are on the wire: from here on they are in flight
    child!.kill('SIGTERM');
    const answers = await Promise.all(inFlight);
    const code = await exitOf(child!);
    agent.destroy();
    expect(answers.filter((a) => 'error' in a || a.status >= 500)).to.deep.equal([]);
    expect(answers.every((a) => 'status' in a && a.status === 200)).to.equal(true);
    // The answers written after the signal tell the client to close.
    expect(answers.some((a) => 'status' in a && a.connection === 'close')).to.equal(true);
    expect(code).to.equal(0);
  });

  it('exits 0 with an idle keep-alive client, closing its socket at once', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await send(port, agent, 'GET', `/api/v1/dashboard/${ids[0]}`);
    expect(first).to.include({ status: 200 });
    expect(first).to.not.have.property('connection', 'close');
    const socket = Object.values(agent.freeSockets).flat()[0]!;
    const socketClosed = closedBy(socket);
    child!.kill('SIGTERM');
    expect(await exitOf(child!)).to.equal(0);
    await socketClosed;
    agent.destroy();
  });

  it('exits 0 with clients stalled mid-request, closing their sockets after the grace', async () => {
    const halfHeaders = connect(port, '127.0.0.1');
    const halfBody = connect(port, '127.0.0.1');
    await Promise.all([halfHeaders, halfBody].map((s) => new Promise((r) => s.once('connect', r))));
    halfHeaders.write('GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    halfBody.write(
      `POST /api/v1/dashboard/${ids[1]}/progress HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"opportunity_id":`,
    );
    const closed = [halfHeaders, halfBody].map((s) => {
      s.on('error', () => undefined);
      s.resume();
      return closedBy(s);
    });
    await sleep(200);
    child!.kill('SIGTERM');
    expect(await exitOf(child!)).to.equal(0);
    await Promise.all(closed);
    expect(halfBody.destroyed && halfHeaders.destroyed).to.equal(true);
  });

  it('exits 0 under steady keep-alive load; every answer given is a 200 and later connections are refused', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    let stop = false;
    const answers: Answer[] = [];
    const loop = async (i: number) => {
      while (!stop) {
        const a = await send(port, agent, 'GET', `/api/v1/dashboard/${ids[i % ids.length]}`);
        answers.push(a);
        if ('error' in a) await sleep(20); // the listener is gone: refused, as a balancer would see
      }
    };
    const loops = Array.from({ length: 8 }, (_, i) => loop(i));
    while (answers.length < 40) await sleep(20);
    child!.kill('SIGTERM');
    const code = await exitOf(child!);
    stop = true;
    await Promise.all(loops);
    agent.destroy();
    expect(code).to.equal(0);
    const answered = answers.filter((a): a is { status: number; connection: string | undefined } => 'status' in a);
    expect(answered.length).to.be.greaterThan(40);
    expect(answered.filter((a) => a.status !== 200)).to.deep.equal([]);
    // Refused once the listener is gone; reset when a request crosses the server closing an idle keep-alive socket
    // (the race every keep-alive client retries). Never an HTTP error.
    const errors = new Set(answers.flatMap((a) => ('error' in a ? [a.error] : [])));
    expect([...errors].filter((e) => e !== 'ECONNREFUSED' && e !== 'ECONNRESET')).to.deep.equal([]);
  });

  it('exits at once on a second signal', async () => {
    const stalled = connect(port, '127.0.0.1');
    await new Promise((r) => stalled.once('connect', r));
    stalled.on('error', () => undefined);
    stalled.write(
      `POST /api/v1/dashboard/${ids[2]}/progress HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{`,
    );
    await sleep(200);
    child!.kill('SIGTERM');
    await sleep(100);
    child!.kill('SIGTERM');
    // Exit code 143 (128 + SIGTERM) comes from the second signal, not from the drain (which would be 0 after the grace).
    expect(await exitOf(child!)).to.equal(143);
    stalled.destroy();
  });
});
