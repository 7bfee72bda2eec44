import type { ConfirmationView } from '../../domain/confirmation-view.js';
import { emailView } from '../../domain/email-view.js';
import type { ReportModel } from '../../domain/report-model.js';
import type { Frequency } from '../../domain/report-period.js';
import type { Views } from '../views.js';

export type RenderedEmail = { subject: string; html: string; text: string };

/** Renders the emails: reports (weekly or monthly) and consent confirmations, each with HTML and plain-text parts. */
export class EmailRenderer {
  constructor(
    private readonly views: Views,
    /** Who the emails come from; every one names it with its postal address. */
    private readonly sender: { name: string; postalAddress: string } = { name: "Vision'AI're", postalAddress: '' },
  ) {}

  render(model: ReportModel, opts: { frequency: Frequency; unsubscribeUrl: string }): RenderedEmail {
    const view = emailView(model, { ...opts, sender: this.sender });
    return {
      subject: view.subject,
      html: this.views.html('email/report', view),
      text: this.views.text('email/report-text', view),
    };
  }

  /** The email that asks the owner of an address to confirm a subscription. */
  renderConfirmation(view: ConfirmationView): RenderedEmail {
    return {
      subject: view.subject,
      html: this.views.html('email/confirm', view),
      text: this.views.text('email/confirm-text', view),
    };
  }
}
