import { expect } from 'chai';
import { linkedInAddUrl, openBadgeCredential, statusListCredential } from '../../../src/domain/open-badge.js';

const URLS = { publicUrl: 'https://api.visionaire.test', frontendUrl: 'https://app.visionaire.test' };
const INPUT = {
  credentialId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  statusIndex: 42,
  badge: {
    type: 'efficiency_expert',
    version: 2,
    name: 'Expert Efficacité',
    description: 'Tout est fait!',
    icon: '🏆',
  },
  subjectName: 'Boulangerie <Tremblay>',
  earnedAt: new Date('2026-03-02T10:00:00Z'),
  issuedAt: new Date('2026-03-05T08:00:00Z'),
};

describe('Open Badges 3.0 payloads', () => {
  it('puts the credential members and the registered claims at the top level', () => {
    const p = openBadgeCredential(URLS, INPUT);
    const id = `${URLS.publicUrl}/api/v1/credentials/${INPUT.credentialId}`;
    expect(p).to.include({ id, jti: id, iss: URLS.publicUrl, validFrom: '2026-03-02T10:00:00.000Z' });
    expect(p.nbf).to.equal(Date.parse('2026-03-02T10:00:00Z') / 1000);
    expect(p.iat).to.equal(Date.parse('2026-03-05T08:00:00Z') / 1000);
    expect(p).to.not.have.property('sub');
    expect(p.issuer.id).to.equal(URLS.publicUrl);
    expect(p.credentialStatus).to.deep.equal({
      id: `${URLS.publicUrl}/api/v1/credentials/status/1#42`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '42',
      statusListCredential: `${URLS.publicUrl}/api/v1/credentials/status/1`,
    });
    const svg = Buffer.from(p.credentialSubject.achievement.image.id.split(',')[1]!, 'base64').toString('utf8');
    expect(svg).to.include('🏆').and.not.include('<Tremblay>');
  });

  it('names the subject in `sub` when the subject has an id', () => {
    const p = openBadgeCredential(URLS, INPUT, 'did:example:owner');
    expect(p.sub).to.equal('did:example:owner');
    expect(p.credentialSubject.id).to.equal('did:example:owner');
  });

  it('describes the status list as a BitstringStatusListCredential', () => {
    const p = statusListCredential(URLS, 1, 'uH4sI', new Date('2026-03-02T10:00:00Z'));
    expect(p.type).to.deep.equal(['VerifiableCredential', 'BitstringStatusListCredential']);
    expect(p.credentialSubject).to.deep.equal({
      id: `${URLS.publicUrl}/api/v1/credentials/status/1#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: 'uH4sI',
    });
  });

  it("fills LinkedIn's add-certification link", () => {
    const url = new URL(
      linkedInAddUrl({ name: 'Expert Efficacité', issuedAt: INPUT.earnedAt, credentialId: 'abc', url: 'https://x/y' }),
    );
    expect(url.origin + url.pathname).to.equal('https://www.linkedin.com/profile/add');
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({
      startTask: 'CERTIFICATION_NAME',
      name: 'Expert Efficacité',
      organizationName: "Vision'AI're",
      issueYear: '2026',
      issueMonth: '3',
      certId: 'abc',
      certUrl: 'https://x/y',
    });
  });
});
