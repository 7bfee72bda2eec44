import { expect } from 'chai';
import { ImportSplitter, parseImportFile, type ImportEntry } from '../../../src/domain/import-file.js';

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
});
