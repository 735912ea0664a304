import type { ImageInput, ModelPixels, PixelLayout } from '@smart/types';
import { ModelLoadError } from '../errors';
import { loadProcessor } from './load-processor';
import { loadTransformersJs, type TjsLibrary, type TjsProcessor, type TjsTensor } from './transformers-js-surface';

/** 8-bit RGB pixels, rows top to bottom, interleaved ([H, W, 3]). */
export interface RgbPixels {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Turns an image into exactly the pixel tensor the model's vision encoder receives, with its layout. */
export type ImagePreprocessorFn = (image: RgbPixels) => Promise<ModelPixels>;

/** The slice of a library processor's image processor used here. */
interface TjsImageProcessor {
  config?: Record<string, unknown>;
  (images: unknown): Promise<Record<string, TjsTensor>>;
}

/**
 * The folder's own image processor (resize, rescale, normalize with its mean/std; Qwen2-VL's frame
 * duplication and patching) as a function, for transforms on the model's input tensor such as the
 * negatives' diffusion noise. It is the processor the local generator and the PromptEncoder run, so the
 * tensor equals what they would feed the model for the same image; hand the transformed tensor back
 * as an `ImageInput` of kind `tensor`. `source`: an absolute folder (loaded offline) or a loaded processor.
 */
export async function createImagePreprocessor(source: string | TjsProcessor, options: { library?: TjsLibrary } = {}): Promise<ImagePreprocessorFn> {
  const lib = options.library ?? (await loadTransformersJs());
  const processor = typeof source === 'string' ? await loadProcessor(lib, source) : source;
  const imageProcessor = (processor as TjsProcessor & { image_processor?: TjsImageProcessor }).image_processor;
  const where = typeof source === 'string' ? source : '(processor)';
  if (typeof imageProcessor !== 'function') throw new ModelLoadError(where, 'the processor has no image processor');
  return async (image) => {
    const out = await imageProcessor(new lib.RawImage(image.data, image.width, image.height, 3));
    const pixels = out.pixel_values;
    if (!pixels || !(pixels.data instanceof Float32Array)) throw new ModelLoadError(where, 'image processor returned no float32 pixel_values');
    return { data: pixels.data, layout: layoutOf(where, pixels.dims, out.image_grid_thw, imageProcessor.config ?? {}) };
  };
}

/**
 * A model-input tensor (e.g. a noised negative) as the `tensor` ImageInput the local generator feeds its
 * vision encoder unchanged: one [C, H, W] image, or Qwen2-VL patches with their grid. RangeError for a batch of images.
 */
export function tensorImage(pixels: ModelPixels): ImageInput {
  const { data, layout } = pixels;
  if (layout.kind === 'patches') {
    const patches = layout.gridT * layout.gridH * layout.gridW;
    return { kind: 'tensor', data, shape: [patches, data.length / patches], gridThw: [layout.gridT, layout.gridH, layout.gridW] };
  }
  if (layout.batch !== 1) throw new RangeError(`a tensor image is one image, got a batch of ${layout.batch}`);
  return { kind: 'tensor', data, shape: [layout.channels, layout.height, layout.width] };
}

/** `[B, C, H, W]` tensors are images; `[patches, dim]` with `image_grid_thw` are Qwen2-VL patches. */
function layoutOf(where: string, dims: readonly number[], gridThw: TjsTensor | undefined, config: Record<string, unknown>): PixelLayout {
  if (dims.length === 4) {
    const [batch, channels, height, width] = dims as [number, number, number, number];
    return { kind: 'images', batch, channels, height, width };
  }
  if (dims.length === 2 && gridThw && gridThw.data.length === 3) {
    const [gridT, gridH, gridW] = Array.from(gridThw.data, Number) as [number, number, number];
    const temporalPatchSize = Number(config.temporal_patch_size);
    const patchSize = Number(config.patch_size);
    const mergeSize = Number(config.merge_size);
    const channels = dims[1]! / (temporalPatchSize * patchSize * patchSize);
    if (![temporalPatchSize, patchSize, mergeSize, channels].every((v) => Number.isInteger(v) && v > 0) || dims[0] !== gridT * gridH * gridW) {
      throw new ModelLoadError(where, `patch tensor ${JSON.stringify(dims)} does not match grid ${gridT}×${gridH}×${gridW} and the processor config`);
    }
    return { kind: 'patches', gridT, gridH, gridW, channels, temporalPatchSize, patchSize, mergeSize };
  }
  throw new ModelLoadError(where, `unsupported pixel_values shape ${JSON.stringify(dims)}`);
}
