import { add, concat, matmul, mul, reshape, rmsNorm, softmax, transpose, unsqueeze, type Value } from '@smart/onnx-graph';
import type { TextConfig } from '../config/text-config';
import { PREFIX } from '../weights/tensor-names';
import { causalPaddingBias, dimOf } from './attention-bias';
import { activation, linear } from './layers';
import { applyRope, ropeTables } from './rope';
import type { WeightLookup } from './weights';

/** One layer's key/value cache: [B, kv_heads, past, head_dim] each. */
export interface KvCache {
  key: Value;
  value: Value;
}

/** Inputs of the decoder stack. */
export interface DecoderInputs {
  inputsEmbeds: Value; // [B, S, H]
  attentionMask: Value; // [B, past + S] int64
  positionIds: Value; // [B, S] int64
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
export function decoderStack(w: WeightLookup, c: TextConfig, inputs: DecoderInputs, dtype: 'float32' | 'float64'): DecoderOutputs {
  const { cos, sin } = ropeTables(inputs.positionIds, c.head_dim, c.rope_theta, dtype); // [B, S, hd]
  const bias = causalPaddingBias(inputs.attentionMask, dimOf(inputs.inputsEmbeds, 1), dtype); // [B, 1, 1, S, T]
  let x = inputs.inputsEmbeds;
  const present: KvCache[] = [];
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const p = `${PREFIX.text}layers.${i}.`;
    const h = rmsNorm(x, w(`${p}input_layernorm.weight`), c.rms_norm_eps);
    const attn = attention(w, c, p, h, {
      cos,
      sin,
      bias,
      past: inputs.past?.[i],
    });
    present.push(attn.cache);
    x = add(x, attn.out);
    const h2 = rmsNorm(x, w(`${p}post_attention_layernorm.weight`), c.rms_norm_eps);
    const gate = activation(c.hidden_act, linear(w, `${p}mlp.gate_proj`, h2, false));
    x = add(x, linear(w, `${p}mlp.down_proj`, mul(gate, linear(w, `${p}mlp.up_proj`, h2, false)), false));
  }
  return {
    hidden: rmsNorm(x, w(`${PREFIX.text}norm.weight`), c.rms_norm_eps),
    present,
  };
}

function attention(
  w: WeightLookup,
  c: TextConfig,
  p: string,
  h: Value,
  ctx: { cos: Value; sin: Value; bias: Value; past: KvCache | undefined },
): { out: Value; cache: KvCache } {
  const kvh = c.num_key_value_heads;
  const rep = c.num_attention_heads / kvh;
  const hd = c.head_dim;
  // Queries grouped by the kv head they share: [B, S, h·hd] → [B, kvh, rep, S, hd].
  const q5 = transpose(reshape(linear(w, `${p}self_attn.q_proj`, h, c.qkv_bias), [0, 0, kvh, rep, hd]), [0, 2, 3, 1, 4]);
  const k4 = transpose(reshape(linear(w, `${p}self_attn.k_proj`, h, c.qkv_bias), [0, 0, kvh, hd]), [0, 2, 1, 3]); // [B, kvh, S, hd]
  const v4 = transpose(reshape(linear(w, `${p}self_attn.v_proj`, h, c.qkv_bias), [0, 0, kvh, hd]), [0, 2, 1, 3]);
  const cos4 = unsqueeze(ctx.cos, [1]); // [B, 1, S, hd]
  const sin4 = unsqueeze(ctx.sin, [1]);
  const q = applyRope(q5, unsqueeze(cos4, [1]), unsqueeze(sin4, [1]), hd);
  const kNew = applyRope(k4, cos4, sin4, hd);
  const key = ctx.past ? concat([ctx.past.key, kNew], 2) : kNew; // [B, kvh, T, hd]
  const value = ctx.past ? concat([ctx.past.value, v4], 2) : v4;
  const scores = add(mul(matmul(q, unsqueeze(transpose(key, [0, 1, 3, 2]), [2])), 1 / Math.sqrt(hd)), ctx.bias); // [B, kvh, rep, S, T]
  const ctxv = matmul(softmax(scores, -1), unsqueeze(value, [2])); // [B, kvh, rep, S, hd]
  const merged = reshape(transpose(ctxv, [0, 3, 1, 2, 4]), [0, 0, c.num_attention_heads * hd]); // [B, S, h·hd]
  return {
    out: linear(w, `${p}self_attn.o_proj`, merged, false),
    cache: { key, value },
  };
}

/** Logits from final hidden states: lm_head, or the embedding matrix when tied. */
export function lmHead(w: WeightLookup, c: TextConfig, hidden: Value): Value {
  const weight = c.tie_word_embeddings ? w(`${PREFIX.text}embed_tokens.weight`) : w(`${PREFIX.lmHead}weight`);
  return matmul(hidden, transpose(weight, [1, 0])); // [B, S, V]
}
