import { expect } from 'chai';
import { MemoryTags } from '../../../../src/infra/cache/memory-tags.js';

describe('MemoryTags', () => {
  const realNow = Date.now;
  afterEach(() => {
    Date.now = realNow;
  });

  it('reads the epoch and the analysis generation, 0 for either one never set', () => {
    const tags = new MemoryTags();
    expect(tags.tag('a')).to.equal('0.0');
    tags.store.set('epoch', { value: '3' });
    tags.store.set('gen:a', { value: '7', expires: undefined });
    expect([tags.tag('a'), tags.tag('b')]).to.deep.equal(['3.7', '3.0']);
  });

  it('takes an entry for absent from the moment it expires (the clock held still)', () => {
    Date.now = () => 1_000;
    const tags = new MemoryTags();
    tags.store.set('epoch', { value: '3', expires: 1_001 });
    tags.store.set('gen:a', { value: '7', expires: 1_000 });
    tags.store.set('gen:b', { value: '9', expires: 999 });
    expect([tags.tag('a'), tags.tag('b')]).to.deep.equal(['3.0', '3.0']);
    Date.now = () => 1_001;
    expect(tags.tag('a')).to.equal('0.0');
  });
});
