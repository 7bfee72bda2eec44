/**
 * How cached values become strings and back, the same for Redis and the in-process store:
 * JSON, except that Dates come back as Dates and Buffers as Buffers (tagged as
 * `{"$date": iso}` and `{"$buffer": base64}`; those two keys are reserved in cached values).
 */
export function encodeCacheValue(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return { $date: v };
    if (Buffer.isBuffer(raw)) return { $buffer: raw.toString('base64') };
    return v;
  });
}

function revive(_key: string, v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = v as { $date?: unknown; $buffer?: unknown };
  if (typeof o.$date === 'string') return new Date(o.$date);
  if (o.$date === null && Object.keys(o).length === 1) return new Date(NaN);
  if (typeof o.$buffer === 'string') return Buffer.from(o.$buffer, 'base64');
  return v;
}

export function decodeCacheValue<T = unknown>(text: string): T {
  // The reviver costs a call per value: skip it when nothing tagged is in the text.
  return (text.includes('"$date"') || text.includes('"$buffer"') ? JSON.parse(text, revive) : JSON.parse(text)) as T;
}
