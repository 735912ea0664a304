import { CLIP_MEAN, CLIP_STD, type ImageNormalization } from '../processor/image-normalization';
import type { Qwen2VlConfig } from './qwen2-vl-config';

/** Qwen2VLImageProcessor's pixel bounds of the published checkpoints: 56² … 14²·4·1280 (= 3136 … 12,845,056). */
export const QWEN2_VL_MIN_PIXELS = 56 * 56;
export const QWEN2_VL_MAX_PIXELS = 14 * 14 * 4 * 1280;

/**
 * Qwen2-VL normalizes with OpenAI CLIP's mean/std. Images keep their aspect ratio (dynamic resolution), so
 * `imageSize` is only the resize granularity p·m (each side a multiple of it).
 */
export function qwen2VlImageNormalization(config: Qwen2VlConfig): ImageNormalization {
  return { imageSize: config.vision.patch_size * config.vision.spatial_merge_size, mean: CLIP_MEAN, std: CLIP_STD };
}

/**
 * preprocessor_config.json of a Qwen2-VL folder with every key Qwen2VLImageProcessor serializes: smart resize into
 * [min_pixels, max_pixels] on a p·m grid (bicubic), rescale by 1/255, CLIP normalization, temporal duplication.
 * transformers.js 4.3.1 resizes and normalizes only when `do_resize` / `do_normalize` (and `size`) are present,
 * which the published files leave to Python's defaults, so they are always written out here.
 */
export function qwen2VlPreprocessorConfig(config: Qwen2VlConfig, pixels: { min?: number; max?: number } = {}): Record<string, unknown> {
  const v = config.vision;
  const min = pixels.min ?? QWEN2_VL_MIN_PIXELS;
  const max = pixels.max ?? QWEN2_VL_MAX_PIXELS;
  return {
    do_convert_rgb: true,
    do_resize: true,
    resample: 3,
    do_rescale: true,
    rescale_factor: 1 / 255,
    do_normalize: true,
    image_mean: [...CLIP_MEAN],
    image_std: [...CLIP_STD],
    min_pixels: min,
    max_pixels: max,
    size: { shortest_edge: min, longest_edge: max },
    patch_size: v.patch_size,
    temporal_patch_size: v.temporal_patch_size,
    merge_size: v.spatial_merge_size,
    image_processor_type: 'Qwen2VLImageProcessor',
    processor_class: 'Qwen2VLProcessor',
  };
}

/** A folder's preprocessor config completed with the keys transformers.js needs (the published files omit Python's defaults). */
export function completeQwen2VlPreprocessorConfig(config: Qwen2VlConfig, file: Record<string, unknown> | undefined): Record<string, unknown> {
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  // Newer processors save the bounds only as size.shortest_edge / longest_edge (what transformers.js falls back to).
  const size = (file?.['size'] ?? {}) as Record<string, unknown>;
  const min = num(file?.['min_pixels']) ?? num(size['shortest_edge']);
  const max = num(file?.['max_pixels']) ?? num(size['longest_edge']);
  return { ...qwen2VlPreprocessorConfig(config, { ...(min ? { min } : {}), ...(max ? { max } : {}) }), ...file };
}

/** ChatML with Qwen2-VL's image placeholder `<|vision_start|><|image_pad|><|vision_end|>` (the processor expands the pad). */
export const QWEN2_VL_CHAT_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' }}" +
  "{% if message['content'] is string %}{{ message['content'] }}" +
  "{% else %}{% for part in message['content'] %}{% if part['type'] == 'image' %}{{ '<|vision_start|><|image_pad|><|vision_end|>' }}" +
  "{% elif part['type'] == 'text' %}{{ part['text'] }}{% endif %}{% endfor %}{% endif %}" +
  "{{ '<|im_end|>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
