import { createHash, timingSafeEqual } from 'node:crypto';
import type Koa from 'koa';
import { UnauthorizedError } from '../../errors.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Operator endpoints: `Authorization: Bearer <token>`, compared in constant time. With no token
 * configured (embedded mode) they are open.
 */
export function adminAuth(token: string | null): Koa.Middleware {
  const expected = token === null ? null : digest(token);
  return async (ctx, next) => {
    if (expected) {
      const given = /^Bearer\s+(.+)$/i.exec(ctx.get('authorization'))?.[1]?.trim() ?? '';
      if (!timingSafeEqual(digest(given), expected)) {
        ctx.set('WWW-Authenticate', 'Bearer');
        throw new UnauthorizedError('A valid operator token is required: Authorization: Bearer $ADMIN_TOKEN');
      }
    }
    await next();
  };
}
