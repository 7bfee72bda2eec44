import { expect } from 'chai';
import { parseImportFile } from '../../../src/domain/import-file.js';

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
  it('reports a broken JSON array as one failure', () => {
    const entries = parseImportFile('[{"a":1},');
    expect(entries).to.have.length(1);
    expect(entries[0]).to.have.property('error');
  });
});
