import { pino, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import { maskEmail, redactAddresses } from './domain/email-mask.js';

export type { Logger };

/** How log records are written: one JSON object a line, or a short human line. */
export type LogFormat = 'json' | 'pretty';

/** `auto` (LOG_FORMAT's default): human lines for a person at a terminal, JSON for pipes, files and containers. */
export function logFormatFor(setting: 'auto' | LogFormat, destination: NodeJS.WritableStream): LogFormat {
  if (setting !== 'auto') return setting;
  return (destination as { isTTY?: boolean }).isTTY ? 'pretty' : 'json';
}

/**
 * Structured logs: JSON by default, or one short human line a record (`pretty`). Email addresses are
 * masked (`o***@example.com`) under these keys and, in the finished line, wherever else they appear:
 * messages, error text, SMTP replies that echo recipients; in either format.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream, format: LogFormat = 'json'): Logger {
  const options = {
    level,
    base: undefined,
    redact: {
      paths: ['email', '*.email', 'to', '*.to', 'recipient', '*.recipient'],
      censor: (value: unknown) => (typeof value === 'string' ? maskEmail(value) : '[redacted]'),
    },
    hooks: { streamWrite: redactAddresses },
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
