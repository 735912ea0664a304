import type { DropReason } from '@smart/types';
import type { CandidatePair, PairFilter } from './candidate';
import { type FilterProfile, profileFilters } from './profiles';

/** Outcome of filtering: kept pairs, dropped ones with their reason, and a count per reason (the funnel). */
export interface FilterOutcome<P extends CandidatePair = CandidatePair> {
  kept: P[];
  dropped: { pair: P; reason: DropReason }[];
  counts: Partial<Record<DropReason, number>>;
}

/** Runs candidates through a profile (or an explicit filter list); each pair gets the first reason that applies. */
export function filterPairs<P extends CandidatePair>(pairs: Iterable<P>, filters: FilterProfile | PairFilter[] = 'paper'): FilterOutcome<P> {
  const list = typeof filters === 'string' ? profileFilters(filters) : filters;
  const out: FilterOutcome<P> = { kept: [], dropped: [], counts: {} };
  for (const pair of pairs) {
    const reason = firstReason(pair, list);
    if (reason === null) {
      out.kept.push(pair);
    } else {
      out.dropped.push({ pair, reason });
      out.counts[reason] = (out.counts[reason] ?? 0) + 1;
    }
  }
  return out;
}

/** The first drop reason among `filters` for one pair, or null when it passes all. */
export function firstReason(pair: CandidatePair, filters: PairFilter[]): DropReason | null {
  for (const f of filters) {
    const r = f(pair);
    if (r !== null) return r;
  }
  return null;
}
