import { expect } from 'chai';
import { maskEmail } from '../../../src/domain/email-mask.js';

describe('domain/email-mask', () => {
  it('keeps the first letter and the domain', () => {
    expect(maskEmail('owner@example.com')).to.equal('o***@example.com');
    expect(maskEmail('a@b.co')).to.equal('a***@b.co');
  });
  it('hides anything that is not an address', () => {
    expect(maskEmail('no-at-sign')).to.equal('***');
    expect(maskEmail('@example.com')).to.equal('***');
  });
});
