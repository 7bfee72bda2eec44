import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { UnauthorizedError } from '../../errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Operator endpoints: `Authorization: Bearer <token>` when a token is configured (always in
 * production mode); open when it is null (embedded mode). Compared in constant time: both sides
 * are hashed first, so neither the content nor the length of the token leaks through timing.
 */
export function adminAuth(token: string | null): Middleware {
  const expected = token === null ? null : digest(token);
  return async (ctx, next) => {
    if (expected) {
      const given = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'))?.[1] ?? '';
      if (!timingSafeEqual(digest(given), expected)) {
        ctx.set('WWW-Authenticate', 'Bearer');
        throw new UnauthorizedError('This endpoint needs Authorization: Bearer <ADMIN_TOKEN>');
      }
    }
    await next();
  };
}
