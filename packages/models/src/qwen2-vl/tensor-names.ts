import { textTensorSpecs } from '../decoder/text-tensor-specs';
import type { TextWeightPrefixes } from '../decoder/text-decoder';
import type { TensorSpec } from '../weights/tensor-spec';
import type { Qwen2VlConfig } from './qwen2-vl-config';

/** Prefixes of the published Qwen2-VL checkpoints (`visual.*`, `model.*`, `lm_head.*`), what vLLM also reads. */
export const QWEN2_VL_PREFIX = { vision: 'visual.', text: 'model.', lmHead: 'lm_head.' } as const;

/** The language model's prefixes in the published layout. */
export const QWEN2_VL_TEXT_PREFIXES: TextWeightPrefixes = { model: QWEN2_VL_PREFIX.text, lmHead: QWEN2_VL_PREFIX.lmHead };

// transformers >= 4.52 saves Qwen2-VL as `model.language_model.*` / `model.visual.*`; both load, the published layout is written.
const MODERN_TO_PUBLISHED: [string, string][] = [
  ['model.language_model.', QWEN2_VL_PREFIX.text],
  ['model.visual.', QWEN2_VL_PREFIX.vision],
];

/** Maps a tensor name of either checkpoint layout to the published one. */
export function qwen2VlCanonicalName(name: string): string {
  for (const [from, to] of MODERN_TO_PUBLISHED) if (name.startsWith(from)) return to + name.slice(from.length);
  return name;
}

/** Every tensor of a Qwen2-VL model with its HF name and shape, in a stable order. */
export function qwen2VlTensorSpecs(config: Qwen2VlConfig): TensorSpec[] {
  return [...visionSpecs(config), ...textTensorSpecs(config.text, QWEN2_VL_TEXT_PREFIXES)];
}

function visionSpecs(config: Qwen2VlConfig): TensorSpec[] {
  const v = config.vision;
  const D = v.embed_dim;
  const specs: TensorSpec[] = [];
  const add = (name: string, shape: number[], part: TensorSpec['part'] = 'vision') => specs.push({ name: QWEN2_VL_PREFIX.vision + name, shape, part });
  add('patch_embed.proj.weight', [D, v.in_channels, v.temporal_patch_size, v.patch_size, v.patch_size]); // Conv3d, no bias
  for (let i = 0; i < v.depth; i++) {
    const b = `blocks.${i}.`;
    add(`${b}norm1.weight`, [D]);
    add(`${b}norm1.bias`, [D]);
    add(`${b}norm2.weight`, [D]);
    add(`${b}norm2.bias`, [D]);
    add(`${b}attn.qkv.weight`, [3 * D, D]);
    add(`${b}attn.qkv.bias`, [3 * D]);
    add(`${b}attn.proj.weight`, [D, D]);
    add(`${b}attn.proj.bias`, [D]);
    add(`${b}mlp.fc1.weight`, [v.intermediate_size, D]);
    add(`${b}mlp.fc1.bias`, [v.intermediate_size]);
    add(`${b}mlp.fc2.weight`, [D, v.intermediate_size]);
    add(`${b}mlp.fc2.bias`, [D]);
  }
  // The PatchMerger is Qwen2-VL's projector: LN, then an MLP over 2×2 neighbourhoods.
  const merged = D * v.spatial_merge_size ** 2;
  add('merger.ln_q.weight', [D], 'projector');
  add('merger.ln_q.bias', [D], 'projector');
  add('merger.mlp.0.weight', [merged, merged], 'projector');
  add('merger.mlp.0.bias', [merged], 'projector');
  add('merger.mlp.2.weight', [v.out_hidden_size, merged], 'projector');
  add('merger.mlp.2.bias', [v.out_hidden_size], 'projector');
  return specs;
}

/** Parameter count of a config (from its tensor specs; tied embeddings counted once). */
export function qwen2VlParameterCount(config: Qwen2VlConfig): number {
  return qwen2VlTensorSpecs(config).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}
