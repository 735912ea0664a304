import type { LlavaConfig } from '../config/llava-config';

/** A tensor a model expects: HF name and shape. */
export interface TensorSpec {
  name: string;
  shape: number[];
  /** Part of the model the tensor belongs to (used to pick trainable sets). */
  part: 'vision' | 'projector' | 'text';
}

/** Prefixes of the classic LLaVA checkpoint layout (what llava-hf checkpoints and vLLM use). */
export const PREFIX = {
  vision: 'vision_tower.vision_model.',
  projector: 'multi_modal_projector.',
  text: 'language_model.model.',
  lmHead: 'language_model.lm_head.',
} as const;

// transformers >= 4.52 saves LLaVA under `model.*`; both layouts load, the classic one is written.
const MODERN_TO_CLASSIC: [string, string][] = [
  ['model.language_model.', PREFIX.text],
  ['model.vision_tower.', 'vision_tower.'],
  ['model.multi_modal_projector.', PREFIX.projector],
  ['lm_head.', PREFIX.lmHead],
];

/** Maps a tensor name of either checkpoint layout to the classic layout. */
export function canonicalTensorName(name: string): string {
  for (const [from, to] of MODERN_TO_CLASSIC) if (name.startsWith(from)) return to + name.slice(from.length);
  return name;
}

/** Every tensor of a LLaVA model with its shape, in a stable order. Vision layers past the used feature layer are still listed. */
export function llavaTensorSpecs(config: LlavaConfig): TensorSpec[] {
  return [...visionSpecs(config), ...projectorSpecs(config), ...textSpecs(config)];
}

function visionSpecs(config: LlavaConfig): TensorSpec[] {
  const v = config.vision;
  const D = v.hidden_size;
  const p = PREFIX.vision;
  const specs: TensorSpec[] = [];
  const add = (name: string, shape: number[]) => specs.push({ name: p + name, shape, part: 'vision' });
  const positions = v.grid * v.grid + (v.class_token ? 1 : 0);
  if (v.class_token) add('embeddings.class_embedding', [D]);
  add('embeddings.patch_embedding.weight', [D, v.num_channels, v.patch_size, v.patch_size]);
  if (!v.class_token) add('embeddings.patch_embedding.bias', [D]);
  add('embeddings.position_embedding.weight', [positions, D]);
  // CLIP's checkpoint really spells it "pre_layrnorm".
  if (v.class_token) {
    add('pre_layrnorm.weight', [D]);
    add('pre_layrnorm.bias', [D]);
  }
  for (let i = 0; i < v.num_hidden_layers; i++) {
    const l = `encoder.layers.${i}.`;
    for (const proj of ['q_proj', 'k_proj', 'v_proj', 'out_proj']) {
      add(`${l}self_attn.${proj}.weight`, [D, D]);
      add(`${l}self_attn.${proj}.bias`, [D]);
    }
    for (const ln of ['layer_norm1', 'layer_norm2']) {
      add(`${l}${ln}.weight`, [D]);
      add(`${l}${ln}.bias`, [D]);
    }
    add(`${l}mlp.fc1.weight`, [v.intermediate_size, D]);
    add(`${l}mlp.fc1.bias`, [v.intermediate_size]);
    add(`${l}mlp.fc2.weight`, [D, v.intermediate_size]);
    add(`${l}mlp.fc2.bias`, [D]);
  }
  add('post_layernorm.weight', [D]);
  add('post_layernorm.bias', [D]);
  return specs;
}

function projectorSpecs(config: LlavaConfig): TensorSpec[] {
  const inDim = config.vision.hidden_size * config.vision_feature_layers.length;
  const H = config.text.hidden_size;
  const p = PREFIX.projector;
  const specs: TensorSpec[] = [
    { name: `${p}linear_1.weight`, shape: [H, inDim], part: 'projector' },
    { name: `${p}linear_2.weight`, shape: [H, H], part: 'projector' },
  ];
  if (config.multimodal_projector_bias) {
    specs.splice(1, 0, {
      name: `${p}linear_1.bias`,
      shape: [H],
      part: 'projector',
    });
    specs.push({ name: `${p}linear_2.bias`, shape: [H], part: 'projector' });
  }
  return specs;
}

function textSpecs(config: LlavaConfig): TensorSpec[] {
  const t = config.text;
  const H = t.hidden_size;
  const q = t.num_attention_heads * t.head_dim;
  const kv = t.num_key_value_heads * t.head_dim;
  const p = PREFIX.text;
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
  if (!t.tie_word_embeddings)
    specs.push({
      name: `${PREFIX.lmHead}weight`,
      shape: [t.vocab_size, H],
      part: 'text',
    });
  return specs;
}

/** Parameter count of a config (from its tensor specs). */
export function parameterCount(config: LlavaConfig): number {
  return llavaTensorSpecs(config).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}
