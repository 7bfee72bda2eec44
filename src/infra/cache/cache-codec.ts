/**
 * How cached values become strings and back, the same for Redis and the in-process store:
 * JSON, except that Dates come back as Dates and Buffers as Buffers. Values holding either are
 * written as `{"$cache":1,"v":<json>,"t":[[path,"d"|"b"],...]}`: the paths let decoding use a
 * plain JSON.parse (a reviver would cost a function call per value, 4x slower on a dashboard).
 */
type Path = (string | number)[];
type Tag = [Path, 'd' | 'b'];

function collectTags(value: unknown, path: Path, tags: Tag[]): void {
  if (value instanceof Date) tags.push([[...path], 'd']);
  else if (Buffer.isBuffer(value)) tags.push([[...path], 'b']);
  else if (Array.isArray(value)) {
    value.forEach((item: unknown, i) => {
      path.push(i);
      collectTags(item, path, tags);
      path.pop();
    });
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      path.push(key);
      collectTags((value as Record<string, unknown>)[key], path, tags);
      path.pop();
    }
  }
}

function bufferAsBase64(this: Record<string, unknown>, key: string, v: unknown): unknown {
  const raw = this[key];
  return Buffer.isBuffer(raw) ? raw.toString('base64') : v;
}

export function encodeCacheValue(value: unknown): string {
  const tags: Tag[] = [];
  collectTags(value, [], tags);
  if (tags.length === 0) return JSON.stringify(value);
  const hasBuffer = tags.some((t) => t[1] === 'b');
  return JSON.stringify({ $cache: 1, v: value, t: tags }, hasBuffer ? bufferAsBase64 : undefined);
}

const restore = (v: unknown, type: 'd' | 'b'): unknown =>
  type === 'd' ? new Date(typeof v === 'string' ? v : NaN) : Buffer.from(String(v), 'base64');

export function decodeCacheValue<T = unknown>(text: string): T {
  const parsed = JSON.parse(text) as { $cache?: number; v?: unknown; t?: Tag[] } | null;
  if (parsed === null || parsed.$cache !== 1 || !Array.isArray(parsed.t)) return parsed as T;
  let root = parsed.v;
  for (const [path, type] of parsed.t) {
    if (path.length === 0) {
      root = restore(root, type);
      continue;
    }
    let parent = root as Record<string | number, unknown>;
    for (let i = 0; i < path.length - 1; i++) parent = parent[path[i]!] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    parent[last] = restore(parent[last], type);
  }
  return root as T;
}
