import { add, concat, conv, expand, reshape, slice, transpose, unsqueeze, type Value } from '@smart/onnx-graph';
import { activation } from '../layers/activation';
import { vitSelfAttention } from '../layers/attention';
import { dimOf } from '../layers/dim-of';
import { linear } from '../layers/linear';
import { vitMlp } from '../layers/mlp';
import { layerNormLayer } from '../layers/norms';
import type { WeightLookup } from '../layers/weights';
import type { LlavaConfig } from './llava-config';
import { PREFIX } from './tensor-names';

/**
 * CLIP-ViT (Radford et al. 2021: class token, pre-LN) or SigLIP-ViT (Zhai et al. 2023: no class token)
 * up to the deepest feature layer LLaVA uses, then feature selection (Liu et al. 2023):
 * pixelValues [B, 3, H, W] → features [B, N, D·layers].
 */
export function visionFeatures(w: WeightLookup, config: LlavaConfig, pixelValues: Value): Value {
  const v = config.vision;
  const p = PREFIX.vision;
  const D = v.hidden_size;
  const patches = conv(pixelValues, w(`${p}embeddings.patch_embedding.weight`), v.class_token ? undefined : w(`${p}embeddings.patch_embedding.bias`), {
    strides: [v.patch_size, v.patch_size],
  }); // [B, D, g, g]
  let x = transpose(reshape(patches, [0, D, -1]), [0, 2, 1]); // [B, g·g, D]
  if (v.class_token) {
    const b = dimOf(pixelValues, 0);
    const cls = expand(reshape(w(`${p}embeddings.class_embedding`), [1, 1, D]), concat([unsqueeze(b, [0]), x.graph.int64s([1, D])], 0));
    x = concat([cls, x], 1); // [B, 1 + g·g, D]
  }
  x = add(x, w(`${p}embeddings.position_embedding.weight`));
  if (v.class_token) x = layerNormLayer(w, `${p}pre_layrnorm`, x, v.layer_norm_eps);

  // hidden_states[0] is the embedding output; layer i's output is hidden_states[i + 1].
  const count = v.num_hidden_layers + 1;
  const wanted = config.vision_feature_layers.map((l) => (l < 0 ? l + count : l));
  const deepest = Math.max(...wanted);
  const states: Value[] = [x];
  for (let i = 0; i < deepest; i++) {
    x = encoderLayer(w, config, `${p}encoder.layers.${i}.`, x);
    states.push(x);
  }
  let feats =
    wanted.length === 1
      ? states[wanted[0]!]!
      : concat(
          wanted.map((l) => states[l]!),
          -1,
        );
  if (v.class_token && config.vision_feature_select_strategy === 'default') feats = slice(feats, [1], [Number.MAX_SAFE_INTEGER], [1]);
  return feats;
}

/** A pre-LN ViT block: x + attn(LN₁(x)), then + mlp(LN₂(·)); [B, N, D] → [B, N, D]. */
function encoderLayer(w: WeightLookup, config: LlavaConfig, p: string, x: Value): Value {
  const v = config.vision;
  const h = layerNormLayer(w, `${p}layer_norm1`, x, v.layer_norm_eps);
  x = add(x, vitSelfAttention(w, `${p}self_attn`, h, v.num_attention_heads, v.hidden_size));
  const h2 = layerNormLayer(w, `${p}layer_norm2`, x, v.layer_norm_eps);
  return add(x, vitMlp(w, `${p}mlp`, h2, v.hidden_act));
}

/** LLaVA's 2-layer MLP projector: features [B, N, D·layers] → [B, N, H]. */
export function projector(w: WeightLookup, config: LlavaConfig, feats: Value): Value {
  const bias = config.multimodal_projector_bias;
  const h = activation(config.projector_hidden_act, linear(w, `${PREFIX.projector}linear_1`, feats, bias));
  return linear(w, `${PREFIX.projector}linear_2`, h, bias);
}
