import type { Context } from 'koa';
import type { ConsentSource } from '../../../db/subscription-repo.js';

/** Where a consent step came from, as the consent record keeps it. */
export function consentSource(ctx: Context): ConsentSource {
  return { ip: ctx.ip ? ctx.ip.slice(0, 64) : null, userAgent: ctx.get('user-agent').slice(0, 512) || null };
}
