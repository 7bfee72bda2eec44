import { expect } from 'chai';
import { UnsubscribeTokens } from '../../../../src/infra/mail/unsubscribe-tokens.js';
import { ConfigError } from '../../../../src/config.js';

const ID = '0b6f4c1e-3a2d-4e5f-8a9b-1c2d3e4f5a6b';
const tokens = new UnsubscribeTokens({ secret: 'a-secret-of-enough-length', embedded: false, dataDir: '.' });

describe('UnsubscribeTokens', () => {
  it('round-trips a subscription id and accepts only the canonical token', () => {
    const t = tokens.sign(ID);
    expect(t).to.match(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(tokens.verify(t)).to.deep.equal({ ok: true, subscriptionId: ID });
    expect(tokens.sign(ID)).to.equal(t);
  });

  it('tells forged tokens from malformed ones and never throws', () => {
    const t = tokens.sign(ID);
    const other = tokens.sign('11111111-2222-4333-8444-555555555555');
    expect(tokens.verify(`${t.split('.')[0]}.${other.split('.')[1]}`)).to.deep.equal({ ok: false, reason: 'forged' });
    expect(
      new UnsubscribeTokens({ secret: 'another-secret-xxxxxxxx', embedded: false, dataDir: '.' }).verify(t),
    ).to.deep.equal({ ok: false, reason: 'forged' });
    for (const bad of ['', '.', ID, `${t}.`, t.slice(0, -1), `${t.slice(0, -1)}=`, 'é'.repeat(66)]) {
      expect(tokens.verify(bad), bad).to.deep.equal({ ok: false, reason: 'malformed' });
    }
  });

  it('requires a secret in production mode', () => {
    const none = new UnsubscribeTokens({ secret: null, embedded: false, dataDir: '.' });
    expect(() => none.ensureReady()).to.throw(ConfigError, /UNSUBSCRIBE_SECRET/);
  });
});
