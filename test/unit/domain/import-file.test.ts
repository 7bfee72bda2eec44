import { expect } from 'chai';
import { ImportSplitter, parseImportFile, splitImport, type ImportEntry } from '../../../src/domain/import-file.js';

/** The records of a text pushed in the given chunks. */
function inChunks(chunks: readonly string[]): ImportEntry[] {
  const splitter = new ImportSplitter();
  return [...chunks.flatMap((c) => splitter.push(c)), ...splitter.end()];
}

/** The text cut into chunks of `size` characters. */
const cut = (text: string, size: number) =>
  Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

describe('domain/import-file', () => {
  it('reads NDJSON with line numbers and skips blank lines', () => {
    const entries = parseImportFile('{"a":1}\n\n{"a":2}\nnot json\n');
    expect(entries.map((e) => e.line)).to.deep.equal([1, 3, 4]);
    expect(entries[2]).to.have.property('error');
  });
  it('reads a JSON array and gives each element the line it starts on', () => {
    const text = '[\n  {"a": 1},\n  {\n    "a": "x,]"\n  },\n  {"a": 3}\n]\n';
    const entries = parseImportFile(text);
    expect(entries.map((e) => e.line)).to.deep.equal([2, 3, 6]);
    expect(entries.map((e) => ('value' in e ? (e.value as { a: unknown }).a : null))).to.deep.equal([1, 'x,]', 3]);
  });
  it('reports an unfinished JSON array as a failure after the elements it holds', () => {
    const entries = parseImportFile('[{"a":1},\n{"a"');
    expect(entries).to.have.length(2);
    expect(entries[0]).to.deep.equal({ line: 1, value: { a: 1 } });
    expect(entries[1])
      .to.have.property('error')
      .that.matches(/ends before the closing \]/);
  });
  it('drops a UTF-8 byte order mark before the first record', () => {
    expect(parseImportFile('\uFEFF{"a":1}\n')).to.deep.equal([{ line: 1, value: { a: 1 } }]);
    expect(parseImportFile('\uFEFF[{"a":1}]')).to.deep.equal([{ line: 1, value: { a: 1 } }]);
  });
  for (const size of [1, 2, 7]) {
    it(`gives the same records when the text arrives in chunks of ${size} characters`, () => {
      const texts = [
        '[\n  {"a": 1},\n  {\n    "a": "x,]\\"{"\n  },\n  {"a": [3, {"b": "]"}]}\n]\n',
        '\n{"a":1}\r\n\n{"a":"é"}\nnot json\n{"a":3}',
      ];
      for (const text of texts) {
        const splitter = new ImportSplitter();
        const entries: ImportEntry[] = [];
        for (let i = 0; i < text.length; i += size) entries.push(...splitter.push(text.slice(i, i + size)));
        entries.push(...splitter.end());
        expect(entries).to.deep.equal(parseImportFile(text));
        expect(entries.length).to.be.greaterThan(2);
      }
    });
  }

  it('names the JSON error of a record that does not parse, with its line', () => {
    expect(parseImportFile('{"a":1}\nnot json\n')).to.deep.equal([
      { line: 1, value: { a: 1 } },
      { line: 2, error: `invalid JSON: Unexpected token 'o', "not json" is not valid JSON` },
    ]);
  });
  it('reads the last NDJSON line even without a newline, and skips a last line of blanks', () => {
    expect(parseImportFile('{"a":1}\n{"a":2}')).to.deep.equal([
      { line: 1, value: { a: 1 } },
      { line: 2, value: { a: 2 } },
    ]);
    expect(parseImportFile('{"a":1}\n \t\r')).to.deep.equal([{ line: 1, value: { a: 1 } }]);
  });
  it('skips the blank lines of a CRLF file, spaces included, and keeps counting them', () => {
    expect(parseImportFile('{"a":1}\r\n\r\n  \r\n{"a":2}\r\n')).to.deep.equal([
      { line: 1, value: { a: 1 } },
      { line: 4, value: { a: 2 } },
    ]);
  });
  it('reads an array after blank lines, with the line each element starts on', () => {
    expect(parseImportFile('\r\n \t\n[ \n  {"a":1}, \t\r\n  {"a":2}\n]')).to.deep.equal([
      { line: 4, value: { a: 1 } },
      { line: 5, value: { a: 2 } },
    ]);
  });
  it('counts the blank lines of the chunks before an array starts', () => {
    expect(inChunks(['\n', '\n', '[{"a":1}]'])).to.deep.equal([{ line: 3, value: { a: 1 } }]);
    expect(inChunks(['  ', '[{"a":1}]'])).to.deep.equal([{ line: 1, value: { a: 1 } }]);
  });
  it('gives no records for an empty array, and no error', () => {
    expect(parseImportFile('[]')).to.deep.equal([]);
    expect(parseImportFile('[\n]\n')).to.deep.equal([]);
  });
  it('reads elements of any kind: empty strings, escaped quotes, numbers, nested arrays', () => {
    expect(parseImportFile('["", "\\"q\\"" , 42, true ,{"tags":["a","b"],"n":[[1],[]]} , {"b":3}]')).to.deep.equal([
      { line: 1, value: '' },
      { line: 1, value: '"q"' },
      { line: 1, value: 42 },
      { line: 1, value: true },
      { line: 1, value: { tags: ['a', 'b'], n: [[1], []] } },
      { line: 1, value: { b: 3 } },
    ]);
  });
  it('reports an array cut short with the line where the file ends', () => {
    expect(parseImportFile('[\n{"a":1},\n{"a":')).to.deep.equal([
      { line: 2, value: { a: 1 } },
      { line: 3, error: 'invalid JSON array: the file ends before the closing ]' },
    ]);
  });
  it('drops the byte order mark only at the start of the file, even after an empty first chunk', () => {
    expect(inChunks(['', '\uFEFF{"a":1}\n'])).to.deep.equal([{ line: 1, value: { a: 1 } }]);
    // The same character further on is data.
    expect(inChunks(['{"a":"x', '\uFEFFy"}\n'])).to.deep.equal([{ line: 1, value: { a: 'x\uFEFFy' } }]);
  });
  it('gives the same records whatever the chunks, for odd texts too', () => {
    const texts = [
      '\u00A0{"a":1}\n{"a":2}', // a no-break space is not JSON white space: the first line is an error
      '\n\n{"a":1}\n   \n',
      '[{"a":1}]\n,{"a":2}]\n', // text after the closing bracket is an error, and is not read
      '\u00A0[{"a":1}]', // a no-break space before the bracket: not JSON white space, so not an array
      '[\n{"a":1}\n}, {"a":2}]', // a stray closing brace
      '[{"a":1}]\n\n  \n',
      '  {x}\n{"a":1}', // blanks before a bad first line: its error names the same position
      '[\n]',
    ];
    for (const text of texts)
      for (const size of [1, 2, 3])
        expect(inChunks(cut(text, size)), JSON.stringify(text)).to.deep.equal(parseImportFile(text));
    expect(parseImportFile(texts[0]!)[0])
      .to.have.property('error')
      .that.matches(/^invalid JSON: /);
  });
  it('reports a } that closes nothing on its line, and reads nothing after it', () => {
    const stray = 'invalid JSON array: a } that closes nothing; the rest of the file is not read';
    expect(parseImportFile('[\n{"a":1}\n}, {"a":2}]')).to.deep.equal([{ line: 3, error: stray }]);
    expect(parseImportFile('[{"a":0},\n1}]')).to.deep.equal([
      { line: 1, value: { a: 0 } },
      { line: 2, error: stray },
    ]);
  });
  it('reports text after the closing ] on its line, and allows only white space there', () => {
    expect(parseImportFile('[{"a":1}]\n\n{"b":2}\n')).to.deep.equal([
      { line: 1, value: { a: 1 } },
      { line: 3, error: 'invalid JSON array: text after the closing ]; it is not read' },
    ]);
    expect(parseImportFile('[{"a":1}] \r\n\t\n')).to.deep.equal([{ line: 1, value: { a: 1 } }]);
    expect(inChunks(['[]', '  ', '\n', 'x'])).to.deep.equal([
      { line: 2, error: 'invalid JSON array: text after the closing ]; it is not read' },
    ]);
  });
  it('takes a file starting with a no-break space for NDJSON, whatever the chunks: its line is an error', () => {
    for (const chunks of [['\u00A0[{"a":1}]'], ['\u00A0', '[{"a":1}]']]) {
      const [entry, ...rest] = inChunks(chunks);
      expect(rest).to.deep.equal([]);
      expect(entry).to.have.property('line', 1);
      expect(entry)
        .to.have.property('error')
        .that.matches(/^invalid JSON: /);
    }
  });
  it('streams the records of text chunks as they come', async () => {
    async function* chunks() {
      yield '[{"a":1},';
      yield '\n{"a":';
      yield '2}';
    }
    const out: ImportEntry[] = [];
    for await (const entry of splitImport(chunks())) out.push(entry);
    expect(out).to.deep.equal([
      { line: 1, value: { a: 1 } },
      { line: 2, error: 'invalid JSON array: the file ends before the closing ]' },
    ]);
  });
});
