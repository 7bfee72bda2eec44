import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';

const VALID = /^[\w.-]{1,128}$/;

/** Takes the caller's X-Request-Id when it is sane, or makes one; echoes it back. */
export async function requestId(ctx: Context, next: Next): Promise<void> {
  const given = ctx.get('x-request-id');
  ctx.state.requestId = VALID.test(given) ? given : randomUUID();
  ctx.set('X-Request-Id', ctx.state.requestId as string);
  await next();
}
