import { expect } from 'chai';
import {
  badgeInitials,
  categoryLabel,
  formatDate,
  formatHours,
  formatMoney,
  formatNumber,
  formatPercent,
  formatRate,
  printable,
  reasonFr,
  reportPercent,
  statusCount,
  truncate,
} from '../../../src/domain/report-format.js';

const NNBSP = '\u202F';
const NBSP = '\u00A0';

describe('domain/report-format', () => {
  it('groups thousands with a narrow no-break space and uses a decimal comma', () => {
    expect(formatNumber(1234.5)).to.equal(`1${NNBSP}234,5`);
    expect(formatNumber(1234567)).to.equal(`1${NNBSP}234${NNBSP}567`);
    expect(formatNumber(0.666, 2)).to.equal('0,67');
    expect(formatNumber(999.96, 1)).to.equal(`1${NNBSP}000`);
  });

  it('reportPercent rounds to the nearest whole percent where completion_percentage floors', () => {
    expect(reportPercent(2, 3)).to.equal(67);
    expect(reportPercent(1, 3)).to.equal(33);
    expect(reportPercent(5, 6)).to.equal(83);
    expect(reportPercent(1, 8)).to.equal(13); // 12.5 rounds up
    expect(reportPercent(3, 3)).to.equal(100);
    expect(reportPercent(12, 10)).to.equal(100); // past the target: done, not 120
    expect(reportPercent(0, 3)).to.equal(0);
    expect(reportPercent(0, 0)).to.equal(0);
    expect(reportPercent(2, 0)).to.equal(0); // a share of nothing is not complete
  });

  it('reportPercent shows 100 only when complete and 0 only when nothing is done', () => {
    expect(reportPercent(199, 200)).to.equal(99); // 99.5 would round to 100
    expect(reportPercent(1, 201)).to.equal(1); // 0.497 would round to 0
    expect(reportPercent(9.96, 10)).to.equal(99);
  });

  it('shows an hourly rate with its cents, whole rates without', () => {
    expect(formatRate(50)).to.equal(`50${NBSP}$/h`);
    expect(formatRate(33.33)).to.equal(`33,33${NBSP}$/h`);
    expect(formatRate(33.3)).to.equal(`33,30${NBSP}$/h`);
  });

  it('puts a no-break space between a number and its unit', () => {
    expect(formatMoney(39000)).to.equal(`39${NNBSP}000${NBSP}$`);
    expect(formatMoney(13000)).to.equal(`13${NNBSP}000${NBSP}$`);
    expect(formatMoney(999.6)).to.equal(`1${NNBSP}000${NBSP}$`);
    expect(formatHours(15)).to.equal(`15${NBSP}h`);
    expect(formatHours(2.5)).to.equal(`2,5${NBSP}h`);
    expect(formatHours(780)).to.equal(`780${NBSP}h`);
    expect(formatPercent(33)).to.equal(`33${NBSP}%`);
  });

  it('writes dates in French, in UTC', () => {
    expect(formatDate(new Date('2026-03-01T23:30:00Z'))).to.equal('1 mars 2026');
    expect(formatDate(new Date('2026-12-31T00:00:00Z'))).to.equal('31 décembre 2026');
  });

  it('names categories and counts statuses in French', () => {
    expect(categoryLabel('business_management')).to.equal('Gestion d’entreprise');
    expect(categoryLabel('something_new')).to.equal('something_new');
    expect(statusCount('IMPLEMENTED', 1)).to.equal('1 implémentée');
    expect(statusCount('IMPLEMENTED', 2)).to.equal('2 implémentées');
    expect(statusCount('IN_PROGRESS', 2)).to.equal('2 en cours');
    expect(statusCount('NOT_STARTED', 0)).to.equal('0 à démarrer');
  });

  it('explains a next step in French with the API reason thresholds', () => {
    expect(reasonFr({ hours_per_week: 2, complexity_level: 3 })).to.equal(
      `Gain rapide${NBSP}: faible complexité, 2${NBSP}h/sem. à gagner`,
    );
    expect(reasonFr({ hours_per_week: 8, complexity_level: 5 })).to.equal(
      `Fort impact${NBSP}: 8${NBSP}h/sem. à gagner, complexité moyenne`,
    );
    expect(reasonFr({ hours_per_week: 4, complexity_level: 9 })).to.equal(
      `Gain régulier${NBSP}: 4${NBSP}h/sem. à gagner, complexité élevée`,
    );
  });

  it('draws badge marks from initials, skipping small words and emoji', () => {
    expect(badgeInitials('Économiseur de Temps')).to.equal('ÉT');
    expect(badgeInitials('Maître de la Constance')).to.equal('MC');
    expect(badgeInitials('🎯 Premier Pas')).to.equal('PP');
    expect(badgeInitials('Expert')).to.equal('E');
    expect(badgeInitials('Roi de l’Automatisation Rapide')).to.equal('RA');
    expect(badgeInitials('🏆')).to.equal('?');
  });

  it('removes what a PDF font cannot draw and keeps accents', () => {
    expect(printable('⏰ Économiseur de Temps 🇨🇦')).to.equal('Économiseur de Temps');
    expect(printable('Équipe 👩‍💻 dév\u0007 ❤️ Québec')).to.equal('Équipe dév Québec');
    expect(printable('ligne 1\nligne 2')).to.equal('ligne 1 ligne 2');
  });

  it('cuts long text with an ellipsis', () => {
    expect(truncate('abcdef', 10)).to.equal('abcdef');
    expect(truncate('abcdef', 4)).to.equal('abc…');
    expect(truncate('Éléphant rose', 10)).to.equal('Éléphant…');
  });
});
