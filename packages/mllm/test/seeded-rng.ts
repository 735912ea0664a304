import type { Rng } from '@smart/types';

/** mulberry32: a tiny seeded PRNG for statistical tests. */
export function seededRng(seed: number): Rng & { draws: number } {
  let a = seed >>> 0;
  const rng = {
    draws: 0,
    next() {
      rng.draws++;
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
  return rng;
}
