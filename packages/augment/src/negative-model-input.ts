import type { ModelPixels } from '@smart/types';
import { addDiffusionNoiseToPixels } from './diffusion-noise';
import type { RgbImage } from './image';
import { negativeImage, type NegativeImageBaseOptions, type NegativeImageRecord } from './negative-image';

/** The model's own processor: resize + normalize (its mean/std) an image into the tensor its vision encoder receives. */
export type ImagePreprocessor = (image: RgbImage) => Promise<ModelPixels>;

/** Options of {@link negativeModelInput}. */
export interface NegativeModelInputOptions extends Omit<NegativeImageBaseOptions, 'noise'> {
  /** The model's processor (e.g. `createImagePreprocessor(folder)` of @smart/mllm for a local folder). */
  preprocess: ImagePreprocessor;
}

/**
 * The negative as the authors make it (method.md §3, "Where the noise goes"): the profile's flips and
 * erasing on the image, then the model's processor, then diffusion noise at the profile's step on the
 * processor's tensor, unclamped, each duplicated frame with its own ε. All draws come from `rng` in that
 * order (geometric first, then ε), so the seed of `rng` reproduces the tensor exactly.
 */
export async function negativeModelInput(img: RgbImage, options: NegativeModelInputOptions): Promise<{ pixels: ModelPixels; record: NegativeImageRecord }> {
  const { preprocess, ...geometric } = options;
  const { image, record } = negativeImage(img, { ...geometric, noise: 'none' });
  const clean = await preprocess(image);
  if (record.noiseStep === null) return { pixels: clean, record };
  const pixels = addDiffusionNoiseToPixels(clean, { step: record.noiseStep, rng: options.rng });
  return { pixels, record: { ...record, noiseApplied: true, noiseSpace: 'model-input' } };
}
