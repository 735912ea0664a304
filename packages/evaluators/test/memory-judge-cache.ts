import type { JudgeCache } from '../src/judge/judge-cache';

/** A judge cache held in a Map, for one test process; first writer wins like the store's. */
export class MemoryJudgeCache implements JudgeCache {
  readonly entries = new Map<string, { completion: string; model: string }>();

  get(key: string): string | undefined {
    return this.entries.get(key)?.completion;
  }

  put(key: string, completion: string, model: string): string {
    if (!this.entries.has(key)) this.entries.set(key, { completion, model });
    return this.entries.get(key)!.completion;
  }

  /** Number of cached completions. */
  get size(): number {
    return this.entries.size;
  }
}
