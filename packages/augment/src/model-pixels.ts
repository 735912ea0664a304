import type { ModelPixels, PixelLayout } from '@smart/types';
import { ImageShapeError } from './errors';
import { fromChwTensor, type ChwTensor, type RgbImage } from './image';

/** Number of values a tensor of this layout holds. */
export function pixelLayoutSize(layout: PixelLayout): number {
  if (layout.kind === 'images') return layout.batch * layout.channels * layout.height * layout.width;
  const { gridT, gridH, gridW, channels, temporalPatchSize, patchSize } = layout;
  return gridT * gridH * gridW * channels * temporalPatchSize * patchSize * patchSize;
}

/** The tensor's shape as its processor returns it: `[B, C, H, W]` or `[patches, C·T·P·P]`. */
export function pixelShape(layout: PixelLayout): number[] {
  if (layout.kind === 'images') return [layout.batch, layout.channels, layout.height, layout.width];
  const { gridT, gridH, gridW, channels, temporalPatchSize, patchSize } = layout;
  return [gridT * gridH * gridW, channels * temporalPatchSize * patchSize * patchSize];
}

/** Throws ImageShapeError unless the data holds exactly the values its layout describes. */
export function assertModelPixels(pixels: ModelPixels): void {
  const expected = pixelLayoutSize(pixels.layout);
  const { layout } = pixels;
  const integral = Object.values(layout).every((v) => typeof v === 'string' || (Number.isInteger(v) && v > 0));
  const merges = layout.kind === 'images' || (layout.gridH % layout.mergeSize === 0 && layout.gridW % layout.mergeSize === 0);
  if (!integral || !merges || pixels.data.length !== expected) {
    throw new ImageShapeError(expected, pixels.data.length, `model pixels ${JSON.stringify(layout)}`);
  }
}

/** Frames the tensor holds: the batch of an `images` tensor, gridT·temporalPatchSize for `patches` (Qwen2-VL: 2 per image). */
export function frameCount(layout: PixelLayout): number {
  return layout.kind === 'images' ? layout.batch : layout.gridT * layout.temporalPatchSize;
}

/**
 * One frame as a `[C, H, W]` tensor (still normalized): image `index` of a batch, or for `patches` frame
 * `index` un-patchified (the inverse of Qwen2VLImageProcessor's view + permute(0, 3, 6, 4, 7, 2, 1, 5, 8)).
 */
export function pixelFrame(pixels: ModelPixels, index: number): ChwTensor {
  assertModelPixels(pixels);
  const { layout, data } = pixels;
  if (!Number.isInteger(index) || index < 0 || index >= frameCount(layout)) {
    throw new RangeError(`frame ${index} outside [0, ${frameCount(layout)})`);
  }
  if (layout.kind === 'images') {
    const size = layout.channels * layout.height * layout.width;
    return { channels: layout.channels, height: layout.height, width: layout.width, data: data.slice(index * size, (index + 1) * size) };
  }
  const { gridH, gridW, channels: C, temporalPatchSize: T, patchSize: P, mergeSize: M } = layout;
  const t = Math.floor(index / T);
  const frame = index % T;
  const H = gridH * P;
  const W = gridW * P;
  const rowLength = C * T * P * P;
  const out = new Float32Array(C * H * W);
  for (let gh = 0; gh < gridH; gh++) {
    for (let gw = 0; gw < gridW; gw++) {
      // rows run over (t, gh / M, gw / M, gh % M, gw % M)
      const row = ((t * (gridH / M) + Math.floor(gh / M)) * (gridW / M) + Math.floor(gw / M)) * M * M + (gh % M) * M + (gw % M);
      for (let c = 0; c < C; c++) {
        // columns run over (c, frame, py, px)
        const col = (c * T + frame) * P * P;
        for (let py = 0; py < P; py++) {
          const src = row * rowLength + col + py * P;
          const dst = (c * H + gh * P + py) * W + gw * P;
          out.set(data.subarray(src, src + P), dst);
        }
      }
    }
  }
  return { channels: C, height: H, width: W, data: out };
}

/**
 * A frame of model pixels as an 8-bit image, for writing a negative to disk or a report: denormalized
 * with the model's mean/std, then clamped and rounded (the only place the noise is clamped).
 */
export function pixelsToImage(pixels: ModelPixels, options: { mean: readonly number[]; std: readonly number[]; frame?: number }): RgbImage {
  const t = pixelFrame(pixels, options.frame ?? 0);
  const plane = t.width * t.height;
  const data = new Float32Array(t.data.length);
  for (let c = 0; c < t.channels; c++) {
    const m = options.mean[c]!;
    const s = options.std[c]!;
    for (let p = c * plane, end = p + plane; p < end; p++) data[p] = t.data[p]! * s + m;
  }
  return fromChwTensor({ ...t, data });
}
