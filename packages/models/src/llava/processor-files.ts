import { CLIP_MEAN, CLIP_STD, SIGLIP_MEAN, SIGLIP_STD, type ImageNormalization } from '../processor/image-normalization';
import type { LlavaConfig } from './llava-config';

/** The normalization of a LLaVA config's vision tower: CLIP's constants or SigLIP's 0.5 / 0.5, at the tower's image size. */
export function llavaImageNormalization(config: LlavaConfig): ImageNormalization {
  const clip = config.vision.class_token;
  return { imageSize: config.vision.image_size, mean: clip ? CLIP_MEAN : SIGLIP_MEAN, std: clip ? CLIP_STD : SIGLIP_STD };
}

/**
 * preprocessor_config.json of a LLaVA folder: CLIP-style resize + center crop (CLIP towers) or a plain
 * square resize (SigLIP towers), rescale to [0, 1] and normalize.
 */
export function preprocessorConfig(config: LlavaConfig): Record<string, unknown> {
  const { imageSize: s, mean, std } = llavaImageNormalization(config);
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
      image_mean: [...mean],
      image_std: [...std],
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
    image_mean: [...mean],
    image_std: [...std],
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
