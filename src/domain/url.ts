import { createHash } from 'node:crypto';

/**
 * Normalizes a URL for deduplication: lowercase scheme and host, strip a leading `www.`,
 * drop the default port, the fragment and a trailing `/`; keep the path's case and the query.
 * Returns null when the input is not an absolute http(s) URL.
 */
export function normalizeUrl(input: string): string | null {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname) return null;
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  const port = url.port ? `:${url.port}` : ''; // URL already drops the scheme's default port
  let pathname = url.pathname;
  if (pathname.endsWith('/')) pathname = pathname.slice(0, -1);
  return `${url.protocol}//${host}${port}${pathname}${url.search}`;
}

/** sha256 hex of the normalized URL: the dedup key in the cache and the `url_hash` column. */
export function urlHash(normalized: string): string {
  return createHash('sha256').update(normalized).digest('hex');
}
