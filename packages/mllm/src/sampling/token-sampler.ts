import type { Rng } from '@smart/types';
import { expTable, EXP_CUTOFF_NATS, EXP_TABLE_RESOLUTION } from './exp-table';

/** The per-row settings of the sampler. */
export interface TokenSamplingParams {
  /** 0 means greedy (argmax). */
  temperature: number;
  /** In (0, 1]; 1 disables nucleus filtering. */
  topP: number;
  /** 0 disables top-k. */
  topK: number;
}

/** Cumulative mass within this distance of top-p counts as having reached it (float noise at exact boundaries). */
const BOUNDARY_EPS = 1e-7;
/** Table steps per histogram bucket: 128 steps of 1/1024 nat make buckets of 1/8 nat. */
const BUCKET_SHIFT = 7;
const BUCKETS = ((EXP_CUTOFF_NATS * EXP_TABLE_RESOLUTION) >> BUCKET_SHIFT) + 1;
/** Bucket of tokens that can never be drawn (-Infinity, NaN, or more than EXP_CUTOFF_NATS below the top). */
const NEVER = 0xffff;

/**
 * Temperature → top-k → top-p (Holtzman et al. 2020, "The Curious Case of Neural Text Degeneration";
 * the order HF transformers applies its warpers) → one multinomial draw, in time linear in the
 * vocabulary: no sort of the whole vocabulary.
 *
 * Why a histogram: the kept set only depends on where the top-k count and the top-p mass are crossed.
 * One pass computes each token's weight exp((l − max)/T) (a table of exp(−k/1024) times a cubic: about
 * 1e-15 relative error, several times cheaper than Math.exp) and adds it to a 1/8-nat bucket; walking the
 * buckets from the top finds the one bucket where the cut lies, and only that bucket's tokens are sorted
 * (by logit, ties by lower index). Tokens more than EXP_CUTOFF_NATS (36) below the top token (probability
 * under 2.3e-16 of it) get weight 0 and are never drawn.
 *
 * Kept set: with top-k, the k highest logits; then the smallest prefix (descending logit) whose mass
 * reaches top-p of the top-k mass, always at least one token. The draw renormalizes over the kept set
 * and consumes exactly one `rng.next()`. A sampler keeps scratch buffers sized to the vocabulary, so one
 * instance serves every row of a batch, one row at a time.
 */
export class TokenSampler {
  private weights = new Float64Array(0);
  private buckets = new Uint16Array(0);
  private kept = new Int32Array(0);
  private keptLength = 0;
  private readonly counts = new Uint32Array(BUCKETS);
  private readonly masses = new Float64Array(BUCKETS);

  /** Draws the next token from one row of logits [V]; temperature 0 is greedy and draws nothing from `rng`. */
  sample(logits: ArrayLike<number>, params: TokenSamplingParams, rng: Rng): number {
    if (params.temperature <= 0) return argmax(logits);
    if (!this.select(logits, params)) return argmax(logits);
    const { weights, kept } = this;
    let total = 0;
    for (let r = 0; r < this.keptLength; r++) total += weights[kept[r]!]!;
    let u = rng.next() * total;
    for (let r = 0; r < this.keptLength; r++) {
      u -= weights[kept[r]!]!;
      if (u < 0) return kept[r]!;
    }
    return kept[this.keptLength - 1]!;
  }

  /** The kept set of a row (the tokens a draw can return), by descending logit, ties by lower index. */
  keptTokens(logits: ArrayLike<number>, params: TokenSamplingParams): number[] {
    if (params.temperature <= 0 || !this.select(logits, params)) return [argmax(logits)];
    return Array.from(this.kept.subarray(0, this.keptLength)).sort((a, b) => byLogit(logits, a, b));
  }

