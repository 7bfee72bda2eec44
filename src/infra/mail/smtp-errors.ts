import { redactAddresses } from '../../domain/email-mask.js';

/** What a failed send tells the outbox: whether retrying can help, and the error as kept on the row and in logs. */
export type SendFailure = { permanent: boolean; error: string };

/**
 * Classifies an error from `Mailer.send`. A 5xx SMTP reply is permanent (the address is refused:
 * a hard bounce); anything else (4xx, a dropped connection, a timeout) may pass on a later attempt.
 * The error text is the SMTP reply when there is one, with addresses masked, at most 1,000 characters.
 */
export function classifySendError(err: unknown): SendFailure {
  const e = (err ?? {}) as { responseCode?: unknown; response?: unknown; message?: unknown };
  const code = Number(e.responseCode);
  return {
    permanent: code >= 500 && code < 600,
    error: redactAddresses(String(e.response ?? e.message ?? err)).slice(0, 1000),
  };
}
