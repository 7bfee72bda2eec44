import { expect } from 'chai';
import { exactHours } from '../../../src/domain/hours.js';

describe('domain/hours', () => {
  it('adds hours exactly in millionths and cuts the display to a tenth, never rounding up', () => {
    expect(exactHours([4.98, 4.98])).to.deep.equal({ micro: 9_960_000, tenths: 9.9 });
    expect(exactHours([5.1, 4.9])).to.deep.equal({ micro: 10_000_000, tenths: 10 });
    expect(exactHours([1.15])).to.deep.equal({ micro: 1_150_000, tenths: 1.1 });
    expect(exactHours([1.14])).to.deep.equal({ micro: 1_140_000, tenths: 1.1 });
    expect(exactHours([])).to.deep.equal({ micro: 0, tenths: 0 });
  });
});
