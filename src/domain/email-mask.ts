/** An address as support staff see it: the first letter of the mailbox and the domain, `o***@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** An address as its dashboard shows it: the first character, `•••`, then `@domain` (`o•••@example.com`). */
export function maskEmailForDashboard(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${[...email][0]}•••${email.slice(at)}`;
}
