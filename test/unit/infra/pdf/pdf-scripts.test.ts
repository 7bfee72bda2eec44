import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { PdfRenderer } from '../../../../src/infra/pdf/pdf-renderer.js';
import { reportModel } from '../../../helpers/report-model.js';
import { pdfTextRuns } from '../../../helpers/pdf.js';

const MIXED = 'Café 東京 مرحبا';
const hasPoppler = ['pdftotext', 'pdffonts'].every((tool) => spawnSync(tool, ['-v']).error === undefined);

/** Runs a poppler tool on the PDF bytes and returns its standard output. */
function poppler(tool: 'pdftotext' | 'pdffonts', pdf: Buffer): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pdf-scripts-'));
  try {
    const file = path.join(dir, 'report.pdf');
    writeFileSync(file, pdf);
    return execFileSync(tool, tool === 'pdftotext' ? [file, '-'] : [file], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a company name in any script, in the PDF', function () {
  this.timeout(60_000);
  const renderer = new PdfRenderer();
  const model = (company_name: string) => {
    const m = reportModel();
    return { ...m, identity: { ...m.identity, company_name } };
  };

  it('sets every character of a mixed Latin, CJK and Arabic name with a real glyph', async () => {
    const pdf = await new PdfRenderer({ compress: false }).render(model(MIXED));
    const name = pdfTextRuns(pdf).join('');
    // Arabic is written right to left: its glyphs are shown in visual order, last letter first.
    for (const word of ['Café', '東京', [...'مرحبا'].reverse().join('')]) expect(name).to.include(word);
    // A character no font has is drawn as glyph 0 (.notdef, the box).
    const shown = [...pdf.toString('latin1').matchAll(/\[([^\]]*)\] TJ/g)].flatMap((m) =>
      [...m[1]!.matchAll(/<([0-9a-f]*)>/gi)].flatMap((h) => h[1]!.match(/.{4}/g) ?? []),
    );
    expect(shown).to.have.length.above(100);
    expect(shown).not.to.include('0000');
  });

  it('extracts with pdftotext and embeds subsets of the CJK and Arabic fonts (pdffonts)', async function () {
    if (!hasPoppler) {
      console.warn('      skipped: pdftotext/pdffonts not found (apt-get install -y poppler-utils)');
      this.skip();
    }
    const pdf = await renderer.render(model(MIXED));
    const text = poppler('pdftotext', pdf);
    for (const word of ['Café', '東京', 'مرحبا']) expect(text).to.include(word);
    const fonts = poppler('pdffonts', pdf)
      .split('\n')
      .slice(2)
      .filter(Boolean)
      .map((line) => line.split(/\s+/));
    const names = fonts.map((f) => f[0] ?? '');
    // A subset's name carries a six-letter tag: ABCDEF+Name; the emb and sub columns say yes.
    for (const family of ['NotoSans-Bold', 'NotoSansSC-Bold', 'NotoSansArabic-Bold']) {
      const font = fonts.find((f) => new RegExp(`^[A-Z]{6}\\+${family}$`).test(f[0] ?? ''));
      expect(font, `${family} in ${names.join(', ')}`).not.to.equal(undefined);
      expect(font?.slice(-5, -3), family).to.deep.equal(['yes', 'yes']);
    }
  });

  it('embeds no CJK or Arabic font in a report that does not need one, and stays small', async () => {
    const latin = await renderer.render(model('Boulangerie Côté'));
    const mixed = await renderer.render(model(MIXED));
    const fontNames = (pdf: Buffer) =>
      [...pdf.toString('latin1').matchAll(/\/BaseFont \/[A-Z]{6}\+([\w-]+)/g)].map((m) => m[1]);
    expect(fontNames(latin).every((n) => n?.startsWith('NotoSans-'))).to.equal(true);
    expect(fontNames(mixed)).to.include.members(['NotoSansSC-Bold', 'NotoSansArabic-Bold']);
    // Subsets: the CJK font file alone is over 10 MB; the report carries a few of its glyphs.
    expect(mixed.length - latin.length).to.be.below(40_000);
  });
});
