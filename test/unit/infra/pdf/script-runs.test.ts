import { expect } from 'chai';
import { scriptRuns } from '../../../../src/infra/pdf/script-runs.js';

describe('infra/pdf/script-runs', () => {
  it('keeps Latin text, accents included, in one run', () => {
    expect(scriptRuns('Café Crème & Fils, 2e étage')).to.deep.equal([
      { script: 'latin', text: 'Café Crème & Fils, 2e étage' },
    ]);
  });

  it('splits a name that mixes scripts, Han and kana together, Hangul and Arabic apart', () => {
    expect(scriptRuns('Café 東京カフェ مرحبا 한국')).to.deep.equal([
      { script: 'latin', text: 'Café ' },
      { script: 'cjk', text: '東京カフェ ' },
      { script: 'arabic', text: 'مرحبا' },
      { script: 'hangul', text: ' 한국' },
    ]);
  });

  it('keeps the spaces between two Arabic words in their run, and a trailing one out of it', () => {
    expect(scriptRuns('شركة النور (Montréal)')).to.deep.equal([
      { script: 'arabic', text: 'شركة النور' },
      { script: 'latin', text: ' (Montréal)' },
    ]);
  });

  it('sets a neutral character the run’s font lacks in Latin', () => {
    const covers = (script: string, cp: number) => script !== 'arabic' || cp !== 0x2022;
    expect(scriptRuns('مرحبا•مرحبا', covers)).to.deep.equal([
      { script: 'arabic', text: 'مرحبا' },
      { script: 'latin', text: '•' },
      { script: 'arabic', text: 'مرحبا' },
    ]);
  });

  it('gives text with no letters to Latin', () => {
    expect(scriptRuns('42 %')).to.deep.equal([{ script: 'latin', text: '42 %' }]);
    expect(scriptRuns('')).to.deep.equal([]);
  });
});
