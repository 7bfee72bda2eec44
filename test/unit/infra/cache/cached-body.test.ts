import { expect } from 'chai';
import { cachedBody, cachedSize } from '../../../../src/infra/cache/cached-body.js';

describe('cached-body', () => {
  it('weighs a cached value by its bytes for the near cache: a Buffer by its length (at least 1), a body plus 64', () => {
    expect(cachedSize(Buffer.alloc(5))).to.equal(5);
    expect(cachedSize(Buffer.alloc(0))).to.equal(1);
    expect(cachedSize(cachedBody(Buffer.alloc(10)))).to.equal(74);
    expect(cachedSize({ any: 'thing' })).to.equal(2048);
    expect(cachedSize(null)).to.equal(2048);
  });
});
