import { expect } from 'chai';
import { gunzipSync } from 'node:zlib';
import { encodeStatusList, statusBit } from '../../../../src/infra/credentials/status-list.js';

describe('Bitstring Status List encoding', () => {
  it('sets exactly the given bits, index 0 being the first byte’s most significant bit', () => {
    const encoded = encodeStatusList([0, 9, 131_071], 131_072);
    expect(encoded.startsWith('u')).to.equal(true);
    const bytes = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    expect(bytes.length).to.equal(16_384);
    expect(bytes[0]).to.equal(0b1000_0000);
    expect(bytes[1]).to.equal(0b0100_0000);
    expect(bytes[16_383]).to.equal(0b0000_0001);
    for (const i of [0, 9, 131_071]) expect(statusBit(encoded, i), String(i)).to.equal(true);
    for (const i of [1, 8, 10, 131_070]) expect(statusBit(encoded, i), String(i)).to.equal(false);
  });

  it('refuses an index outside the list', () => {
    expect(() => encodeStatusList([16], 16)).to.throw(RangeError);
  });
});
