import type { Rng } from '@smart/types';
import { topKFilter } from './top-k-filter';
import { topPKeep } from './top-p-filter';

/** The per-row settings of the sampler. */
export interface TokenSamplingParams {
  /** 0 means greedy (argmax). */
  temperature: number;
  /** In (0, 1]; 1 disables nucleus filtering. */
  topP: number;
  /** 0 disables top-k. */
  topK: number;
}

/**
 * Draws the next token from one row of logits [V]: temperature, then top-k, then top-p (the order
 * HF transformers applies its warpers), then one multinomial draw from `rng` over the kept tokens.
 * Temperature 0 is greedy and draws nothing from `rng`.
 */
export function sampleNextToken(logits: ArrayLike<number>, params: TokenSamplingParams, rng: Rng): number {
  if (params.temperature <= 0) return argmax(logits);
  const scaled = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) scaled[i] = logits[i]! / params.temperature;
  if (params.topK > 0) topKFilter(scaled, params.topK);
  const kept = topPKeep(scaled, Math.min(params.topP, 1));
  if (kept.length === 0) return argmax(logits);
  const max = scaled[kept[0]!]!;
  const weights = kept.map((i) => Math.exp(scaled[i]! - max));
  const total = weights.reduce((s, w) => s + w, 0);
  // Renormalized over the kept set: the draw is scaled by the kept mass, not 1.
  let u = rng.next() * total;
  for (let r = 0; r < kept.length; r++) {
    u -= weights[r]!;
    if (u < 0) return kept[r]!;
  }
  return kept[kept.length - 1]!;
}

/** Index of the largest value (first one on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Turns a logits row into a one-hot choice of `token` (0 there, -Infinity elsewhere), so a greedy step picks it. */
export function forceToken(logits: Float32Array, token: number): void {
  logits.fill(-Infinity);
  logits[token] = 0;
}
