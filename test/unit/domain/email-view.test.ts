import { expect } from 'chai';
import { emailView } from '../../../src/domain/email-view.js';
import { nextBadgeWithinReach } from '../../../src/domain/report-model.js';
import { reportPeriod } from '../../../src/domain/report-period.js';
import type { Status } from '../../../src/domain/progress.js';
import { reportModel } from '../../helpers/report-model.js';

const NBSP = '\u00A0';
const NNBSP = '\u202F';
const opts = { frequency: 'weekly' as const, unsubscribeUrl: 'https://api.example/u/t' };

describe('emailView', () => {
  it('formats the figures in French: narrow no-break thousands, no-break before units', () => {
    const v = emailView(reportModel(), opts);
    expect(v.completion).to.deep.equal({
      percent: 33,
      label: `33${NBSP}% complété`,
      detail: '1 opportunité implémentée sur 3',
    });
    expect(v.hours.implementedWeekly).to.equal(`5${NBSP}h${NBSP}par semaine`);
    expect(v.money?.implementedAnnual).to.equal(`13${NNBSP}000${NBSP}$${NBSP}CAD par an`);
    expect(v.money?.potentialAnnual).to.equal(`39${NNBSP}000${NBSP}$${NBSP}CAD par an`);
  });

  it('shows the rate the money was computed from, cents included', () => {
    const v = emailView(reportModel({ hourlyRate: 33.33 }), opts);
    expect(v.money?.rate).to.equal(`33,33${NBSP}$/h`);
    // 260 h a year at 33.33 $/h is 8665.80 $.
    expect(v.money?.implementedAnnual).to.equal(`8${NNBSP}666${NBSP}$${NBSP}CAD par an`);
    expect(emailView(reportModel(), opts).money?.rate).to.equal(`50${NBSP}$/h`);
  });

  it('takes the company name from identity_a1.company_name and keeps the subject on one line', () => {
    const model = reportModel();
    model.identity = { ...model.identity, company_name: 'Acme\r\nBcc: x@y.z' };
    const v = emailView(model, opts);
    expect(v.subject).to.equal("Votre rapport hebdomadaire Vision'AI're — Acme Bcc: x@y.z");
    expect(v.subject).not.to.match(/[\r\n]/);
    expect(emailView(reportModel(), { ...opts, frequency: 'monthly' }).subject).to.equal(
      "Votre rapport mensuel Vision'AI're — Example Inc.",
    );
  });

  it('shows money only when an hourly rate is known, and at most two next steps', () => {
    const v = emailView(
      reportModel({ hourlyRate: null, statuses: ['NOT_STARTED', 'NOT_STARTED', 'NOT_STARTED'] }),
      opts,
    );
    expect(v.money).to.equal(null);
    expect(v.nextSteps.map((s) => s.category)).to.deep.equal(['Création de valeur', 'Présence numérique']);
  });

  it('lists only the badges earned in the period and labels the period', () => {
    const model = reportModel();
    model.period = reportPeriod('weekly', new Date('2026-03-09T09:00:00Z'));
    model.new_badges = model.badges.slice(1).map((b) => ({ ...b, is_new: true }));
    const v = emailView(model, opts);
    expect(v.newBadges.map((b) => b.name)).to.deep.equal(['Victoire Rapide']);
    expect(v.periodLabel).to.equal('Semaine du 2 au 8 mars 2026');
    model.period = reportPeriod('weekly', new Date('2026-03-02T09:00:00Z'));
    expect(emailView(model, opts).periodLabel).to.equal('Semaine du 23 février au 1er mars 2026');
    model.period = reportPeriod('weekly', new Date('2026-01-05T09:00:00Z'));
    expect(emailView(model, opts).periodLabel).to.equal('Semaine du 29 décembre 2025 au 4 janvier 2026');
    model.period = reportPeriod('monthly', new Date('2026-03-01T09:00:00Z'));
    expect(emailView(model, { ...opts, frequency: 'monthly' }).periodLabel).to.equal('Février 2026');
  });

  it('heads the new badges with the period, or "depuis le dernier rapport" when they go back further', () => {
    const model = reportModel();
    model.period = reportPeriod('weekly', new Date('2026-03-16T09:00:00Z'));
    model.new_badges_since = model.period.start;
    expect(emailView(model, opts).newBadgesPhrase).to.equal('cette semaine');
    model.new_badges_since = new Date('2026-03-02T00:00:00Z'); // the week before was not reported
    expect(emailView(model, opts).newBadgesPhrase).to.equal('depuis le dernier rapport');
    expect(emailView(model, opts).periodPhrase).to.equal('cette semaine');
    model.period = null;
    model.new_badges_since = null;
    expect(emailView(model, { ...opts, frequency: 'monthly' }).newBadgesPhrase).to.equal('ce mois-ci');
  });

  it("labels the period with the analysis's local dates (Paris: March starts at 23:00 UTC on 28 February)", () => {
    const model = reportModel();
    model.period = reportPeriod('monthly', new Date('2026-04-01T07:00:00Z'), 'Europe/Paris');
    expect(emailView(model, { ...opts, frequency: 'monthly' }).periodLabel).to.equal('Mars 2026');
    model.period = reportPeriod('weekly', new Date('2026-03-30T07:00:00Z'), 'Europe/Paris');
    expect(emailView(model, opts).periodLabel).to.equal('Semaine du 23 au 29 mars 2026');
  });

  it('names the sender and its postal address', () => {
    const sender = { name: "Vision'AI're", postalAddress: '1 rue X, Montréal' };
    expect(emailView(reportModel(), { ...opts, sender }).sender).to.deep.equal(sender);
  });
});

