/** One record of an import file, with the line it starts on. */
export type ImportEntry = { line: number; value: unknown } | { line: number; error: string };

/** Offsets where each top-level element of a JSON array starts. */
function arrayElementOffsets(text: string): number[] {
  const offsets: number[] = [];
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (expectElement && !/\s/.test(c ?? '')) {
      if (c !== ']') offsets.push(i);
      expectElement = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1 && c === '[') expectElement = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expectElement = true;
  }
  return offsets;
}

const lineAt = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

/** Reads a JSON array or NDJSON text into records, keeping each one's line number. */
export function parseImportFile(text: string): ImportEntry[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let values: unknown[];
    try {
      values = JSON.parse(text) as unknown[];
    } catch (err) {
      return [{ line: 1, error: `invalid JSON array: ${(err as Error).message}` }];
    }
    const offsets = arrayElementOffsets(text);
    return values.map((value, i) => ({ line: lineAt(text, offsets[i] ?? 0), value }));
  }
  return text.split('\n').flatMap((raw, i): ImportEntry[] => {
    if (raw.trim() === '') return [];
    try {
      return [{ line: i + 1, value: JSON.parse(raw) as unknown }];
    } catch (err) {
      return [{ line: i + 1, error: `invalid JSON: ${(err as Error).message}` }];
    }
  });
}
