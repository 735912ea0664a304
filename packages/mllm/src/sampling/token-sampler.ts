import type { Rng } from '@smart/types';
import { CountKernel } from './count-kernel';
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
/** Table steps (1/1024 nat) of the last step that can be drawn; its index is the histogram size. */
const LIMIT = EXP_CUTOFF_NATS * EXP_TABLE_RESOLUTION;
/** Steps per coarse bucket (1/8 nat): the walks over the histogram go bucket by bucket, then step by step inside one. */
const BUCKET_SHIFT = 7;
const BUCKET = 1 << BUCKET_SHIFT;
const BUCKETS = (LIMIT >> BUCKET_SHIFT) + 1;
/** A token's exact weight is within e^(±1/2048) of its step's table value (rounding to the nearest step). */
const STEP_SLACK = Math.exp(1 / (2 * EXP_TABLE_RESOLUTION));
/** The count pass also collects the tokens within this many steps (8 nats) of the top: the head is almost always among them. */
const CANDIDATE_STEPS = 8 * EXP_TABLE_RESOLUTION;
/**
 * Float32 rows this long go through the WebAssembly kernel and sum the histogram step by step. Shorter
 * rows (and any row where the kernel is unavailable) are counted here, keeping each token's step, and the
 * histogram is cleared and summed token by token: a 260-token vocabulary would otherwise pay for up to
 * 36,865 steps per draw.
 */
const KERNEL_ROW = (LIMIT + 1) >> 2;

/**
 * Temperature → top-k → top-p (Holtzman et al. 2020, "The Curious Case of Neural Text Degeneration";
 * the order HF transformers applies its warpers) → one multinomial draw, in time linear in the
 * vocabulary: no sort of the whole vocabulary and no exp of every token.
 *
 * Why it is fast: a token's weight is exp(−y/1024) with y = (max − l)·1024/T; rounding y to its step k
 * gives the weight within a factor e^(±1/2048), so one cheap pass (no exp; long float32 rows in the
 * WebAssembly SIMD kernel of count-kernel.ts) counts the tokens per step.
 * From those counts the step where the top-k count or the top-p mass is crossed is known, and only the
 * tokens above it ("the head", typically the nucleus and a few more) get exact weights (a table of
 * exp(−k/1024) times a cubic: about 1e-15 relative error) and are sorted. The rest of the mass is known to
 * ±0.05%; when that could move the top-p cut (rarely: a cumulative mass within that margin of top-p),
 * every token's exact weight is computed, so the kept set is always the exact one. Tokens more than
 * EXP_CUTOFF_NATS (36) below the top token (probability under 2.3e-16 of it) are never drawn.
 *
 * Kept set: with top-k, the k highest logits; then the smallest prefix (descending logit, ties by lower
 * index) whose mass reaches top-p of the top-k mass, always at least one token. The draw renormalizes
 * over the kept set and consumes exactly one `rng.next()`. A sampler keeps scratch buffers sized to the
 * vocabulary, so one instance serves every row of a batch, one row at a time.
 */
export class TokenSampler {
  private kept: number[] = [];
  private keptWeights: number[] = [];
  /** Whether `kept` is in descending-logit order (only cut sets need an order). */
  private sorted = true;
  /** The dense rows' passes in WebAssembly SIMD (undefined where it is unavailable). */
  private readonly kernel = CountKernel.create(LIMIT);
  /** Tokens per step (1/1024 nat below the top token) when there is no kernel; only the first `used` entries can be non-zero. */
  private readonly ownCounts = this.kernel ? undefined : new Int32Array(LIMIT + 1);
  private used = LIMIT + 1;
  /** Buckets that can be non-zero: those up to the last step used. */
  private usedBuckets = BUCKETS;
  /** Tokens and approximate mass (Σ table value of their steps) per coarse bucket. */
  private readonly bucketCounts = new Uint32Array(BUCKETS);
  private readonly bucketMasses = new Float64Array(BUCKETS);
  /** Indices of the tokens within CANDIDATE_STEPS of the top token, ascending, from the count pass. */
  private candidates = new Int32Array(0);
  private near: Int32Array<ArrayBufferLike> = new Int32Array(0);
  /** Rows counted here: each token's step (−1 past the cutoff), valid for the first `stepsOf` tokens of the last row. */
  private steps = new Int32Array(0);
  private stepsOf = 0;

