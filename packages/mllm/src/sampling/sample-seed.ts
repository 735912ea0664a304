/**
 * Seed of sample `k` of a request with seed `seed`. Sample 0 uses the request's seed itself, so a
 * request with n = 1 reproduces exactly; later samples get a splitmix32 hash of (seed, k), so two
 * requests with neighbouring seeds do not share streams.
 */
export function sampleSeed(seed: number, k: number): number {
  if (k === 0) return seed;
  let z = (Math.imul(seed >>> 0, 0x9e3779b9) ^ Math.imul(k, 0x85ebca6b) ^ (Math.floor(seed / 2 ** 32) >>> 0)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97) >>> 0;
  return (z ^ (z >>> 15)) >>> 0;
}
