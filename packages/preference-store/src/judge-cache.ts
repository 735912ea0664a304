import type { Statements } from './statements';

/**
 * The store's judge cache, shaped like `JudgeCache` of `@smart/evaluators` (which computes the keys:
 * judge model, full prompt, image hash and sampling settings), so a judge takes `store.judgeCache`
 * without either package importing the other.
 */
export interface StoreJudgeCache {
  /** The cached completion for `key`, if any. */
  get(key: string): string | undefined;
  /** Stores `completion` unless `key` already has one; returns the completion the store now holds. */
  put(key: string, completion: string, model: string): string;
}

/** Cached judge response for `key`, if any. */
export function getJudgeResponse(st: Statements, key: string): string | undefined {
  return st.get('SELECT response FROM judge_cache WHERE key = ?').pluck().get(key) as string | undefined;
}

/**
 * Stores a judge response unless the key has one, and returns the stored one. The first response for a
 * key wins, across processes too, so every reader (and a replayed run) sees the same verdict. Call inside
 * an IMMEDIATE transaction so the insert and the read see the same row.
 */
export function putJudgeResponse(st: Statements, key: string, model: string, response: string, createdAt: string): string {
  st.get('INSERT INTO judge_cache (key, model, response, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO NOTHING').run(
    key,
    model,
    response,
    createdAt,
  );
  return getJudgeResponse(st, key)!;
}

/** Number of cached judge responses. */
export function countJudgeResponses(st: Statements): number {
  return st.get('SELECT count(*) FROM judge_cache').pluck().get() as number;
}
