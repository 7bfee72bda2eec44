import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';

const VALID = /^[\w.-]{1,128}$/;
/** Unique per process start; the counter makes each id unique within the process. */
const PREFIX = randomBytes(6).toString('base64url');
let counter = 0;

/** The caller's X-Request-Id when it is sane, or a cheap new one (process prefix + counter). */
export function requestIdFor(given: string | undefined): string {
  return given !== undefined && given !== '' && VALID.test(given) ? given : `${PREFIX}-${(++counter).toString(36)}`;
}

/** Gives the request its id (`ctx.state.requestId`) and echoes it back. */
export function assignRequestId(ctx: Context): void {
  const id = requestIdFor(ctx.get('x-request-id'));
  ctx.state.requestId = id;
  ctx.set('X-Request-Id', id);
}