  /** Tokens per step: the kernel's memory, or this sampler's own array. */
  private get counts(): Int32Array<ArrayBufferLike> {
    return this.kernel?.counts ?? this.ownCounts!;
  }

  /** Draws the next token from one row of logits [V]; temperature 0 is greedy and draws nothing from `rng`. */
  sample(logits: ArrayLike<number>, params: TokenSamplingParams, rng: Rng): number {
    if (params.temperature <= 0 || !this.select(logits, params)) return argmax(logits);
    const { kept, keptWeights } = this;
    let total = 0;
    for (const w of keptWeights) total += w;
    let u = rng.next() * total;
    for (let r = 0; r < kept.length; r++) {
      u -= keptWeights[r]!;
      if (u < 0) return kept[r]!;
    }
    return kept[kept.length - 1]!;
  }

  /** The kept set of a row (the tokens a draw can return), by descending logit, ties by lower index. */
  keptTokens(logits: ArrayLike<number>, params: TokenSamplingParams): number[] {
    if (params.temperature <= 0 || !this.select(logits, params)) return [argmax(logits)];
    return this.sorted ? [...this.kept] : [...this.kept].sort((a, b) => logits[b]! - logits[a]! || a - b);
  }

  /** Fills `kept` and `keptWeights` (the draw order); false when no token has a finite logit. */
  private select(logits: ArrayLike<number>, params: TokenSamplingParams): boolean {
    const n = logits.length;
    const kernel = this.kernel && logits instanceof Float32Array && n >= KERNEL_ROW ? this.kernel : undefined;
    let max = kernel ? kernel.load(logits as Float32Array) : NaN;
    if (Number.isNaN(max)) max = maxOf(logits); // the kernel's max is NaN when a logit is; this one skips them
    if (max === -Infinity || Number.isNaN(max)) return false;
    const scale = EXP_TABLE_RESOLUTION / params.temperature;
    this.count(logits, max, scale, kernel);
    const table = expTable();
    const { counts, bucketCounts, bucketMasses, usedBuckets } = this;
    let finite = 0;
    for (let b = 0; b < usedBuckets; b++) finite += bucketCounts[b]!;

    let head: number;
    if (params.topK > 0 && params.topK < finite) {
      // Top-k: every step up to the one holding the k-th token; the top-k set is exact, so is its mass.
      let b = 0;
      let seen = 0;
      while (seen + bucketCounts[b]! < params.topK) seen += bucketCounts[b++]!;
      head = b * BUCKET;
      for (seen += counts[head]!; seen < params.topK; seen += counts[head]!) head++;
    } else if (params.topP < 1) {
      // Top-p: the first step whose cumulative mass surely reaches top-p of the total, however the
      // rounding fell (low estimate of the prefix against a high estimate of the total).
      let total = 0;
      for (let b = 0; b < usedBuckets; b++) total += bucketMasses[b]!;
      const needed = params.topP * total * STEP_SLACK * STEP_SLACK;
      let prefix = 0;
      let b = 0;
      while (b < BUCKETS - 1 && prefix + bucketMasses[b]! < needed) prefix += bucketMasses[b++]!;
      head = b * BUCKET;
      for (; head < LIMIT; head++) {
        prefix += counts[head]! * table[head]!;
        if (prefix >= needed) break;
      }
    } else {
      // Nothing to cut: every token that can be drawn, in index order (a draw needs no order).
      this.kept = [];
      for (let i = 0; i < n; i++) if ((max - logits[i]!) * scale < LIMIT) this.kept.push(i);
      this.keptWeights = this.kept.map((i) => weight(logits[i]!, max, scale, table));
      this.sorted = false;
      return true;
    }

    const order = sortedHead(logits, max, scale, head, head <= CANDIDATE_STEPS ? this.near : undefined);
    const weights = order.map((i) => weight(logits[i]!, max, scale, table));
    let kept = order;
    let keptWeights = weights;
    if (params.topK > 0 && params.topK < finite) {
      kept = order.slice(0, params.topK);
      keptWeights = weights.slice(0, params.topK);
    }
    if (params.topP < 1) {
      let mass = 0;
      for (const w of keptWeights) mass += w;
      let cut: number;
      if (params.topK > 0 && params.topK < finite) {
        cut = nucleus(keptWeights, params.topP, mass);
      } else {
        // The tail below the head, known to within the rounding; exact only when the cut depends on it.
        let tail = 0;
        const next = (head >> BUCKET_SHIFT) + 1;
        for (let k = head + 1; k < Math.min(next * BUCKET, LIMIT + 1); k++) tail += counts[k]! * table[k]!;
        for (let b = next; b < usedBuckets; b++) tail += bucketMasses[b]!;
        const low = nucleus(keptWeights, params.topP, mass + tail / STEP_SLACK);
        const high = nucleus(keptWeights, params.topP, mass + tail * STEP_SLACK);
        cut = low === high ? low : nucleus(keptWeights, params.topP, mass + exactTail(logits, head, max, scale));
      }
      kept = kept.slice(0, cut);
      keptWeights = keptWeights.slice(0, cut);
    }
    this.kept = kept;
    this.keptWeights = keptWeights;
    this.sorted = true;
    return true;
  }

