import { expect } from 'chai';
import { EmailRenderer } from '../../../../src/infra/mail/email-renderer.js';
import { Views } from '../../../../src/infra/views.js';
import { reportModel } from '../../../helpers/report-model.js';

const renderer = new EmailRenderer(new Views());
const opts = { frequency: 'weekly' as const, unsubscribeUrl: 'https://api.example/api/v1/unsubscribe/a.b?x=1&y=2' };

describe('EmailRenderer', () => {
  it('escapes every value in the HTML part and leaves the text part plain', () => {
    const model = reportModel();
    model.identity = { ...model.identity, company_name: '<script>alert("x")</script> & Co' };
    model.next_steps = [{ ...model.next_steps[0]!, problem_teaser: '<img src=x onerror=alert(1)>' }];
    const { html, text } = renderer.render(model, opts);
    expect(html).not.to.include('<script>');
    expect(html).not.to.include('<img src=x');
    expect(html).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(html).to.include('href="https://api.example/api/v1/unsubscribe/a.b?x=1&amp;y=2"');
    expect(text).to.include('<script>alert("x")</script> & Co');
    expect(text).to.include('https://api.example/api/v1/unsubscribe/a.b?x=1&y=2');
  });

  it('uses a table layout with inline styles and a solid colour behind every gradient', () => {
    const { html } = renderer.render(reportModel(), opts);
    expect(html).not.to.match(/<style|display:\s*flex|class="/);
    for (const style of html.match(/style="[^"]*gradient[^"]*"/g) ?? [])
      expect(style).to.match(/background-color:#[0-9a-f]{6}/);
    expect(html).to.match(/<table role="presentation"/);
  });

  it('draws the progress bar at 0 %, 33 % and 100 % without an empty or negative cell', () => {
    const widths = (statuses: ('IMPLEMENTED' | 'NOT_STARTED')[]) =>
      [...renderer.render(reportModel({ statuses }), opts).html.matchAll(/<td width="(\d+)%" height="20"/g)].map((m) =>
        Number(m[1]),
      );
    expect(widths(['NOT_STARTED', 'NOT_STARTED', 'NOT_STARTED'])).to.deep.equal([100]);
    expect(widths(['IMPLEMENTED', 'NOT_STARTED', 'NOT_STARTED'])).to.deep.equal([33, 67]);
    expect(widths(['IMPLEMENTED', 'IMPLEMENTED', 'IMPLEMENTED'])).to.deep.equal([100]);
  });

  it('leaves out the money and badge sections when there is nothing to show', () => {
    const { html, text } = renderer.render(reportModel({ hourlyRate: null }), opts);
    expect(html).not.to.include('Économies réalisées');
    expect(text).not.to.include('ÉCONOMIES');
    expect(html).not.to.include('Nouveaux badges');
    expect(text).to.include('TEMPS ÉCONOMISÉ');
  });
});
