import type { JudgeCache } from './judge-cache';

/** A judge cache held in a Map, for one process. */
export class MemoryJudgeCache implements JudgeCache {
  private readonly entries = new Map<string, string>();

  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  put(key: string, completion: string): void {
    this.entries.set(key, completion);
  }

  /** Number of cached completions. */
  get size(): number {
    return this.entries.size;
  }
}
