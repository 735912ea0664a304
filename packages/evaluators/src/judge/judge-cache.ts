import { createHash } from 'node:crypto';
import type { JudgeRequest } from './judge';

/**
 * Store of judge completions by key. Sync or async, so an embedded SQLite store
 * (better-sqlite3 is synchronous) and a remote store fit the same interface.
 */
export interface JudgeCache {
  get(key: string): Promise<string | undefined> | string | undefined;
  put(key: string, completion: string): Promise<void> | void;
}

/**
 * Cache key of a judge call: sha256 over the judge model and everything that determines the prompt
 * (system, user prompt) and its sampling (temperature, max tokens), so MM-Vet's retries at a raised
 * temperature do not collide with the first try. A non-zero `replica` is part of the key too.
 */
export function judgeCacheKey(model: string, request: JudgeRequest): string {
  const parts: unknown[] = [model, request.system ?? null, request.prompt, request.temperature, request.maxTokens];
  if (request.replica !== undefined && request.replica !== 0) parts.push(request.replica);
  const material = JSON.stringify(parts);
  return createHash('sha256').update(material).digest('hex');
}
