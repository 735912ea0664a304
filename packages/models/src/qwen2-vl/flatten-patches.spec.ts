import { AutoProcessor, env, RawImage } from '@huggingface/transformers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLIP_MEAN, CLIP_STD } from '../processor/image-normalization';
import { flattenPatches } from './flatten-patches';
import { createTinyQwen2VlModel, tinyQwen2VlConfig } from './tiny-model';

env.allowRemoteModels = false;
env.useFSCache = false;

describe('flattenPatches', () => {
  const { config } = tinyQwen2VlConfig();
  const { patch_size: p, temporal_patch_size: T } = config.vision; // 4, 2

  it('lists p×p patches in 2×2 merge-block order, each as (channel, frame, row, column)', () => {
    const [H, W] = [8, 16]; // 2×4 patches: one row of two merge blocks
    const image = Float32Array.from({ length: 3 * H * W }, (_, i) => i);
    const frames = [image, image.map((x) => -x - 1)];
    const { data, gridThw } = flattenPatches(config, image, H, W, frames);
    expect(gridThw).toEqual([1, 2, 4]);
    const dim = 3 * T * p * p;
    expect(data.length).toBe(8 * dim);
    // Patch 1 is the first block's top-right patch (row 0, column 1); patch 2 its bottom-left (row 1, column 0); patch 4 the second block's first.
    const at = (patch: number, c: number, t: number, y: number, x: number) => data[patch * dim + ((c * T + t) * p + y) * p + x]!;
    const pixel = (c: number, y: number, x: number) => (c * H + y) * W + x;
    expect(at(1, 0, 0, 0, 0)).toBe(pixel(0, 0, 4));
    expect(at(2, 2, 0, 3, 1)).toBe(pixel(2, 7, 1));
    expect(at(4, 1, 0, 2, 3)).toBe(pixel(1, 2, 11));
    // The second frame is the second frame's pixels: independent noise per duplicated frame stays independent.
    expect(at(4, 1, 1, 2, 3)).toBe(-pixel(1, 2, 11) - 1);
    expect(() => flattenPatches(config, image, 12, 16)).toThrow(RangeError);
  });

  it("equals transformers.js 4.3.1's Qwen2VLImageProcessor output on an image that needs no resize", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smart-qwen2vl-patches-'));
    try {
      const model = await createTinyQwen2VlModel({ dir, seed: 1 });
      const processor = await AutoProcessor.from_pretrained(model.modelDir);
      const [H, W] = [16, 24];
      const rgb = new Uint8ClampedArray(H * W * 3).map((_, i) => (i * 53 + 17) % 256);
      const out = await processor('<|vision_start|><|image_pad|><|vision_end|>', new RawImage(rgb, W, H, 3));
      // Our normalization of the same pixels, CHW.
      const chw = new Float32Array(3 * H * W);
      for (let c = 0; c < 3; c++) for (let i = 0; i < H * W; i++) chw[c * H * W + i] = (rgb[i * 3 + c]! / 255 - CLIP_MEAN[c]!) / CLIP_STD[c]!;
      const ours = flattenPatches(model.config, chw, H, W);
      expect(out.pixel_values.dims).toEqual([24, 96]);
      const theirs = out.pixel_values.data as Float32Array;
      let maxErr = 0;
      theirs.forEach((x, i) => (maxErr = Math.max(maxErr, Math.abs(x - ours.data[i]!))));
      expect(maxErr).toBeLessThan(1e-5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
