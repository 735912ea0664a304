import type { RandomStream, RngState } from '@smart/types';
import { RngArgumentError, RngSeedError, RngStateError } from '../errors';
import type { NormalRng } from './normal-rng';
import { wordsFromInteger, wordsFromKey } from './seed-words';
import { ZIGGURAT, ZIGGURAT_R } from './ziggurat-tables';

/** The `algorithm` recorded in every state this generator saves. */
export const RNG_ALGORITHM = 'xoshiro128**/ziggurat';

const TWO_POW_M53 = 1 / 9007199254740992;
const TWO_POW_M24 = 1 / 16777216;
const INV_R = 1 / ZIGGURAT_R;

/**
 * A seeded stream: xoshiro128** (Blackman & Vigna 2018) for 32-bit words, uniforms with 53 random
 * bits, and a 256-layer ziggurat for normals. Only 32-bit integer ops feed the output, so the same
 * seed gives the same sequence on every platform. Sub-streams are keyed by the seed and a path of
 * names, never by how far this stream has advanced.
 */
export class SeededStream implements RandomStream, NormalRng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  // normal() goes through fillNormal with a Float32Array so that hot method stays monomorphic.
  private readonly one = new Float32Array(1);

  /** `key` names this stream among all streams (seed plus sub-stream path); use `createRng`. */
  constructor(
    words: ArrayLike<number>,
    private readonly key: string,
  ) {
    this.load(words);
  }

  /** Next raw 32-bit word, as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) * TWO_POW_M53;
  }

  /** Uniform float in [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** Uniform integer in [0, n); n is a positive safe integer. */
  int(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1) throw new RngArgumentError('int(n): n', n, 'must be a positive integer');
    return Math.floor(n * this.next());
  }

  /** One element chosen uniformly. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RngArgumentError('choice(items): items', '[]', 'must not be empty');
    return items[this.int(items.length)]!;
  }

  /** A shuffled copy (Fisher–Yates from the end, one `int` per position). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = out[i]!;
      out[i] = out[j]!;
      out[j] = t;
    }
    return out;
  }

  /** An independent stream for `name` under this one (`a.stream('x').stream('y')` differs from `a.stream('x/y')`). */
  stream(name: string): SeededStream {
    const key = `${this.key}/${JSON.stringify(name)}`;
    return new SeededStream(wordsFromKey(key), key);
  }

  /** The 128-bit state; `setState` on a stream of the same seed continues the exact sequence. */
  getState(): RngState {
    return { algorithm: RNG_ALGORITHM, words: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spareNormal: null };
  }

  /** Restores a state written by `getState` (throws RngStateError for another generator's state). */
  setState(state: RngState): void {
    if (state?.algorithm !== RNG_ALGORITHM) throw new RngStateError(state, `algorithm must be "${RNG_ALGORITHM}", got ${JSON.stringify(state?.algorithm)}`);
    const w = state.words;
    if (!Array.isArray(w) || w.length !== 4 || !w.every((v) => Number.isInteger(v) && v >= 0 && v < 4294967296)) {
      throw new RngStateError(state, 'words must be four uint32 values');
    }
    if (w.every((v) => v === 0)) throw new RngStateError(state, 'the all-zero state is not reachable');
    this.load(w);
  }

  /** One N(0, 1) draw (float32 precision, like the bulk draws). */
  normal(): number {
    this.fillNormal(this.one);
    return this.one[0]!;
  }

  /**
   * Fills out[start..end) with N(0, 1) draws (ziggurat; ~99% of draws cost one 32-bit word).
   * Float32Array is the fast path; every draw is a float32 value, whatever the array type.
   */
  fillNormal(out: Float32Array | Float64Array, start = 0, end = out.length): void {
    this.fillScaledNormal(out, start, end, null, 0, 1);
  }

  /**
   * out[i] = a·x[i] + b·ε_i for i in [start, end) (out[i] = b·ε_i when x is null), ε_i ~ N(0, 1): a noise
   * kernel fused with the sampler, so ε never round-trips through memory. Draws the same stream as fillNormal.
   */
  fillScaledNormal(out: Float32Array | Float64Array, start: number, end: number, x: Float32Array | null, a: number, b: number): void {
    const { ki, wi, fi } = ZIGGURAT;
    // State lives in locals inside the loop: V8 keeps them in registers as int32.
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let i = start; i < end; i++) {
      const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      // r = [23-bit magnitude | sign | 8-bit layer]
      const idx = r & 0xff;
      const rabs = (r >>> 9) & 0x7fffff;
      if (rabs < ki[idx]!) {
        // Branch-free sign: bit 8 of r picks ±1 (a data-dependent branch here mispredicts half the time).
        const z = Math.fround(rabs * wi[idx]!) * (1 - ((r >>> 7) & 2));
        out[i] = x === null ? b * z : a * x[i]! + b * z;
        continue;
      }
      const xr = rabs * wi[idx]!;
      this.s0 = s0;
      this.s1 = s1;
      this.s2 = s2;
      this.s3 = s3;
      const z = Math.fround(this.slowNormal(r, idx, rabs, xr, fi));
      out[i] = x === null ? b * z : a * x[i]! + b * z;
      s0 = this.s0;
      s1 = this.s1;
      s2 = this.s2;
      s3 = this.s3;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** The rare ziggurat paths: the tail (layer 0) and the wedges; loops back to a fresh draw on rejection. */
  private slowNormal(r: number, idx: number, rabs: number, x: number, fi: Float64Array): number {
    const { ki, wi } = ZIGGURAT;
    for (;;) {
      if (idx === 0) {
        for (;;) {
          const xx = -INV_R * Math.log1p(-this.nextFloat24());
          const yy = -Math.log1p(-this.nextFloat24());
          if (yy + yy > xx * xx) return r & 0x100 ? -(ZIGGURAT_R + xx) : ZIGGURAT_R + xx;
        }
      }
      if ((fi[idx - 1]! - fi[idx]!) * this.nextFloat24() + fi[idx]! < Math.exp(-0.5 * x * x)) {
        return r & 0x100 ? -x : x;
      }
      r = this.nextUint32() | 0;
      idx = r & 0xff;
      rabs = (r >>> 9) & 0x7fffff;
      x = rabs * wi[idx]!;
      if (rabs < ki[idx]!) return r & 0x100 ? -x : x;
    }
  }

  private nextFloat24(): number {
    return (this.nextUint32() >>> 8) * TWO_POW_M24;
  }

  private load(words: ArrayLike<number>): void {
    this.s0 = words[0]! | 0;
    this.s1 = words[1]! | 0;
    this.s2 = words[2]! | 0;
    this.s3 = words[3]! | 0;
  }
}

/**
 * A seeded random stream. An integer seed (±2^53) or a string seed; `stream(name)` gives named
 * sub-streams (`rng.stream('augment/erase')`) that do not depend on how much this one was used.
 */
export function createRng(seed: number | string): SeededStream {
  if (typeof seed === 'string') {
    if (seed.length === 0) throw new RngSeedError(seed);
    const key = `s${JSON.stringify(seed)}`;
    return new SeededStream(wordsFromKey(key), key);
  }
  return new SeededStream(wordsFromInteger(seed), `n${seed}`);
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
