import type { LlavaConfig } from './llava-config';

/** CLIP's normalization constants (OpenAI CLIP); SigLIP uses 0.5 / 0.5. */
export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const;

/**
 * preprocessor_config.json of a LLaVA folder: CLIP-style resize + center crop (CLIP towers) or a plain
 * square resize (SigLIP towers), rescale to [0, 1] and normalize.
 */
export function preprocessorConfig(config: LlavaConfig): Record<string, unknown> {
  const s = config.vision.image_size;
  if (config.vision.class_token) {
    return {
      processor_class: 'LlavaProcessor',
      image_processor_type: 'CLIPImageProcessor',
      do_convert_rgb: true,
      do_resize: true,
      size: { shortest_edge: s },
      resample: 3,
      do_center_crop: true,
      crop_size: { height: s, width: s },
      do_rescale: true,
      rescale_factor: 1 / 255,
      do_normalize: true,
      image_mean: [...CLIP_MEAN],
      image_std: [...CLIP_STD],
    };
  }
  return {
    processor_class: 'LlavaProcessor',
    image_processor_type: 'SiglipImageProcessor',
    do_convert_rgb: true,
    do_resize: true,
    size: { height: s, width: s },
    resample: 3,
    do_rescale: true,
    rescale_factor: 1 / 255,
    do_normalize: true,
    image_mean: [0.5, 0.5, 0.5],
    image_std: [0.5, 0.5, 0.5],
  };
}

/**
 * processor_config.json. Python's LlavaProcessor expands `<image>` to ⌊H/p⌋·⌊W/p⌋ + num_additional_image_tokens
 * (1 for CLIP's class token) and then drops one for the `default` strategy; transformers.js ignores the
 * strategy, so for it the count written here already equals the vision encoder's output length.
 */
export function processorConfig(
  config: LlavaConfig,
  options: { convention?: 'transformers.js' | 'python'; imageToken?: string } = {},
): Record<string, unknown> {
  const grid = config.vision.grid;
  const additional = options.convention === 'python' ? (config.vision.class_token ? 1 : 0) : config.image_seq_length - grid * grid;
  return {
    processor_class: 'LlavaProcessor',
    image_token: options.imageToken ?? '<image>',
    patch_size: config.vision.patch_size,
    num_additional_image_tokens: additional,
    vision_feature_select_strategy: config.vision_feature_select_strategy,
  };
}

/** generation_config.json: EOS/PAD ids and the paper's sampling defaults. */
export function generationConfig(options: { eosTokenId: number; padTokenId: number; bosTokenId?: number | null }): Record<string, unknown> {
  return {
    bos_token_id: options.bosTokenId ?? null,
    eos_token_id: options.eosTokenId,
    pad_token_id: options.padTokenId,
    do_sample: true,
    temperature: 0.7,
    top_p: 0.9,
    top_k: 0,
    max_new_tokens: 512,
  };
}
