import { expect } from 'chai';
import {
  normalizeSections,
  parseSections,
  sectionsKey,
  unknownSectionsMessage,
} from '../../../src/domain/report-sections.js';

describe('domain/report-sections', () => {
  it('means every section, in the fixed order, when the list is absent or empty', () => {
    const all = ['summary', 'opportunities', 'badges', 'metrics', 'recommendations'];
    for (const raw of [undefined, null, '', ' ', ',,']) {
      expect(parseSections(raw)).to.deep.equal({ ok: true, sections: all });
    }
    expect(parseSections('recommendations,metrics,badges,opportunities,summary')).to.deep.equal({
      ok: true,
      sections: all,
    });
  });

  it('prints the asked sections in the fixed order, whatever order, case, spacing or repetition they come in', () => {
    expect(parseSections('metrics,summary')).to.deep.equal({ ok: true, sections: ['summary', 'metrics'] });
    expect(parseSections(' Recommendations , BADGES,badges ')).to.deep.equal({
      ok: true,
      sections: ['badges', 'recommendations'],
    });
  });

  it('rejects the whole list when any name is unknown, naming each unknown once', () => {
    expect(parseSections('summary,charts,foo,charts')).to.deep.equal({ ok: false, unknown: ['charts', 'foo'] });
    expect(unknownSectionsMessage(['charts'])).to.equal(
      'unknown section(s) charts; allowed: summary, opportunities, badges, metrics, recommendations',
    );
    expect(unknownSectionsMessage(['charts', 'foo'])).to.equal(
      'unknown section(s) charts, foo; allowed: summary, opportunities, badges, metrics, recommendations',
    );
  });

  it('gives one cache key per set of sections', () => {
    expect(sectionsKey(['metrics', 'summary', 'metrics'])).to.equal('summary,metrics');
    expect(sectionsKey([])).to.equal('summary,opportunities,badges,metrics,recommendations');
    expect(sectionsKey(['recommendations', 'summary'])).to.equal(sectionsKey(['summary', 'recommendations']));
    expect(normalizeSections([])).to.deep.equal(['summary', 'opportunities', 'badges', 'metrics', 'recommendations']);
  });
});
