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

type Thrown = Error & {
  code?: unknown;
  path?: unknown;
  severity?: unknown;
  syscall?: unknown;
  address?: unknown;
  port?: unknown;
  oclif?: { exit?: number };
};

const FILE_ERRORS = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EEXIST', 'EROFS', 'EPERM']);
const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

/** Exit codes: success, a failure (running it again later may succeed), a usage error (it will not). */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * Maps anything a command can throw to the contract's codes and the CLI's exit codes: 2 (usage)
 * for what the operator must fix before running it again (AppError 4xx: a malformed value, an id
 * or period that matches nothing; a bad configuration; oclif's parse errors; a bad path), 1
 * (failure) for the rest: an unavailable dependency, a bug.
 */
export function describeFailure(err: unknown): Failure {
  const e = (err instanceof Error ? err : new Error(String(err))) as Thrown;
  if (e.code === 'EEXIT') return { error: '', detail: '', exit: e.oclif?.exit ?? 0, silent: true };
  if (e instanceof AppError) {
    return { error: e.code, detail: e.detail, exit: e.status < 500 ? EXIT.usage : EXIT.failure };
  }
  if (e instanceof ConfigError) return { error: 'INVALID_CONFIG', detail: oneLine(e.message), exit: EXIT.usage };
  if (e instanceof Errors.CLIError) {
    // oclif's parse errors (missing argument, unknown flag, bad option) and this.error(msg, {exit}).
    const detail = oneLine(e.message.replace(/See more help with --help\s*$/, '').trim());
    const exit = e.oclif?.exit ?? EXIT.usage;
    return { error: exit === EXIT.usage ? 'INVALID_INPUT' : 'ERROR', detail, exit };
  }
  if (typeof e.code === 'string' && FILE_ERRORS.has(e.code) && typeof e.path === 'string') {
    return { error: 'INVALID_INPUT', detail: `cannot use ${e.path}: ${e.code}`, exit: EXIT.usage };
  }
  if (e.code === 'EADDRINUSE' || (e.code === 'EACCES' && e.syscall === 'listen')) {
    const where = e.port === undefined ? '' : ` on ${String(e.address)}:${String(e.port)}`;
    const why = e.code === 'EADDRINUSE' ? 'the address is in use' : 'permission denied';
    return { error: 'INVALID_CONFIG', detail: `cannot listen${where}: ${why} (set PORT or HOST)`, exit: EXIT.usage };
  }
  if (typeof e.code === 'string' && CONNECTION_ERRORS.has(e.code)) {
    return { error: 'SERVICE_UNAVAILABLE', detail: oneLine(e.message), exit: EXIT.failure };
  }
  if (e.severity !== undefined) {
    // A database error: its message starts with the SQL, which says nothing useful to an operator.
    const reason = e.message.split(' - ').pop() ?? e.message;
    return {
      error: 'INTERNAL_ERROR',
      detail: `database error${typeof e.code === 'string' ? ` ${e.code}` : ''}: ${oneLine(reason)}`,
      exit: EXIT.failure,
    };
  }
  return { error: 'INTERNAL_ERROR', detail: oneLine(e.message) || e.name, exit: EXIT.failure };
}
