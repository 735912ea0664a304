import { backoffDelay, isRetryableStatus, parseRetryAfter } from './retry-policy';

describe('retry policy', () => {
  const opts = { baseMs: 100, maxMs: 1000 };

  it('doubles the jitter window per attempt up to the cap', () => {
    expect(backoffDelay(0, opts, () => 0.5)).toBe(50);
    expect(backoffDelay(1, opts, () => 0.5)).toBe(100);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(400);
    expect(backoffDelay(10, opts, () => 0.5)).toBe(500);
    expect(backoffDelay(2, opts, () => 0)).toBe(0);
    expect(backoffDelay(2, opts, () => 0.999)).toBeCloseTo(399.6);
  });

  it('treats Retry-After as a floor, still capped', () => {
    expect(backoffDelay(0, opts, () => 0.5, 300)).toBe(300);
    expect(backoffDelay(0, opts, () => 0.5, 60_000)).toBe(1000);
  });

  it('retries 429, 408 and 5xx only', () => {
    expect([429, 408, 500, 502, 503, 599].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 404, 413, 422].some(isRetryableStatus)).toBe(false);
  });

  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('2', 0)).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});
