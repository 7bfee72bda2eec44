import { expect } from 'chai';
import { normalizeUrl, urlHash } from '../../../src/domain/url.js';

describe('domain/url normalizeUrl', () => {
  const cases: [string, string][] = [
    ['HTTPS://WWW.Example.COM/', 'https://example.com'],
    ['https://example.com:443/Path/', 'https://example.com/Path'],
    ['http://example.com:80', 'http://example.com'],
    ['https://example.com:8443/a', 'https://example.com:8443/a'],
    ['https://example.com/a?b=C&d=1#frag', 'https://example.com/a?b=C&d=1'],
    ['https://shop.www.example.com/', 'https://shop.www.example.com'],
    ['https://example.com/www.page/', 'https://example.com/www.page'],
    ['https://wwwexample.com', 'https://wwwexample.com'],
  ];
  for (const [input, expected] of cases) {
    it(`normalizes ${input} to ${expected}`, () => expect(normalizeUrl(input)).to.equal(expected));
  }
  it('rejects non-http URLs and garbage', () => {
    for (const bad of ['ftp://example.com', 'javascript:alert(1)', 'example.com', '', 'http://'])
      expect(normalizeUrl(bad), bad).to.equal(null);
  });
  it('hashes equal URLs equally and different URLs differently', () => {
    expect(urlHash(normalizeUrl('https://www.example.com/')!)).to.equal(urlHash(normalizeUrl('https://EXAMPLE.com')!));
    expect(urlHash('https://example.com/a')).to.not.equal(urlHash('https://example.com/A'));
    expect(urlHash('https://example.com')).to.match(/^[0-9a-f]{64}$/);
  });
});
