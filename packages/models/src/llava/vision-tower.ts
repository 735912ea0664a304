import { add, concat, conv, expand, layerNorm, matmul, mul, reshape, slice, softmax, transpose, unsqueeze, type Value } from '@smart/onnx-graph';
import type { LlavaConfig } from '../config/llava-config';
import { PREFIX } from '../weights/tensor-names';
import { dimOf } from './attention-bias';
import { activation, linear } from './layers';
import type { WeightLookup } from './weights';

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
  if (v.class_token)
    x = layerNorm(x, w(`${p}pre_layrnorm.weight`), w(`${p}pre_layrnorm.bias`), {
      epsilon: v.layer_norm_eps,
    });

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

function encoderLayer(w: WeightLookup, config: LlavaConfig, p: string, x: Value): Value {
  const v = config.vision;
  const heads = v.num_attention_heads;
  const hd = v.hidden_size / heads;
  const eps = { epsilon: v.layer_norm_eps };
  const h = layerNorm(x, w(`${p}layer_norm1.weight`), w(`${p}layer_norm1.bias`), eps);
  const split = (name: string) => transpose(reshape(linear(w, `${p}self_attn.${name}`, h, true), [0, 0, heads, hd]), [0, 2, 1, 3]); // [B, h, N, hd]
  const q = split('q_proj');
  const k = split('k_proj');
  const val = split('v_proj');
  const probs = softmax(mul(matmul(q, transpose(k, [0, 1, 3, 2])), 1 / Math.sqrt(hd)), -1); // [B, h, N, N]
  const merged = reshape(transpose(matmul(probs, val), [0, 2, 1, 3]), [0, 0, v.hidden_size]);
  x = add(x, linear(w, `${p}self_attn.out_proj`, merged, true));
  const h2 = layerNorm(x, w(`${p}layer_norm2.weight`), w(`${p}layer_norm2.bias`), eps);
  return add(x, linear(w, `${p}mlp.fc2`, activation(v.hidden_act, linear(w, `${p}mlp.fc1`, h2, true)), true));
}

/** LLaVA's 2-layer MLP projector: features [B, N, D·layers] → [B, N, H]. */
export function projector(w: WeightLookup, config: LlavaConfig, feats: Value): Value {
  const bias = config.multimodal_projector_bias;
  const h = activation(config.projector_hidden_act, linear(w, `${PREFIX.projector}linear_1`, feats, bias));
  return linear(w, `${PREFIX.projector}linear_2`, h, bias);
}
