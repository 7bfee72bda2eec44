import { expect } from 'chai';
import { badgesToRevoke, type BadgeContext, type BadgeDefinition } from '../../../src/domain/badges.js';

const def = (type: string, version: number, criteria: BadgeDefinition['criteria']): BadgeDefinition => ({
  type,
  version,
  name: type,
  description: type,
  icon: '',
  points: 10,
  criteria,
});
const CTX: BadgeContext = {
  analysisCreatedAt: new Date('2026-03-01T00:00:00Z'),
  items: [
    {
      opportunity_id: 'digital_presence',
      category: 'digital_presence',
      hours_per_week: 5,
      status: 'IN_PROGRESS',
    } as unknown as BadgeContext['items'][number],
  ],
  activity: [],
  timeZone: 'America/Toronto',
  now: new Date('2026-03-02T10:00:00Z'),
};

describe('badgesToRevoke', () => {
  it('takes away a badge whose newer version’s rule no longer holds', () => {
    const defs = [def('first_step', 2, { rule: 'all_implemented' })];
    expect(badgesToRevoke(defs, new Map([['first_step', 1]]), CTX)).to.deep.equal(['first_step']);
  });

  it('keeps a badge held under the current version, or whose newer rule still holds', () => {
    expect(
      badgesToRevoke([def('first_step', 1, { rule: 'all_implemented' })], new Map([['first_step', 1]]), CTX),
    ).to.deep.equal([]);
    expect(
      badgesToRevoke([def('first_step', 2, { rule: 'first_progress' })], new Map([['first_step', 1]]), CTX),
    ).to.deep.equal([]);
    expect(badgesToRevoke([def('first_step', 2, { rule: 'all_implemented' })], new Map(), CTX)).to.deep.equal([]);
  });
});
