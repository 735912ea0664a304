import type { PairFilter } from './candidate';
import { FilterConfigError } from './errors';

/** Settings of the circularity (repetition) filter. Paper: n=3, maxCount=3; released code: n=2. */
export interface CircularityOptions {
  n: number;
  /** An n-gram may occur this many times; one more occurrence drops the pair. */
  maxCount: number;
}

/** The highest occurrence count of any whitespace-token n-gram in `text`. */
export function maxNgramCount(text: string, n: number): number {
  const tokens = text.split(/\s+/).filter(Boolean);
  const counts = new Map<string, number>();
  let max = 0;
  for (let i = 0; i + n <= tokens.length; i++) {
    // \u0001 cannot occur inside a whitespace-split token boundary, so keys never collide.
    const key = tokens.slice(i, i + n).join('\u0001');
    const c = (counts.get(key) ?? 0) + 1;
    counts.set(key, c);
    if (c > max) max = c;
  }
  return max;
}

/** Drops a pair whose positive rationale repeats any word n-gram more than `maxCount` times (R' is not checked). */
export function circularityFilter(options: CircularityOptions): PairFilter {
  if (!Number.isInteger(options.n) || options.n < 1) throw new FilterConfigError('n', options.n, 'must be a positive integer');
  if (!Number.isInteger(options.maxCount) || options.maxCount < 1) {
    throw new FilterConfigError('maxCount', options.maxCount, 'must be a positive integer');
  }
  return (pair) => (maxNgramCount(pair.chosen, options.n) > options.maxCount ? 'chosen-circular' : null);
}
