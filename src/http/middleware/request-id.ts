import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';

const VALID = /^[\w.-]{1,128}$/;
/** Unique per process start; the counter makes each id unique within the process. */
const PREFIX = randomBytes(6).toString('base64url');
let counter = 0;

/** Takes the caller's X-Request-Id when it is sane, or makes a cheap one (process prefix + counter); echoes it back. */
export function assignRequestId(ctx: Context): void {
  const given = ctx.get('x-request-id');
  const id = given !== '' && VALID.test(given) ? given : `${PREFIX}-${(++counter).toString(36)}`;
  ctx.state.requestId = id;
  ctx.set('X-Request-Id', id);
}