  /**
   * One pass without exp: tokens per step below the top token (tokens past the cutoff are not counted), and
   * the tokens within CANDIDATE_STEPS of the top, so the head rarely needs another pass; then per bucket
   * the counts and their table mass. With `kernel` (its row loaded) the pass runs there and the buckets
   * are summed step by step; otherwise it runs here, keeping each token's step, and they are summed token
   * by token.
   */
  private count(logits: ArrayLike<number>, max: number, scale: number, kernel: CountKernel | undefined): void {
    const { counts, bucketCounts, bucketMasses } = this;
    const n = logits.length;
    // Clear the last row's steps: token by token after a row counted here, else the steps it used.
    const steps = this.steps;
    if (this.stepsOf > 0) {
      for (let i = 0; i < this.stepsOf; i++) if (steps[i]! >= 0) counts[steps[i]!] = 0;
    } else counts.fill(0, 0, this.used);
    // Locals, not the imported constants: a transpiled import can be a property read on every iteration.
    const limit = LIMIT;
    const near = CANDIDATE_STEPS + 0.5;
    const table = expTable();
    let last = 0;
    if (kernel) {
      this.stepsOf = 0;
      this.near = kernel.count(max, scale, limit, near);
      last = limit;
      while (last > 0 && counts[last] === 0) last--;
      this.resetBuckets(last);
      for (let k = 0; k <= last; k++) {
        const c = counts[k]!;
        if (c === 0) continue;
        const b = k >> BUCKET_SHIFT;
        bucketCounts[b]! += c;
        bucketMasses[b]! += c * table[k]!;
      }
      return;
    }
    if (this.steps.length < n) this.steps = new Int32Array(n);
    if (this.candidates.length < n) this.candidates = new Int32Array(n);
    const own = this.steps;
    const candidates = this.candidates;
    this.stepsOf = n;
    let found = 0;
    for (let i = 0; i < n; i++) {
      const y = (max - logits[i]!) * scale; // ≥ 0: table steps below the top token
      if (!(y < limit)) {
        own[i] = -1;
        continue;
      }
      const k = (y + 0.5) | 0;
      own[i] = k;
      counts[k]!++;
      if (k > last) last = k;
      if (y < near) candidates[found++] = i;
    }
    this.near = candidates.subarray(0, found);
    this.resetBuckets(last);
    for (let i = 0; i < n; i++) {
      const k = own[i]!;
      if (k < 0) continue;
      bucketCounts[k >> BUCKET_SHIFT]!++;
      bucketMasses[k >> BUCKET_SHIFT]! += table[k]!;
    }
  }

