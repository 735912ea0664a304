/** Backoff settings: delay of attempt k (0-based) is min(maxMs, baseMs * 2^k) scaled by jitter. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * "Full jitter" exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * uniform in [0, min(maxMs, baseMs·2^attempt)), so retrying clients spread out instead of stampeding.
 * A server's Retry-After (ms), when given, is a floor.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number, retryAfterMs?: number): number {
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
  const jittered = random() * cap;
  return retryAfterMs !== undefined ? Math.min(options.maxMs, Math.max(jittered, retryAfterMs)) : jittered;
}

/** 429 (rate limited), 408 (request timeout) and every 5xx are worth retrying; other statuses are not. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status <= 599);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unparseable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
