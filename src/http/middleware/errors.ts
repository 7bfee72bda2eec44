import type { Context } from 'koa';
import {
  AppError,
  PayloadTooLargeError,
  InvalidInputError,
  ServiceUnavailableError,
  UnsupportedMediaTypeError,
} from '../../errors.js';
import type { Logger } from '../../logger.js';

// Refused or dropped connections, admin/crash shutdown, too many connections, statement timeout (57014).
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '57014',
  '08006',
  '08001',
  '08003',
  '08004',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connect ECONNREFUSED|Timeout acquiring a connection|timeout expired|Query read timeout|Connection ended unexpectedly|has encountered a connection error and is not queryable|the database system is (starting up|shutting down)/;

/** True for any error that means "the database is unavailable or too slow": a 503, never a 500. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; name?: string; message?: string; cause?: unknown };
  return (
    (e.code !== undefined && CONNECTION_ERRORS.has(e.code)) ||
    e.name === 'KnexTimeoutError' ||
    UNAVAILABLE_MESSAGES.test(e.message ?? '') ||
    (e.cause !== undefined && e.cause !== err && isDatabaseUnavailable(e.cause))
  );
}

/** The body limit that applied, as configured (`64 KB`, `1 MB`). */
function sizeLimit(bytes: number | undefined): string {
  if (!bytes) return 'size';
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** What an error log may carry: the error's type, code, message and stack, never the request it came with. */
function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  return { type: err.name, code: (err as { code?: unknown }).code, message: err.message, stack: err.stack };
}

/** Maps whatever a handler throws onto the contract's error body. */
function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  const e = err as { status?: number; type?: string; expose?: boolean; message?: string; limit?: number };
  if (e.status === 413 || e.type === 'entity.too.large')
    return new PayloadTooLargeError(`Request body exceeds the ${sizeLimit(e.limit)} limit`);
  if (e.status === 400 && /forbidden prototype property/.test(e.message ?? '')) {
    return new InvalidInputError('The keys __proto__, constructor and prototype are not allowed', [
      { field: 'body', message: 'contains a prototype key' },
    ]);
  }
  if (
    e.status === 400 &&
    (e.type === 'entity.parse.failed' || /JSON|Unexpected token|invalid/i.test(e.message ?? ''))
  ) {
    return new InvalidInputError('Malformed JSON body', [{ field: 'body', message: 'Malformed JSON' }]);
  }
  if (/^Z_/.test(String((err as { code?: unknown }).code)))
    return new InvalidInputError('The body could not be decompressed', [
      { field: 'body', message: 'Invalid Content-Encoding' },
    ]);
  if (e.status === 415) return new UnsupportedMediaTypeError('Unsupported content type; send application/json');
  if (isDatabaseUnavailable(err)) return new ServiceUnavailableError('The database is unreachable; retry shortly');
  return null;
}

/** Throws the contract's 404 or 405 when nothing answered the request. */
export function rejectUnanswered(ctx: Context): void {
  if (ctx.body !== undefined) return;
  if (ctx.status === 404) throw new AppError('NOT_FOUND', 404, `No route for ${ctx.method} ${ctx.path}`);
  if (ctx.status === 405) throw new AppError('METHOD_NOT_ALLOWED', 405, `${ctx.method} is not allowed on ${ctx.path}`);
}

/** Answers with the error body `{error, detail, timestamp, request_id}`; unexpected errors are logged and never leaked. */
export function answerError(ctx: Context, err: unknown, logger: Logger): void {
  const appError = toAppError(err);
  const requestId = String(ctx.state.requestId ?? '');
  const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? null;
  if (!appError) logger.error({ error: describeError(err), requestId, method: ctx.method, route }, 'unhandled error');
  else if (appError.status >= 500)
    logger.warn({ code: appError.code, requestId, method: ctx.method, route }, appError.detail);
  const error = appError ?? new AppError('INTERNAL_SERVER_ERROR', 500, 'An unexpected error occurred');
  ctx.status = error.status;
  if (error.code === 'RATE_LIMIT_EXCEEDED' && 'retryAfterSeconds' in error)
    ctx.set('Retry-After', String(error.retryAfterSeconds));
  if (error.code === 'SERVICE_UNAVAILABLE') ctx.set('Retry-After', '5');
  ctx.body = {
    error: error.code,
    detail: error.detail,
    timestamp: new Date().toISOString(),
    request_id: requestId,
    ...error.extra,
  };
}
