import { apiUrl } from '../api-paths.js';
import type { AdminOverview } from '../services/admin-service.js';
import type { RetryResult } from '../services/delivery-service.js';

/** Why the console has no fresh figures: the service is down, refuses the token, or answered badly. */
export class AdminApiError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'unauthorized' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

/** The console's view of the service's operator endpoints (`/admin/*` under API_PREFIX), over HTTP. */
export class AdminClient {
  constructor(private readonly opts: { url: string; token: string | null; timeoutMs?: number }) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(apiUrl(this.opts.url, path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
      throw new AdminApiError('unreachable', `service unreachable at ${this.opts.url} (${cause})`);
    }
    const json = (await res.json().catch(() => null)) as (T & { detail?: string }) | null;
    if (res.status === 401)
      throw new AdminApiError(
        'unauthorized',
        `unauthorized: ${this.opts.token ? 'the token was refused' : 'this service needs --token or ADMIN_TOKEN'}`,
      );
    if (!res.ok || json === null)
      throw new AdminApiError('failed', `HTTP ${res.status}${json?.detail ? `: ${json.detail}` : ''}`);
    return json;
  }

  overview(): Promise<AdminOverview> {
    return this.call('GET', '/admin/console');
  }

  retry(target: { id: string } | { period: string }): Promise<RetryResult> {
    return this.call('POST', '/admin/deliveries/retry', target);
  }

  reactivate(subscriptionId: string): Promise<unknown> {
    return this.call('POST', `/admin/subscriptions/${subscriptionId}/reactivate`);
  }
}
