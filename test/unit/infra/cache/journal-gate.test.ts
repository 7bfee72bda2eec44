import { expect } from 'chai';
import { JournalGate } from '../../../../src/infra/cache/journal-gate.js';

describe('JournalGate', () => {
  let now = 0;
  const gate = () => new JournalGate(1000, () => now);
  beforeEach(() => (now = 10_000));

  it('vouches for nothing before a first check', () => {
    const g = gate();
    expect(g.fresh).to.equal(false);
    expect(g.vouches('a')).to.equal(false);
  });

  it('vouches for an analysis the last check did not name, for one window from the start of that check', () => {
    const g = gate();
    g.checked(now, ['b']);
    expect(g.vouches('a')).to.equal(true);
    expect(g.vouches('b')).to.equal(false);
    now += 999;
    expect(g.vouches('a')).to.equal(true);
    now += 1;
    expect(g.fresh).to.equal(false);
    expect(g.vouches('a')).to.equal(false);
  });

  it('vouches for no analysis while every one is pending (null)', () => {
    const g = gate();
    g.checked(now, ['b', null]);
    expect(g.vouches('a')).to.equal(false);
    g.checked(now + 1, []);
    expect(g.vouches('a')).to.equal(true);
  });

  it('keeps what the last check found when one cannot tell, and renews the window', () => {
    const g = gate();
    g.checked(now, ['b']);
    now += 900;
    g.checked(now);
    now += 900;
    expect(g.vouches('a')).to.equal(true);
    expect(g.vouches('b')).to.equal(false);
  });

  it('ignores a check that started before the one it already has (a slow one finishing late)', () => {
    const g = gate();
    g.checked(now, []);
    g.checked(now - 500, ['a']);
    expect(g.vouches('a')).to.equal(true);
  });

  it('vouches again for analyses whose invalidation was replayed since the check named them', () => {
    const g = gate();
    g.checked(now, ['a', 'b']);
    g.cleared(['a']);
    expect(g.vouches('a')).to.equal(true);
    expect(g.vouches('b')).to.equal(false);
    g.checked(now, [null]);
    g.cleared(null);
    expect(g.vouches('b')).to.equal(true);
  });
});
