/**
 * Nucleus (top-p) filtering, Holtzman et al. 2020 ("The Curious Case of Neural Text Degeneration").
 * transformers.js 4.3.1 ignores `top_p`, so this is our own implementation.
 */

/** Cumulative mass within this distance of top-p counts as having reached it (float noise at exact boundaries). */
const BOUNDARY_EPS = 1e-7;

/**
 * Indices of the smallest set of most-probable tokens whose total probability reaches `topP`,
 * ordered by descending logit (ties: lower index first). Probabilities are computed in float64.
 * Always keeps at least one token; `-Infinity` logits are never kept unless nothing else is finite.
 */
export function topPKeep(logits: ArrayLike<number>, topP: number): number[] {
  const order = sortedByLogit(logits);
  if (order.length === 0) return [];
  const max = logits[order[0]!]!;
  let total = 0;
  const weights = new Float64Array(order.length);
  for (let r = 0; r < order.length; r++) {
    const w = Math.exp(logits[order[r]!]! - max);
    weights[r] = w;
    total += w;
  }
  const kept: number[] = [];
  let massBefore = 0;
  for (let r = 0; r < order.length; r++) {
    // Keep a token while the tokens above it have not yet reached top-p.
    if (r > 0 && massBefore >= topP - BOUNDARY_EPS) break;
    kept.push(order[r]!);
    massBefore += weights[r]! / total;
  }
  return kept;
}

/** Sets every logit outside the top-p nucleus to -Infinity, in place; returns how many were kept. */
export function topPFilter(logits: Float32Array | Float64Array, topP: number): number {
  if (topP >= 1) return countFinite(logits);
  const kept = topPKeep(logits, topP);
  maskAllBut(logits, kept);
  return kept.length;
}

/** Indices of finite logits sorted by descending value, ties broken by index. */
export function sortedByLogit(logits: ArrayLike<number>): number[] {
  const idx: number[] = [];
  for (let i = 0; i < logits.length; i++) if (logits[i]! > -Infinity) idx.push(i);
  idx.sort((a, b) => logits[b]! - logits[a]! || a - b);
  return idx;
}

/** Sets every logit not in `kept` to -Infinity, in place. */
export function maskAllBut(logits: Float32Array | Float64Array, kept: readonly number[]): void {
  const keep = new Uint8Array(logits.length);
  for (const i of kept) keep[i] = 1;
  for (let i = 0; i < logits.length; i++) if (!keep[i]) logits[i] = -Infinity;
}

function countFinite(logits: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > -Infinity) n++;
  return n;
}
