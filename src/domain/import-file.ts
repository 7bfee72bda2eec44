/** One record of an import file, with the line it starts on. */
export type ImportEntry = { line: number; value: unknown } | { line: number; error: string };

const BOM = '\uFEFF';
/** JSON's white space (RFC 8259): a no-break space and the like are data, not blanks. */
const isSpace = (c: string) => c === ' ' || c === '\n' || c === '\r' || c === '\t';
const NOT_SPACE = /[^ \n\r\t]/;

/**
 * Splits an import file into records as its text arrives, chunk by chunk, so a file of any size
 * is read in constant memory. The first non-blank character decides the format: `[` is a JSON
 * array (each element gets the line it starts on), anything else is NDJSON (one record a line,
 * blank lines skipped). A UTF-8 byte order mark is dropped. What breaks an array's structure (a
 * stray `}` between elements, text after the closing `]`) is reported as an error on its line,
 * and nothing after it is read.
 */
export class ImportSplitter {
  private mode: 'unknown' | 'ndjson' | 'array' | 'after' | 'done' = 'unknown';
  private line = 1;
  private started = false;
  // NDJSON: the unfinished line. Array: the unfinished element and where it started.
  private pending = '';
  private elementLine = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private inElement = false;

  /** Records completed by this chunk. */
  push(chunk: string): ImportEntry[] {
    if (!this.started) {
      if (chunk.startsWith(BOM)) chunk = chunk.slice(1);
      if (chunk.length === 0) return [];
      this.started = true;
    }
    if (this.mode === 'unknown') {
      const first = chunk.search(NOT_SPACE);
      if (first === -1) {
        this.pending += chunk;
        return [];
      }
      this.mode = chunk[first] === '[' ? 'array' : 'ndjson';
      // NDJSON reads the blank text held so far as its first lines; an array only counts its newlines.
      if (this.mode === 'array') {
        this.line += this.pending.match(/\n/g)?.length ?? 0;
        this.pending = '';
      }
    }
    if (this.mode === 'ndjson') return this.pushLines(chunk);
    if (this.mode === 'array') return this.pushArray(chunk);
    if (this.mode === 'after') return this.pushAfter(chunk);
    return [];
  }

  /** Records left when the text ends (a last line without newline, or an unfinished array). */
  end(): ImportEntry[] {
    if (this.mode === 'ndjson') return this.pending.trim() === '' ? [] : [parseRecord(this.pending, this.line)];
    if (this.mode === 'array')
      return [{ line: this.line, error: 'invalid JSON array: the file ends before the closing ]' }];
    return [];
  }

  private pushLines(chunk: string): ImportEntry[] {
    const out: ImportEntry[] = [];
    const parts = (this.pending + chunk).split('\n');
    this.pending = parts.pop()!; // split always gives at least one part
    for (const raw of parts) {
      if (raw.trim() !== '') out.push(parseRecord(raw, this.line));
      this.line++;
    }
    return out;
  }

  private pushArray(chunk: string): ImportEntry[] {
    const out: ImportEntry[] = [];
    let from = 0; // where the current element's text starts in this chunk (set when an element starts here)
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as string;
      if (c === '\n') this.line++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
        continue;
      }
      if (this.depth === 0) {
        // Only JSON white space comes before the `[` (the first other character chose this mode).
        if (c === '[') this.depth = 1;
        continue;
      }
      // Outside an element the depth is 1: deeper brackets only occur inside one.
      if (!this.inElement) {
        if (isSpace(c)) continue;
        if (c === ']') return [...out, ...this.closed(chunk.slice(i + 1))];
        from = i;
        this.inElement = true;
        this.elementLine = this.line;
      }
      if (c === '"') this.inString = true;
      else if (c === '[' || c === '{') this.depth++;
      else if (this.depth === 1 && (c === ',' || c === ']')) {
        out.push(parseRecord(this.pending + chunk.slice(from, i), this.elementLine));
        this.pending = '';
        this.inElement = false;
        if (c === ']') return [...out, ...this.closed(chunk.slice(i + 1))];
      } else if (this.depth === 1 && c === '}') {
        // A `}` that closes nothing: where this element ends, and so where the next ones start, is lost.
        this.mode = 'done';
        out.push({
          line: this.line,
          error: 'invalid JSON array: a } that closes nothing; the rest of the file is not read',
        });
        return out;
      } else if (c === ']' || c === '}') this.depth--;
    }
    if (this.inElement) this.pending += chunk.slice(from);
    return out;
  }

  /** The array is closed: what follows may only be white space. */
  private closed(rest: string): ImportEntry[] {
    this.mode = 'after';
    return this.pushAfter(rest);
  }

  private pushAfter(chunk: string): ImportEntry[] {
    const at = chunk.search(NOT_SPACE);
    if (at === -1) {
      this.line += chunk.match(/\n/g)?.length ?? 0;
      return [];
    }
    this.line += chunk.slice(0, at).match(/\n/g)?.length ?? 0;
    this.mode = 'done';
    return [{ line: this.line, error: 'invalid JSON array: text after the closing ]; it is not read' }];
  }
}

function parseRecord(text: string, line: number): ImportEntry {
  try {
    return { line, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { line, error: `invalid JSON: ${(err as Error).message}` };
  }
}

/** Reads a whole JSON array or NDJSON text into records, keeping each one's line number. */
export function parseImportFile(text: string): ImportEntry[] {
  const splitter = new ImportSplitter();
  return [...splitter.push(text), ...splitter.end()];
}

/** Streams records out of text chunks (a file read stream with an encoding, for one). */
export async function* splitImport(chunks: AsyncIterable<string>): AsyncGenerator<ImportEntry> {
  const splitter = new ImportSplitter();
  for await (const chunk of chunks) yield* splitter.push(chunk);
  yield* splitter.end();
}
