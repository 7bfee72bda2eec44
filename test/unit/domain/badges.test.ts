import { expect } from 'chai';
import {
  evaluateCriteria,
  badgesToAward,
  readBadgeDefinitions,
  type BadgeContext,
  type BadgeDefinition,
} from '../../../src/domain/badges.js';
import type { OpportunityProgress, Status } from '../../../src/domain/progress.js';
import { DAY, HOUR, MINUTE } from '../../helpers/clock.js';

const created = new Date('2026-03-02T10:00:00Z');

function item(
  id: 'digital_presence' | 'value_creation' | 'business_management',
  hours: number,
  status: Status,
  implementedAt: Date | null = null,
): OpportunityProgress {
  return {
    opportunity_id: id,
    category: id,
    hours_per_week: hours,
    hours_per_year: Math.round(hours * 52),
    problem_teaser: '',
    complexity_level: 5,
    tools_hint: '',
    status,
    implemented_at: implementedAt,
  };
}

const ctx = (over: Partial<BadgeContext>): BadgeContext => ({
  analysisCreatedAt: created,
  items: [],
  activity: [],
  timeZone: 'UTC',
  now: created,
  ...over,
});

describe('domain/badges', () => {
  describe('first_step (first_progress)', () => {
    it('is not earned while everything is NOT_STARTED', () => {
      const r = evaluateCriteria(
        { rule: 'first_progress' },
        ctx({ items: [item('digital_presence', 5, 'NOT_STARTED')] }),
      );
      expect(r.earned).to.equal(false);
      expect(r.progress).to.include({ current: 0, target: 1 });
    });
    it('is earned by one IN_PROGRESS or IMPLEMENTED opportunity', () => {
      expect(
        evaluateCriteria({ rule: 'first_progress' }, ctx({ items: [item('digital_presence', 5, 'IN_PROGRESS')] }))
          .earned,
      ).to.equal(true);
      expect(
        evaluateCriteria(
          { rule: 'first_progress' },
          ctx({ items: [item('digital_presence', 5, 'IMPLEMENTED', created)] }),
        ).earned,
      ).to.equal(true);
    });
  });

  describe('quick_win (first implemented within 168 h)', () => {
    const rule = { rule: 'first_implemented_within', hours: 168 } as const;
    it('is earned when the first IMPLEMENTED comes 7 days minus one minute after creation', () => {
      const at = new Date(created.getTime() + 7 * DAY - MINUTE);
      expect(
        evaluateCriteria(rule, ctx({ items: [item('digital_presence', 5, 'IMPLEMENTED', at)], now: at })).earned,
      ).to.equal(true);
    });
    it('is not earned at 7 days plus one minute, and then reads as lost, not done', () => {
      const at = new Date(created.getTime() + 7 * DAY + MINUTE);
      const r = evaluateCriteria(rule, ctx({ items: [item('digital_presence', 5, 'IMPLEMENTED', at)], now: at }));
      expect(r.earned).to.equal(false);
      expect(r.progress).to.deep.equal({ current: 0, target: 1, unit: 'opportunities', achievable: false });
    });
    it('counts the earliest implementation, not the latest', () => {
      const early = new Date(created.getTime() + 2 * DAY);
      const late = new Date(created.getTime() + 20 * DAY);
      const items = [item('digital_presence', 5, 'IMPLEMENTED', late), item('value_creation', 8, 'IMPLEMENTED', early)];
      expect(evaluateCriteria(rule, ctx({ items, now: late })).earned).to.equal(true);
    });
    it('stays achievable before the deadline and not after it', () => {
      const items = [item('digital_presence', 5, 'NOT_STARTED')];
      expect(
        evaluateCriteria(rule, ctx({ items, now: new Date(created.getTime() + 3 * DAY) })).progress.achievable,
      ).to.equal(true);
      expect(
        evaluateCriteria(rule, ctx({ items, now: new Date(created.getTime() + 8 * DAY) })).progress.achievable,
      ).to.equal(false);
    });
  });

  describe('time_saver (implemented hours per week >= 10)', () => {
    const rule = { rule: 'implemented_hours_per_week', min: 10 } as const;
    it('is not earned at 9.5 h/week', () => {
      const r = evaluateCriteria(
        rule,
        ctx({
          items: [item('digital_presence', 9.5, 'IMPLEMENTED', created), item('value_creation', 8, 'IN_PROGRESS')],
        }),
      );
      expect(r.earned).to.equal(false);
      expect(r.progress).to.include({ current: 9.5, target: 10, unit: 'hours_per_week' });
    });
    it('is earned at exactly 10 h/week', () => {
      const items = [
        item('digital_presence', 7.5, 'IMPLEMENTED', created),
        item('value_creation', 2.5, 'IMPLEMENTED', created),
      ];
      expect(evaluateCriteria(rule, ctx({ items })).earned).to.equal(true);
    });
    it('is not earned at 9.96 h/week, and its progress shows 9.9, not 10', () => {
      const items = [
        item('digital_presence', 4.98, 'IMPLEMENTED', created),
        item('value_creation', 4.98, 'IMPLEMENTED', created),
        item('business_management', 2, 'NOT_STARTED'),
      ];
      const r = evaluateCriteria(rule, ctx({ items }));
      expect(r.earned).to.equal(false);
      expect(r.progress).to.include({ current: 9.9, target: 10, achievable: true });
    });
    it('is earned at exactly 10.00 h/week even when the sum of doubles is not exact (5.1 + 4.9, 0.1 + 0.2 + 9.7)', () => {
      for (const hours of [
        [5.1, 4.9],
        [0.1, 0.2, 9.7],
        [3.333333, 3.333333, 3.333334],
      ]) {
        const ids = ['digital_presence', 'value_creation', 'business_management'] as const;
        const items = hours.map((h, i) => item(ids[i]!, h, 'IMPLEMENTED', created));
        expect(evaluateCriteria(rule, ctx({ items })).earned, hours.join(' + ')).to.equal(true);
      }
    });
    it('ignores hours that are only in progress', () => {
      expect(evaluateCriteria(rule, ctx({ items: [item('value_creation', 12, 'IN_PROGRESS')] })).earned).to.equal(
        false,
      );
    });
  });

  describe('efficiency_expert (all implemented)', () => {
    const rule = { rule: 'all_implemented' } as const;
    it('needs every opportunity IMPLEMENTED', () => {
      const two = [
        item('digital_presence', 5, 'IMPLEMENTED', created),
        item('value_creation', 8, 'IMPLEMENTED', created),
      ];
      expect(
        evaluateCriteria(rule, ctx({ items: [...two, item('business_management', 2, 'IN_PROGRESS')] })).earned,
      ).to.equal(false);
      expect(
        evaluateCriteria(rule, ctx({ items: [...two, item('business_management', 2, 'IMPLEMENTED', created)] })).earned,
      ).to.equal(true);
    });
    it('is never earned by an analysis without opportunities', () => {
      expect(evaluateCriteria(rule, ctx({ items: [] })).earned).to.equal(false);
    });
  });

  describe('streak_master (7 consecutive UTC days)', () => {
    const rule = { rule: 'activity_streak', days: 7 } as const;
    const days = (offsets: number[]) => offsets.map((d) => new Date(Date.UTC(2026, 2, 2 + d, 23, 30)));
    it('is not earned with 6 consecutive days', () => {
      const r = evaluateCriteria(
        rule,
        ctx({ activity: days([0, 1, 2, 3, 4, 5]), now: new Date('2026-03-07T23:59:00Z') }),
      );
      expect(r.earned).to.equal(false);
      expect(r.progress).to.include({ current: 6, target: 7, unit: 'days' });
    });
    it('is earned with 7 consecutive days', () => {
      expect(evaluateCriteria(rule, ctx({ activity: days([0, 1, 2, 3, 4, 5, 6]) })).earned).to.equal(true);
    });
    it('is not earned by 7 active days with a gap', () => {
      expect(evaluateCriteria(rule, ctx({ activity: days([0, 1, 2, 4, 5, 6, 7]) })).earned).to.equal(false);
    });
    it('uses UTC days: 23:59 and 00:01 UTC are two different days', () => {
      const activity = [
        new Date('2026-03-01T23:59:00Z'),
        ...days([0, 1, 2, 3, 4]).map((d) => new Date(d.getTime() - 23 * HOUR)),
        new Date('2026-03-07T00:01:00Z'),
      ];
      expect(evaluateCriteria(rule, ctx({ activity })).earned).to.equal(true);
    });
    it('counts several changes on one day once', () => {
      const activity = [...days([0, 1, 2, 3, 4, 5]), ...days([5, 5, 5])];
      expect(evaluateCriteria(rule, ctx({ activity })).earned).to.equal(false);
    });
  });

  describe('badgesToAward', () => {
    const defs: BadgeDefinition[] = [
      {
        type: 'first_step',
        version: 1,
        name: 'Premier Pas',
        description: '',
        icon: '',
        points: 10,
        criteria: { rule: 'first_progress' },
      },
      {
        type: 'time_saver',
        version: 1,
        name: 'Économiseur',
        description: '',
        icon: '',
        points: 50,
        criteria: { rule: 'implemented_hours_per_week', min: 10 },
      },
    ];
    it('skips badges already held', () => {
      const c = ctx({ items: [item('value_creation', 12, 'IMPLEMENTED', created)] });
      expect(badgesToAward(defs, new Set(), c).map((d) => d.type)).to.deep.equal(['first_step', 'time_saver']);
      expect(badgesToAward(defs, new Set(['first_step']), c).map((d) => d.type)).to.deep.equal(['time_saver']);
    });
  });
});

