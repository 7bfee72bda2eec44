import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../config.js';

const TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The file keeps its first name, so an embedded install keeps its secret and its links.
const SECRET_FILE = 'unsubscribe-secret';

export type TokenCheck = { ok: true; subscriptionId: string } | { ok: false; reason: 'malformed' | 'forged' };

/**
 * The secret that signs email links: UNSUBSCRIBE_SECRET, or in embedded mode one generated
 * on first use and kept in DATA_DIR, so links in mails already sent keep working after a restart.
 * Production mode has several processes (API, scheduler) that must agree, so it must be set.
 */
function resolveSecret(opts: { secret: string | null; embedded: boolean; dataDir: string }): Buffer {
  if (opts.secret) return Buffer.from(opts.secret, 'utf8');
  if (!opts.embedded) {
    throw new ConfigError(
      'UNSUBSCRIBE_SECRET is not set. Report emails and unsubscribe links need it when DATABASE_URL is set, ' +
        'and every process (serve, scheduler) must share it: set it to a random string of 16+ characters, e.g. `openssl rand -hex 32`.',
    );
  }
  const file = path.join(opts.dataDir, SECRET_FILE);
  fs.mkdirSync(opts.dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const stored = fs.readFileSync(file, 'utf8').trim();
  if (stored.length < 16)
    throw new ConfigError(`${file} is empty or too short; delete it to generate a new link secret`);
  return Buffer.from(stored, 'utf8');
}

/** What a link does. Each purpose keys its own MAC, so a link signed for one never opens another. */
export type LinkPurpose = 'unsubscribe' | 'confirm';

/**
 * Signs and checks the links that emails carry: HMAC-SHA256 over a subscription id and one purpose,
 * `base64url(uuid bytes).base64url(mac)`. The MAC input (`<purpose>:v1:` + id) is the one links
 * already emailed were made with, so they keep working.
 */
export class SignedLinks {
  private key: Buffer | null = null;

  constructor(private readonly opts: { secret: string | null; embedded: boolean; dataDir: string }) {}

  /** Resolves the secret now, so a missing one fails at startup rather than at the first mail. */
  ensureReady(): void {
    this.secretKey();
  }

  /** The token of `subscriptionId`'s link for `purpose`. */
  sign(purpose: LinkPurpose, subscriptionId: string): string {
    if (!UUID.test(subscriptionId)) throw new Error('a subscription id is a UUID');
    const id = Buffer.from(subscriptionId.replace(/-/g, ''), 'hex');
    return `${id.toString('base64url')}.${this.mac(purpose, id).toString('base64url')}`;
  }

  /** Checks a token for `purpose` in constant time; never throws on bad input. */
  verify(purpose: LinkPurpose, token: string): TokenCheck {
    const m = TOKEN.exec(token);
    if (!m) return { ok: false, reason: 'malformed' };
    const id = Buffer.from(m[1]!, 'base64url');
    const mac = Buffer.from(m[2]!, 'base64url');
    if (id.length !== 16 || mac.length !== 32) return { ok: false, reason: 'malformed' };
    // Only the canonical encoding is accepted, so one subscription has exactly one token per purpose.
    if (id.toString('base64url') !== m[1] || mac.toString('base64url') !== m[2])
      return { ok: false, reason: 'malformed' };
    if (!timingSafeEqual(mac, this.mac(purpose, id))) return { ok: false, reason: 'forged' };
    const hex = id.toString('hex');
    return {
      ok: true,
      subscriptionId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    };
  }

  private mac(purpose: LinkPurpose, id: Buffer): Buffer {
    return createHmac('sha256', this.secretKey()).update(`${purpose}:v1:`).update(id).digest();
  }

  private secretKey(): Buffer {
    this.key ??= resolveSecret(this.opts);
    return this.key;
  }
}
