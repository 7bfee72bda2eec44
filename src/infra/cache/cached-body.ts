import { createHash } from 'node:crypto';

/** A response body as it goes on the wire, with its strong ETag: cached as is, sent as is. */
export type CachedBody = { body: Buffer; etag: string };

/** The strong ETag of some bytes: a hash of exactly what is sent, so equal ETags mean equal bytes. */
export function strongEtag(bytes: Buffer): string {
  return `"${createHash('sha1').update(bytes).digest('base64url')}"`;
}

export function cachedBody(bytes: Buffer): CachedBody {
  return { body: bytes, etag: strongEtag(bytes) };
}

/** The JSON bytes Koa would send for `value` (`JSON.stringify`, no spacing), serialized once. */
export function cachedJson(value: unknown): CachedBody {
  return cachedBody(Buffer.from(JSON.stringify(value)));
}

/** Bytes held by a cached value, for the near cache's size budget. */
export function cachedSize(value: unknown): number {
  if (Buffer.isBuffer(value)) return value.length || 1;
  const body = (value as Partial<CachedBody> | null)?.body;
  return Buffer.isBuffer(body) ? body.length + 64 : 2048;
}
