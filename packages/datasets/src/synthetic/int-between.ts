import type { RandomStream } from '@smart/types';

/** Uniform integer in [lo, hi], both ends included (the knobs name inclusive ranges). */
export function intBetween(rng: RandomStream, lo: number, hi: number): number {
  return lo + rng.int(hi - lo + 1);
}
