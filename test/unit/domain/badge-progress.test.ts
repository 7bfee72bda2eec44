import { expect } from 'chai';
import { evaluateCriteria, type BadgeContext } from '../../../src/domain/badges.js';
import type { OpportunityProgress, Status } from '../../../src/domain/progress.js';
import { DAY, HOUR } from '../../helpers/clock.js';

const created = new Date('2026-03-02T10:00:00Z');
const item = (hours: number, status: Status, implementedAt: Date | null = null): OpportunityProgress => ({
  opportunity_id: 'value_creation',
  category: 'value_creation',
  hours_per_week: hours,
  hours_per_year: Math.round(hours * 52),
  problem_teaser: '',
  complexity_level: 5,
  tools_hint: '',
  status,
  implemented_at: implementedAt,
});
const ctx = (over: Partial<BadgeContext>): BadgeContext => ({
  analysisCreatedAt: created,
  items: [],
  activity: [],
  timeZone: 'UTC',
  now: created,
  ...over,
});
const opportunities = (current: number, target: number, achievable: boolean) => ({
  current,
  target,
  unit: 'opportunities',
  achievable,
});

// The whole evaluation, progress included, as the badges endpoint shows it.
describe('domain/badges progress at the edges', () => {
  it('first_progress: one started opportunity is 1 of 1, always achievable', () => {
    expect(evaluateCriteria({ rule: 'first_progress' }, ctx({ items: [item(2, 'IN_PROGRESS')] }))).to.deep.equal({
      earned: true,
      progress: opportunities(1, 1, true),
    });
    expect(evaluateCriteria({ rule: 'first_progress' }, ctx({ items: [item(2, 'NOT_STARTED')] }))).to.deep.equal({
      earned: false,
      progress: opportunities(0, 1, true),
    });
  });

  it('first_implemented_within: exactly at the deadline counts, and an empty one is achievable up to it', () => {
    const deadline = new Date(created.getTime() + 168 * HOUR);
    const rule = { rule: 'first_implemented_within', hours: 168 } as const;
    expect(evaluateCriteria(rule, ctx({ items: [item(2, 'IMPLEMENTED', deadline)], now: deadline }))).to.deep.equal({
      earned: true,
      progress: opportunities(1, 1, true),
    });
    expect(evaluateCriteria(rule, ctx({ now: deadline })).progress.achievable).to.equal(true);
    expect(evaluateCriteria(rule, ctx({ now: new Date(deadline.getTime() + 1) })).progress.achievable).to.equal(false);
    // An implemented row without its time (legacy data) is not a first implementation, and does not throw.
    const noTime = ctx({ items: [item(2, 'IMPLEMENTED', null)], now: new Date(created.getTime() + DAY) });
    expect(evaluateCriteria(rule, noTime)).to.deep.equal({ earned: false, progress: opportunities(0, 1, true) });
  });

  it('implemented_hours_per_week: achievable exactly when all the hours together reach the target', () => {
    const rule = { rule: 'implemented_hours_per_week', min: 10 } as const;
    expect(evaluateCriteria(rule, ctx({ items: [item(6, 'IMPLEMENTED'), item(4, 'NOT_STARTED')] }))).to.deep.equal({
      earned: false,
      progress: { current: 6, target: 10, unit: 'hours_per_week', achievable: true },
    });
    expect(evaluateCriteria(rule, ctx({ items: [item(6, 'IMPLEMENTED'), item(3.9, 'NOT_STARTED')] })).progress)
      .to.have.property('achievable')
      .that.equals(false);
  });

  it('all_implemented: counts implemented of all, and is not achievable without opportunities', () => {
    const rule = { rule: 'all_implemented' } as const;
    expect(evaluateCriteria(rule, ctx({ items: [item(1, 'IMPLEMENTED'), item(1, 'IN_PROGRESS')] }))).to.deep.equal({
      earned: false,
      progress: opportunities(1, 2, true),
    });
    expect(evaluateCriteria(rule, ctx({}))).to.deep.equal({ earned: false, progress: opportunities(0, 0, false) });
  });

  it('activity_streak: once earned, progress shows the full target and stays achievable', () => {
    const days = [0, 1, 2].map((d) => new Date(created.getTime() + d * DAY));
    const rule = { rule: 'activity_streak', days: 3 } as const;
    expect(evaluateCriteria(rule, ctx({ activity: days, now: new Date(created.getTime() + 30 * DAY) }))).to.deep.equal({
      earned: true,
      progress: { current: 3, target: 3, unit: 'days', achievable: true },
    });
  });
});
