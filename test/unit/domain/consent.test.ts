import { expect } from 'chai';
import { consentExpired, maskIp, PENDING_TTL_MS, senderName, subscriptionStatus } from '../../../src/domain/consent.js';
import { maskEmail, maskEmailForDashboard } from '../../../src/domain/email-mask.js';

describe('consent rules', () => {
  const requested = new Date('2026-03-02T10:00:00Z');

  it('a subscription is pending until confirmed, and its link lapses after 7 days', () => {
    expect(subscriptionStatus({ active: true, confirmed_at: null })).to.equal('pending');
    expect(subscriptionStatus({ active: true, confirmed_at: requested })).to.equal('active');
    const pending = { confirmed_at: null, consent_requested_at: requested };
    expect(consentExpired(pending, new Date(requested.getTime() + PENDING_TTL_MS - 1))).to.equal(false);
    expect(consentExpired(pending, new Date(requested.getTime() + PENDING_TTL_MS))).to.equal(true);
    expect(
      consentExpired({ confirmed_at: requested, consent_requested_at: requested }, new Date('2027-01-01T00:00:00Z')),
    ).to.equal(false);
  });

  it('a subscription has one of four states: suspension wins, then unsubscribing, then confirmation', () => {
    const at = requested;
    const cases: [Parameters<typeof subscriptionStatus>[0], string][] = [
      [{ active: true, confirmed_at: at, suspended_at: null }, 'active'],
      [{ active: true, confirmed_at: null, suspended_at: null }, 'pending'],
      [{ active: false, confirmed_at: at, suspended_at: at }, 'suspended'],
      [{ active: false, confirmed_at: null, suspended_at: at }, 'suspended'],
      [{ active: false, confirmed_at: at, suspended_at: null }, 'unsubscribed'],
      [{ active: false, confirmed_at: null }, 'unsubscribed'],
    ];
    for (const [row, status] of cases) expect(subscriptionStatus(row), JSON.stringify(row)).to.equal(status);
  });

  it('masks an address for its dashboard: first character, three dots, the domain', () => {
    expect(maskEmailForDashboard('owner@example.com')).to.equal('o•••@example.com');
    expect(maskEmailForDashboard('élodie@exemple.ca')).to.equal('é•••@exemple.ca');
    expect(maskEmailForDashboard('😀x@example.com')).to.equal('😀•••@example.com');
    expect(maskEmailForDashboard('not-an-address')).to.equal('•••');
  });

  it('masks addresses and IPs for support staff', () => {
    expect(maskEmail('owner@example.com')).to.equal('o***@example.com');
    expect(maskEmail('not-an-address')).to.equal('***');
    expect(maskIp('203.0.113.42')).to.equal('203.0.113.x');
    expect(maskIp('::ffff:127.0.0.1')).to.equal('127.0.0.x');
    expect(maskIp('2001:db8:85a3:0:0:8a2e:370:7334')).to.equal('2001:db8:85a3:…');
    expect(maskIp(null)).to.equal(null);
  });

  it("names the sender from MAIL_FROM's display name", () => {
    expect(senderName("Vision'AI're <rapports@visionaire.local>")).to.equal("Vision'AI're");
    expect(senderName('"Rapports VA" <r@x.ca>')).to.equal('Rapports VA');
    expect(senderName('rapports@visionaire.local')).to.equal('rapports@visionaire.local');
    // No space is needed before the address; a value that is not a plain or quoted name before it is shown whole.
    expect(senderName('"Rapports VA"<r@x.ca>')).to.equal('Rapports VA');
    expect(senderName('Rapports<r@x.ca>')).to.equal('Rapports');
    expect(senderName('Rapports "VA" <r@x.ca>')).to.equal('Rapports "VA" <r@x.ca>');
  });
});
