import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { cliCommandLine, tempDir } from '../../helpers/cli.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { reportEnv, seedSubscribers } from '../../helpers/reports.js';

const TOKEN = 'operator-token-0123456789';
const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** A tmux server of this test's own (its own socket), holding one 80×24 terminal. */
class Terminal {
  private readonly socket = `visionaire-console-${process.pid}`;
  constructor(script: string) {
    this.tmux('new-session', '-d', '-s', 'console', '-x', '80', '-y', '24', `sh ${script}`);
  }
  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'console');
  }
  /** The screen with its colours (SGR escapes). */
  colours(): string {
    return this.tmux('capture-pane', '-p', '-e', '-t', 'console');
  }
  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'console', ...keys);
  }
  type(text: string): void {
    this.tmux('send-keys', '-t', 'console', '-l', text);
  }
  async waitFor(pattern: RegExp, ms = 20_000): Promise<string> {
    const until = Date.now() + ms;
    for (;;) {
      const screen = this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > until) throw new Error(`${pattern} never showed; the screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

describe('the console binary in an 80×24 terminal, against a running server [postgres]', function () {
  this.timeout(120_000);
  let h: Harness;
  let term: Terminal | null = null;
  before(function () {
    if (!hasTmux) {
      console.log('    tmux is not installed (apt-get install -y tmux): skipping the terminal test of the console');
      this.skip();
    }
  });
  after(async () => {
    term?.close();
    await h?.container.db('worker_heartbeats').delete();
    await h?.close();
  });

  it('shows no scheduler, then the live one; searches, opens a subscription and reactivates it', async () => {
    h = await startHarness('postgres', { env: { ...reportEnv('smtp://127.0.0.1:9'), ADMIN_TOKEN: TOKEN } });
    await h.reset();
    await h.container.db('worker_heartbeats').delete();
    const [sub] = await seedSubscribers(h.container, 1, { company: () => 'Café Nord' });
    await seedSubscribers(h.container, 2, { company: (i) => `Garage ${i}` });
    await h.container.db('email_subscriptions').where('id', sub!.subscriptionId).update({
      active: false,
      suspended_at: h.clock.now(),
      bounce_count: 2,
    });
    const origin = h.baseUrl.replace(/\/api\/v1$/, '');
    const dir = tempDir('console-tty');
    const script = path.join(dir, 'console.sh');
    const [node, ...args] = cliCommandLine(['console', '--url', origin, '--token', TOKEN, '--interval', '1']);
    const quoted = [node!, ...args].map((a) => `'${a}'`).join(' ');
    writeFileSync(
      script,
      // A person's terminal, not a CI log: Ink draws only its last frame when it thinks it runs in CI.
      `cd '${process.cwd()}'\nunset CI CONTINUOUS_INTEGRATION\nexport TERM=xterm-256color DATA_DIR='${dir}' LOG_LEVEL=silent\nexec ${quoted}\n`,
    );
    term = new Terminal(script);

    const noScheduler = await term.waitFor(/^Scheduler: no scheduler running/m);
    const red = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*31[0-9;]*mScheduler: no scheduler running`);
    expect(term.colours()).to.match(red); // SGR 31: red
    expect(noScheduler.split('\n').every((line) => line.length <= 80)).to.equal(true);
    const beat = h.container.liveness.start('scheduler');
    try {
      await term.waitFor(/^Scheduler 1 alive \(beat \d+ s ago\)/m, 10_000);
    } finally {
      await beat.stop();
    }

    term.keys('/');
    await term.waitFor(/Search subscriptions/);
    term.type('nord');
    await term.waitFor(/1 match/);
    term.keys('Enter');
    const view = await term.waitFor(/Subscription of Café Nord[\s\S]*deliveries|Deliveries/);
    expect(view).to.include(sub!.subscriptionId).and.include(sub!.email).and.include(sub!.analysisId);
    expect(view).to.match(/suspended · 2 bounces/);
    term.keys('a');
    await term.waitFor(/Reactivate subscriber-0@example.org\? y: yes · n: no/);
    term.keys('y');
    await term.waitFor(/subscriber-0@example.org is active again · no scheduler running/);
    await term.waitFor(/active · 0 bounces/);
    const row = await h.container.db('email_subscriptions').where('id', sub!.subscriptionId).first();
    expect(row).to.include({ active: true, suspended_at: null, bounce_count: 0 });
    term.keys('q');
  });
});