describe('emailView: every line of the spec example', () => {
  it('gives the text of each value, without a period', () => {
    expect(emailView(reportModel(), opts)).to.deep.equal({
      frequency: 'weekly',
      subject: "Votre rapport hebdomadaire Vision'AI're — Example Inc.",
      title: 'Rapport hebdomadaire',
      adjective: 'hebdomadaire',
      periodPhrase: 'cette semaine',
      newBadgesPhrase: 'cette semaine',
      periodLabel: 'Au 2 mars 2026',
      preheader: `33${NBSP}% complété · 5${NBSP}h économisées par semaine`,
      company: 'Example Inc.',
      companyEnd: '',
      completion: { percent: 33, label: `33${NBSP}% complété`, detail: '1 opportunité implémentée sur 3' },
      hours: {
        implementedWeekly: `5${NBSP}h${NBSP}par semaine`,
        implementedAnnual: `260${NBSP}h par an`,
        potentialWeekly: `15${NBSP}h${NBSP}par semaine`,
      },
      money: {
        implementedAnnual: `13${NNBSP}000${NBSP}$${NBSP}CAD par an`,
        potentialAnnual: `39${NNBSP}000${NBSP}$${NBSP}CAD par an`,
        rate: `50${NBSP}$/h`,
      },
      newBadges: [],
      nextSteps: [
        {
          category: 'Gestion d’entreprise',
          teaser: 'Suivi des dépenses sur Excel',
          hours: `2${NBSP}h${NBSP}par semaine`,
        },
      ],
      nextBadge: null,
      inProgress: [
        {
          category: 'Création de valeur',
          teaser: 'Processus de facturation manuel',
          hours: `8${NBSP}h${NBSP}par semaine`,
        },
      ],
      dashboardUrl: 'http://localhost:3000/dashboard/550e8400-e29b-41d4-a716-446655440000',
      unsubscribeUrl: 'https://api.example/u/t',
      sender: { name: "Vision'AI're", postalAddress: '' },
      year: 2026,
    });
  });

  it('puts a full stop after the company name unless it already ends a sentence', () => {
    const end = (name: string) => {
      const model = reportModel();
      model.identity = { ...model.identity, company_name: name };
      return emailView(model, opts);
    };
    expect(end('Example Inc.').companyEnd).to.equal('');
    expect(end('Hop!').companyEnd).to.equal('');
    expect(end('Quoi?').companyEnd).to.equal('');
    expect(end('Acme').companyEnd).to.equal('.');
    expect(end('Dr. Café').companyEnd).to.equal('.');
    // Spaces and line breaks around the name are dropped; a blank name becomes "Votre entreprise".
    expect(end('  Acme\n').subject).to.equal("Votre rapport hebdomadaire Vision'AI're — Acme");
    expect(end(' \r\n').company).to.equal('Votre entreprise');
  });

  it('counts the implemented opportunities in the singular up to one, in the plural above', () => {
    const detail = (statuses: Status[]) => emailView(reportModel({ statuses }), opts).completion.detail;
    expect(detail(['NOT_STARTED', 'NOT_STARTED', 'NOT_STARTED'])).to.equal('0 opportunité implémentée sur 3');
    expect(detail(['IMPLEMENTED', 'IMPLEMENTED', 'NOT_STARTED'])).to.equal('2 opportunités implémentées sur 3');
  });

  it('shows no money at all when any amount of it is unknown', () => {
    for (const missing of ['hourly_rate', 'implemented_annual', 'potential_annual'] as const) {
      const model = reportModel();
      model.metrics = { ...model.metrics, money_saved: { ...model.metrics.money_saved, [missing]: null } };
      expect(emailView(model, opts).money, missing).to.equal(null);
    }
  });

  it('links each new badge to its credential page when it has one', () => {
    const model = reportModel();
    model.new_badges = [
      { ...model.badges[0]!, is_new: true, credential_url: 'https://api.example/api/v1/credentials/c1' },
      { ...model.badges[1]!, is_new: true },
    ];
    expect(emailView(model, opts).newBadges).to.deep.equal([
      {
        initials: 'PP',
        name: 'Premier Pas',
        description: 'Vous avez commencé votre première opportunité!',
        points: 10,
        credentialUrl: 'https://api.example/api/v1/credentials/c1',
      },
      {
        initials: 'VR',
        name: 'Victoire Rapide',
        description: 'Première opportunité complétée en moins de 7 jours!',
        points: 25,
        credentialUrl: null,
      },
    ]);
  });

  it("words the next badge's progress by its unit", () => {
    const progress = (unit: string, current: number, target: number) =>
      emailView(
        reportModel({
          nextBadge: { name: 'B', description: 'd', points: 5, current, target, unit, achievable: true },
        }),
        opts,
      ).nextBadge?.progress;
    expect(progress('opportunities', 1, 3)).to.equal('1 opportunité sur 3');
    expect(progress('opportunities', 2, 3)).to.equal('2 opportunités sur 3');
    expect(progress('days', 4, 7)).to.equal('4 sur 7');
    expect(progress('hours_per_week', 2.5, 10)).to.equal(`2,5${NBSP}h sur 10${NBSP}h${NBSP}par semaine`);
  });
});

