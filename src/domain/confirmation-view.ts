import type { Frequency } from './report-period.js';

/** What the confirmation email shows, in French. */
export type ConfirmationView = {
  subject: string;
  preheader: string;
  company: string;
  frequencyWord: string;
  confirmUrl: string;
  unsubscribeUrl: string;
  validDays: number;
  senderName: string;
  postalAddress: string;
};

/** The short French email that asks the owner of an address to confirm a subscription. */
export function confirmationView(o: {
  company: string | null;
  frequency: Frequency;
  confirmUrl: string;
  unsubscribeUrl: string;
  validDays: number;
  senderName: string;
  postalAddress: string;
}): ConfirmationView {
  const company = o.company?.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim() || 'votre entreprise';
  return {
    subject: `Confirmez votre abonnement aux rapports Vision'AI're — ${company}`,
    preheader: 'Un clic pour confirmer : rien ne vous sera envoyé sans votre accord.',
    company,
    frequencyWord: o.frequency === 'weekly' ? 'hebdomadaires' : 'mensuels',
    confirmUrl: o.confirmUrl,
    unsubscribeUrl: o.unsubscribeUrl,
    validDays: o.validDays,
    senderName: o.senderName,
    postalAddress: o.postalAddress,
  };
}
