import { randomUUID } from 'node:crypto';
import { findAnalysis } from '../db/analysis-repo.js';
import {
  findCredential,
  findEarnedBadge,
  findLiveCredential,
  insertCredential,
  liveCredentialsOf,
  nextStatusIndex,
  revokedIndexes,
  type CredentialRow,
} from '../db/credential-repo.js';
import { currentSigningKey, insertFirstSigningKey, publicKeys, rotateSigningKey } from '../db/signing-key-repo.js';
import { requireUuid } from '../domain/ids.js';
import {
  credentialUrl,
  issuerProfile,
  linkedInAddUrl,
  openBadgeCredential,
  statusListCredential,
  STATUS_LIST_ID,
  STATUS_LIST_SIZE,
  type IssuerUrls,
} from '../domain/open-badge.js';
import { AnalysisNotFoundError, NotFoundError, ServiceUnavailableError } from '../errors.js';
import { generateSigningKey, signJwt } from '../infra/credentials/signer.js';
import { encodeStatusList } from '../infra/credentials/status-list.js';
import type { ServiceDeps } from './deps.js';

/** What the public page of a credential shows. */
export type CredentialView = {
  id: string;
  url: string;
  badge_type: string;
  badge_name: string;
  company: string;
  earned_at: Date;
  issued_at: Date;
  status: 'valid' | 'revoked';
  revoked_at: Date | null;
  jwt: string;
  linkedin_url: string;
};

/** The business as a credential names it: its company name, else its site's host. */
function subjectName(analysis: { url: string; results_summary: { identity_a1: { company_name: string } } | null }) {
  const company = analysis.results_summary?.identity_a1.company_name?.trim();
  if (company) return company;
  try {
    return new URL(analysis.url).hostname;
  } catch {
    return analysis.url;
  }
}

/** Open Badges 3.0 credentials of earned badges: signing keys, issuance, status list, public pages. */
export class CredentialService {
  private readonly urls: IssuerUrls;

  constructor(private readonly deps: ServiceDeps & IssuerUrls & { embedded: boolean }) {
    this.urls = { publicUrl: deps.publicUrl, frontendUrl: deps.frontendUrl };
  }

  /** Generates a new signing key and makes it current; the previous one stays published. */
  async generateKey(): Promise<{ kid: string; retired: string | null }> {
    const key = await generateSigningKey();
    const { retired } = await rotateSigningKey(this.deps.db, key, this.deps.clock.now());
    this.deps.logger.info({ kid: key.kid, retired }, 'signing key generated');
    return { kid: key.kid, retired };
  }

  /** Embedded mode's first start: a key when there is none yet. Returns its kid when it made one. */
  async ensureKey(): Promise<string | null> {
    if (await currentSigningKey(this.deps.db)) return null;
    const key = await generateSigningKey();
    return (await insertFirstSigningKey(this.deps.db, key, this.deps.clock.now())) ? key.kid : null;
  }

  private async signingKey() {
    let key = await currentSigningKey(this.deps.db);
    if (!key && this.deps.embedded) {
      await this.ensureKey();
      key = await currentSigningKey(this.deps.db);
    }
    if (!key) throw new ServiceUnavailableError('No signing key yet: an operator runs `visionaire keys generate`');
    return { kid: key.kid, privateJwk: key.private_jwk };
  }

  issuer() {
    return issuerProfile(this.urls);
  }

  /** The public halves of every key, current and retired (JWKS). */
  async jwks(): Promise<{ keys: Record<string, unknown>[] }> {
    const rows = await publicKeys(this.deps.db);
    return { keys: rows.map((r) => ({ ...r.public_jwk, kid: r.kid })) };
  }