describe('emailView: the whole story', () => {
  it('rounds the completion to the nearest whole percent (2 of 3 is 67 %, where the dashboard floors to 66)', () => {
    const v = emailView(reportModel({ statuses: ['IMPLEMENTED', 'IMPLEMENTED', 'NOT_STARTED'] }), opts);
    expect(v.completion.percent).to.equal(67);
    expect(v.completion.label).to.equal(`67${NBSP}% complété`);
    expect(v.preheader).to.match(/^67\u00A0% complété/);
  });

  it('lists the opportunities in progress, not only the implemented ones', () => {
    const v = emailView(reportModel({ statuses: ['IN_PROGRESS', 'IMPLEMENTED', 'IN_PROGRESS'] }), opts);
    expect(v.inProgress).to.have.length(2);
    expect(v.inProgress.every((o) => o.hours.endsWith(`${NBSP}par semaine`))).to.equal(true);
    expect(
      emailView(reportModel({ statuses: ['IMPLEMENTED', 'NOT_STARTED', 'NOT_STARTED'] }), opts).inProgress,
    ).to.deep.equal([]);
  });
});

describe('the next badge within reach', () => {
  const pending = (name: string, current: number, target: number, achievable = true) => ({
    badge_name: name,
    description: `${name}!`,
    points: 50,
    progress: { current, target, unit: 'hours_per_week', achievable },
  });

  it('is the achievable badge with the largest share done, shown with its rounded progress', () => {
    const next = nextBadgeWithinReach([
      pending('Loin', 1, 10),
      pending('Proche', 5, 6),
      pending('Perdu', 9, 10, false),
    ]);
    expect(next).to.include({ name: 'Proche', current: 5, target: 6 });
    const v = emailView(reportModel({ nextBadge: next }), opts);
    expect(v.nextBadge).to.include({
      name: 'Proche',
      percent: 83,
      progress: `5${NBSP}h sur 6${NBSP}h${NBSP}par semaine`,
    });
    expect(nextBadgeWithinReach([pending('Perdu', 9, 10, false)])).to.equal(null);
  });
});
