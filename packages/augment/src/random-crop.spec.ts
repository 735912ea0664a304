import { createRng } from '@smart/core';
import { AugmentConfigError } from './errors';
import type { ChwTensor, RgbImage } from './image';
import { crop, randomCrop } from './random-crop';

// 4 wide, 3 high; every channel of pixel (x, y) holds 10y + x.
const img: RgbImage = { width: 4, height: 3, data: Uint8Array.from({ length: 36 }, (_, i) => 10 * Math.floor(i / 12) + Math.floor((i % 12) / 3)) };

describe('crop', () => {
  it('cuts the rectangle out of an RGB image', () => {
    const out = crop(img, { top: 1, left: 1, height: 2, width: 2 });
    expect(out.width).toBe(2);
    expect(Array.from(out.data)).toEqual([11, 11, 11, 12, 12, 12, 21, 21, 21, 22, 22, 22]);
  });

  it('cuts every plane of a tensor', () => {
    const t: ChwTensor = { channels: 2, height: 2, width: 2, data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]) };
    expect(Array.from(crop(t, { top: 1, left: 0, height: 1, width: 2 }).data)).toEqual([3, 4, 7, 8]);
  });

  it('rejects a rectangle outside the image', () => {
    expect(() => crop(img, { top: 2, left: 0, height: 2, width: 1 })).toThrow(AugmentConfigError);
  });
});

describe('randomCrop', () => {
  it('reaches every offset with equal frequency', () => {
    const rng = createRng(3);
    const counts = new Map<string, number>();
    const n = 6000;
    for (let i = 0; i < n; i++) {
      const { raster, rect } = randomCrop(img, { rng, size: { height: 2, width: 2 } });
      expect(raster.data[0]).toBe(10 * rect.top + rect.left);
      const key = `${rect.top},${rect.left}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // 2 row offsets × 3 column offsets.
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - n / 6)).toBeLessThan(5 * Math.sqrt((n * 5) / 36));
  });

  it('takes a fraction of each side', () => {
    const { raster } = randomCrop(img, { rng: createRng(1), fraction: 0.5 });
    expect([raster.width, raster.height]).toEqual([2, 2]);
    expect(() => randomCrop(img, { rng: createRng(1), fraction: 0 })).toThrow(AugmentConfigError);
    expect(() => randomCrop(img, { rng: createRng(1), size: { height: 4, width: 1 } })).toThrow(AugmentConfigError);
  });
});
