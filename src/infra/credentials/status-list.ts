import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * W3C Bitstring Status List v1.0 encoding: index 0 is the most significant bit of the first
 * byte; the bitstring is GZIP-compressed, then multibase base64url (prefix `u`, no padding).
 */
export function encodeStatusList(setIndexes: Iterable<number>, size: number): string {
  const bytes = new Uint8Array(Math.ceil(size / 8));
  for (const i of setIndexes) {
    if (i < 0 || i >= size) throw new RangeError(`status index ${i} is outside the list (size ${size})`);
    bytes[i >> 3]! |= 0x80 >> (i & 7);
  }
  return `u${gzipSync(bytes).toString('base64url')}`;
}

/** Whether an index is set in an encoded list (what a verifier does). */
export function statusBit(encodedList: string, index: number): boolean {
  if (!encodedList.startsWith('u')) throw new Error('encodedList is not multibase base64url');
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  if (index >> 3 >= bytes.length) throw new RangeError(`status index ${index} is outside the list`);
  return (bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}
