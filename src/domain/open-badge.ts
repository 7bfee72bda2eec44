/** Open Badges 3.0 credentials as VC-JWT payloads (OB 3.0 §8.2), built from plain values. Pure. */
import { API_PREFIX } from '../api-paths.js';

export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const ISSUER_NAME = "Vision'AI're";
/** The one status list this service publishes: 131 072 entries (the spec's 16 KB minimum). */
export const STATUS_LIST_ID = 1;
export const STATUS_LIST_SIZE = 131_072;

/** Where the issuer's documents live, from the service's public URL. */
export type IssuerUrls = { publicUrl: string; frontendUrl: string };

const api = (u: IssuerUrls) => `${u.publicUrl}${API_PREFIX}`;
export const credentialUrl = (u: IssuerUrls, credentialId: string) => `${api(u)}/credentials/${credentialId}`;
export const statusListUrl = (u: IssuerUrls, list: number) => `${api(u)}/credentials/status/${list}`;

/** The issuer Profile: its id is the service's public URL. */
export function issuerProfile(u: IssuerUrls) {
  return {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id: u.publicUrl,
    type: ['Profile'],
    name: ISSUER_NAME,
    url: u.frontendUrl,
    description:
      "Vision'AI're analyse le site web des petites entreprises et suit l'automatisation qu'elles mettent en place.",
  };
}

/** A badge as it was earned, and the credential slot it gets. */
export type CredentialInput = {
  credentialId: string;
  statusIndex: number;
  badge: { type: string; version: number; name: string; description: string; icon: string | null };
  /** The business: its name, else its site's host. Never the analysis id (that is the dashboard's capability). */
  subjectName: string;
  earnedAt: Date;
  issuedAt: Date;
};

/** What an achievement's criteria say in words. */
export function criteriaNarrative(description: string): string {
  return `Attribué par Vision'AI're lorsque le tableau de bord de l'entreprise le constate : ${description}`;
}

/** A small SVG medal with the badge's emoji, as a data URI (no request to another host). */
export function badgeImage(icon: string | null, name: string): string {
  const esc = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128" role="img" aria-label="${esc(name)}">` +
    `<circle cx="64" cy="64" r="60" fill="#667eea"/><circle cx="64" cy="64" r="50" fill="#ffffff"/>` +
    `<text x="64" y="84" font-size="56" text-anchor="middle">${esc(icon ?? '🏅')}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** The OpenBadgeCredential with its JWT registered claims beside its members (VC-JWT, OB 3.0 §8.2.4). */
export function openBadgeCredential(u: IssuerUrls, c: CredentialInput, subjectId?: string) {
  const id = credentialUrl(u, c.credentialId);
  const statusList = statusListUrl(u, STATUS_LIST_ID);
  const { '@context': _ignored, ...issuer } = issuerProfile(u);
  const credential = {
    '@context': [VC_CONTEXT, OB_CONTEXT],
    id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: c.badge.name,
    issuer,
    validFrom: c.earnedAt.toISOString(),
    credentialSubject: {
      ...(subjectId ? { id: subjectId } : {}),
      type: ['AchievementSubject'],
      identifier: [{ type: 'IdentityObject', identityHash: c.subjectName, identityType: 'name', hashed: false }],
      achievement: {
        id: `${api(u)}/issuer#achievement-${encodeURIComponent(c.badge.type)}-v${c.badge.version}`,
        type: ['Achievement'],
        achievementType: 'Badge',
        name: c.badge.name,
        description: c.badge.description,
        criteria: { narrative: criteriaNarrative(c.badge.description) },
        image: { id: badgeImage(c.badge.icon, c.badge.name), type: 'Image', caption: c.badge.name },
        creator: issuer,
      },
    },
    credentialStatus: {
      id: `${statusList}#${c.statusIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(c.statusIndex),
      statusListCredential: statusList,
    },
  };
  return {
    ...credential,
    iss: u.publicUrl,
    jti: id,
    nbf: seconds(c.earnedAt),
    iat: seconds(c.issuedAt),
    ...(subjectId ? { sub: subjectId } : {}),
  };
}

/** The revocation status list credential (W3C Bitstring Status List v1.0), as a VC-JWT payload. */
export function statusListCredential(u: IssuerUrls, list: number, encodedList: string, now: Date) {
  const id = statusListUrl(u, list);
  return {
    '@context': [VC_CONTEXT],
    id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: u.publicUrl,
    validFrom: now.toISOString(),
    credentialSubject: { id: `${id}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList },
    iss: u.publicUrl,
    jti: id,
    nbf: seconds(now),
    iat: seconds(now),
  };
}

/** LinkedIn's "add a certification" link, filled in for one credential. */
export function linkedInAddUrl(p: { name: string; issuedAt: Date; credentialId: string; url: string }): string {
  const q = new URLSearchParams({
    startTask: 'CERTIFICATION_NAME',
    name: p.name,
    organizationName: ISSUER_NAME,
    issueYear: String(p.issuedAt.getUTCFullYear()),
    issueMonth: String(p.issuedAt.getUTCMonth() + 1),
    certId: p.credentialId,
    certUrl: p.url,
  });
  return `https://www.linkedin.com/profile/add?${q.toString()}`;
}
