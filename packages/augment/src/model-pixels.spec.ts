import type { ModelPixels } from '@smart/types';
import { qwen2VlPatches } from '../test/qwen2-vl-patches';
import { CLIP_MEAN, CLIP_STD } from '../test/clip-normalization';
import { ImageShapeError } from './errors';
import type { ChwTensor } from './image';
import { assertModelPixels, frameCount, pixelFrame, pixelShape, pixelsToImage } from './model-pixels';

function ramp(channels: number, height: number, width: number, offset = 0): ChwTensor {
  return { channels, height, width, data: Float32Array.from({ length: channels * height * width }, (_, i) => i + offset) };
}

describe('model pixel layouts', () => {
  it('un-patchifies each Qwen2-VL frame back to the image it came from', () => {
    const frames = [ramp(3, 8, 12), ramp(3, 8, 12, 10_000)];
    const pixels = qwen2VlPatches(frames[0]!, { temporalPatchSize: 2, patchSize: 2, mergeSize: 2, frames });
    expect(pixelShape(pixels.layout)).toEqual([4 * 6, 3 * 2 * 2 * 2]);
    expect(frameCount(pixels.layout)).toBe(2);
    expect(Array.from(pixelFrame(pixels, 0).data)).toEqual(Array.from(frames[0]!.data));
    expect(Array.from(pixelFrame(pixels, 1).data)).toEqual(Array.from(frames[1]!.data));
    // The first row is the top-left patch: channel 0, frame 0, its 2×2 pixels, then frame 1's.
    expect(Array.from(pixels.data.subarray(0, 8))).toEqual([0, 1, 12, 13, 10_000, 10_001, 10_012, 10_013]);
  });

  it('slices images out of a [B, C, H, W] batch', () => {
    const data = Float32Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i);
    const pixels: ModelPixels = { data, layout: { kind: 'images', batch: 2, channels: 3, height: 2, width: 2 } };
    expect(Array.from(pixelFrame(pixels, 1).data)).toEqual(Array.from({ length: 12 }, (_, i) => 12 + i));
    expect(() => pixelFrame(pixels, 2)).toThrow(RangeError);
  });

  it('rejects data that does not fill its layout, and grids the merge does not divide', () => {
    expect(() => assertModelPixels({ data: new Float32Array(11), layout: { kind: 'images', batch: 1, channels: 3, height: 2, width: 2 } })).toThrow(ImageShapeError);
    const odd = { kind: 'patches', gridT: 1, gridH: 3, gridW: 2, channels: 3, temporalPatchSize: 2, patchSize: 1, mergeSize: 2 } as const;
    expect(() => assertModelPixels({ data: new Float32Array(36), layout: odd })).toThrow(ImageShapeError);
  });

  it('denormalizes with the model mean/std and clamps only when making an 8-bit image', () => {
    const data = Float32Array.from([(0.5 - CLIP_MEAN[0]) / CLIP_STD[0], 40, (0 - CLIP_MEAN[1]) / CLIP_STD[1], -40, (1 - CLIP_MEAN[2]) / CLIP_STD[2], 0]);
    const img = pixelsToImage({ data, layout: { kind: 'images', batch: 1, channels: 3, height: 1, width: 2 } }, { mean: CLIP_MEAN, std: CLIP_STD });
    expect(Array.from(img.data)).toEqual([128, 0, 255, 255, 0, Math.round(CLIP_MEAN[2] * 255)]);
  });
});
