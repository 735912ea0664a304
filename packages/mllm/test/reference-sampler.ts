import type { TokenSamplingParams } from '../src/sampling/token-sampler';

/**
 * The kept set by the textbook method, as an oracle: sort the whole vocabulary by logit (ties: lower
 * index), cut at top-k, then keep the smallest prefix whose mass (float64, Math.exp) reaches top-p.
 * Tokens more than `cutoffNats` below the top are dropped first, as the fast sampler never draws them.
 */
export function referenceKeptTokens(logits: ArrayLike<number>, params: TokenSamplingParams, cutoffNats = 36): number[] {
  const scaled = Array.from(logits, (l) => l / params.temperature);
  const max = Math.max(...scaled.filter((x) => !Number.isNaN(x)));
  let order = scaled.map((_, i) => i).filter((i) => scaled[i]! > -Infinity && max - scaled[i]! < cutoffNats);
  order.sort((a, b) => logits[b]! - logits[a]! || a - b);
  if (params.topK > 0) order = order.slice(0, params.topK);
  if (params.topP >= 1) return order;
  const weights = order.map((i) => Math.exp(scaled[i]! - max));
  const total = weights.reduce((s, w) => s + w, 0);
  const kept: number[] = [];
  let before = 0;
  for (let r = 0; r < order.length; r++) {
    if (r > 0 && before >= (params.topP - 1e-7) * total) break;
    kept.push(order[r]!);
    before += weights[r]!;
  }
  return kept;
}
