import { AugmentConfigError } from '../errors';
import type { NormalRng } from './normal-rng';
import { ZIGGURAT, ZIGGURAT_R } from './ziggurat-tables';

const TWO_POW_32 = 4294967296;
const TWO_POW_M53 = 1 / 9007199254740992;
const TWO_POW_M24 = 1 / 16777216;
const INV_R = 1 / ZIGGURAT_R;

/**
 * A small, fast, seeded generator: xoshiro128** (Blackman & Vigna 2018) for 32-bit words, uniforms
 * with 53 random bits, and a ziggurat for normals. The same seed gives the same sequence on every
 * platform (only 32-bit integer ops feed the output), so augmented bytes are reproducible.
 */
export class SeededRng implements NormalRng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  // normal() goes through fillNormal with a Float32Array so that hot method stays monomorphic.
  private readonly one = new Float32Array(1);

  /** `seed` is any integer in ±2^53; both 32-bit halves are mixed in (splitmix32). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new AugmentConfigError('seed', seed, 'must be a safe integer');
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO_POW_32) | 0, 0x9e3779b9);
    const words = new Int32Array(4);
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      words[i] = z ^ (z >>> 16);
    }
    // An all-zero state is the one fixed point of xoshiro.
    if ((words[0]! | words[1]! | words[2]! | words[3]!) === 0) words[0] = 1;
    [this.s0, this.s1, this.s2, this.s3] = words as unknown as [number, number, number, number];
  }

  /** A generator resuming from `state` (as returned by `getState`). */
  static fromState(state: ArrayLike<number>): SeededRng {
    const rng = new SeededRng(0);
    rng.s0 = state[0]! | 0;
    rng.s1 = state[1]! | 0;
    rng.s2 = state[2]! | 0;
    rng.s3 = state[3]! | 0;
    return rng;
  }

  /** The 128-bit state as four uint32 words (to persist a run and resume it). */
  getState(): [number, number, number, number] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
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

  /** Uniform integer in [lo, hi). */
  int(lo: number, hi: number): number {
    return lo + Math.floor((hi - lo) * this.next());
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
   * out[i] = a·x[i] + b·ε_i for i in [start, end) (out[i] = b·ε_i when x is null), ε_i ~ N(0, 1): the
   * diffusion-noise kernel fused with the sampler, so ε never round-trips through memory. Draws the same
   * stream as fillNormal.
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
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
