import { expect } from 'chai';
import { runCli } from '../helpers/cli.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';
import { useContainer } from '../helpers/harness.js';

describe('visionaire keys generate', function () {
  this.timeout(60_000);
  const t = useContainer('postgres');

  it('makes a new key current and keeps the previous one published', async () => {
    const first = await runCli(['keys', 'generate', '--json'], { DATABASE_URL: TEST_DATABASE_URL });
    expect(first.code, first.stderr).to.equal(0);
    const a = JSON.parse(first.stdout) as { kid: string };
    const second = await runCli(['keys', 'generate', '--json'], { DATABASE_URL: TEST_DATABASE_URL });
    const b = JSON.parse(second.stdout) as { kid: string; retired: string };
    expect(b.retired).to.equal(a.kid);
    expect(b.kid).to.not.equal(a.kid);
    const jwks = await t.c.credentials.jwks();
    expect(jwks.keys[0]).to.include({ kid: b.kid, kty: 'OKP', crv: 'Ed25519' });
    expect(jwks.keys.map((k) => k.kid)).to.include(a.kid);
    for (const k of jwks.keys) expect(k).to.not.have.property('d');
    const current = await t.c.db('signing_keys').whereNull('retired_at');
    expect(current.map((k) => k.kid)).to.deep.equal([b.kid]);
  });
});
