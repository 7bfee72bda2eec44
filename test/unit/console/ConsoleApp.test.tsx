import { expect } from 'chai';
import { render } from 'ink-testing-library';
import { ConsoleApp, type RetryTarget } from '../../../src/console/ConsoleApp.js';
import { KEYS as KEY_LIST } from '../../../src/console/HelpPanel.js';
import { OVERVIEW } from '../../helpers/console-fixture.js';

const KEYS = { down: '\u001B[B', enter: '\r', escape: '\u001B', tab: '\t' };
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

/** Retries an assertion until Ink has handled the keys and rendered (at most ~3 s on a busy machine). */
async function eventually(check: () => void): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      return check();
    } catch (err) {
      if (i >= 300) throw err;
      await tick();
    }
  }
}

function interactive(overrides: Partial<Parameters<typeof ConsoleApp>[0]> = {}) {
  const calls = { quit: 0, refresh: 0, retries: [] as RetryTarget[] };
  const app = render(
    <ConsoleApp
      overview={OVERVIEW}
      problem={null}
      url="http://127.0.0.1:8000"
      rows={45}
      interactive
      onQuit={() => calls.quit++}
      onRefresh={() => calls.refresh++}
      onRetry={async (t) => {
        calls.retries.push(t);
        return '1 delivery(ies) queued — no worker is running';
      }}
      {...overrides}
    />,
  );
  const frame = () => app.lastFrame() ?? '';
  /** Types keys one at a time, each once Ink shows what `ready` expects (the previous key's effect). */
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      await tick();
      app.stdin.write(k);
    }
  };
  return { app, calls, press, frame };
}

