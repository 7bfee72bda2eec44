import { expect } from 'chai';
import { MissedInvalidations } from '../../../../src/infra/cache/missed-invalidations.js';

const guard = <T>(p: Promise<T>) => p;

describe('MissedInvalidations', () => {
  it('replays each remembered analysis once, then has none left', async () => {
    const bumped: string[] = [];
    const missed = new MissedInvalidations({
      analysis: async (id) => bumped.push(id),
      all: async () => bumped.push('*'),
    });
    expect(missed.none).to.equal(true);
    for (const id of ['a', 'b', 'a']) missed.remember(id);
    expect(missed.none).to.equal(false);
    await missed.replay(guard);
    expect(bumped).to.deep.equal(['a', 'b']);
    expect(missed.none).to.equal(true);
  });

  it('replays more than one batch of 500 with each analysis bumped exactly once', async () => {
    const bumped: string[] = [];
    const missed = new MissedInvalidations({
      analysis: async (id) => bumped.push(id),
      all: async () => bumped.push('*'),
    });
    const ids = Array.from({ length: 1_201 }, (_, i) => `id-${i}`);
    for (const id of ids) missed.remember(id);
    await missed.replay(guard);
    expect(bumped).to.deep.equal(ids);
    expect(missed.none).to.equal(true);
  });

  it('bumps the epoch once, instead of each analysis, past 10,000 of them', async () => {
    const bumped: string[] = [];
    const missed = new MissedInvalidations({
      analysis: async (id) => bumped.push(id),
      all: async () => bumped.push('*'),
    });
    for (let i = 0; i <= 10_000; i++) missed.remember(`id-${i}`);
    await missed.replay(guard);
    expect(bumped).to.deep.equal(['*']);
    expect(missed.none).to.equal(true);
  });

  it('keeps what a failed replay did not bump', async () => {
    let failing = true;
    const bumped: string[] = [];
    const missed = new MissedInvalidations({
      analysis: async (id) => {
        if (failing) throw new Error('Redis went away again');
        bumped.push(id);
      },
      all: async () => undefined,
    });
    missed.remember('a');
    await missed.replay(guard).catch(() => undefined);
    expect(missed.none).to.equal(false);
    failing = false;
    await missed.replay(guard);
    expect(bumped).to.deep.equal(['a']);
    expect(missed.none).to.equal(true);
  });
});
