import { expect } from 'chai';
import { normalizeSections, parseSections, REPORT_SECTIONS, sectionsKey, unknownSectionsMessage } from '../../../src/domain/report-sections.js';

describe('domain/report-sections', () => {
  it('means every section, in the fixed order, when the list is absent or empty', () => {
    for (const raw of [undefined, null, '', ' ', ',,']) {
      expect(parseSections(raw)).to.deep.equal({ ok: true, sections: [...REPORT_SECTIONS] });
    }
    expect(REPORT_SECTIONS).to.deep.equal(['summary', 'opportunities', 'badges', 'metrics', 'recommendations']);
  });

  it('prints the asked sections in the fixed order, whatever order, case, spacing or repetition they come in', () => {
    expect(parseSections('metrics,summary')).to.deep.equal({ ok: true, sections: ['summary', 'metrics'] });
    expect(parseSections(' Recommendations , BADGES,badges ')).to.deep.equal({ ok: true, sections: ['badges', 'recommendations'] });
  });

  it('rejects the whole list when any name is unknown, naming each unknown once', () => {
    expect(parseSections('summary,charts,foo,charts')).to.deep.equal({ ok: false, unknown: ['charts', 'foo'] });
    expect(unknownSectionsMessage(['charts'])).to.equal('unknown section(s) charts; allowed: summary, opportunities, badges, metrics, recommendations');
  });

  it('gives one cache key per set of sections', () => {
    expect(sectionsKey(['metrics', 'summary', 'metrics'])).to.equal('summary,metrics');
    expect(sectionsKey([])).to.equal(REPORT_SECTIONS.join(','));
    expect(normalizeSections([])).to.deep.equal([...REPORT_SECTIONS]);
  });
});