describe('console/ConsoleApp', () => {
  it('shows the cache, queue, retries with their error and next attempt, failures with company, time and masked email', () => {
    const frame =
      render(<ConsoleApp overview={OVERVIEW} problem={null} url="http://127.0.0.1:8000" rows={45} />).lastFrame() ?? '';
    expect(frame).to.include('81.2%').and.include('8,123').and.include('1.52M');
    expect(frame)
      .to.match(/pending 12/)
      .and.match(/weekly 310/)
      .and.match(/suspended 1/)
      .and.match(/awaiting confirmation 6/);
    expect(frame).to.match(/^Scheduler 1 alive \(beat 2 s ago\) · workers 1 \(beat 3 s ago\)/m);
    expect(frame).to.include('weekly 12-07 09:00');
    expect(frame).to.include('Garage Tremblay').and.include('451 try again later').and.include('in 4 min');
    expect(frame).to.include('Boulangerie 1').and.include('11-30 09:12').and.include('550 mailbox unavailable');
    expect(frame).to.include('14 progress updates').and.include('Premier Pas').and.include('g***@example.org');
  });

  it('fits an 80x24 terminal below 35 rows: the lists share one slot that tab cycles through, every panel reachable', async () => {
    const many = {
      ...OVERVIEW,
      retrying: Array.from({ length: 9 }, (_, i) => ({ ...OVERVIEW.retrying![0]!, id: `r${i}` })),
      failures: Array.from({ length: 9 }, (_, i) => ({ ...OVERVIEW.failures![0]!, id: `f${i}` })),
    };
    const { press, frame } = interactive({ overview: many, rows: 24 });
    const seen: string[] = [];
    const titles = [/▸ Failed deliveries \(9\)/, /▸ Suspended after hard bounces \(1\)/, /▸ Last hour/, /▸ Cache/];
    titles.push(/▸ Subscriptions & delivery queue/, /▸ Retrying \(9\)/, /▸ Failed deliveries/);
    for (const title of titles) {
      await eventually(() => expect(frame()).to.match(title));
      expect(frame().split('\n').length).to.be.at.most(24);
      seen.push(frame());
      await press(KEYS.tab);
    }
    expect(seen[1]).to.include('Café Nord').and.include('5ub5c713-0000-4000-8000-000000000000');
    const tall = (render(<ConsoleApp overview={many} problem={null} url="u" rows={45} />).lastFrame() ?? '').split(
      '\n',
    );
    expect(tall.length).to.be.greaterThan(24);
    expect(tall.join('\n'))
      .to.include('Suspended after hard bounces (1)')
      .and.include('Retrying (9)')
      .and.include('Last hour');
  });

  it('shows "unknown", not 0, for sections the service could not read', () => {
    const frame =
      render(
        <ConsoleApp
          overview={{ ...OVERVIEW, cache: null, deliveries: null, retrying: null }}
          problem={null}
          url="u"
          rows={45}
        />,
      ).lastFrame() ?? '';
    expect(frame)
      .to.match(/pending unknown/)
      .and.match(/Retrying \(unknown\)/);
    expect(frame).to.not.match(/pending 0/);
  });

  it('says plainly when the service is unreachable or refuses the token', () => {
    const down =
      render(
        <ConsoleApp
          overview={null}
          problem="service unreachable at http://127.0.0.1:8000 (ECONNREFUSED)"
          url="http://127.0.0.1:8000"
        />,
      ).lastFrame() ?? '';
    expect(down).to.include('No figures yet: service unreachable');
    const now = Date.parse('2026-11-30T09:21:00Z');
    const stale =
      render(
        <ConsoleApp
          overview={OVERVIEW}
          problem="service unreachable at u (no answer within 4 s)"
          goodAt={now - 42_000}
          now={now}
          url="u"
        />,
      ).lastFrame() ?? '';
    expect(stale).to.match(/STALE: data from 42 s ago · service unreachable at u \(no answer within 4 s\)/);
    expect(stale).to.include('Boulangerie 1').and.include('weekly 310');
  });

  it('quits on q, refreshes on r, shows the keys on ?', async () => {
    const { calls, press, frame } = interactive();
    await press('r');
    await eventually(() => expect(calls.refresh).to.equal(1));
    await press('?');
    await eventually(() => expect(frame()).to.include('retry the selected failed delivery'));
    for (const [key] of KEY_LIST) expect(frame()).to.include(key);
    await press('q');
    await eventually(() => expect(calls.quit).to.equal(1));
  });

  it('moves between panels with tab and arrows, and enter opens the failures', async () => {
    const { press, frame } = interactive();
    await eventually(() => expect(frame()).to.match(/▸ Failed deliveries/));
    await press(KEYS.tab);
    await eventually(() => expect(frame()).to.match(/▸ Suspended/));
    await press(KEYS.tab);
    await eventually(() => expect(frame()).to.match(/▸ Last hour/));
    await press(KEYS.tab);
    await eventually(() => expect(frame()).to.match(/▸ Cache/));
    await press(KEYS.down);
    await eventually(() => expect(frame()).to.match(/▸ Subscriptions/));
    await press(KEYS.enter);
    await eventually(() => expect(frame()).to.match(/▸ Subscriptions/)); // only the lists open
    await press(KEYS.tab, KEYS.tab, KEYS.enter);
    await eventually(() => expect(frame()).to.include('↑↓ select'));
  });

  it('f opens the failures, enter shows one, R then y retries that delivery', async () => {
    const { calls, press, frame } = interactive();
    await press('f');
    await eventually(() => expect(frame()).to.include('↑↓ select'));
    await press(KEYS.down, KEYS.enter);
    await eventually(() =>
      expect(frame())
        .to.include('Failed delivery abcdef12-0000-4000-8000-000000000000')
        .and.include('Connection timeout')
        .and.include('2026-W47')
        .and.include('o***@example2.com'),
    );
    await press('R');
    await eventually(() => expect(frame()).to.match(/Retry Boulangerie 2 \(2026-W47\)\? y: this delivery/));
    await press('y');
    await eventually(() => expect(frame()).to.include('queued — no worker is running'));
    expect(calls.retries).to.deep.equal([{ id: 'abcdef12-0000-4000-8000-000000000000' }]);
  });

  it('R then p retries every failure of the period; any other key cancels', async () => {
    const { calls, press, frame } = interactive();
    await press('f', 'R');
    await eventually(() => expect(frame()).to.match(/y: this delivery/));
    await press('n');
    await eventually(() => expect(frame()).to.not.match(/y: this delivery/));
    await press('R');
    await eventually(() => expect(frame()).to.match(/y: this delivery/));
    await press('p');
    await eventually(() => expect(calls.retries).to.deep.equal([{ period: '2026-W48' }]));
  });
});