  /** Fills `kept` (draw order) and `weights`; false when no token has a finite logit. */
  private select(logits: ArrayLike<number>, params: TokenSamplingParams): boolean {
    const n = logits.length;
    if (this.weights.length < n) {
      this.weights = new Float64Array(n);
      this.buckets = new Uint16Array(n);
      this.kept = new Int32Array(n);
    }
    let max = -Infinity;
    for (let i = 0; i < n; i++) if (logits[i]! > max) max = logits[i]!;
    if (max === -Infinity || Number.isNaN(max)) return false;
    const finite = this.weigh(logits, max, 1 / params.temperature);

    // Top-k: the bucket where the k-th token lies, and the sorted top part of that bucket.
    const { counts, masses } = this;
    let kBucket = BUCKETS - 1;
    let kBoundary: number[] | undefined;
    let mass = 0;
    if (params.topK > 0 && params.topK < finite) {
      let before = 0;
      kBucket = 0;
      while (before + counts[kBucket]! < params.topK) before += counts[kBucket++]!;
      kBoundary = this.sortedBucket(logits, kBucket).slice(0, params.topK - before);
      for (let b = 0; b < kBucket; b++) mass += masses[b]!;
      for (const i of kBoundary) mass += this.weights[i]!;
    } else {
      for (let b = 0; b < BUCKETS; b++) mass += masses[b]!;
    }

    // Top-p: the first bucket whose cumulative mass reaches (topP − eps) of the top-k mass.
    let pBucket = kBucket;
    let pBoundary = kBoundary;
    if (params.topP < 1) {
      const threshold = (params.topP - BOUNDARY_EPS) * mass;
      let before = 0;
      pBucket = 0;
      for (; pBucket < kBucket; pBucket++) {
        if (before + masses[pBucket]! >= threshold) break;
        before += masses[pBucket]!;
      }
      const boundary = pBucket === kBucket && kBoundary ? kBoundary : this.sortedBucket(logits, pBucket);
      let take = 0;
      // Keep a token while the tokens above it have not yet reached top-p; the top token always.
      while (take < boundary.length && (before < threshold || (pBucket === 0 && take === 0))) before += this.weights[boundary[take++]!]!;
      pBoundary = boundary.slice(0, take);
    }

    // Everything above the boundary bucket (index order), then the boundary's kept prefix.
    const { buckets, kept } = this;
    let length = 0;
    if (pBoundary) {
      for (let i = 0; i < n; i++) if (buckets[i]! < pBucket) kept[length++] = i;
      for (const i of pBoundary) kept[length++] = i;
    } else {
      for (let i = 0; i < n; i++) if (buckets[i]! !== NEVER) kept[length++] = i;
    }
    this.keptLength = length;
    return true;
  }

  /** One pass: weights exp((l − max)/T) from the table, histogram of counts and masses; returns how many tokens can be drawn. */
  private weigh(logits: ArrayLike<number>, max: number, invT: number): number {
    const { weights, buckets, counts, masses } = this;
    const table = expTable();
    const limit = EXP_CUTOFF_NATS * EXP_TABLE_RESOLUTION;
    const scale = invT * EXP_TABLE_RESOLUTION;
    counts.fill(0);
    masses.fill(0);
    let finite = 0;
    for (let i = 0; i < logits.length; i++) {
      const y = (max - logits[i]!) * scale; // ≥ 0: table steps below the top token
      if (!(y < limit)) {
        weights[i] = 0;
        buckets[i] = NEVER;
        continue;
      }
      const k = (y + 0.5) | 0;
      const r = (k - y) / EXP_TABLE_RESOLUTION; // |r| ≤ 1/2048: exp(r) by its cubic Taylor polynomial
      const w = table[k]! * (1 + r * (1 + r * (0.5 + r * (1 / 6))));
      const b = k >> BUCKET_SHIFT;
      weights[i] = w;
      buckets[i] = b;
      counts[b]!++;
      masses[b] = masses[b]! + w;
      finite++;
    }
    return finite;
  }

  /** The tokens of one bucket by descending logit, ties by lower index. */
  private sortedBucket(logits: ArrayLike<number>, bucket: number): number[] {
    const out: number[] = [];
    const { buckets } = this;
    for (let i = 0; i < logits.length; i++) if (buckets[i] === bucket) out.push(i);
    return out.sort((a, b) => byLogit(logits, a, b));
  }
}

function byLogit(logits: ArrayLike<number>, a: number, b: number): number {
  return logits[b]! - logits[a]! || a - b;
}

/** Index of the largest value (first one on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
