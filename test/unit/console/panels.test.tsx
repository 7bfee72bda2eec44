import { expect } from 'chai';
import type { ReactElement } from 'react';
import { render } from 'ink-testing-library';
import { ActivityPanel } from '../../../src/console/ActivityPanel.js';
import { CachePanel } from '../../../src/console/CachePanel.js';
import { FailureDetail } from '../../../src/console/FailureDetail.js';
import { QueuePanel } from '../../../src/console/QueuePanel.js';
import { RetryingPanel } from '../../../src/console/RetryingPanel.js';
import { SchedulerLine } from '../../../src/console/SchedulerLine.js';
import { SuspendedPanel } from '../../../src/console/SuspendedPanel.js';
import type { Liveness } from '../../../src/domain/liveness.js';
import { OVERVIEW } from '../../helpers/console-fixture.js';

const frame = (el: ReactElement) => render(el).lastFrame() ?? '';
const live = OVERVIEW.liveness!;

describe('console panels', () => {
  it('Cache: health, hit rate, hits, misses, memory and clients', () => {
    expect(frame(<CachePanel stats={OVERVIEW.cache} focused={false} />))
      .to.include('healthy · hit rate 81.2%')
      .and.include('hits 8,123')
      .and.include('1.52M · 4 clients');
  });

  it('Queue: weekly, monthly, off, awaiting confirmation and suspended counts, the outbox, the next runs', () => {
    const f = frame(
      <QueuePanel
        subscriptions={OVERVIEW.subscriptions}
        deliveries={OVERVIEW.deliveries}
        next_runs={OVERVIEW.next_runs}
        focused={false}
      />,
    );
    expect(f).to.include('weekly 310 · monthly 95 · off 12').and.include('awaiting confirmation 6 · suspended 1');
    expect(f).to.include('pending 12 (due 7)').and.include('next weekly 12-07 09:00');
  });

  it('Retrying: error and next attempt', () => {
    expect(frame(<RetryingPanel retrying={OVERVIEW.retrying} now={OVERVIEW.at} limit={5} focused={false} />))
      .to.include('attempt 2 in 4 min')
      .and.include('451 try again later');
  });

  it('Suspended: its own panel, with the full subscription id and the selected row marked', () => {
    const f = frame(<SuspendedPanel suspended={OVERVIEW.suspended} total={1} limit={3} selected={0} focused />);
    expect(f).to.include('▸ Suspended after hard bounces (1)').and.include('5ub5c713-0000-4000-8000-000000000000');
    expect(frame(<SuspendedPanel suspended={[]} total={0} limit={3} selected={null} focused={false} />)).to.include(
      'No suspended subscription.',
    );
  });

  it('Activity: counts and the latest events', () => {
    expect(frame(<ActivityPanel activity={OVERVIEW.activity} limit={5} focused={false} />))
      .to.include('14 progress updates · 3 badges')
      .and.include('Premier Pas');
  });

  it('Failure detail: every id and the email in full', () => {
    const f = frame(<FailureDetail failure={OVERVIEW.failures![0]!} />);
    expect(f).to.include('abcdef11-0000-4000-8000-000000000000').and.include('5ub5c711-0000-4000-8000-000000000000');
    expect(f).to.include('a0a0a0a1-0000-4000-8000-000000000000').and.include('o***@example1.com');
  });

  describe('Scheduler line', () => {
    it('counts the live schedulers and workers and how long ago each beat', () => {
      expect(frame(<SchedulerLine liveness={live} />)).to.match(
        /^Scheduler 1 alive \(beat 2 s ago\) · workers 1 \(beat 3 s ago\)$/m,
      );
    });

    it('says "no scheduler running", in red, when none beat within 3 intervals, and counts the stale ones', () => {
      const none: Liveness = {
        ...live,
        schedulers: 0,
        workers: 0,
        instances: live.instances.map((i) => ({ ...i, alive: false, beat_age_s: 40 })),
      };
      expect(frame(<SchedulerLine liveness={none} />)).to.match(
        /^Scheduler: no scheduler running · 2 stale \(last beat 40 s ago\)/,
      );
      expect((SchedulerLine({ liveness: none }) as ReactElement<{ color: string }>).props.color).to.equal('red');
      expect((SchedulerLine({ liveness: live }) as ReactElement<{ color?: string }>).props.color).to.equal(undefined);
    });

    it('says the heartbeats are unknown when they could not be read', () => {
      expect(frame(<SchedulerLine liveness={null} />)).to.match(/^Scheduler unknown/);
    });
  });
});
