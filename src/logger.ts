import { pino, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger };

/** How log records are written: one JSON object a line, or a short human line. */
export type LogFormat = 'json' | 'pretty';

// Anything shaped like an address, as it appears inside a JSON log line (quotes and backslashes end it).
const EMAIL = /[^\s"'\\<>()[\],;:@]+@[^\s"'\\<>()[\],;:@]+\.[A-Za-z]{2,}/g;

/** Replaces every email address in a finished log line: covers messages, error text and mail errors that echo recipients. */
export function redactEmails(line: string): string {
  return line.replace(EMAIL, '[redacted]');
}

/** `auto` (LOG_FORMAT's default): human lines for a person at a terminal, JSON for pipes, files and containers. */
export function logFormatFor(setting: 'auto' | LogFormat, destination: NodeJS.WritableStream): LogFormat {
  if (setting !== 'auto') return setting;
  return (destination as { isTTY?: boolean }).isTTY ? 'pretty' : 'json';
}

/**
 * Structured logs: JSON by default, or one short human line a record (`pretty`). Email addresses
 * are redacted under these keys and wherever else they appear in a line, in either format.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream, format: LogFormat = 'json'): Logger {
  const options = {
    level,
    base: undefined,
    redact: { paths: ['email', '*.email', 'to', '*.to', 'recipient', '*.recipient'], censor: '[redacted]' },
    hooks: { streamWrite: redactEmails },
  };
  if (format === 'pretty') {
    const out = destination ?? process.stdout;
    const pretty = PinoPretty({
      destination: out,
      colorize: Boolean((out as { isTTY?: boolean }).isTTY),
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname',
      sync: true,
    });
    return pino(options, pretty);
  }
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}
