import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import type { Script } from './script-runs.js';

export type Weight = 'regular' | 'bold';

/**
 * The Noto families shipped with the package (SIL OFL 1.1), one per script: Noto Sans for Latin
 * (French accents and U+202F, the French thousands separator), Noto Sans SC for Chinese and
 * Japanese (Han, kana), Noto Sans KR for Hangul, Noto Sans Arabic. pdfkit embeds only the glyphs
 * a document uses, so a PDF carries a subset of each font it needs and none of the others.
 */
const FONT_FILES: Record<Script, Record<Weight, string>> = {
  latin: {
    regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  },
  cjk: {
    regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
  },
  hangul: {
    regular: '@expo-google-fonts/noto-sans-kr/400Regular/NotoSansKR_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans-kr/700Bold/NotoSansKR_700Bold.ttf',
  },
  arabic: {
    regular: '@expo-google-fonts/noto-sans-arabic/400Regular/NotoSansArabic_400Regular.ttf',
    bold: '@expo-google-fonts/noto-sans-arabic/700Bold/NotoSansArabic_700Bold.ttf',
  },
};

/** The name a font is registered under on every document. */
export const fontName = (script: Script, weight: Weight): string => `${script}-${weight}`;

/** Reads and parses one font file. */
function loadFont(file: string): fontkit.Font {
  const font = fontkit.create(readFileSync(createRequire(import.meta.url).resolve(file)));
  if (!('layout' in font)) throw new Error(`${file} is a font collection, not a single font`);
  return font;
}

/**
 * The parsed fonts, each read on first use and shared by every document: the glyph and layout
 * tables stay warm, and a report with only Latin text never reads the CJK files (10 MB each).
 */
export class FontSet {
  private readonly parsed = new Map<string, fontkit.Font>();

  font(script: Script, weight: Weight): fontkit.Font {
    const name = fontName(script, weight);
    let font = this.parsed.get(name);
    if (!font) {
      font = loadFont(FONT_FILES[script][weight]);
      this.parsed.set(name, font);
    }
    return font;
  }

  /** True when the script's font has a glyph for the code point (regular weight). */
  covers(script: Script, codePoint: number): boolean {
    return this.font(script, 'regular').hasGlyphForCodePoint(codePoint);
  }
}
