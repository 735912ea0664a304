import { createRng } from '@smart/core';
import type { Rng } from '@smart/types';

/** @smart/core's seeded stream, counting the uniforms drawn (tests check how many draws a step costs). */
export function seededRng(seed: number): Rng & { draws: number } {
  const inner = createRng(seed);
  const rng = {
    draws: 0,
    next() {
      rng.draws++;
      return inner.next();
    },
  };
  return rng;
}
