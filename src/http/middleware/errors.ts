import type { Context, Next } from 'koa';
import { AppError, PayloadTooLargeError, InvalidInputError, ServiceUnavailableError } from '../../errors.js';
import type { Logger } from '../../logger.js';

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', '57P01', '57P03', '53300', '08006', '08001', '08003']);

function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; name?: string; message?: string };
  return (
    (e.code !== undefined && CONNECTION_ERRORS.has(e.code)) ||
    e.name === 'KnexTimeoutError' ||
    /Connection terminated|connect ECONNREFUSED|Timeout acquiring a connection/.test(e.message ?? '')
  );
}

/** The body limit that applied, as configured (`64 KB`, `1 MB`). */
function sizeLimit(bytes: number | undefined): string {
  if (!bytes) return 'size';
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** Maps whatever a handler throws onto the contract's error body. */
function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  const e = err as { status?: number; type?: string; expose?: boolean; message?: string; limit?: number };
  if (e.status === 413 || e.type === 'entity.too.large') return new PayloadTooLargeError(`Request body exceeds the ${sizeLimit(e.limit)} limit`);
  if (e.status === 400 && (e.type === 'entity.parse.failed' || /JSON|Unexpected token|invalid/i.test(e.message ?? ''))) {
    return new InvalidInputError('Malformed JSON body', [{ field: 'body', message: 'Malformed JSON' }]);
  }
  if (isDatabaseUnavailable(err)) return new ServiceUnavailableError('The database is unreachable; retry shortly');
  return null;
}

/** Error body `{error, detail, timestamp, request_id}`; unexpected errors are logged and never leaked. */
export function errorMiddleware(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new AppError('NOT_FOUND', 404, `No route for ${ctx.method} ${ctx.path}`);
      }
      if (ctx.status === 405 && ctx.body === undefined) throw new AppError('METHOD_NOT_ALLOWED', 405, `${ctx.method} is not allowed on ${ctx.path}`);
    } catch (err) {
      const appError = toAppError(err);
      const requestId = String(ctx.state.requestId ?? '');
      if (!appError) logger.error({ err, requestId, method: ctx.method, path: ctx.path }, 'unhandled error');
      else if (appError.status >= 500) logger.warn({ code: appError.code, requestId, path: ctx.path }, appError.detail);
      const error = appError ?? new AppError('INTERNAL_SERVER_ERROR', 500, 'An unexpected error occurred');
      ctx.status = error.status;
      if (error.code === 'RATE_LIMIT_EXCEEDED' && 'retryAfterSeconds' in error) ctx.set('Retry-After', String(error.retryAfterSeconds));
      if (error.code === 'SERVICE_UNAVAILABLE') ctx.set('Retry-After', '5');
      ctx.body = { error: error.code, detail: error.detail, timestamp: new Date().toISOString(), request_id: requestId, ...error.extra };
    }
  };
}
