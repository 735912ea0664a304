import { ConfigError } from '../errors';
import { CLIP_MEAN, CLIP_STD, parseImageNormalization } from './image-normalization';

// The preprocessor_config.json of llava-hf/llava-1.5-7b-hf (CLIP ViT-L/14-336), keys as published.
const LLAVA_1_5 = {
  crop_size: { height: 336, width: 336 },
  do_center_crop: true,
  do_convert_rgb: true,
  do_normalize: true,
  do_rescale: true,
  do_resize: true,
  image_mean: [0.48145466, 0.4578275, 0.40821073],
  image_processor_type: 'CLIPImageProcessor',
  image_std: [0.26862954, 0.26130258, 0.27577711],
  processor_class: 'LlavaProcessor',
  resample: 3,
  rescale_factor: 0.00392156862745098,
  size: { shortest_edge: 336 },
};

describe('parseImageNormalization', () => {
  it('reads CLIP’s crop size and constants from a real LLaVA-1.5 preprocessor config', () => {
    expect(parseImageNormalization(LLAVA_1_5)).toEqual({ imageSize: 336, mean: [...CLIP_MEAN], std: [...CLIP_STD] });
  });

  it('reads SigLIP’s square resize (llava-interleave-qwen: 384 px, 0.5 / 0.5)', () => {
    const siglip = { image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5], size: { height: 384, width: 384 }, image_processor_type: 'SiglipImageProcessor' };
    expect(parseImageNormalization(siglip)).toEqual({ imageSize: 384, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] });
  });

  it.each([
    [{ ...LLAVA_1_5, image_mean: undefined }, /p.json: image_mean/],
    [{ ...LLAVA_1_5, image_std: [0.2, 0, 0.2] }, /p.json: image_std.1/],
    [{ ...LLAVA_1_5, crop_size: { height: 336, width: 300 } }, /p.json: crop_size: 336×300 is not square/],
    [{ ...LLAVA_1_5, do_center_crop: false }, /p.json: size: needs crop_size or size with height and width/],
  ])('rejects a config that does not fix the normalization (%#)', (json, message) => {
    expect(() => parseImageNormalization(json, 'p.json')).toThrow(ConfigError);
    expect(() => parseImageNormalization(json, 'p.json')).toThrow(message);
  });
});
