import type { Container } from '../../src/container.js';
import type { Harness } from './harness.js';
import type { Frequency } from '../../src/domain/report-period.js';
import { confirmSubscription } from '../../src/db/subscription-repo.js';
import { SPEC_RESULTS, uniqueUrl } from './fixtures.js';

export const TEST_SECRET = 'test-unsubscribe-secret-0123456789';

/** The environment of a container that sends reports through `smtpUrl`. */
export const reportEnv = (smtpUrl: string): Record<string, string> => ({
  SMTP_URL: smtpUrl,
  UNSUBSCRIBE_SECRET: TEST_SECRET,
  MAIL_POSTAL_ADDRESS: '1000 rue Sherbrooke Ouest, Montréal (Québec) H3A 3G4',
  PUBLIC_URL: 'https://api.visionaire.test',
  FRONTEND_URL: 'https://app.visionaire.test',
});

/**
 * `n` complete analyses (the spec example), each with one subscriber `subscriber-i@example.org`,
 * confirmed at `confirmedAt` (default: the container's current time, as the confirm link would) unless `confirmed: false`.
 */
export async function seedSubscribers(
  c: Container,
  n: number,
  opts: {
    frequency?: Frequency;
    company?: (i: number) => string;
    hourlyRate?: number;
    timeZone?: string;
    confirmed?: boolean;
    confirmedAt?: Date;
  } = {},
): Promise<{ analysisId: string; subscriptionId: string; email: string }[]> {
  const out = [];
  for (let i = 0; i < n; i++) {
    const company = opts.company?.(i) ?? `Entreprise ${i}`;
    const { analysis_id } = await c.analyses.createAnalysis({
      url: uniqueUrl(),
      results_summary: { ...SPEC_RESULTS, identity_a1: { ...SPEC_RESULTS.identity_a1, company_name: company } },
    });
    const email = `subscriber-${i}@example.org`;
    const { subscription } = await c.subscriptions.subscribe(analysis_id, {
      email,
      frequency: opts.frequency ?? 'weekly',
      hourly_rate: opts.hourlyRate ?? 50,
      time_zone: opts.timeZone,
    });
    if (opts.confirmed !== false) {
      await confirmSubscription(c.db, subscription.subscription_id, opts.confirmedAt ?? c.clock.now(), {
        ip: '127.0.0.1',
        userAgent: 'test',
      });
    }
    out.push({ analysisId: analysis_id, subscriptionId: subscription.subscription_id, email });
  }
  return out;
}

/** Confirms a subscription as its owner would: a POST on the link of its confirmation email. */
export async function confirmThroughLink(h: Harness, subscriptionId: string): Promise<Response> {
  const { pathname } = new URL(h.container.consents.confirmUrl(subscriptionId));
  return fetch(new URL(h.baseUrl).origin + pathname, {
    method: 'POST',
    headers: { accept: 'application/json', 'user-agent': 'owner-browser/1.0' },
  });
}

/** Every delivery row, oldest first. */
export const deliveryRows = (c: Container) => c.db('report_deliveries').orderBy('created_at').select('*');