describe('readBadgeDefinitions', () => {
  const row = (type: string, criteria: unknown) => ({
    type,
    version: 4,
    name: type,
    description: 'd',
    icon: null,
    points: 10,
    criteria,
  });

  it('keeps the usable rows and rejects the others with their type, version and one-line reason', () => {
    const set = readBadgeDefinitions([
      row('ok', { rule: 'first_progress' }),
      row('unknown', { rule: 'moon_phase' }),
      row('bad_min', { rule: 'implemented_hours_per_week', min: -1 }),
      row('no_rule', null),
    ]);
    expect(set.definitions.map((d) => d.type)).to.deep.equal(['ok']);
    expect(set.definitions[0]?.icon).to.equal('');
    expect(set.rejected.map((r) => [r.type, r.version])).to.deep.equal([
      ['unknown', 4],
      ['bad_min', 4],
      ['no_rule', 4],
    ]);
    expect(set.rejected[0]?.problem).to.equal('unknown rule "moon_phase"');
    expect(set.rejected[1]?.problem).to.match(/^criteria\.min: /);
    for (const r of set.rejected) expect(r.problem).not.to.include('\n');
  });

  it('rejects an hours threshold between two tenths: the hours shown could not tell whether it is met', () => {
    const set = readBadgeDefinitions([
      row('tenths', { rule: 'implemented_hours_per_week', min: 12.5 }),
      row('hundredths', { rule: 'implemented_hours_per_week', min: 7.25 }),
    ]);
    expect(set.definitions.map((d) => d.type)).to.deep.equal(['tenths']);
    expect(set.rejected[0]?.problem).to.equal('criteria.min: must be a whole number of tenths of an hour');
  });

  it('names every problem of a rejected definition, on one line', () => {
    const set = readBadgeDefinitions([row('negative', { rule: 'implemented_hours_per_week', min: -0.25 })]);
    expect(set.rejected[0]?.problem).to.equal(
      'criteria.min: Too small: expected number to be >0; criteria.min: must be a whole number of tenths of an hour',
    );
  });
});
