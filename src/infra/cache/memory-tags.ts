import { EPOCH_KEY, genKey } from './cache-keys.js';

type Raw = { value: string; expires?: number | undefined };

/**
 * Memory mode's epoch and generations: a Map that the meta Keyv writes unserialized (`{value,
 * expires}` as Keyv keeps them), so that a hit reads its tag synchronously, as a held tag is read
 * under Redis tracking: no promise, no Keyv round on the hot path.
 */
export class MemoryTags {
  readonly store = new Map<string, Raw>();

  /** The tag an entry of this analysis must carry now (cache-keys.ts). */
  tag(analysisId: string): string {
    return `${this.value(EPOCH_KEY) ?? '0'}.${this.value(genKey(analysisId)) ?? '0'}`;
  }

  private value(key: string): string | undefined {
    const raw = this.store.get(key);
    return raw && (raw.expires === undefined || raw.expires > Date.now()) ? raw.value : undefined;
  }
}
