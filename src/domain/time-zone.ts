/** The IANA time zone of an analysis when none is given (Montréal time). */
export const DEFAULT_TIME_ZONE = 'America/Toronto';

const IANA = new Set(Intl.supportedValuesOf('timeZone'));
// An IANA name (`Europe/Paris`, `UTC`, `Etc/GMT+5`), never a bare offset such as `+05:00`.
const NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

/**
 * The canonical IANA name of a time zone, or null when it is unknown. Canonical names come from
 * `Intl.supportedValuesOf('timeZone')`; aliases (`America/Montreal`, `US/Eastern`, `Etc/UTC`) are
 * accepted and stored under the name the zone database resolves them to.
 */
export function canonicalTimeZone(name: string): string | null {
  if (!NAME.test(name)) return null;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  return IANA.has(resolved) || resolved === 'UTC' || resolved.startsWith('Etc/') ? resolved : null;
}
