import { randomBytes } from 'node:crypto';
import type Keyv from 'keyv';

/** What is cached per analysis under `{kind}:{id}`; reports add `report:{id}:{sections}`. */
export const ANALYSIS_CACHE_KINDS = ['dashboard', 'metrics', 'recommendations', 'badges'] as const;

/** The contract's cache keys per analysis: `{kind}:{id}` and `report:{id}:{sections}`. */
export type AnalysisCacheKind = (typeof ANALYSIS_CACHE_KINDS)[number] | `report:${string}`;

/** The contract's key for one kind of cached data. */
export function analysisCacheKey(analysisId: string, kind: AnalysisCacheKind): string {
  return kind.startsWith('report:') ? `report:${analysisId}:${kind.slice('report:'.length)}` : `${kind}:${analysisId}`;
}

/*
 * Why generations: a reader that loaded before a write and stores after it would put stale data
 * back; deleting keys cannot prevent that. So each entry is stored as `{g, v}` where `g` is the
 * tag (namespace epoch + the analysis's generation) the reader saw *before* its database query,
 * and a write replaces the generation with a fresh random token *after* its commit and before it
 * returns. A late store carries an old tag and is never served. No lock, no delete, one MGET of
 * the tag per read (the decoded entry is kept per process for as long as its tag is current), and
 * it holds across processes because the tags live in Redis. Random tokens (not counters) cannot
 * be reused after a reset, and a lost epoch is replaced by a fresh one (`readTag`); generations
 * expire after GEN_TTL_MS, longer than any entry. A process holds the tags it read under Redis's
 * invalidation pushes (generation-tracker.ts), so a hit usually needs no round trip at all.
 */
export const EPOCH_KEY = 'epoch';
export const GEN_TTL_MS = 24 * 3600 * 1000;
export const MAX_ENTRY_TTL_MS = 2 * 3600 * 1000;

/** A cached value with the tag it was loaded under. */
export type Entry = { g: string; v: unknown };

/** The key of one analysis's generation. */
export const genKey = (analysisId: string) => `gen:${analysisId}`;

/** A fresh generation or epoch token. */
export const newToken = () => randomBytes(9).toString('base64url');

/**
 * An analysis's tag, read from Redis (one MGET of the epoch and its generation). No epoch means
 * Redis lost the namespace's tags (a restart without its data, a flush): a fresh epoch is set
 * first (`fresh`), so that no entry stored or decoded before the loss reads as current again.
 */
export async function readTag(meta: Keyv, analysisId: string): Promise<{ tag: string; fresh: boolean }> {
  const [epoch, gen] = await meta.getMany<string>([EPOCH_KEY, genKey(analysisId)]);
  return { tag: `${epoch ?? (await freshEpoch(meta))}.${gen ?? '0'}`, fresh: epoch === undefined };
}

const settingEpoch = new WeakMap<Keyv, Promise<string>>();

/**
 * Reads of one process that found no epoch share one new epoch, so their misses still share a load.
 * Two processes may each set one: the last wins, and entries stored under the other are never read.
 */
function freshEpoch(meta: Keyv): Promise<string> {
  let setting = settingEpoch.get(meta);
  if (!setting) {
    const epoch = newToken();
    setting = meta
      .set(EPOCH_KEY, epoch)
      .then(() => epoch)
      .finally(() => settingEpoch.delete(meta));
    settingEpoch.set(meta, setting);
  }
  return setting;
}

/** Keys that are bookkeeping rather than cached data: never deleted by a clear. */
export const isMetaKey = (key: string) => key === EPOCH_KEY || key.startsWith('gen:') || key.startsWith('holders:');
