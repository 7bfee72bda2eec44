import { expect } from 'chai';
import { decodeCacheValue, encodeCacheValue } from '../../../../src/infra/cache/cache-codec.js';
import { analysisCacheKey } from '../../../../src/infra/cache/cache-service.js';

describe('cache codec', () => {
  it('gives Dates back as Dates and Buffers as Buffers, at any depth', () => {
    const value = {
      created_at: new Date('2026-03-02T10:00:00.123Z'),
      completed_at: null,
      items: [{ implemented_at: new Date('2026-03-03T00:00:00Z'), n: 1 }],
      pdf: Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]),
    };
    const back = decodeCacheValue<typeof value>(encodeCacheValue(value));
    expect(back.created_at).to.be.instanceOf(Date);
    expect(back.created_at.toISOString()).to.equal('2026-03-02T10:00:00.123Z');
    expect(back.items[0]!.implemented_at).to.be.instanceOf(Date);
    expect(Buffer.isBuffer(back.pdf)).to.equal(true);
    expect([...back.pdf]).to.deep.equal([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]);
    expect(back).to.deep.equal(value);
  });

  it('round-trips a top-level Buffer, plain JSON, and strings that look like tags', () => {
    expect(decodeCacheValue<Buffer>(encodeCacheValue(Buffer.from('%PDF'))).toString()).to.equal('%PDF');
    const plain = {
      a: [1, 'two', null, true],
      s: ':base64:abc',
      d: '2026-03-02T10:00:00Z',
      nested: { $cache: 1, t: [], v: 2 },
    };
    expect(decodeCacheValue(encodeCacheValue(plain))).to.deep.equal(plain);
    expect(decodeCacheValue(encodeCacheValue('x'))).to.equal('x');
    expect(decodeCacheValue(encodeCacheValue(null))).to.equal(null);
    expect(decodeCacheValue(encodeCacheValue(42))).to.equal(42);
    // Plain values shaped almost like a tagged one stay as they are.
    for (const lookalike of [
      { t: [], v: 1 },
      { $cache: 1, t: 'x', v: 1 },
      { $cache: 2, t: [[['v'], 'd']], v: 1 },
    ])
      expect(decodeCacheValue(encodeCacheValue(lookalike))).to.deep.equal(lookalike);
  });

  it('writes plain JSON when there is no Date or Buffer, and tags with paths otherwise', () => {
    expect(encodeCacheValue({ a: 1 })).to.equal('{"a":1}');
    const text = encodeCacheValue({ value: { at: new Date(0), list: [Buffer.from('x')] }, expires: 5 });
    expect(JSON.parse(text)).to.deep.equal({
      $cache: 1,
      v: { value: { at: '1970-01-01T00:00:00.000Z', list: ['eA=='] }, expires: 5 },
      t: [
        [['value', 'at'], 'd'],
        [['value', 'list', 0], 'b'],
      ],
    });
    const invalid = decodeCacheValue<{ at: Date }>(encodeCacheValue({ at: new Date(NaN) }));
    expect(invalid.at).to.be.instanceOf(Date);
    expect(Number.isNaN(invalid.at.getTime())).to.equal(true);
  });
});

describe('analysisCacheKey', () => {
  it("uses the contract's keys", () => {
    const id = '550e8400-e29b-41d4-a716-446655440000';
    expect(analysisCacheKey(id, 'dashboard')).to.equal(`dashboard:${id}`);
    expect(analysisCacheKey(id, 'badges')).to.equal(`badges:${id}`);
    expect(analysisCacheKey(id, 'report:summary,metrics')).to.equal(`report:${id}:summary,metrics`);
  });
});
