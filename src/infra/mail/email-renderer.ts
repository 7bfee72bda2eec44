import { emailView } from '../../domain/email-view.js';
import type { ReportModel } from '../../domain/report-model.js';
import type { Frequency } from '../../domain/report-period.js';
import type { Views } from '../views.js';

export type RenderedEmail = { subject: string; html: string; text: string };

/** Renders a report model as the weekly or monthly email: subject, HTML and plain-text parts. */
export class EmailRenderer {
  constructor(private readonly views: Views) {}

  render(model: ReportModel, opts: { frequency: Frequency; unsubscribeUrl: string }): RenderedEmail {
    const view = emailView(model, opts);
    return { subject: view.subject, html: this.views.html('email/report', view), text: this.views.text('email/report-text', view) };
  }
}
