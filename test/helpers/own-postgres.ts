import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './redis-server.js';

const BIN = (() => {
  const root = '/usr/lib/postgresql';
  const [version] = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return path.join(root, version ?? '', 'bin');
})();

// initdb refuses to run as root: the server then runs as the `postgres` system user.
const asUser = (): { uid?: number; gid?: number } => {
  if (process.getuid?.() !== 0) return {};
  return { uid: Number(execFileSync('id', ['-u', 'postgres'])), gid: Number(execFileSync('id', ['-g', 'postgres'])) };
};

/** A throwaway PostgreSQL server of this test's own (initdb in a temp dir, a spare port) that the test may freeze. */
export class OwnPostgres {
  private constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  static async start(): Promise<OwnPostgres> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'visionaire-pg-'));
    const user = asUser();
    if (user.uid !== undefined) chownSync(dir, user.uid, user.gid!);
    const data = path.join(dir, 'data');
    execFileSync(path.join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8'], {
      ...user,
      stdio: 'ignore',
    });
    const port = await freePort();
    const args = [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'max_connections=40',
    ];
    const child = spawn(path.join(BIN, 'postgres'), args, { ...user, stdio: 'ignore' });
    const server = new OwnPostgres(dir, port, child);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const client = new pg.Client({ connectionString: server.url });
      try {
        await client.connect();
        await client.end();
        return server;
      } catch (err) {
        await client.end().catch(() => undefined);
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private pids(): number[] {
    const pid = this.child.pid!;
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)])
      .toString()
      .split('\n')
      .map(Number)
      .filter((n) => n > 0);
    return [pid, ...children];
  }

  /** SIGSTOP on the postmaster and every backend: connections stay open but nothing answers (a hung database). */
  freeze(): void {
    for (const pid of this.pids()) process.kill(pid, 'SIGSTOP');
  }

  /** SIGCONT: the server answers again. */
  thaw(): void {
    for (const pid of this.pids()) process.kill(pid, 'SIGCONT');
  }

  /** Fast shutdown, then the temp dir goes. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      this.thaw();
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGINT');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
