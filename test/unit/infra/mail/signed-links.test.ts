import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { SignedLinks } from '../../../../src/infra/mail/signed-links.js';
import { ConfigError } from '../../../../src/config.js';

const ID = '0b6f4c1e-3a2d-4e5f-8a9b-1c2d3e4f5a6b';
const SECRET = 'a-secret-of-enough-length';
const links = new SignedLinks({ secret: SECRET, embedded: false, dataDir: '.' });

describe('SignedLinks', () => {
  it('round-trips a subscription id per purpose and accepts only the canonical token', () => {
    for (const purpose of ['unsubscribe', 'confirm'] as const) {
      const t = links.sign(purpose, ID);
      expect(t).to.match(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
      expect(links.verify(purpose, t)).to.deep.equal({ ok: true, subscriptionId: ID });
      expect(links.sign(purpose, ID)).to.equal(t);
    }
  });

  it('never opens one purpose with a token signed for another', () => {
    const unsubscribe = links.sign('unsubscribe', ID);
    const confirm = links.sign('confirm', ID);
    expect(unsubscribe).to.not.equal(confirm);
    expect(links.verify('confirm', unsubscribe)).to.deep.equal({ ok: false, reason: 'forged' });
    expect(links.verify('unsubscribe', confirm)).to.deep.equal({ ok: false, reason: 'forged' });
  });

  it('still verifies links made before the signer was renamed (MAC over "<purpose>:v1:" and the id bytes)', () => {
    const id = Buffer.from(ID.replace(/-/g, ''), 'hex');
    for (const purpose of ['unsubscribe', 'confirm'] as const) {
      const mac = createHmac('sha256', SECRET).update(`${purpose}:v1:`).update(id).digest();
      const emailed = `${id.toString('base64url')}.${mac.toString('base64url')}`;
      expect(links.verify(purpose, emailed)).to.deep.equal({ ok: true, subscriptionId: ID });
    }
  });

  it('tells forged tokens from malformed ones and never throws', () => {
    const t = links.sign('unsubscribe', ID);
    const other = links.sign('unsubscribe', '11111111-2222-4333-8444-555555555555');
    expect(links.verify('unsubscribe', `${t.split('.')[0]}.${other.split('.')[1]}`)).to.deep.equal({
      ok: false,
      reason: 'forged',
    });
    expect(
      new SignedLinks({ secret: 'another-secret-xxxxxxxx', embedded: false, dataDir: '.' }).verify('unsubscribe', t),
    ).to.deep.equal({ ok: false, reason: 'forged' });
    for (const bad of ['', '.', ID, `${t}.`, t.slice(0, -1), `${t.slice(0, -1)}=`, 'é'.repeat(66)]) {
      expect(links.verify('unsubscribe', bad), bad).to.deep.equal({ ok: false, reason: 'malformed' });
    }
  });

  it('signs subscription ids only', () => {
    expect(() => links.sign('confirm', 'not-a-uuid')).to.throw(/UUID/);
  });

  it('requires a secret in production mode', () => {
    const none = new SignedLinks({ secret: null, embedded: false, dataDir: '.' });
    expect(() => none.ensureReady()).to.throw(ConfigError, /UNSUBSCRIBE_SECRET/);
  });
});
