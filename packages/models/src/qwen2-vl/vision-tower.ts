import { add, equal, gather, matmul, mul, reshape, softmax, transpose, unsqueeze, where, type Value } from '@smart/onnx-graph';
import { activation } from '../layers/activation';
import { MASKED } from '../layers/attention';
import { linear } from '../layers/linear';
import { vitMlp } from '../layers/mlp';
import { layerNormLayer } from '../layers/norms';
import { applyRope, sectionedRopeTables } from '../layers/rope';
import type { WeightLookup } from '../layers/weights';
import { patchCountOf, patchPositions } from './patch-positions';
import type { Qwen2VlConfig } from './qwen2-vl-config';
import { QWEN2_VL_PREFIX } from './tensor-names';

// HF Qwen2VisionTransformerPretrainedModel's LayerNorm epsilon (blocks and merger).
const LN_EPS = 1e-6;
// VisionRotaryEmbedding's base.
const VISION_THETA = 10000;

/**
 * The Qwen2-VL ViT (Wang et al. 2024, "Qwen2-VL", §2.1: naive dynamic resolution, 2-D RoPE, 2×2 token merging):
 * pixelValues [N, C·T·p·p] flattened patches, gridThw [I, 3] → image features [N / m², H_text] in prompt order.
 */
export function visionFeatures(w: WeightLookup, config: Qwen2VlConfig, pixelValues: Value, gridThw: Value): Value {
  const v = config.vision;
  const p = QWEN2_VL_PREFIX.vision;
  const D = v.embed_dim;
  const dtype = pixelValues.dtype as 'float32' | 'float64';
  // Conv3d with kernel = stride = (T, p, p) on one patch is a dot product with the flattened kernel.
  const kernel = reshape(w(`${p}patch_embed.proj.weight`), [D, v.patch_dim]); // [D, C·T·p·p]
  let x = matmul(pixelValues, transpose(kernel, [1, 0])); // [N, D]

  const pos = patchPositions(gridThw, patchCountOf(pixelValues), v.spatial_merge_size);
  // Rows rotate the first half of each head's bands, columns the second (HF rot_pos_emb): J = hd/2 bands.
  const quarter = v.head_dim / 4;
  const inv = Array.from({ length: quarter }, (_, i) => 1 / Math.pow(VISION_THETA, (2 * i) / (v.head_dim / 2)));
  const rope = sectionedRopeTables(pos.rowCol, [...inv, ...inv], [...inv.map(() => 0), ...inv.map(() => 1)], dtype); // [N, hd]
  // Block-diagonal attention: a patch sees the patches of its own frame only (HF cu_seqlens).
  const g = x.graph;
  const sameFrame = equal(unsqueeze(pos.frame, [1]), unsqueeze(pos.frame, [0])); // [N, N]
  const bias = where(sameFrame, g.scalar(0, dtype), g.scalar(MASKED, dtype));

  for (let i = 0; i < v.depth; i++) {
    const b = `${p}blocks.${i}.`;
    x = add(x, visionAttention(w, config, `${b}attn`, layerNormLayer(w, `${b}norm1`, x, LN_EPS), rope, bias));
    x = add(x, vitMlp(w, `${b}mlp`, layerNormLayer(w, `${b}norm2`, x, LN_EPS), v.hidden_act));
  }
  return patchMerger(w, config, x);
}

/** Multi-head self-attention with a fused qkv projection and 2-D RoPE: h [N, D] → [N, D]. */
function visionAttention(w: WeightLookup, config: Qwen2VlConfig, prefix: string, h: Value, rope: { cos: Value; sin: Value }, bias: Value): Value {
  const { num_heads: heads, head_dim: hd, embed_dim: D } = config.vision;
  const g = h.graph;
  const qkv = reshape(linear(w, `${prefix}.qkv`, h, true), [0, 3, heads, hd]); // [N, 3, h, hd]: q, k, v blocks
  const part = (j: number) => transpose(gather(qkv, g.scalar(j, 'int64'), 1), [1, 0, 2]); // [h, N, hd]
  const q = applyRope(part(0), rope.cos, rope.sin, hd); // cos/sin [N, hd] broadcast over heads
  const k = applyRope(part(1), rope.cos, rope.sin, hd);
  const scores = add(mul(matmul(q, transpose(k, [0, 2, 1])), 1 / Math.sqrt(hd)), bias); // [h, N, N]
  const ctx = matmul(softmax(scores, -1), part(2)); // [h, N, hd]
  return linear(w, `${prefix}.proj`, reshape(transpose(ctx, [1, 0, 2]), [0, D]), true); // [N, D]
}

/** PatchMerger: LN, then each 2×2 block of consecutive patches concatenated [N/m², m²·D] → MLP → [N/m², H_text]. */
function patchMerger(w: WeightLookup, config: Qwen2VlConfig, x: Value): Value {
  const v = config.vision;
  const p = `${QWEN2_VL_PREFIX.vision}merger.`;
  const merged = reshape(layerNormLayer(w, `${p}ln_q`, x, LN_EPS), [-1, v.embed_dim * v.spatial_merge_size ** 2]);
  return linear(w, `${p}mlp.2`, activation('gelu', linear(w, `${p}mlp.0`, merged, true)), true);
}
