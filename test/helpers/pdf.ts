import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { PDFParse } from 'pdf-parse';

/** The text of a PDF as a reader's copy-paste would give it (pdf.js turns every space-like glyph into ' '). */
export async function pdfText(pdf: Uint8Array): Promise<{ text: string; pages: number }> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const result = await parser.getText();
    return { text: result.text, pages: result.total };
  } finally {
    await parser.destroy();
  }
}

const execFileAsync = promisify(execFile);

type PdfObject = { dict: string; stream: Buffer | null };

/** Every indirect object of a (pdfkit-written) PDF, with its stream inflated. */
function pdfObjects(pdf: Buffer): Map<number, PdfObject> {
  const raw = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = header.exec(raw))) {
    const start = header.lastIndex;
    const end = raw.indexOf('endobj', start);
    const streamAt = raw.indexOf('stream\n', start);
    if (streamAt === -1 || streamAt > end) {
      objects.set(Number(m[1]), { dict: raw.slice(start, end), stream: null });
      continue;
    }
    const dict = raw.slice(start, streamAt);
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    const bytes = pdf.subarray(streamAt + 7, streamAt + 7 + length);
    objects.set(Number(m[1]), {
      dict,
      stream: dict.includes('/FlateDecode') ? inflateSync(bytes) : Buffer.from(bytes),
    });
    header.lastIndex = streamAt + 7 + length;
  }
  return objects;
}

/** glyph id → text, from a ToUnicode CMap's bfrange arrays (the form pdfkit writes). */
function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const [, from, values] of cmap.matchAll(/<([0-9a-f]+)> <[0-9a-f]+> \[([^\]]*)\]/gi)) {
    // A ligature maps to several code points: <0066 0066> is "ff".
    [...values!.matchAll(/<([0-9a-f\s]+)>/gi)].forEach(([, hex], i) => {
      map.set(parseInt(from!, 16) + i, Buffer.from(hex!.replace(/\s/g, ''), 'hex').swap16().toString('utf16le'));
    });
  }
  return map;
}

/**
 * The exact Unicode text of every text-showing operation, decoded through each font's ToUnicode
 * map. Unlike pdfText, it keeps U+202F and U+00A0; a glyph the font lacks decodes to U+0000.
 */
export function pdfTextRuns(pdf: Buffer): string[] {
  const objects = pdfObjects(pdf);
  const fonts = new Map<string, Map<number, string>>();
  for (const { dict } of objects.values()) {
    for (const [, name, ref] of dict.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(objects.get(Number(ref))?.dict ?? '')?.[1];
      const cmap = toUnicode ? objects.get(Number(toUnicode))?.stream : null;
      if (cmap) fonts.set(name!, parseToUnicode(cmap.toString('latin1')));
    }
  }
  const runs: string[] = [];
  for (const { stream } of objects.values()) {
    if (!stream) continue;
    let font: Map<number, string> | undefined;
    for (const op of stream.toString('latin1').matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ/g)) {
      if (op[1]) {
        font = fonts.get(op[1]);
        continue;
      }
      const hex = [...op[2]!.matchAll(/<([0-9a-f]*)>/gi)].map((h) => h[1]).join('');
      const glyphs = hex.match(/.{4}/g) ?? [];
      runs.push(glyphs.map((g) => font?.get(parseInt(g, 16)) ?? '\u0000').join(''));
    }
  }
  return runs;
}

/**
 * The text of a PDF (or of pages `first` to `last`, from 1) as poppler's pdftotext lays it out;
 * null when pdftotext is not installed (poppler-utils), so that a test can skip and say why.
 */
export async function pdftotext(pdf: Buffer, pages: { first?: number; last?: number } = {}): Promise<string | null> {
  const dir = await mkdtemp(join(tmpdir(), 'pdftotext-'));
  try {
    const file = join(dir, 'report.pdf');
    await writeFile(file, pdf);
    const range = [
      ...(pages.first ? ['-f', String(pages.first)] : []),
      ...(pages.last ? ['-l', String(pages.last)] : []),
    ];
    const { stdout } = await execFileAsync('pdftotext', ['-layout', '-enc', 'UTF-8', ...range, file, '-']);
    return stdout;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The number of pages of a (pdfkit-written) PDF: its page objects. */
export const pdfPageCount = (pdf: Buffer): number => pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
