import { expect } from 'chai';
import { CanonicalUuid, requireUuid, UuidOut } from '../../../src/domain/ids.js';
import { InvalidInputError } from '../../../src/errors.js';

const ID = '550E8400-e29b-41d4-A716-446655440000';

describe('domain/ids', () => {
  it('accepts a UUID in any case and gives its lower-case form', () => {
    expect(requireUuid(ID, 'id')).to.equal(ID.toLowerCase());
    expect(CanonicalUuid.parse(ID)).to.equal(ID.toLowerCase());
  });

  it('refuses anything else with INVALID_INPUT naming the field', () => {
    for (const bad of ['', `${ID}x`, `x${ID}`, ID.replace(/-/g, ''), ID.replace('E', 'G')]) {
      expect(() => requireUuid(bad, 'analysis_id'), bad)
        .to.throw(InvalidInputError, 'analysis_id must be a UUID')
        .with.property('fields')
        .that.deep.equals([{ field: 'analysis_id', message: 'must be a UUID' }]);
      expect(CanonicalUuid.safeParse(bad).success, bad).to.equal(false);
    }
  });

  it('gives out lower-case ids only', () => {
    expect(UuidOut.safeParse(ID.toLowerCase()).success).to.equal(true);
    expect(UuidOut.safeParse(ID).success).to.equal(false);
    expect(UuidOut.safeParse(`${ID.toLowerCase()}0`).success).to.equal(false);
  });
});
