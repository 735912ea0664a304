import type { NormalRng } from '@smart/core';
import { DEFAULT_NOISE_STEP } from './diffusion-schedule';
import { addDiffusionNoiseToImage, type PixelDiffusionNoiseOptions } from './diffusion-noise';
import { randomFlip } from './flip';
import type { Rect, RgbImage } from './image';
import { randomCrop } from './random-crop';
import { DEFAULT_ERASE_RATIO, DEFAULT_ERASE_SCALE, randomErasing, type RandomErasingOptions } from './random-erasing';
import type { Rng } from '@smart/types';

/** `paper`: one random (horizontal) flip; `released-code`: horizontal and vertical flips, as the authors' script. */
export type AugmentProfile = 'paper' | 'released-code';

/** Every knob of the negative-image composition. */
export interface NegativeImageSettings {
  /** Probability of a horizontal flip. */
  horizontalFlipP: number;
  /** Probability of a vertical flip (0 disables). */
  verticalFlipP: number;
  /** Fraction of each side kept by a random crop, or null for no crop (neither profile crops by default). */
  cropFraction: number | null;
  /** Random erasing settings (p, scale, ratio, value, attempts). */
  erasing: Omit<RandomErasingOptions, 'rng'>;
  /** Diffusion step, or null for no noise. */
  noiseStep: number | null;
}

/** The settings of each profile (method.md §3). */
export const NEGATIVE_IMAGE_PROFILES: Readonly<Record<AugmentProfile, Readonly<NegativeImageSettings>>> = {
  paper: {
    horizontalFlipP: 0.5,
    verticalFlipP: 0,
    cropFraction: null,
    erasing: { p: 0.5, scale: DEFAULT_ERASE_SCALE, ratio: DEFAULT_ERASE_RATIO, value: 0, attempts: 10 },
    noiseStep: DEFAULT_NOISE_STEP,
  },
  'released-code': {
    horizontalFlipP: 0.5,
    verticalFlipP: 0.5,
    cropFraction: null,
    erasing: { p: 0.5, scale: DEFAULT_ERASE_SCALE, ratio: DEFAULT_ERASE_RATIO, value: 0, attempts: 10 },
    noiseStep: DEFAULT_NOISE_STEP,
  },
};

/** Options of `negativeImage`: pixel-space noise needs the model's normalization; geometric steps only do not. */
export type NegativeImageOptions = NegativeImageBaseOptions &
  (
    | ({ noise?: 'pixel' } & Pick<PixelDiffusionNoiseOptions, 'mean' | 'std'>)
    | ({ noise: 'none' } & Partial<Pick<PixelDiffusionNoiseOptions, 'mean' | 'std'>>)
  );

/** Options of `negativeImage` that do not depend on the noise mode. */
export interface NegativeImageBaseOptions {
  /** All draws (flips, crop, erasing, ε) come from here, in a fixed order. */
  rng: Rng | NormalRng;
  /** Default 'paper'. */
  profile?: AugmentProfile;
  /** Replaces single settings of the profile. */
  overrides?: Partial<NegativeImageSettings>;
  /**
   * 'pixel' (default): add the noise here, in [0, 1] space with clamping and 8-bit rounding, calibrated to
   * `mean`/`std`, the normalization of the model that will see the image: an approximation, for backends
   * that take images (HTTP) or negatives written to disk. 'none': geometric steps only; `negativeModelInput`
   * then runs the model's processor and noises its tensor, as the authors' code does.
   */
  noise?: 'pixel' | 'none';
}

/** What `negativeImage` did, for logs and the run store. */
export interface NegativeImageRecord {
  profile: AugmentProfile;
  horizontalFlip: boolean;
  verticalFlip: boolean;
  crop: Rect | null;
  erase: Rect | null;
  /** The diffusion step (applied here when `noiseApplied`, else left to the caller); null for none. */
  noiseStep: number | null;
  noiseApplied: boolean;
  /**
   * Where the noise went: `model-input` (on the processor's normalized tensor, the authors' way:
   * `negativeModelInput`), `image` (8-bit pixel space, clamped: the approximation for image-only backends),
   * or null while not applied.
   */
  noiseSpace: 'model-input' | 'image' | null;
}

/**
 * The negative image of method.md §3, in the released code's order: horizontal flip → vertical flip
 * (released-code) → crop (when configured) → random erasing → diffusion noise.
 */
export function negativeImage(img: RgbImage, options: NegativeImageOptions): { image: RgbImage; record: NegativeImageRecord } {
  const profile = options.profile ?? 'paper';
  const settings: NegativeImageSettings = { ...NEGATIVE_IMAGE_PROFILES[profile], ...options.overrides };
  const { rng } = options;
  let image = img;

  const h = randomFlip(image, { rng, p: settings.horizontalFlipP, direction: 'horizontal' });
  image = h.raster;
  let verticalFlip = false;
  if (settings.verticalFlipP > 0) {
    const v = randomFlip(image, { rng, p: settings.verticalFlipP, direction: 'vertical' });
    image = v.raster;
    verticalFlip = v.flipped;
  }
  let cropRect: Rect | null = null;
  if (settings.cropFraction !== null) {
    const c = randomCrop(image, { rng, fraction: settings.cropFraction });
    image = c.raster;
    cropRect = c.rect;
  }
  const e = randomErasing(image, { ...settings.erasing, rng });
  image = e.raster;

  let noiseApplied = false;
  if (settings.noiseStep !== null && options.noise !== 'none') {
    image = addDiffusionNoiseToImage(image, { step: settings.noiseStep, rng, mean: options.mean, std: options.std });
    noiseApplied = true;
  }
  // Always hand back a fresh image, even when no step fired, so callers may mutate it.
  if (image === img) image = { ...img, data: img.data.slice() };
  return {
    image,
    record: {
      profile,
      horizontalFlip: h.flipped,
      verticalFlip,
      crop: cropRect,
      erase: e.rect,
      noiseStep: settings.noiseStep,
      noiseApplied,
      noiseSpace: noiseApplied ? 'image' : null,
    },
  };
}
