import { expect } from 'chai';
import { maskEmail, maskEmailForDashboard, redactAddresses } from '../../../src/domain/email-mask.js';

describe('domain/email-mask', () => {
  it('keeps the first letter and the domain', () => {
    expect(maskEmail('owner@example.com')).to.equal('o***@example.com');
    expect(maskEmail('a@b.co')).to.equal('a***@b.co');
  });
  it('hides anything that is not an address', () => {
    expect(maskEmail('no-at-sign')).to.equal('***');
    expect(maskEmail('@example.com')).to.equal('***');
    expect(maskEmailForDashboard('@example.com')).to.equal('•••');
  });
  it('masks the last @ when the mailbox has one too', () => {
    expect(maskEmail('"a@b"@example.com')).to.equal('"***@example.com');
  });

  describe('redactAddresses', () => {
    it('masks every address in a text the same way maskEmail does', () => {
      expect(redactAddresses("550 5.1.1 <a.b+c@mail.example.org>: rejected; also 'd@e.fr'")).to.equal(
        "550 5.1.1 <a***@mail.example.org>: rejected; also 'd***@e.fr'",
      );
    });
    it('stops at the quotes and backslashes of a JSON line', () => {
      const line = JSON.stringify({ msg: 'to "x@example.com"', to: 'y@example.com' });
      expect(JSON.parse(redactAddresses(line))).to.deep.equal({ msg: 'to "x***@example.com"', to: 'y***@example.com' });
    });
    it('leaves text without an address, and an already masked one, as it was', () => {
      expect(redactAddresses('no address @ here, user@localhost')).to.equal('no address @ here, user@localhost');
      expect(redactAddresses('o***@example.com')).to.equal('o***@example.com');
    });
  });
});
