import { expect } from 'chai';
import { confirmationView } from '../../../src/domain/confirmation-view.js';

const base = {
  company: 'Atelier Lune',
  frequency: 'weekly' as const,
  confirmUrl: 'https://x/confirm',
  unsubscribeUrl: 'https://x/unsub',
  validDays: 7,
  senderName: "Vision'AI're",
  postalAddress: '1 rue X',
};

describe('domain/confirmation-view', () => {
  it('names the company and the frequency in French and passes the links and sender through', () => {
    expect(confirmationView(base)).to.deep.equal({
      subject: "Confirmez votre abonnement aux rapports Vision'AI're — Atelier Lune",
      preheader: 'Un clic pour confirmer : rien ne vous sera envoyé sans votre accord.',
      company: 'Atelier Lune',
      frequencyWord: 'hebdomadaires',
      confirmUrl: 'https://x/confirm',
      unsubscribeUrl: 'https://x/unsub',
      validDays: 7,
      senderName: "Vision'AI're",
      postalAddress: '1 rue X',
    });
    expect(confirmationView({ ...base, frequency: 'monthly' }).frequencyWord).to.equal('mensuels');
  });

  it('turns control characters and line separators into spaces, and falls back when no name is left', () => {
    expect(confirmationView({ ...base, company: ' A\r\n\u2028B\u0000 ' }).company).to.equal('A B');
    expect(confirmationView({ ...base, company: '\n\t' }).company).to.equal('votre entreprise');
    expect(confirmationView({ ...base, company: null }).subject).to.match(/— votre entreprise$/);
  });
});
