import { expect } from 'chai';
import { classifyTransition, progressSummary, STATUSES } from '../../../src/domain/progress.js';

describe('domain/progress', () => {
  it('allows exactly the contract transitions', () => {
    const allowed = STATUSES.flatMap((from) =>
      STATUSES.filter((to) => classifyTransition(from, to) === 'allowed').map((to) => `${from}->${to}`),
    );
    expect(allowed.sort()).to.deep.equal([
      'IN_PROGRESS->IMPLEMENTED',
      'IN_PROGRESS->NOT_STARTED',
      'NOT_STARTED->IMPLEMENTED',
      'NOT_STARTED->IN_PROGRESS',
    ]);
  });
  it('treats the same status as a no-op and leaving IMPLEMENTED as forbidden', () => {
    for (const s of STATUSES) expect(classifyTransition(s, s)).to.equal('same');
    expect(classifyTransition('IMPLEMENTED', 'IN_PROGRESS')).to.equal('forbidden');
    expect(classifyTransition('IMPLEMENTED', 'NOT_STARTED')).to.equal('forbidden');
  });
  it('floors the completion percentage', () => {
    expect(
      progressSummary([{ status: 'IMPLEMENTED' }, { status: 'IN_PROGRESS' }, { status: 'NOT_STARTED' }]),
    ).to.deep.equal({
      total_opportunities: 3,
      not_started: 1,
      in_progress: 1,
      implemented: 1,
      completion_percentage: 33,
    });
    expect(
      progressSummary([{ status: 'IMPLEMENTED' }, { status: 'IMPLEMENTED' }, { status: 'NOT_STARTED' }])
        .completion_percentage,
    ).to.equal(66);
    expect(progressSummary([]).completion_percentage).to.equal(0);
  });
});
