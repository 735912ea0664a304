import { add, equal, gather, less, range, shapeOf, sub, unsqueeze, where, type Value } from '@smart/onnx-graph';

/** Additive score bias for masked positions: large enough to zero a softmax weight, small enough to stay finite. */
export const MASKED = -1e9;

/** Scalar int64 `dim` of `x`'s shape. */
export function dimOf(x: Value, dim: number): Value {
  return gather(shapeOf(x), x.graph.scalar(dim, 'int64'), 0);
}

/**
 * Causal + padding bias for queries at absolute positions past..past+S−1 over keys 0..T−1:
 * attentionMask [B, T] (1 = real token) → bias [B, 1, 1, S, T] (0 where allowed, MASKED elsewhere).
 * The two extra axes broadcast over kv heads and the query heads that share them (GQA).
 */
export function causalPaddingBias(attentionMask: Value, queryLength: Value, dtype: 'float32' | 'float64'): Value {
  const g = attentionMask.graph;
  const one = g.scalar(1, 'int64');
  const total = dimOf(attentionMask, 1); // T
  const past = sub(total, queryLength);
  const zero64 = g.scalar(0, 'int64');
  const keys = range(zero64, total, one); // [T]
  const queries = add(range(zero64, queryLength, one), past); // [S]: absolute positions past..T-1
  const allowed = less(unsqueeze(keys, [0]), unsqueeze(add(queries, 1), [1])); // [S, T]
  const zero = g.scalar(0, dtype);
  const masked = g.scalar(MASKED, dtype);
  const causal = where(allowed, zero, masked); // [S, T]
  const padding = where(equal(attentionMask, 1), zero, masked); // [B, T]
  return add(causal, unsqueeze(padding, [1, 2, 3])); // [B, 1, 1, S, T]
}
