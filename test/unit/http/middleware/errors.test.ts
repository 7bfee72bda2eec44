import { expect } from 'chai';
import { isDatabaseUnavailable } from '../../../../src/http/middleware/errors.js';

describe('isDatabaseUnavailable', () => {
  it('takes a transaction whose connection broke mid-way (its ROLLBACK refused by pg) for an outage: a 503', () => {
    // What knex rethrows when the connection dropped inside a transaction and pg refuses the ROLLBACK.
    const err = new Error('ROLLBACK - Client has encountered a connection error and is not queryable');
    expect(isDatabaseUnavailable(err)).to.equal(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('wrapped'), { cause: err }))).to.equal(true);
  });

  it('takes dropped and refused connections for an outage, and a bug for a bug', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).to.equal(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).to.equal(true);
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).to.equal(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax error'), { code: '42601' }))).to.equal(false);
  });
});
