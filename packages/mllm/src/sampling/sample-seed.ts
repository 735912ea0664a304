import { createRng } from '@smart/core';

/**
 * Seed of sample `k` of a request with seed `seed`. Sample 0 uses the request's seed itself, so a
 * request with n = 1 reproduces exactly; later samples take a word of the request seed's named
 * sub-stream `sample/<k>`, so two requests with neighbouring seeds do not share streams.
 */
export function sampleSeed(seed: number, k: number): number {
  if (k === 0) return seed;
  return createRng(seed).stream(`sample/${k}`).nextUint32();
}
