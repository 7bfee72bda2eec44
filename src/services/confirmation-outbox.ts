import { findAnalysis } from '../db/analysis-repo.js';
import {
  claimConfirmations,
  giveUpConfirmations,
  markConfirmationFailed,
  markConfirmationSent,
  releaseConfirmations,
} from '../db/confirmation-outbox-repo.js';
import type { SubscriptionRow } from '../db/subscription-repo.js';
import { confirmationView } from '../domain/confirmation-view.js';
import { PENDING_TTL_MS } from '../domain/consent.js';
import type { EmailRenderer } from '../infra/mail/email-renderer.js';
import type { Mailer } from '../infra/mail/mailer.js';
import type { Sender } from '../infra/mail/sender.js';
import type { Claim, FailedAttempt, OutboxPolicy, OutboxQueue } from '../infra/outbox/outbox-drain.js';
import type { ServiceDeps } from './deps.js';
import type { UnsubscribeService } from './unsubscribe-service.js';

/** Confirmations go out within seconds of a subscribe, and are retried a few times within minutes. */
export const CONFIRMATION_POLICY: OutboxPolicy = {
  batchSize: 20,
  concurrency: 4,
  leaseMs: 2 * 60_000,
  maxAttempts: 5,
  backoffBaseMs: 60_000,
};

/** The confirmation kind of the outbox: the double opt-in email of a pending subscription. */
export class ConfirmationOutbox implements OutboxQueue<SubscriptionRow> {
  readonly kind = 'confirmation';

  constructor(
    private readonly deps: ServiceDeps & {
      unsubscribes: UnsubscribeService;
      renderer: EmailRenderer;
      mailer: Mailer;
      sender: Sender;
      confirmUrl: (subscriptionId: string) => string;
    },
  ) {}

  expireLastAttempts(now: Date, maxAttempts: number): Promise<number> {
    return giveUpConfirmations(this.deps.db, now, maxAttempts);
  }

  claim(claim: Claim): Promise<SubscriptionRow[]> {
    return claimConfirmations(this.deps.db, claim);
  }

  attempt(row: SubscriptionRow): number {
    return row.confirmation_attempts;
  }

  describe(row: SubscriptionRow): Record<string, unknown> {
    return { subscriptionId: row.id, analysisId: row.analysis_id };
  }

  async send(row: SubscriptionRow): Promise<'sent'> {
    const analysis = await findAnalysis(this.deps.db, row.analysis_id);
    const unsubscribeUrl = this.deps.unsubscribes.url(row.id);
    const mail = this.deps.renderer.renderConfirmation(
      confirmationView({
        company: analysis?.results_summary?.identity_a1.company_name ?? null,
        frequency: row.frequency,
        confirmUrl: this.deps.confirmUrl(row.id),
        unsubscribeUrl,
        validDays: PENDING_TTL_MS / 86_400_000,
        senderName: this.deps.sender.name,
        postalAddress: this.deps.sender.postalAddress,
      }),
    );
    // One Message-ID per consent request, so a resend after a crash can be recognised as the same mail.
    const messageId = `<confirm.${row.id}.${row.consent_requested_at?.getTime() ?? 0}@visionaire>`;
    await this.deps.mailer.send({ to: row.email, ...mail, messageId, unsubscribeUrl });
    await markConfirmationSent(this.deps.db, row.id, this.deps.clock.now());
    this.deps.logger.info({ ...this.describe(row), attempt: row.confirmation_attempts }, 'confirmation email sent');
    return 'sent';
  }

  async fail(row: SubscriptionRow, f: FailedAttempt): Promise<'retrying' | 'failed'> {
    await markConfirmationFailed(this.deps.db, row, f.final ? null : f.retryAt);
    return f.final ? 'failed' : 'retrying';
  }

  release(rows: SubscriptionRow[]): Promise<void> {
    return releaseConfirmations(
      this.deps.db,
      rows.map((r) => r.id),
      this.deps.clock.now(),
    );
  }
}
