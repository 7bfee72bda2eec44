import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { UnauthorizedError } from '../../errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Whether an Authorization header carries `Bearer <token>`; always false when no token is
 * configured. Compared in constant time: both sides are hashed first, so neither the content nor
 * the length of the token leaks through timing.
 */
export function bearerToken(token: string | null): (authorization: string | undefined) => boolean {
  const expected = token === null ? null : digest(token);
  return (authorization) => {
    if (!expected || authorization === undefined) return false;
    const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '';
    return timingSafeEqual(digest(given), expected);
  };
}

/**
 * Operator endpoints: `Authorization: Bearer <token>` when a token is configured (always in
 * production mode); open when it is null (embedded mode).
 */
export function adminAuth(token: string | null): Middleware {
  const carriesToken = bearerToken(token);
  return async (ctx, next) => {
    if (token !== null && !carriesToken(ctx.get('authorization'))) {
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedError('This endpoint needs Authorization: Bearer <ADMIN_TOKEN>');
    }
    await next();
  };
}
