import { expect } from 'chai';
import { markNewBadges, nextBadgeWithinReach } from '../../../src/domain/report-model.js';

const pending = (name: string, current: number, target: number) => ({
  badge_name: name,
  description: `${name}!`,
  points: 10,
  progress: { current, target, unit: 'opportunities', achievable: true },
});

describe('domain/report-model', () => {
  it('picks the first defined of the badges equally close to being earned', () => {
    expect(nextBadgeWithinReach([pending('Premier', 1, 2), pending('Second', 2, 4)])?.name).to.equal('Premier');
  });

  it('never picks a badge without a target', () => {
    expect(nextBadgeWithinReach([pending('Vide', 1, 0), pending('Loin', 1, 10)])?.name).to.equal('Loin');
    expect(nextBadgeWithinReach([pending('Vide', 0, 0)])).to.equal(null);
  });

  it('marks as new the badges earned from the start of the window up to, not including, its end', () => {
    const window = { start: new Date('2026-03-09T04:00:00Z'), end: new Date('2026-03-16T04:00:00Z') };
    const badge = (earned_at: string) => ({
      badge_type: earned_at,
      badge_name: 'B',
      description: 'd',
      icon: null,
      points: 10,
      earned_at: new Date(earned_at),
    });
    const times = [
      '2026-03-09T03:59:59.999Z',
      '2026-03-09T04:00:00.000Z',
      '2026-03-16T03:59:59.999Z',
      '2026-03-16T04:00:00.000Z',
    ];
    expect(markNewBadges(times.map(badge), window).map((b) => b.is_new)).to.deep.equal([false, true, true, false]);
    expect(markNewBadges(times.map(badge), null).map((b) => b.is_new)).to.deep.equal([false, false, false, false]);
  });
});
