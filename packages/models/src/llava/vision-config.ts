import { z } from 'zod';

/** Vision towers implemented: CLIP-ViT (class token, pre-LN, quick-GELU) and SigLIP-ViT (no class token, tanh-GELU). */
export const VISION_MODEL_TYPES = ['clip_vision_model', 'siglip_vision_model'] as const;

const positiveInt = z.number().int().positive();

/** HF `vision_config`. Defaults differ by family, so they are applied in completeVisionConfig. */
export const VisionConfigSchema = z.looseObject({
  model_type: z.enum(VISION_MODEL_TYPES),
  hidden_size: positiveInt.default(768),
  intermediate_size: positiveInt.default(3072),
  num_hidden_layers: positiveInt.default(12),
  num_attention_heads: positiveInt.default(12),
  num_channels: positiveInt.default(3),
  image_size: positiveInt.default(224),
  patch_size: positiveInt.optional(),
  layer_norm_eps: z.number().positive().optional(),
  hidden_act: z.enum(['quick_gelu', 'gelu', 'gelu_pytorch_tanh', 'gelu_new']).optional(),
});

/** A validated vision config with family defaults applied. */
export type VisionConfig = z.infer<typeof VisionConfigSchema> & {
  patch_size: number;
  layer_norm_eps: number;
  hidden_act: 'quick_gelu' | 'gelu' | 'gelu_pytorch_tanh' | 'gelu_new';
  /** CLIP prepends a class token; SigLIP does not. */
  class_token: boolean;
  /** Patches per image side. */
  grid: number;
};

/** Applies the family defaults of HF's CLIPVisionConfig / SiglipVisionConfig. */
export function completeVisionConfig(c: z.infer<typeof VisionConfigSchema>): VisionConfig {
  const clip = c.model_type === 'clip_vision_model';
  const patch_size = c.patch_size ?? (clip ? 32 : 16);
  return {
    ...c,
    patch_size,
    layer_norm_eps: c.layer_norm_eps ?? (clip ? 1e-5 : 1e-6),
    hidden_act: c.hidden_act ?? (clip ? 'quick_gelu' : 'gelu_pytorch_tanh'),
    class_token: clip,
    grid: Math.floor(c.image_size / patch_size),
  };
}
