import { cast, concat, cos, matmul, mul, neg, sin, slice, unsqueeze, add, type Value } from '@smart/onnx-graph';

/** cos/sin tables for rotary embeddings (Su et al. 2021) at `positionIds` [B, S] → each [B, S, head_dim]. */
export function ropeTables(
  positionIds: Value,
  headDim: number,
  theta: number,
  dtype: 'float32' | 'float64',
  /** Scaled inverse frequencies (see ropeInverseFrequencies); default θ^(-2i/d). */
  invFreqs?: readonly number[],
): { cos: Value; sin: Value } {
  const g = positionIds.graph;
  const half = headDim / 2;
  const inv = invFreqs ? [...invFreqs] : new Array<number>(half);
  if (inv.length !== half) throw new RangeError(`ropeTables: ${inv.length} inverse frequencies for head_dim ${headDim}`);
  if (!invFreqs) for (let i = 0; i < half; i++) inv[i] = 1 / Math.pow(theta, (2 * i) / headDim);
  const invFreq = g.constant(dtype, [1, half], inv); // [1, d/2]
  const pos = unsqueeze(cast(positionIds, dtype), [-1]); // [B, S, 1]
  const freqs = matmul(pos, invFreq); // [B, S, d/2]
  const emb = concat([freqs, freqs], -1); // [B, S, d]
  return { cos: cos(emb), sin: sin(emb) };
}

/**
 * cos/sin tables of a rotary embedding whose frequency bands follow different position axes: Qwen2-VL's M-RoPE
 * (Wang et al. 2024, §2.1: temporal/height/width sections) and its ViT's 2-D RoPE (height and width halves).
 * positions [..., R] int64, one inverse frequency per band j and the axis `axisOf[j]` ∈ [0, R) it rotates with
 * → each [..., 2·J] in HF's halves layout. One MatMul with a [R, J] matrix holding each band's frequency in its
 * axis' row (zeros elsewhere) is exact: every output is one product plus exact zeros.
 */
export function sectionedRopeTables(
  positions: Value,
  invFreq: readonly number[],
  axisOf: readonly number[],
  dtype: 'float32' | 'float64',
): { cos: Value; sin: Value } {
  const R = positions.shape[positions.rank - 1] as number;
  const J = invFreq.length;
  const m = new Array<number>(R * J).fill(0);
  for (let j = 0; j < J; j++) m[axisOf[j]! * J + j] = invFreq[j]!;
  const freqs = matmul(cast(positions, dtype), positions.graph.constant(dtype, [R, J], m)); // [..., J]
  const emb = concat([freqs, freqs], -1); // [..., 2J]
  return { cos: cos(emb), sin: sin(emb) };
}

/** x·cos + rotate_half(x)·sin, HF's layout (halves, not interleaved pairs); cos/sin broadcast against x. */
export function applyRope(x: Value, cosT: Value, sinT: Value, headDim: number): Value {
  const half = headDim / 2;
  const x1 = slice(x, [0], [half], [-1]);
  const x2 = slice(x, [half], [headDim], [-1]);
  const rotated = concat([neg(x2), x1], -1);
  return add(mul(x, cosT), mul(rotated, sinT));
}
