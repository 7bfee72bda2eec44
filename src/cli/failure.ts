import { Errors } from '@oclif/core';
import { ConfigError } from '../config.js';
import { AppError } from '../errors.js';

/** What a failed command prints (`{error, detail}`) and the exit code it leaves with. */
export type Failure = {
  error: string;
  detail: string;
  exit: number;
  /** a deliberate this.exit(n): nothing to print */ silent?: boolean;
};

type Thrown = Error & { code?: unknown; path?: unknown; severity?: unknown; oclif?: { exit?: number } };

const FILE_ERRORS = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EEXIST', 'EROFS', 'EPERM']);
const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

/**
 * Maps anything a command can throw to the contract's codes and the CLI's exit codes:
 * 2 for input the operator can fix (AppError 4xx, bad configuration, oclif's parse errors, a bad
 * path), 3 for an unavailable dependency, 1 for the rest.
 */
export function describeFailure(err: unknown): Failure {
  const e = (err instanceof Error ? err : new Error(String(err))) as Thrown;
  if (e.code === 'EEXIT') return { error: '', detail: '', exit: e.oclif?.exit ?? 0, silent: true };
  if (e instanceof AppError) {
    return { error: e.code, detail: e.detail, exit: e.status === 503 ? 3 : e.status < 500 ? 2 : 1 };
  }
  if (e instanceof ConfigError) return { error: 'INVALID_CONFIG', detail: e.message, exit: 2 };
  if (e instanceof Errors.CLIError) {
    // oclif's parse errors (missing argument, unknown flag, bad option) and this.error(msg, {exit}).
    const detail = oneLine(e.message.replace(/See more help with --help\s*$/, '').trim());
    const exit = e.oclif?.exit ?? 2;
    return { error: exit === 2 ? 'INVALID_INPUT' : 'ERROR', detail, exit };
  }
  if (typeof e.code === 'string' && FILE_ERRORS.has(e.code) && typeof e.path === 'string') {
    return { error: 'INVALID_INPUT', detail: `cannot use ${e.path}: ${e.code}`, exit: 2 };
  }
  if (typeof e.code === 'string' && CONNECTION_ERRORS.has(e.code)) {
    return { error: 'SERVICE_UNAVAILABLE', detail: oneLine(e.message), exit: 3 };
  }
  if (e.severity !== undefined) {
    // A database error: its message starts with the SQL, which says nothing useful to an operator.
    const reason = e.message.split(' - ').pop() ?? e.message;
    return {
      error: 'INTERNAL_ERROR',
      detail: `database error${typeof e.code === 'string' ? ` ${e.code}` : ''}: ${oneLine(reason)}`,
      exit: 1,
    };
  }
  return { error: 'INTERNAL_ERROR', detail: oneLine(e.message) || e.name, exit: 1 };
}
