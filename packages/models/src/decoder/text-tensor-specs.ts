import type { TensorSpec } from '../weights/tensor-spec';
import type { TextConfig } from './text-config';
import type { TextWeightPrefixes } from './text-decoder';

/** Every tensor of a Llama/Qwen2 language model under `prefixes`, in a stable order (no lm_head when tied). */
export function textTensorSpecs(t: TextConfig, prefixes: TextWeightPrefixes): TensorSpec[] {
  const H = t.hidden_size;
  const q = t.num_attention_heads * t.head_dim;
  const kv = t.num_key_value_heads * t.head_dim;
  const p = prefixes.model;
  const specs: TensorSpec[] = [];
  const add = (name: string, shape: number[]) => specs.push({ name: p + name, shape, part: 'text' });
  add('embed_tokens.weight', [t.vocab_size, H]);
  for (let i = 0; i < t.num_hidden_layers; i++) {
    const l = `layers.${i}.`;
    add(`${l}self_attn.q_proj.weight`, [q, H]);
    add(`${l}self_attn.k_proj.weight`, [kv, H]);
    add(`${l}self_attn.v_proj.weight`, [kv, H]);
    if (t.qkv_bias) {
      add(`${l}self_attn.q_proj.bias`, [q]);
      add(`${l}self_attn.k_proj.bias`, [kv]);
      add(`${l}self_attn.v_proj.bias`, [kv]);
    }
    add(`${l}self_attn.o_proj.weight`, [H, q]);
    add(`${l}mlp.gate_proj.weight`, [t.intermediate_size, H]);
    add(`${l}mlp.up_proj.weight`, [t.intermediate_size, H]);
    add(`${l}mlp.down_proj.weight`, [H, t.intermediate_size]);
    add(`${l}input_layernorm.weight`, [H]);
    add(`${l}post_attention_layernorm.weight`, [H]);
  }
  add('norm.weight', [H]);
  if (!t.tie_word_embeddings) specs.push({ name: `${prefixes.lmHead}weight`, shape: [t.vocab_size, H], part: 'text' });
  return specs;
}