  /** The signed credential of an earned badge (issued on first request, the same one afterwards); 404 when not earned. */
  async credentialFor(analysisId: string, badgeType: string): Promise<CredentialRow> {
    const id = requireUuid(analysisId, 'analysis');
    const db = this.deps.db;
    const analysis = await findAnalysis(db, id);
    if (!analysis) throw new AnalysisNotFoundError(id);
    const badge = await findEarnedBadge(db, id, badgeType);
    if (!badge) throw new NotFoundError(`Badge '${badgeType}' is not earned by analysis ${id}`);
    const live = await findLiveCredential(db, id, badgeType);
    if (live) return live;
    const key = await this.signingKey();
    const credentialId = randomUUID();
    const statusIndex = await nextStatusIndex(db);
    if (statusIndex >= STATUS_LIST_SIZE) throw new ServiceUnavailableError('The credential status list is full');
    const issuedAt = this.deps.clock.now();
    const earnedAt = new Date(badge.earned_at);
    const payload = openBadgeCredential(this.urls, {
      credentialId,
      statusIndex,
      badge: {
        type: badge.badge_type,
        version: badge.badge_version,
        name: badge.badge_name,
        description: badge.description,
        icon: badge.icon,
      },
      subjectName: subjectName(analysis),
      earnedAt,
      issuedAt,
    });
    await insertCredential(db, {
      id: credentialId,
      analysis_id: id,
      badge_type: badge.badge_type,
      badge_version: badge.badge_version,
      badge_name: badge.badge_name,
      earned_at: earnedAt,
      status_list: STATUS_LIST_ID,
      status_index: statusIndex,
      kid: key.kid,
      jwt: await signJwt(key, payload),
      issued_at: issuedAt,
      revoked_at: null,
    });
    // A concurrent request may have stored its own first: everyone answers with the stored one.
    const stored = await findLiveCredential(db, id, badgeType);
    if (!stored) throw new NotFoundError(`Badge '${badgeType}' is not earned by analysis ${id}`);
    return stored;
  }

  /** The public page of each badge's credential (issued when needed); a badge whose credential cannot be issued gets none. */
  async pageUrls(analysisId: string, badgeTypes: readonly string[]): Promise<Record<string, string>> {
    if (badgeTypes.length === 0) return {};
    const live = await liveCredentialsOf(this.deps.db, analysisId);
    const out: Record<string, string> = {};
    for (const row of live) out[row.badge_type] = credentialUrl(this.urls, row.id);
    const missing = badgeTypes.filter((t) => !out[t]);
    // Without a key (production before `keys generate`) reports simply carry no links.
    if (missing.length === 0 || (!this.deps.embedded && !(await currentSigningKey(this.deps.db)))) return out;
    for (const type of missing) {
      try {
        out[type] = credentialUrl(this.urls, (await this.credentialFor(analysisId, type)).id);
      } catch (err) {
        this.deps.logger.debug({ err, badgeType: type }, 'no credential page for a report badge');
      }
    }
    return out;
  }

  /** What the public page of a credential shows, and the credential itself. */
  async view(credentialId: string): Promise<CredentialView> {
    const row = await findCredential(this.deps.db, requireUuid(credentialId, 'credential'));
    if (!row) throw new NotFoundError(`Credential ${credentialId} not found`);
    const analysis = await findAnalysis(this.deps.db, row.analysis_id);
    const url = credentialUrl(this.urls, row.id);
    return {
      id: row.id,
      url,
      badge_type: row.badge_type,
      badge_name: row.badge_name,
      company: analysis ? subjectName(analysis) : '',
      earned_at: new Date(row.earned_at),
      issued_at: new Date(row.issued_at),
      status: row.revoked_at ? 'revoked' : 'valid',
      revoked_at: row.revoked_at ? new Date(row.revoked_at) : null,
      jwt: row.jwt,
      linkedin_url: linkedInAddUrl({
        name: row.badge_name,
        issuedAt: new Date(row.earned_at),
        credentialId: row.id,
        url,
      }),
    };
  }

  /** The revocation status list, signed (a VC-JWT); 404 for a list this service does not publish. */
  async statusList(list: number): Promise<string> {
    if (list !== STATUS_LIST_ID) throw new NotFoundError(`Status list ${list} not found`);
    const key = await this.signingKey();
    const encoded = encodeStatusList(await revokedIndexes(this.deps.db, list), STATUS_LIST_SIZE);
    return signJwt(key, statusListCredential(this.urls, list, encoded, this.deps.clock.now()));
  }
}
