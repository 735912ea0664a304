import { z } from 'zod';
import { completeTextConfig, TextConfigSchema, withTextFamilyDefaults, type TextConfig } from '../decoder/text-config';
import { completeVisionConfig, VisionConfigSchema, type VisionConfig } from './vision-config';

/** Top-level multimodal families implemented. */
export const LLAVA_MODEL_TYPES = ['llava'] as const;

/** HF LlavaConfig (`config.json` of LlavaForConditionalGeneration); unknown keys kept. */
export const LlavaConfigSchema = z.looseObject({
  model_type: z.enum(LLAVA_MODEL_TYPES),
  /** Filled with transformers' family defaults first, as LlavaConfig does. */
  text_config: z.preprocess(withTextFamilyDefaults, TextConfigSchema),
  vision_config: VisionConfigSchema,
  image_token_index: z.number().int().nonnegative().default(32000),
  projector_hidden_act: z.enum(['gelu', 'gelu_pytorch_tanh']).default('gelu'),
  multimodal_projector_bias: z.boolean().default(true),
  /** Hidden-state index of the vision tower to use (negative counts from the end; HF default -2). */
  vision_feature_layer: z.union([z.number().int(), z.array(z.number().int()).nonempty()]).default(-2),
  /** `default` drops CLIP's class token; `full` keeps every position. */
  vision_feature_select_strategy: z.enum(['default', 'full']).default('default'),
  tie_word_embeddings: z.boolean().optional(),
});

/** A validated LLaVA config with completed sub-configs. */
export interface LlavaConfig {
  model_type: 'llava';
  text: TextConfig;
  vision: VisionConfig;
  image_token_index: number;
  projector_hidden_act: 'gelu' | 'gelu_pytorch_tanh';
  multimodal_projector_bias: boolean;
  vision_feature_layers: number[];
  vision_feature_select_strategy: 'default' | 'full';
  /** Image features per image after feature selection = image tokens in the prompt. */
  image_seq_length: number;
  /** The parsed JSON, unknown keys included, for writing back. */
  raw: z.infer<typeof LlavaConfigSchema>;
}

/** Completes a parsed LLaVA config: family defaults, tied embeddings, image token count. */
export function completeLlavaConfig(raw: z.infer<typeof LlavaConfigSchema>): LlavaConfig {
  const vision = completeVisionConfig(raw.vision_config);
  const text = completeTextConfig(raw.text_config);
  if (raw.tie_word_embeddings !== undefined) text.tie_word_embeddings = raw.tie_word_embeddings;
  const layers = Array.isArray(raw.vision_feature_layer) ? raw.vision_feature_layer : [raw.vision_feature_layer];
  const dropClass = vision.class_token && raw.vision_feature_select_strategy === 'default';
  const positions = vision.grid * vision.grid + (vision.class_token ? 1 : 0);
  return {
    model_type: raw.model_type,
    text,
    vision,
    image_token_index: raw.image_token_index,
    projector_hidden_act: raw.projector_hidden_act,
    multimodal_projector_bias: raw.multimodal_projector_bias,
    vision_feature_layers: layers,
    vision_feature_select_strategy: raw.vision_feature_select_strategy,
    image_seq_length: positions - (dropClass ? 1 : 0),
    raw,
  };
}
