import type { PairFilter } from './candidate';
import { FilterConfigError } from './errors';

/** Drops a pair when either rationale is shorter than `minChars` characters (after trimming). */
export function minLengthFilter(minChars: number): PairFilter {
  if (!Number.isInteger(minChars) || minChars < 0) throw new FilterConfigError('minChars', minChars, 'must be a non-negative integer');
  return (pair) => ([...pair.chosen.trim()].length < minChars || [...pair.rejected.trim()].length < minChars ? 'too-short' : null);
}
