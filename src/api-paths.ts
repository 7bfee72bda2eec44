/** Where every HTTP route is mounted; links in emails and the CLI's HTTP client build on it. */
export const API_PREFIX = '/api/v1';

/** The absolute URL of an API path (`/unsubscribe/…`) on a server at `baseUrl`. */
export function apiUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/$/, '')}${API_PREFIX}${path}`;
}
