import { expect } from 'chai';
import { render } from 'ink-testing-library';
import { ConsoleApp } from '../../../src/console/ConsoleApp.js';
import type { SupportAction } from '../../../src/console/support-state.js';
import type { SubscriptionDetail } from '../../../src/services/support-service.js';
import { OVERVIEW, SEARCH_RESULTS, SUBSCRIPTION } from '../../helpers/console-fixture.js';

const KEYS = { down: '\u001B[B', enter: '\r', escape: '\u001B', backspace: '\u007F' };
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));
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

/** The console with the support calls recorded; `detail` answers each open (or fails when it throws). */
function consoleWith(detail: () => SubscriptionDetail = () => SUBSCRIPTION) {
  const calls = { searches: [] as string[], opens: [] as string[], actions: [] as SupportAction[] };
  const app = render(
    <ConsoleApp
      overview={OVERVIEW}
      problem={null}
      url="u"
      rows={24}
      interactive
      onSearch={async (text) => {
        calls.searches.push(text);
        return text.includes('nord') ? SEARCH_RESULTS : [];
      }}
      onOpenSubscription={async (id) => {
        calls.opens.push(id);
        return detail();
      }}
      onAction={async (a) => {
        calls.actions.push(a);
        return a.kind === 'reactivate'
          ? 'gerant.cafe-nord@example.org is active again · no scheduler running: no report will be queued until one starts'
          : 'queued — no worker is running';
      }}
    />,
  );
  const frame = () => app.lastFrame() ?? '';
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      await tick();
      app.stdin.write(k);
    }
  };
  const type = (text: string) => press(...text.split(''));
  const open = async () => {
    await press('/');
    await eventually(() => expect(frame()).to.include('Search subscriptions'));
    await type('nord');
    await eventually(() => expect(frame()).to.include('1 match'));
    await press(KEYS.enter);
    await eventually(() => expect(frame()).to.include('Subscription of Café Nord'));
  };
  return { app, calls, frame, press, type, open };
}

describe('console search and subscription view', () => {
  it('/ searches as one types (email, company or ids) and lists each match with its state and full id', async () => {
    const { calls, frame, press, type } = consoleWith();
    await press('/');
    await eventually(() => expect(frame()).to.include('type at least 2 characters'));
    await type('nx');
    await eventually(() => expect(frame()).to.include('no subscription matches'));
    await press(KEYS.backspace, KEYS.backspace);
    await type('nord');
    await eventually(() =>
      expect(frame())
        .to.include('gerant.cafe-nord@example.org · Café Nord · suspended')
        .and.include('5b5c7130-0000-4000-8000-000000000000'),
    );
    expect(calls.searches.at(-1)).to.equal('nord');
    await press(KEYS.escape);
    await eventually(() => expect(frame()).to.match(/▸ Failed deliveries/));
  });

  it('enter opens the subscription: ids and email in full, state, consent record, bounces, deliveries newest first', async () => {
    const { calls, frame, open } = consoleWith();
    await open();
    expect(calls.opens).to.deep.equal(['5b5c7130-0000-4000-8000-000000000000']);
    const f = frame();
    expect(f).to.include('gerant.cafe-nord@example.org').and.include('5b5c7130-0000-4000-8000-000000000000');
    expect(f).to.include('a0a0a0a3-0000-4000-8000-000000000000');
    expect(f).to.match(/weekly · America\/Toronto · suspended · 2 bounces/);
    expect(f).to.include('requested 2026-11-01 12:00 UTC from 203.0.113.x (Mozilla/5.0)');
    expect(f).to.include('confirmed 2026-11-01 12:03 UTC from 203.0.113.x');
    expect(f.indexOf('2026-W48 · failed')).to.be.greaterThan(0).and.lessThan(f.indexOf('2026-W47 · sent'));
    expect(f).to.include('550 5.1.1 mailbox unavailable').and.include('sent 2026-11-23 09:00 UTC'.slice(5));
    expect(f.split('\n').length).to.be.at.most(24);
  });

  it('a reactivates after y, and says whether a scheduler will act; n cancels without a call', async () => {
    const { calls, frame, press, open } = consoleWith();
    await open();
    await press('a');
    await eventually(() => expect(frame()).to.include('Reactivate gerant.cafe-nord@example.org? y: yes · n: no'));
    await press('n');
    await eventually(() => expect(frame()).to.include('cancelled'));
    expect(calls.actions).to.deep.equal([]);
    await press('a');
    await eventually(() => expect(frame()).to.include('y: yes · n: no'));
    await press('y');
    await eventually(() => expect(frame()).to.include('is active again · no scheduler running'));
    expect(calls.actions).to.deep.equal([
      {
        kind: 'reactivate',
        subscriptionId: '5b5c7130-0000-4000-8000-000000000000',
        label: 'Reactivate gerant.cafe-nord@example.org',
      },
    ]);
    await eventually(() => expect(calls.opens).to.have.length(2)); // the view reloads after the action
  });

  it('R retries the selected failed delivery after y, and says "queued — no worker is running"', async () => {
    const { calls, frame, press, open } = consoleWith();
    await open();
    await press(KEYS.down);
    await tick();
    await press('R');
    await eventually(() => expect(frame()).to.include('select a failed delivery'));
    await press('\u001B[A');
    await tick();
    await press('R');
    await eventually(() => expect(frame()).to.include('Retry the 2026-W48 report? y: yes'));
    await press('y');
    await eventually(() => expect(frame()).to.include('queued — no worker is running'));
    expect(calls.actions.map((a) => a.kind === 'retry-delivery' && a.deliveryId)).to.deep.equal([
      'de1e0002-0000-4000-8000-000000000000',
    ]);
  });

  it('c resends the confirmation of a pending subscription after y, and refuses on another state', async () => {
    const pending = {
      ...SUBSCRIPTION,
      status: 'pending' as const,
      consent: { ...SUBSCRIPTION.consent, confirmed_at: null },
    };
    const { calls, frame, press, open } = consoleWith(() => pending);
    await open();
    await eventually(() => expect(frame()).to.include('pending confirmation').and.include('not confirmed'));
    await press('a');
    await eventually(() => expect(frame()).to.include('only a suspended subscription can be reactivated'));
    await press('c');
    await eventually(() =>
      expect(frame()).to.include('Resend the confirmation email to gerant.cafe-nord@example.org? y'),
    );
    await press('y');
    await eventually(() => expect(frame()).to.include('queued — no worker is running'));
    expect(calls.actions.map((a) => a.kind)).to.deep.equal(['resend']);
  });

  it('keeps the last good subscription on screen, marked stale with the error, when a reload fails', async () => {
    let fail = false;
    const { frame, press, open } = consoleWith(() => {
      if (fail) throw new Error('service unreachable at u (no answer within 4 s)');
      return SUBSCRIPTION;
    });
    await open();
    fail = true;
    await press('r');
    await eventually(() => expect(frame()).to.match(/STALE: data from \d+ s ago · service unreachable/));
    expect(frame()).to.include('gerant.cafe-nord@example.org').and.include('2026-W48');
  });

  it('enter on the suspended panel opens that subscription', async () => {
    const { calls, frame, press } = consoleWith();
    await press('\t');
    await eventually(() => expect(frame()).to.match(/▸ Suspended/));
    await press(KEYS.enter);
    await eventually(() => expect(frame()).to.include('↑↓ select · enter open'));
    await press(KEYS.enter);
    await eventually(() => expect(frame()).to.include('Subscription of Café Nord'));
    expect(calls.opens).to.deep.equal(['5ub5c713-0000-4000-8000-000000000000']);
  });
});
