import { readRegularTextSync, RecordFileError } from '@smart/core';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors';
import { MAX_CONFIG_BYTES, zodToConfigError } from '../family/config-json';

/** An RGB triple, one value per channel. */
export type Rgb = readonly [number, number, number];

/** How a model's processor turns an image into pixel values: resize to `imageSize`², rescale to [0, 1], (x − mean) / std. */
export interface ImageNormalization {
  /** Side of the square the vision tower sees, in pixels. */
  imageSize: number;
  mean: Rgb;
  std: Rgb;
}

/** OpenAI CLIP's per-channel mean and std (CLIPImageProcessor's `OPENAI_CLIP_MEAN` / `_STD`). */
export const CLIP_MEAN: Rgb = [0.48145466, 0.4578275, 0.40821073];
export const CLIP_STD: Rgb = [0.26862954, 0.26130258, 0.27577711];
/** SigLIP's per-channel mean and std (SiglipImageProcessor's `IMAGENET_STANDARD_MEAN` / `_STD`). */
export const SIGLIP_MEAN: Rgb = [0.5, 0.5, 0.5];
export const SIGLIP_STD: Rgb = [0.5, 0.5, 0.5];

const rgb = z.tuple([z.number(), z.number(), z.number()]);
const side = z.number().int().positive();
const sizeSchema = z.object({ height: side, width: side }).or(z.object({ shortest_edge: side }));

/** The fields of an HF `preprocessor_config.json` that fix normalization; other keys kept. */
export const PreprocessorConfigSchema = z.looseObject({
  image_mean: rgb,
  image_std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
  size: sizeSchema.optional(),
  crop_size: z.object({ height: side, width: side }).optional(),
  do_center_crop: z.boolean().optional(),
});

/** The normalization a parsed `preprocessor_config.json` object describes; `file` names it in errors. */
export function parseImageNormalization(json: unknown, file = 'preprocessor_config.json'): ImageNormalization {
  const parsed = PreprocessorConfigSchema.safeParse(json);
  if (!parsed.success) throw zodToConfigError(file, parsed.error);
  const p = parsed.data;
  // CLIP resizes the short edge then center-crops; SigLIP resizes straight to height × width.
  const crop = p.do_center_crop !== false ? p.crop_size : undefined;
  const size = p.size && 'height' in p.size ? p.size : undefined;
  const square = crop ?? size;
  if (!square) throw new ConfigError(file, 'size', 'needs crop_size or size with height and width');
  if (square.height !== square.width) throw new ConfigError(file, crop ? 'crop_size' : 'size', `${square.height}×${square.width} is not square`);
  return { imageSize: square.height, mean: p.image_mean, std: p.image_std };
}

/** Reads the normalization of a model folder from its `preprocessor_config.json`. */
export function readImageNormalization(folder: string): ImageNormalization {
  const file = join(folder, 'preprocessor_config.json');
  let text: string;
  try {
    text = readRegularTextSync(file, { maxBytes: MAX_CONFIG_BYTES });
  } catch (e) {
    throw new ConfigError(file, '', `cannot read: ${e instanceof RecordFileError ? e.reason : (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, '', `not valid JSON: ${(e as Error).message}`);
  }
  return parseImageNormalization(json, file);
}