  /** Zeroes the buckets the last row or this one (up to step `last`) used. */
  private resetBuckets(last: number): void {
    this.used = last + 1;
    const usedBuckets = (last >> BUCKET_SHIFT) + 1;
    this.bucketCounts.fill(0, 0, Math.max(usedBuckets, this.usedBuckets));
    this.bucketMasses.fill(0, 0, Math.max(usedBuckets, this.usedBuckets));
    this.usedBuckets = usedBuckets;
  }
}

/**
 * The tokens at steps 0..head (the count pass's own rounding), by descending logit, ties by lower index:
 * among `within` (indices in ascending order that include every such token) or the whole row.
 */
function sortedHead(logits: ArrayLike<number>, max: number, scale: number, head: number, within?: Int32Array<ArrayBufferLike>): number[] {
  const out: number[] = [];
  const n = within ? within.length : logits.length;
  for (let j = 0; j < n; j++) {
    const i = within ? within[j]! : j;
    const y = (max - logits[i]!) * scale;
    if (y < LIMIT && ((y + 0.5) | 0) <= head) out.push(i);
  }
  return out.sort((a, b) => logits[b]! - logits[a]! || a - b);
}

/** Exact mass of the drawable tokens past step `head` (the rare fallback). */
function exactTail(logits: ArrayLike<number>, head: number, max: number, scale: number): number {
  const table = expTable();
  let tail = 0;
  for (let i = 0; i < logits.length; i++) {
    const y = (max - logits[i]!) * scale;
    if (y < LIMIT && ((y + 0.5) | 0) > head) tail += weight(logits[i]!, max, scale, table);
  }
  return tail;
}

/** exp((l − max)/T) as the table value of its step times exp of the remainder (|r| ≤ 1/2048, cubic Taylor). */
function weight(logit: number, max: number, scale: number, table: Float64Array): number {
  const y = (max - logit) * scale;
  const k = (y + 0.5) | 0;
  const r = (k - y) / EXP_TABLE_RESOLUTION;
  return table[k]! * (1 + r * (1 + r * (0.5 + r * (1 / 6))));
}

/**
 * How many of the sorted weights the nucleus keeps: a token stays while the tokens above it have not
 * yet reached (top-p − eps) of `total`; the top token always.
 */
function nucleus(weights: readonly number[], topP: number, total: number): number {
  const threshold = (topP - BOUNDARY_EPS) * total;
  let before = 0;
  let take = 0;
  while (take < weights.length && (take === 0 || before < threshold)) before += weights[take++]!;
  return take;
}

/**
 * The largest value, NaN entries ignored: four branch-free running maxima (Math.max compiles to a
 * max instruction); Math.max propagates NaN, so a row holding one is rescanned with comparisons.
 */
function maxOf(values: ArrayLike<number>): number {
  let m0 = -Infinity;
  let m1 = -Infinity;
  let m2 = -Infinity;
  let m3 = -Infinity;
  const n = values.length;
  const end = n - (n & 3);
  for (let i = 0; i < end; i += 4) {
    m0 = Math.max(m0, values[i]!);
    m1 = Math.max(m1, values[i + 1]!);
    m2 = Math.max(m2, values[i + 2]!);
    m3 = Math.max(m3, values[i + 3]!);
  }
  for (let i = end; i < n; i++) m0 = Math.max(m0, values[i]!);
  const max = Math.max(m0, m1, m2, m3);
  if (!Number.isNaN(max)) return max;
  let ordered = -Infinity;
  for (let i = 0; i < n; i++) if (values[i]! > ordered) ordered = values[i]!;
  return ordered;
}

/** Index of the largest value (first one on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
