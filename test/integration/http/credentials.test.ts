import { expect } from 'chai';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { statusBit } from '../../../src/infra/credentials/status-list.js';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { useHarness } from '../../helpers/harness.js';

type Payload = Record<string, unknown> & {
  credentialSubject: { achievement: Record<string, unknown> & { criteria: { narrative: string } } };
  credentialStatus: { statusListIndex: string; statusListCredential: string; type: string; statusPurpose: string };
};

describe('Open Badges 3.0 credentials', function () {
  this.timeout(60_000);
  const t = useHarness('pglite');

  async function analysisWithFirstStep(): Promise<string> {
    const created = await t.client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS });
    const id = created.body.analysis_id as string;
    const res = await t.client.post(`/dashboard/${id}/progress`, {
      opportunity_id: 'digital_presence',
      status: 'IN_PROGRESS',
    });
    expect(res.status).to.equal(200);
    return id;
  }

  async function credential(id: string, badge: string): Promise<Response> {
    return fetch(`${t.h.baseUrl}/dashboard/${id}/badges/${badge}/credential`);
  }

  async function jwks(): Promise<JSONWebKeySet> {
    const res = await t.client.get('/issuer/jwks.json');
    expect(res.status).to.equal(200);
    return res.body as JSONWebKeySet;
  }

  async function verify(jwt: string) {
    return jwtVerify<Payload>(jwt, createLocalJWKSet(await jwks()), { algorithms: ['EdDSA'] });
  }

  it('signs an OpenBadgeCredential (VC-JWT) that verifies with jose against the served JWKS', async () => {
    const id = await analysisWithFirstStep();
    const res = await credential(id, 'first_step');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/vc\+jwt/);
    const jwt = await res.text();
    const { payload, protectedHeader } = await verify(jwt);
    const publicUrl = t.h.container.config.publicUrl;
    expect(protectedHeader.alg).to.equal('EdDSA');
    expect(protectedHeader.kid).to.be.a('string').and.not.equal('');
    expect(payload['@context']).to.deep.equal([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ]);
    expect(payload.type).to.deep.equal(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(payload.issuer).to.include({ id: publicUrl, name: "Vision'AI're" });
    expect(payload.issuer).to.have.property('type').that.deep.equals(['Profile']);
    expect(payload.iss).to.equal(publicUrl);
    expect(payload.jti)
      .to.equal(payload.id)
      .and.match(/\/api\/v1\/credentials\/[0-9a-f-]{36}$/);
    const earned = await t.h.container.db('user_badges').where({ analysis_id: id, badge_type: 'first_step' }).first();
    expect(payload.validFrom).to.equal(new Date(earned.earned_at).toISOString());
    expect(payload.nbf).to.equal(Math.floor(new Date(earned.earned_at).getTime() / 1000));
    expect(payload).to.not.have.property('sub'); // the subject has no id
    const achievement = payload.credentialSubject.achievement;
    expect(achievement).to.include({
      name: 'Premier Pas',
      description: 'Vous avez commencé votre première opportunité!',
    });
    expect(achievement.criteria.narrative).to.include('Vous avez commencé');
    expect(achievement.image)
      .to.have.property('id')
      .that.match(/^data:image\/svg\+xml;base64,/);
    expect(JSON.stringify(payload)).to.include('Example Inc.');
    expect(JSON.stringify(payload)).to.not.include(id); // the analysis id is the dashboard's capability
    expect(payload.credentialStatus).to.include({
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListCredential: `${publicUrl}/api/v1/credentials/status/1`,
    });
    // Asking again gives the same credential.
    expect(await (await credential(id, 'first_step')).text()).to.equal(jwt);
    // Only public halves are served.
    for (const key of (await jwks()).keys) expect(key).to.not.have.property('d');
  });

  it('rejects a credential with one changed byte, in the payload or in the signature', async () => {
    const jwt = await (await credential(await analysisWithFirstStep(), 'first_step')).text();
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
    const tamperedPayload = `${header}.${flip(payload, 40)}.${signature}`;
    const tamperedSignature = `${header}.${payload}.${flip(signature, 10)}`;
    for (const bad of [tamperedPayload, tamperedSignature]) {
      let error: unknown = null;
      await verify(bad).catch((err: unknown) => (error = err));
      expect(error, bad).to.be.an('error');
    }
    expect((await verify(jwt)).payload.type).to.include('OpenBadgeCredential');
  });

  it('answers 404 for a badge not earned or an unknown analysis, and 400 for a malformed badge type', async () => {
    const id = await analysisWithFirstStep();
    const notEarned = await credential(id, 'efficiency_expert');
    expect(notEarned.status).to.equal(404);
    expect(((await notEarned.json()) as { error: string }).error).to.equal('NOT_FOUND');
    expect((await credential('11111111-1111-1111-1111-111111111111', 'first_step')).status).to.equal(404);
    expect((await credential(id, 'Bad-Type!')).status).to.equal(400);
    expect(await t.h.container.db('badge_credentials').where({ analysis_id: id })).to.have.length(0);
  });

  it('keeps retired keys in the JWKS after rotation, so that old credentials still verify', async () => {
    const id = await analysisWithFirstStep();
    const old = await (await credential(id, 'first_step')).text();
    const { kid, retired } = await t.h.container.credentials.generateKey();
    expect(retired).to.equal(decodeProtectedHeader(old).kid);
    const kids = (await jwks()).keys.map((k) => k.kid);
    expect(kids[0]).to.equal(kid);
    expect(kids).to.include(retired);
    await verify(old);
    const fresh = await (await credential(await analysisWithFirstStep(), 'first_step')).text();
    expect(decodeProtectedHeader(fresh).kid).to.equal(kid);
    await verify(fresh);
  });

  it('revokes the credential of a badge that new rules take away: its bit is set in the status list', async () => {
    const kept = await analysisWithFirstStep();
    const revoked = await analysisWithFirstStep();
    // `kept` implements everything, so it still earns first_step under the new rule.
    for (const opportunity of ['digital_presence', 'value_creation', 'business_management'])
      await t.client.post(`/dashboard/${kept}/progress`, { opportunity_id: opportunity, status: 'IMPLEMENTED' });
    const keptJwt = await (await credential(kept, 'first_step')).text();
    const revokedJwt = await (await credential(revoked, 'first_step')).text();
    const indexOf = async (jwt: string) => Number((await verify(jwt)).payload.credentialStatus.statusListIndex);

    const db = t.h.container.db;
    const v1 = await db('badge_definitions').where({ type: 'first_step', version: 1 }).first();
    await db('badge_definitions').where({ type: 'first_step' }).update({ active: false });
    await db('badge_definitions').insert({
      ...v1,
      version: 2,
      active: true,
      criteria: JSON.stringify({ rule: 'all_implemented' }),
      created_at: new Date(),
    });
    const result = await t.h.container.badges.reevaluateAll({ batchSize: 10 });
    expect(result.revoked).to.equal(1);

    const list = await fetch(`${t.h.baseUrl}/credentials/status/1`);
    expect(list.status).to.equal(200);
    const { payload } = await jwtVerify<{ credentialSubject: { encodedList: string; statusPurpose: string } }>(
      await list.text(),
      createLocalJWKSet(await jwks()),
    );
    expect(payload.credentialSubject.statusPurpose).to.equal('revocation');
    expect(statusBit(payload.credentialSubject.encodedList, await indexOf(revokedJwt))).to.equal(true);
    expect(statusBit(payload.credentialSubject.encodedList, await indexOf(keptJwt))).to.equal(false);

    const badges = (await t.client.get(`/dashboard/${revoked}/badges`)).body.badges.map(
      (b: { badge_type: string }) => b.badge_type,
    );
    expect(badges).to.not.include('first_step');
    expect((await credential(revoked, 'first_step')).status).to.equal(404);
    const credentialId = String((await verify(revokedJwt)).payload.jti)
      .split('/')
      .pop();
    const page = await fetch(`${t.h.baseUrl}/credentials/${credentialId}`, { headers: { accept: 'application/json' } });
    expect(((await page.json()) as { status: string }).status).to.equal('revoked');
    await db('badge_definitions').where({ type: 'first_step', version: 2 }).delete();
    await db('badge_definitions').where({ type: 'first_step', version: 1 }).update({ active: true });
  });

  it('serves a public page with the badge, the business, the date, the status and a LinkedIn link, under the page CSP', async () => {
    const id = await analysisWithFirstStep();
    const jwt = await (await credential(id, 'first_step')).text();
    const { payload } = await verify(jwt);
    const credentialId = String(payload.jti).split('/').pop()!;
    const res = await fetch(`${t.h.baseUrl}/credentials/${credentialId}`, { headers: { accept: 'text/html' } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).to.include("default-src 'none'").and.not.include('script-src');
    const html = await res.text();
    expect(html).to.include('Premier Pas').and.include('Example Inc.').and.include('data-status="valid"');
    expect(html).to.include(`<script type="application/vc+jwt" id="credential">${jwt}</script>`);
    const link = /id="linkedin" href="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    const url = new URL(link!);
    expect(url.origin + url.pathname).to.equal('https://www.linkedin.com/profile/add');
    expect(Object.fromEntries(url.searchParams)).to.deep.include({
      startTask: 'CERTIFICATION_NAME',
      name: 'Premier Pas',
      organizationName: "Vision'AI're",
      certId: credentialId,
      certUrl: payload.jti,
    });
    const machine = await fetch(`${t.h.baseUrl}/credentials/${credentialId}`, {
      headers: { accept: 'application/vc+jwt' },
    });
    expect(await machine.text()).to.equal(jwt);
    const missing = await fetch(`${t.h.baseUrl}/credentials/11111111-1111-1111-1111-111111111111`, {
      headers: { accept: 'text/html' },
    });
    expect(missing.status).to.equal(404);
    expect(await missing.text()).to.include('Ce justificatif n');
  });

  it('serves the issuer Profile with the public URL as its id', async () => {
    const res = await t.client.get('/issuer');
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ id: t.h.container.config.publicUrl, name: "Vision'AI're" });
    expect(res.body.type).to.deep.equal(['Profile']);
  });

  it('links each earned badge of the report (email and PDF) to its credential page', async () => {
    const id = await analysisWithFirstStep();
    const model = await t.h.container.reports.buildReport(id);
    const url = model.badges.find((b) => b.badge_type === 'first_step')?.credential_url;
    expect(url).to.match(/\/api\/v1\/credentials\/[0-9a-f-]{36}$/);
    const page = await fetch(url!.replace(t.h.container.config.publicUrl, t.h.baseUrl.replace(/\/api\/v1$/, '')), {
      headers: { accept: 'application/json' },
    });
    expect(((await page.json()) as { badge_type: string }).badge_type).to.equal('first_step');
    const pdf = Buffer.from(await (await fetch(`${t.h.baseUrl}/dashboard/${id}/report.pdf`)).arrayBuffer());
    expect(pdf.toString('latin1')).to.include(`/URI (${url})`);
  });
});
