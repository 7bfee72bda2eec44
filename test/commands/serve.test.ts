import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { runCli, spawnCli, tempDir, waitForOutput } from '../helpers/cli.js';
import { freePort } from '../helpers/redis-server.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';

const DEMO = '550e8400-e29b-41d4-a716-446655440000';

describe('visionaire serve (embedded mode)', function () {
  this.timeout(90_000);
  let child: ChildProcess | null = null;
  afterEach(() => child?.kill('SIGKILL'));

  it('migrates, seeds the demo analysis, prints URL and mode, and serves it', async () => {
    const dataDir = tempDir('serve');
    const port = await freePort();
    child = spawnCli(['serve'], { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SCHEDULER: 'off' });
    const banner = await waitForOutput(child, /listening on/, 60_000);
    expect(banner).to.match(new RegExp(`http://127\\.0\\.0\\.1:${port}`));
    expect(banner).to.match(/embedded mode/);

    const res = await fetch(`http://127.0.0.1:${port}/api/v1/dashboard/${DEMO}`);
    expect(res.status).to.equal(200);
    const body = (await res.json()) as {
      error: string;
      detail: string;
      identity: { company_name: string };
      opportunities: { hours_per_week: number }[];
    };
    expect(body.identity.company_name).to.equal('Example Inc.');
    expect(body.opportunities.map((o: { hours_per_week: number }) => o.hours_per_week)).to.deep.equal([5, 8, 2]);

    // A second process on the same data directory is refused with a clear message.
    const second = await runCli(['serve'], { DATA_DIR: dataDir, PORT: String(await freePort()) });
    expect(second.code).to.equal(2);
    expect(second.stderr).to.match(/in use by process \d+[\s\S]*DATABASE_URL/);

    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
    child = null;
  });
});

describe('visionaire serve (production mode)', function () {
  this.timeout(60_000);

  it('refuses to start without an ADMIN_TOKEN, and says how to make one', async () => {
    const res = await runCli(['serve'], {
      DATABASE_URL: TEST_DATABASE_URL,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      SCHEDULER: 'off',
    });
    expect(res.code).to.equal(2);
    const message = res.stderr.replace(/\s*›\s*/g, ' ').replace(/\s+/g, ' '); // oclif wraps long errors
    expect(message).to.match(/ADMIN_TOKEN is required.*openssl rand -hex 32/);
    expect(res.stdout).to.not.match(/listening on/);
  });
});
