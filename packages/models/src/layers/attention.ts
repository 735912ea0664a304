import { add, concat, equal, less, matmul, mul, range, reshape, softmax, sub, transpose, unsqueeze, where, type Value } from '@smart/onnx-graph';
import { dimOf } from './dim-of';
import { linear } from './linear';
import { applyRope } from './rope';
import type { WeightLookup } from './weights';

/** Additive score bias for masked positions: large enough to zero a softmax weight, small enough to stay finite. */
export const MASKED = -1e9;

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

/** One layer's key/value cache: [B, kv_heads, past, head_dim] each. */
export interface KvCache {
  key: Value;
  value: Value;
}

/** Head layout of a grouped-query attention layer. */
export interface GqaShape {
  heads: number;
  kvHeads: number;
  headDim: number;
  /** Whether q/k/v projections have biases (Qwen2). */
  qkvBias: boolean;
}

/**
 * Rotary grouped-query self-attention (Ainslie et al. 2023) with HF's q/k/v/o_proj under `<prefix>`:
 * h [B, S, H] → out [B, S, H] and the updated cache [B, kvh, T, hd]. `cos`/`sin` [B, S, hd] are the
 * RoPE tables at the query positions; `bias` [B, 1, 1, S, T] masks keys.
 */
export function groupedQueryAttention(
  w: WeightLookup,
  shape: GqaShape,
  prefix: string,
  h: Value,
  ctx: { cos: Value; sin: Value; bias: Value; past: KvCache | undefined },
): { out: Value; cache: KvCache } {
  const kvh = shape.kvHeads;
  const rep = shape.heads / kvh;
  const hd = shape.headDim;
  // Queries grouped by the kv head they share: [B, S, h·hd] → [B, kvh, rep, S, hd].
  const q5 = transpose(reshape(linear(w, `${prefix}.q_proj`, h, shape.qkvBias), [0, 0, kvh, rep, hd]), [0, 2, 3, 1, 4]);
  const k4 = transpose(reshape(linear(w, `${prefix}.k_proj`, h, shape.qkvBias), [0, 0, kvh, hd]), [0, 2, 1, 3]); // [B, kvh, S, hd]
  const v4 = transpose(reshape(linear(w, `${prefix}.v_proj`, h, shape.qkvBias), [0, 0, kvh, hd]), [0, 2, 1, 3]);
  const cos4 = unsqueeze(ctx.cos, [1]); // [B, 1, S, hd]
  const sin4 = unsqueeze(ctx.sin, [1]);
  const q = applyRope(q5, unsqueeze(cos4, [1]), unsqueeze(sin4, [1]), hd);
  const kNew = applyRope(k4, cos4, sin4, hd);
  const key = ctx.past ? concat([ctx.past.key, kNew], 2) : kNew; // [B, kvh, T, hd]
  const value = ctx.past ? concat([ctx.past.value, v4], 2) : v4;
  const scores = add(mul(matmul(q, transpose(unsqueeze(key, [2]), [0, 1, 2, 4, 3])), 1 / Math.sqrt(hd)), ctx.bias); // [B, kvh, rep, S, T]
  const ctxv = matmul(softmax(scores, -1), unsqueeze(value, [2])); // [B, kvh, rep, S, hd]
  const merged = reshape(transpose(ctxv, [0, 3, 1, 2, 4]), [0, 0, shape.heads * hd]); // [B, S, h·hd]
  return {
    out: linear(w, `${prefix}.o_proj`, merged, false),
    cache: { key, value },
  };
}

/**
 * Unmasked multi-head self-attention of a ViT (CLIP/SigLIP: q/k/v/out_proj with biases under `<prefix>`):
 * h [B, N, D] → [B, N, D].
 */
export function vitSelfAttention(w: WeightLookup, prefix: string, h: Value, heads: number, hidden: number): Value {
  const hd = hidden / heads;
  const split = (name: string) => transpose(reshape(linear(w, `${prefix}.${name}`, h, true), [0, 0, heads, hd]), [0, 2, 1, 3]); // [B, h, N, hd]
  const q = split('q_proj');
  const k = split('k_proj');
  const val = split('v_proj');
  const probs = softmax(mul(matmul(q, transpose(k, [0, 1, 3, 2])), 1 / Math.sqrt(hd)), -1); // [B, h, N, N]
  const merged = reshape(transpose(matmul(probs, val), [0, 2, 1, 3]), [0, 0, hidden]); // [B, N, D]
  return linear(w, `${prefix}.out_proj`, merged, true);
}
