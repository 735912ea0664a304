import { sha256Hex } from './image-file';
import type { Statements } from './statements';

/** Cache key of a judge call: sha256 over the judge model and the exact prompt. */
export function judgeCacheKey(model: string, prompt: string): string {
  return sha256Hex(JSON.stringify([model, prompt]));
}

/** Cached judge response for `key`, if any. */
export function getJudgeResponse(st: Statements, key: string): string | undefined {
  return st.get('SELECT response FROM judge_cache WHERE key = ?').pluck().get(key) as string | undefined;
}

/** Stores a judge response; the first response for a key wins so a replayed run sees the same verdicts. */
export function putJudgeResponse(st: Statements, key: string, model: string, response: string, createdAt: string): void {
  st.get('INSERT INTO judge_cache (key, model, response, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO NOTHING').run(
    key,
    model,
    response,
    createdAt,
  );
}
