/**
 * Store of judge completions by `judgeCacheKey`. Sync or async, so the preference store's SQLite
 * cache (`store.judgeCache`; better-sqlite3 is synchronous) and a remote store fit the same interface.
 */
export interface JudgeCache {
  get(key: string): Promise<string | undefined> | string | undefined;
  /**
   * Stores `completion` unless `key` already has an entry, and returns the entry now held: the first
   * writer wins, so two runs judging the same item at once score it the same.
   */
  put(key: string, completion: string, model: string): Promise<string> | string;
}
