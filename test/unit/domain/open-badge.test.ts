import { expect } from 'chai';
import {
  badgeImage,
  criteriaNarrative,
  issuerProfile,
  linkedInAddUrl,
  openBadgeCredential,
  statusListCredential,
} from '../../../src/domain/open-badge.js';

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

  it('publishes the issuer Profile with the VC and OB 3.0 contexts', () => {
    expect(issuerProfile(URLS)).to.deep.equal({
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      id: URLS.publicUrl,
      type: ['Profile'],
      name: "Vision'AI're",
      url: URLS.frontendUrl,
      description:
        "Vision'AI're analyse le site web des petites entreprises et suit l'automatisation qu'elles mettent en place.",
    });
  });

  it('says in French when the badge is awarded', () => {
    expect(criteriaNarrative('Tout est fait!')).to.equal(
      "Attribué par Vision'AI're lorsque le tableau de bord de l'entreprise le constate : Tout est fait!",
    );
  });

  it('draws the medal as an SVG data URI, escaping the name and falling back to a medal emoji', () => {
    const uri = badgeImage(null, 'R&D <"Pro">');
    expect(uri.startsWith('data:image/svg+xml;base64,')).to.equal(true);
    expect(Buffer.from(uri.slice('data:image/svg+xml;base64,'.length), 'base64').toString('utf8')).to.equal(
      '<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128" role="img" aria-label="R&amp;D &lt;&quot;Pro&quot;&gt;">' +
        '<circle cx="64" cy="64" r="60" fill="#667eea"/><circle cx="64" cy="64" r="50" fill="#ffffff"/>' +
        '<text x="64" y="84" font-size="56" text-anchor="middle">🏅</text></svg>',
    );
  });

  it('builds the whole OpenBadgeCredential: contexts, types, subject, achievement and issuer', () => {
    const issuer = {
      id: URLS.publicUrl,
      type: ['Profile'],
      name: "Vision'AI're",
      url: URLS.frontendUrl,
      description:
        "Vision'AI're analyse le site web des petites entreprises et suit l'automatisation qu'elles mettent en place.",
    };
    const id = `${URLS.publicUrl}/api/v1/credentials/${INPUT.credentialId}`;
    const statusList = `${URLS.publicUrl}/api/v1/credentials/status/1`;
    expect(openBadgeCredential(URLS, { ...INPUT, badge: { ...INPUT.badge, type: 'expert efficacité' } })).to.deep.equal(
      {
        '@context': [
          'https://www.w3.org/ns/credentials/v2',
          'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
        ],
        id,
        type: ['VerifiableCredential', 'OpenBadgeCredential'],
        name: 'Expert Efficacité',
        issuer,
        validFrom: '2026-03-02T10:00:00.000Z',
        credentialSubject: {
          type: ['AchievementSubject'],
          identifier: [
            { type: 'IdentityObject', identityHash: 'Boulangerie <Tremblay>', identityType: 'name', hashed: false },
          ],
          achievement: {
            id: `${URLS.publicUrl}/api/v1/issuer#achievement-expert%20efficacit%C3%A9-v2`,
            type: ['Achievement'],
            achievementType: 'Badge',
            name: 'Expert Efficacité',
            description: 'Tout est fait!',
            criteria: { narrative: criteriaNarrative('Tout est fait!') },
            image: { id: badgeImage('🏆', 'Expert Efficacité'), type: 'Image', caption: 'Expert Efficacité' },
            creator: issuer,
          },
        },
        credentialStatus: {
          id: `${statusList}#42`,
          type: 'BitstringStatusListEntry',
          statusPurpose: 'revocation',
          statusListIndex: '42',
          statusListCredential: statusList,
        },
        iss: URLS.publicUrl,
        jti: id,
        nbf: 1772445600,
        iat: 1772697600,
      },
    );
  });

  it('builds the whole status list credential', () => {
    const id = `${URLS.publicUrl}/api/v1/credentials/status/3`;
    expect(statusListCredential(URLS, 3, 'uH4sI', new Date('2026-03-02T10:00:00.900Z'))).to.deep.equal({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: URLS.publicUrl,
      validFrom: '2026-03-02T10:00:00.900Z',
      credentialSubject: {
        id: `${id}#list`,
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        encodedList: 'uH4sI',
      },
      iss: URLS.publicUrl,
      jti: id,
      nbf: 1772445600,
      iat: 1772445600,
    });
  });
});
