import type { PairFilter } from './candidate';
import { FilterConfigError } from './errors';

/** Drops a pair whose chosen rationale contains any of `keywords` as a word (case-insensitive). */
export function keywordFilter(keywords: string[]): PairFilter {
  if (keywords.some((k) => !k.trim())) throw new FilterConfigError('keywords', keywords, 'keywords must be non-empty');
  const patterns = keywords.map((k) => new RegExp(`(?<![\\p{L}\\p{N}])${k.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'iu'));
  return (pair) => (patterns.some((p) => p.test(pair.chosen)) ? 'keyword' : null);
}
