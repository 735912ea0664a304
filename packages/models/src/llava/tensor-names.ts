import { textTensorSpecs } from '../decoder/text-tensor-specs';
import type { TextWeightPrefixes } from '../decoder/text-decoder';
import type { TensorSpec } from '../weights/tensor-spec';
import type { LlavaConfig } from './llava-config';

/** Prefixes of the classic LLaVA checkpoint layout (what llava-hf checkpoints and vLLM use). */
export const PREFIX = {
  vision: 'vision_tower.vision_model.',
  projector: 'multi_modal_projector.',
  text: 'language_model.model.',
  lmHead: 'language_model.lm_head.',
} as const;

/** The language model's prefixes in the classic LLaVA layout. */
export const LLAVA_TEXT_PREFIXES: TextWeightPrefixes = { model: PREFIX.text, lmHead: PREFIX.lmHead };

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
  return [...visionSpecs(config), ...projectorSpecs(config), ...textTensorSpecs(config.text, LLAVA_TEXT_PREFIXES)];
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

/** Parameter count of a config (from its tensor specs). */
export function parameterCount(config: LlavaConfig): number {
  return llavaTensorSpecs(config).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}
