import { maskAllBut, sortedByLogit } from './top-p-filter';

/**
 * Keeps the `topK` highest logits (ties: lower index first) and sets the rest to -Infinity, in place.
 * `topK` 0 (our default, unlike the library's 50) or >= vocabulary size leaves the logits unchanged.
 * Returns the number of finite logits afterwards.
 */
export function topKFilter(logits: Float32Array | Float64Array, topK: number): number {
  const order = sortedByLogit(logits);
  if (topK <= 0 || topK >= order.length) return order.length;
  maskAllBut(logits, order.slice(0, topK));
  return topK;
}
