import type { ModelPixels } from '@smart/types';
import { normalizeTensor, toChwTensor, type RgbImage } from '../src/image';
import type { ImagePreprocessor } from '../src/negative-model-input';
import { qwen2VlPatches } from './qwen2-vl-patches';

/** Nearest-neighbour resize to size×size: a stand-in processor resize (a real one comes from the model folder). */
function resizeNearest(img: RgbImage, size: number): RgbImage {
  const data = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    const sy = Math.floor((y * img.height) / size);
    for (let x = 0; x < size; x++) {
      const sx = Math.floor((x * img.width) / size);
      for (let c = 0; c < 3; c++) data[(y * size + x) * 3 + c] = img.data[(sy * img.width + sx) * 3 + c]!;
    }
  }
  return { width: size, height: size, data };
}

/** A CLIP-like processor: resize, to [0, 1], normalize; `[1, 3, size, size]`. */
export function imagesPreprocessor(size: number, mean: readonly number[], std: readonly number[]): ImagePreprocessor {
  return async (img: RgbImage): Promise<ModelPixels> => {
    const t = normalizeTensor(toChwTensor(resizeNearest(img, size)), mean, std);
    return { data: t.data, layout: { kind: 'images', batch: 1, channels: 3, height: size, width: size } };
  };
}

/** A Qwen2-VL-like processor: resize, normalize, two temporal copies, 2×2 patches merged 2×2. */
export function patchesPreprocessor(size: number, mean: readonly number[], std: readonly number[]): ImagePreprocessor {
  return async (img: RgbImage): Promise<ModelPixels> =>
    qwen2VlPatches(normalizeTensor(toChwTensor(resizeNearest(img, size)), mean, std), { temporalPatchSize: 2, patchSize: 2, mergeSize: 2 });
}
