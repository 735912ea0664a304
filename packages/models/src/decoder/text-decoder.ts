import { add, GraphBuildError, matmul, transpose, type Value } from '@smart/onnx-graph';
import { causalPaddingBias, groupedQueryAttention, type KvCache } from '../layers/attention';
import { dimOf } from '../layers/dim-of';
import { gatedMlp } from '../layers/mlp';
import { rmsNormLayer } from '../layers/norms';
import { ropeTables } from '../layers/rope';
import type { WeightLookup } from '../layers/weights';
import type { TextConfig } from './text-config';
import { ropeInverseFrequencies } from './rope-frequencies';

/** Where a family keeps its language model's tensors: `<model>layers.0…`, `<model>norm`, `<lmHead>weight`. */
export interface TextWeightPrefixes {
  /** e.g. `language_model.model.` (LLaVA) or `model.` (Qwen2-VL). */
  model: string;
  /** e.g. `language_model.lm_head.` (LLaVA) or `lm_head.`. */
  lmHead: string;
}

/** Inputs of the decoder stack. */
export interface DecoderInputs {
  inputsEmbeds: Value; // [B, S, H]
  attentionMask: Value; // [B, past + S] int64
  positionIds?: Value; // [B, S] int64
  /** Precomputed RoPE tables at the query positions, each [B, S, head_dim] (M-RoPE); instead of `positionIds`. */
  rope?: { cos: Value; sin: Value };
  /** Per-layer caches of earlier tokens; omitted for a full-sequence forward. */
  past?: KvCache[];
}

/** Output of the decoder stack: final-normed hidden states and the updated caches. */
export interface DecoderOutputs {
  hidden: Value; // [B, S, H]
  present: KvCache[];
}

/**
 * Llama/Qwen2 decoder (Touvron et al. 2023; Qwen2 adds q/k/v biases): pre-RMSNorm blocks with
 * rotary grouped-query attention and a SwiGLU MLP, then a final RMSNorm.
 */
export function decoderStack(
  w: WeightLookup,
  c: TextConfig,
  prefixes: TextWeightPrefixes,
  inputs: DecoderInputs,
  dtype: 'float32' | 'float64',
): DecoderOutputs {
  const { cos, sin } = inputs.rope ?? ropeTables(required(inputs.positionIds), c.head_dim, c.rope_theta, dtype, ropeInverseFrequencies(c)); // [B, S, hd]
  const bias = causalPaddingBias(inputs.attentionMask, dimOf(inputs.inputsEmbeds, 1), dtype); // [B, 1, 1, S, T]
  const shape = { heads: c.num_attention_heads, kvHeads: c.num_key_value_heads, headDim: c.head_dim, qkvBias: c.qkv_bias };
  let x = inputs.inputsEmbeds;
  const present: KvCache[] = [];
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const p = `${prefixes.model}layers.${i}.`;
    const h = rmsNormLayer(w, `${p}input_layernorm`, x, c.rms_norm_eps);
    const attn = groupedQueryAttention(w, shape, `${p}self_attn`, h, { cos, sin, bias, past: inputs.past?.[i] });
    present.push(attn.cache);
    x = add(x, attn.out);
    const h2 = rmsNormLayer(w, `${p}post_attention_layernorm`, x, c.rms_norm_eps);
    x = add(x, gatedMlp(w, `${p}mlp`, h2, c.hidden_act));
  }
  return {
    hidden: rmsNormLayer(w, `${prefixes.model}norm`, x, c.rms_norm_eps),
    present,
  };
}

function required(positionIds: Value | undefined): Value {
  if (!positionIds) throw new GraphBuildError('decoderStack needs positionIds or rope tables');
  return positionIds;
}

/** Logits from final hidden states: lm_head, or the embedding matrix when tied. hidden [.., H] → [.., V]. */
export function lmHead(w: WeightLookup, c: TextConfig, prefixes: TextWeightPrefixes, hidden: Value): Value {
  const weight = c.tie_word_embeddings ? w(`${prefixes.model}embed_tokens.weight`) : w(`${prefixes.lmHead}weight`);
  return matmul(hidden, transpose(weight, [1, 0])); // [B, S, V]
}
