// Anything shaped like an address, also inside a JSON log line (quotes and backslashes end it).
const ADDRESS = /[^\s"'\\<>()[\],;:@]+@[^\s"'\\<>()[\],;:@]+\.[A-Za-z]{2,}/g;

/**
 * The one way an address is shown outside the mail itself (support console, logs, stored errors):
 * the first letter of the mailbox and the domain, `o***@example.com`. Masking twice changes nothing.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** Masks every address in a text (an SMTP reply, an error message, a finished log line). */
export function redactAddresses(text: string): string {
  return text.replace(ADDRESS, maskEmail);
}

/** An address as its dashboard shows it: the first character, `•••`, then `@domain` (`o•••@example.com`). */
export function maskEmailForDashboard(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${[...email][0]}•••${email.slice(at)}`;
}
