import type { Rng } from '@smart/types';

/**
 * Seeded PRNG (sfc32 seeded through splitmix32 from a string hash). `stream` names an independent
 * sequence for the same seed, so e.g. the held-out split does not shift when the train size changes.
 */
export function seededRng(seed: number | string, stream = ''): Rng {
  let h = hashString(`${typeof seed}:${seed}/${stream}`);
  const next32 = () => {
    h = (h + 0x9e3779b9) >>> 0;
    let z = h;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = next32();
  let b = next32();
  let c = next32();
  let d = next32();
  const rng: Rng = {
    next() {
      const t = (((a + b) >>> 0) + d) >>> 0;
      d = (d + 1) >>> 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) >>> 0;
      c = ((c << 21) | (c >>> 11)) >>> 0;
      c = (c + t) >>> 0;
      return t / 4294967296;
    },
  };
  for (let i = 0; i < 12; i++) rng.next(); // sfc32 needs a few rounds to mix its initial state
  return rng;
}

/** Uniform integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.min(n - 1, Math.floor(rng.next() * n));
}

/** Uniform integer in [lo, hi] (inclusive). */
export function randRange(rng: Rng, lo: number, hi: number): number {
  return lo + randInt(rng, hi - lo + 1);
}

/** In-place Fisher–Yates shuffle driven by `rng`; returns the same array. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randInt(rng, i + 1);
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items;
}

// FNV-1a over UTF-16 code units: stable across platforms, enough to spread seeds.
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
