import { apiUrl } from '../api-paths.js';
import type { AdminOverview } from '../services/admin-service.js';
import type { RetryResult } from '../services/delivery-service.js';
import type { ActionOutcome, SubscriptionDetail, SubscriptionSummary } from '../services/support-service.js';

/** Why the console has no fresh figures: the service is down, refuses the token, or answered badly. */
export class AdminApiError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'unauthorized' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

/** A call with no answer within this long counts as failed: a frozen server or a dead link never blinds the console. */
export const ADMIN_CALL_TIMEOUT_MS = 4000;

export type RetryAnswer = RetryResult & { workers_alive: number | null; note: string };
export type SubscriptionAction = ActionOutcome & { subscription: SubscriptionDetail };
export type DeliveryRetryAnswer = ActionOutcome & { requeued: number; skipped: string | null };

/** The console's view of the service's operator endpoints (`/admin/*` under API_PREFIX), over HTTP. */
export class AdminClient {
  constructor(private readonly opts: { url: string; token: string | null; timeoutMs?: number }) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const timeoutMs = this.opts.timeoutMs ?? ADMIN_CALL_TIMEOUT_MS;
    const signal = AbortSignal.timeout(timeoutMs);
    let res: Response;
    let json: (T & { detail?: string }) | null;
    try {
      res = await fetch(apiUrl(this.opts.url, path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      json = (await res.json().catch((err: unknown) => {
        if (signal.aborted) throw err;
        return null;
      })) as (T & { detail?: string }) | null;
    } catch (err) {
      const cause = signal.aborted
        ? `no answer within ${timeoutMs / 1000} s`
        : ((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name);
      throw new AdminApiError('unreachable', `service unreachable at ${this.opts.url} (${cause})`);
    }
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

  retry(target: { id: string } | { period: string }): Promise<RetryAnswer> {
    return this.call('POST', '/admin/deliveries/retry', target);
  }

  /** Subscriptions whose email, company name, analysis id or subscription id contains `text`. */
  searchSubscriptions(text: string): Promise<SubscriptionSummary[]> {
    return this.call('GET', `/admin/subscriptions?${new URLSearchParams({ q: text, limit: '50' }).toString()}`);
  }

  subscription(id: string): Promise<SubscriptionDetail> {
    return this.call('GET', `/admin/subscriptions/${encodeURIComponent(id)}`);
  }

  reactivate(subscriptionId: string): Promise<SubscriptionAction> {
    return this.call('POST', `/admin/subscriptions/${encodeURIComponent(subscriptionId)}/reactivate`);
  }

  resendConfirmation(subscriptionId: string): Promise<SubscriptionAction> {
    return this.call('POST', `/admin/subscriptions/${encodeURIComponent(subscriptionId)}/resend-confirmation`);
  }

  retryDelivery(deliveryId: string): Promise<DeliveryRetryAnswer> {
    return this.call('POST', `/admin/deliveries/${encodeURIComponent(deliveryId)}/retry`);
  }
}
