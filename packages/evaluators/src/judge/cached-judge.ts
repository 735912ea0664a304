import type { Judge, JudgeRequest } from './judge';
import { judgeCacheKey, type JudgeCache } from './judge-cache';

/** Hit/miss counters of a cached judge. */
export interface CacheStats {
  hits: number;
  misses: number;
}

/** A judge whose completions are looked up in, and written to, `cache`. Failures are not cached. */
export class CachedJudge implements Judge {
  readonly stats: CacheStats = { hits: 0, misses: 0 };

  constructor(
    private readonly inner: Judge,
    private readonly cache: JudgeCache,
  ) {}

  get model(): string {
    return this.inner.model;
  }

  async complete(request: JudgeRequest): Promise<string> {
    const key = judgeCacheKey(this.inner.model, request);
    const hit = await this.cache.get(key);
    if (hit !== undefined) {
      this.stats.hits++;
      return hit;
    }
    this.stats.misses++;
    const completion = await this.inner.complete(request);
    await this.cache.put(key, completion);
    return completion;
  }
}
