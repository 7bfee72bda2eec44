import type { LRUCache } from 'lru-cache';
import { ANALYSIS_CACHE_KINDS, isMetaKey } from './cache-keys.js';
import type { RedisConnection } from '../redis/redis-connection.js';

/**
 * Deletes the cached entries of a namespace, or of one analysis, to free memory (their tag was
 * already bumped, so they could no longer be read): SCAN and UNLINK on Redis, never KEYS.
 * Generations, the epoch and holders sets stay. Returns how many keys were deleted.
 */
export async function deleteCachedKeys(
  store: { redis: RedisConnection } | { lru: LRUCache<string, string> },
  namespace: string,
  analysisId: string | null,
): Promise<number> {
  const patterns =
    analysisId === null
      ? ['*']
      : ANALYSIS_CACHE_KINDS.map((k) => `${k}:${analysisId}`).concat(`report:${analysisId}:*`);
  let deleted = 0;
  if ('redis' in store) {
    const { redis } = store;
    const client = redis.client;
    const prefix = `${namespace}::`;
    const glob = prefix.replace(/[*?[\]\\]/g, '\\$&');
    for (const pattern of patterns) {
      for await (const batch of client.scanIterator({ MATCH: glob + pattern, COUNT: 500 })) {
        const doomed = batch.filter((k) => !isMetaKey(k.slice(prefix.length)));
        if (doomed.length) deleted += await redis.run(() => client.unlink(doomed));
      }
    }
    return deleted;
  }
  const re = new RegExp(
    `^(?:${patterns.map((p) => p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')).join('|')})$`,
  );
  for (const key of [...store.lru.keys()]) if (!isMetaKey(key) && re.test(key) && store.lru.delete(key)) deleted++;
  return deleted;
}
