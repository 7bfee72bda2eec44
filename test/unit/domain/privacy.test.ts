import { expect } from 'chai';
import { erasureHash, retentionCutoffs, subscriberAddress } from '../../../src/domain/privacy.js';
import { InvalidInputError } from '../../../src/errors.js';

describe('privacy rules', () => {
  it('normalises an address as subscriptions store it, and refuses what is not one', () => {
    expect(subscriberAddress('  Owner@Example.COM ')).to.equal('owner@example.com');
    expect(() => subscriberAddress('not-an-address'))
      .to.throw(InvalidInputError, 'email must be an email address')
      .with.deep.property('fields', [{ field: 'email', message: 'must be an email address' }]);
  });

  it('hashes with the salt: the same address matches, another salt or address does not', () => {
    const h = erasureHash('s1', 'owner@example.com');
    expect(h).to.match(/^[0-9a-f]{64}$/);
    expect(erasureHash('s1', 'owner@example.com')).to.equal(h);
    expect(erasureHash('s2', 'owner@example.com')).to.not.equal(h);
    expect(erasureHash('s1', 'other@example.com')).to.not.equal(h);
  });

  it('computes the retention cut-offs, and none for a period of 0', () => {
    const now = new Date('2026-03-02T10:00:00Z');
    expect(retentionCutoffs(now, { deliveryMonths: 13, consentIpYears: 3 })).to.deep.equal({
      deliveries: new Date('2025-02-02T10:00:00Z'),
      consentIps: new Date('2023-03-02T10:00:00Z'),
    });
    expect(retentionCutoffs(now, { deliveryMonths: 0, consentIpYears: 0 })).to.deep.equal({
      deliveries: null,
      consentIps: null,
    });
  });
});
