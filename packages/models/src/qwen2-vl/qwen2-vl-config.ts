import { z } from 'zod';
import { completeTextConfig, TextConfigSchema, type TextConfig } from '../decoder/text-config';

/** The top-level `model_type` of Qwen2-VL checkpoints. */
export const QWEN2_VL_MODEL_TYPES = ['qwen2_vl'] as const;

const positiveInt = z.number().int().positive();
const tokenId = z.number().int().nonnegative();

/** HF Qwen2VLVisionConfig (`vision_config` of config.json); HF defaults applied, unknown keys kept. */
export const Qwen2VlVisionConfigSchema = z.looseObject({
  depth: positiveInt.default(32),
  embed_dim: positiveInt.default(1280),
  /** Output width of the PatchMerger: the language model's hidden size. */
  hidden_size: positiveInt.default(3584),
  hidden_act: z.enum(['quick_gelu', 'gelu', 'gelu_pytorch_tanh', 'silu']).default('quick_gelu'),
  mlp_ratio: z.number().positive().default(4),
  num_heads: positiveInt.default(16),
  /** Published configs spell it `in_chans`; HF's class reads `in_channels`. */
  in_channels: positiveInt.optional(),
  in_chans: positiveInt.optional(),
  patch_size: positiveInt.default(14),
  spatial_merge_size: positiveInt.default(2),
  temporal_patch_size: positiveInt.default(2),
});

/** M-RoPE settings (`rope_scaling` of Qwen2-VL): half-head-dim sections rotated by temporal, height and width positions. */
const RopeScalingSchema = z.looseObject({
  type: z.string().optional(),
  rope_type: z.string().optional(),
  mrope_section: z.tuple([positiveInt, positiveInt, positiveInt]),
});

/**
 * HF Qwen2VLConfig (`config.json` of Qwen2VLForConditionalGeneration). The published 2B/7B files keep the
 * language model's fields at the top level; transformers ≥ 4.53 also writes them under `text_config`.
 */
export const Qwen2VlConfigSchema = z.looseObject({
  model_type: z.enum(QWEN2_VL_MODEL_TYPES),
  vision_config: Qwen2VlVisionConfigSchema,
  rope_scaling: RopeScalingSchema.optional(),
  text_config: z.looseObject({ rope_scaling: RopeScalingSchema.optional() }).optional(),
  image_token_id: tokenId.default(151655),
  video_token_id: tokenId.default(151656),
  vision_start_token_id: tokenId.default(151652),
  vision_end_token_id: tokenId.default(151653),
  tie_word_embeddings: z.boolean().optional(),
});

/** The vision tower's completed settings. */
export interface Qwen2VlVisionConfig {
  depth: number;
  embed_dim: number; // D
  /** PatchMerger output = text hidden size. */
  out_hidden_size: number;
  hidden_act: string;
  /** MLP width D·mlp_ratio. */
  intermediate_size: number;
  num_heads: number;
  head_dim: number;
  in_channels: number;
  patch_size: number;
  spatial_merge_size: number;
  temporal_patch_size: number;
  /** Length of one flattened patch: C·T·p·p (the Conv3d kernel as a MatMul). */
  patch_dim: number;
}

/** A validated Qwen2-VL config with completed sub-configs. */
export interface Qwen2VlConfig {
  model_type: 'qwen2_vl';
  text: TextConfig;
  vision: Qwen2VlVisionConfig;
  /** Half-head-dim sizes of the temporal/height/width sections (Qwen2-VL: [16, 24, 24] for head_dim 128). */
  mrope_section: [number, number, number];
  image_token_id: number;
  video_token_id: number;
  vision_start_token_id: number;
  vision_end_token_id: number;
  /** The parsed JSON, unknown keys included, for writing back. */
  raw: z.infer<typeof Qwen2VlConfigSchema>;
}

/** HF Qwen2VLConfig's defaults for the language-model fields (they differ from Qwen2's). */
const TEXT_DEFAULTS = {
  vocab_size: 152064,
  hidden_size: 8192,
  intermediate_size: 29568,
  num_hidden_layers: 80,
  num_attention_heads: 64,
  num_key_value_heads: 8,
  max_position_embeddings: 32768,
  rms_norm_eps: 1e-5,
  rope_theta: 1000000,
  hidden_act: 'silu',
  tie_word_embeddings: false,
};

/** The language model's fields of a Qwen2-VL config.json as a Qwen2 text config object (before validation). */
export function qwen2VlTextJson(json: Record<string, unknown>): Record<string, unknown> {
  const nested = json['text_config'] as Record<string, unknown> | undefined;
  const source = nested ?? json;
  const picked = Object.fromEntries(Object.keys(TEXT_DEFAULTS).concat(['head_dim', 'bos_token_id', 'eos_token_id', 'pad_token_id']).filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
  return { ...TEXT_DEFAULTS, ...picked, model_type: 'qwen2' };
}

/** Completes a parsed Qwen2-VL config: text fields as a Qwen2 decoder, vision widths, M-RoPE sections. */
export function completeQwen2VlConfig(raw: z.infer<typeof Qwen2VlConfigSchema>, text: z.infer<typeof TextConfigSchema>): Qwen2VlConfig {
  const t = completeTextConfig(text);
  if (raw.tie_word_embeddings !== undefined) t.tie_word_embeddings = raw.tie_word_embeddings;
  const v = raw.vision_config;
  const channels = v.in_channels ?? v.in_chans ?? 3;
  const rope = raw.rope_scaling ?? raw.text_config?.rope_scaling;
  return {
    model_type: raw.model_type,
    text: t,
    vision: {
      depth: v.depth,
      embed_dim: v.embed_dim,
      out_hidden_size: v.hidden_size,
      hidden_act: v.hidden_act,
      intermediate_size: Math.round(v.embed_dim * v.mlp_ratio),
      num_heads: v.num_heads,
      head_dim: v.embed_dim / v.num_heads,
      in_channels: channels,
      patch_size: v.patch_size,
      spatial_merge_size: v.spatial_merge_size,
      temporal_patch_size: v.temporal_patch_size,
      patch_dim: channels * v.temporal_patch_size * v.patch_size * v.patch_size,
    },
    // HF's default sections when a config has none: the 7B/2B value.
    mrope_section: rope?.mrope_section ?? [16, 24, 24],
    image_token_id: raw.image_token_id,
    video_token_id: raw.video_token_id,
    vision_start_token_id: raw.vision_start_token_id,
    vision_end_token_id: raw.vision_end_token_id,
    raw,
  };
}
