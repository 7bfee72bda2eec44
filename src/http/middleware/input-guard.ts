import type { Context, Next } from 'koa';
import { AppError, InvalidInputError, type FieldError } from '../../errors.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const ACCEPTED_ENCODINGS = new Set(['', 'identity']);
const MAX_DEPTH = 64;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first problem in a parsed value: a prototype-polluting key or a string PostgreSQL cannot store. */
function findProblem(value: unknown, path: string, depth = 0): FieldError | null {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return { field: path, message: 'must not contain NUL bytes' };
    if (LONE_SURROGATE.test(value)) return { field: path, message: 'must be well-formed Unicode (no lone surrogates)' };
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (depth > MAX_DEPTH) return { field: path, message: `nests deeper than ${MAX_DEPTH} levels` };
  for (const key of Object.keys(value)) {
    const at = `${path}.${key}`;
    if (FORBIDDEN_KEYS.has(key)) return { field: at, message: `the key '${key}' is not allowed` };
    const keyProblem = findProblem(key, at, depth + 1);
    if (keyProblem) return keyProblem;
    const problem = findProblem((value as Record<string, unknown>)[key], at, depth + 1);
    if (problem) return problem;
  }
  return null;
}

/** A method no route has (TRACE, PROPFIND, …) answers 405 in the contract's shape, before anything reads the body. */
export function onlyKnownMethods(methods: readonly string[]) {
  const known = new Set(methods.map((m) => m.toUpperCase()));
  return (ctx: Context, next: Next): Promise<void> => {
    if (!known.has(ctx.method)) {
      ctx.set('Allow', [...known].join(', '));
      throw new AppError('METHOD_NOT_ALLOWED', 405, `${ctx.method} is not supported`);
    }
    return next();
  };
}

/** Before parsing: only identity-encoded bodies are read (a gzip header on plain bytes would fail deep in zlib). */
export function acceptEncoding(ctx: Context, next: Next): Promise<void> {
  const encoding = ctx.req.headers['content-encoding'];
  if (encoding !== undefined && !ACCEPTED_ENCODINGS.has(encoding.trim().toLowerCase())) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 415, 'Content-Encoding is not supported; send an uncompressed body');
  }
  return next();
}

/** After parsing: rejects `__proto__`-style keys, NUL bytes and lone surrogates in the path, query and body, naming the field. */
export async function rejectHostileInput(ctx: Context, next: Next): Promise<void> {
  const problem =
    findProblem(safeDecode(ctx.path), 'path') ??
    findProblem({ ...ctx.query }, 'query') ??
    findProblem((ctx.request as { body?: unknown }).body, 'body');
  if (problem) throw new InvalidInputError(`Invalid ${problem.field}: ${problem.message}`, [problem]);
  await next();
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path; // the router answers a malformed escape itself
  }
}
