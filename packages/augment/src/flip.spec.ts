import { createRng } from '@smart/core';
import { AugmentConfigError } from './errors';
import { flipHorizontal, flipVertical, randomFlip } from './flip';
import type { ChwTensor, RgbImage } from './image';

// 3 wide, 2 high; pixel (x, y) has channels [10y + x, 100 + 10y + x, 200 + x].
const img: RgbImage = { width: 3, height: 2, data: Uint8Array.from([0, 100, 200, 1, 101, 201, 2, 102, 202, 10, 110, 200, 11, 111, 201, 12, 112, 202]) };
// [2, 2, 3]: channel c, row y, column x = 100c + 10y + x.
const tensor: ChwTensor = { channels: 2, height: 2, width: 3, data: Float32Array.from([0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112]) };

describe('flips', () => {
  it('mirrors an RGB image left–right and top–bottom exactly', () => {
    expect(Array.from(flipHorizontal(img).data)).toEqual([2, 102, 202, 1, 101, 201, 0, 100, 200, 12, 112, 202, 11, 111, 201, 10, 110, 200]);
    expect(Array.from(flipVertical(img).data)).toEqual([10, 110, 200, 11, 111, 201, 12, 112, 202, 0, 100, 200, 1, 101, 201, 2, 102, 202]);
  });

  it('mirrors a CHW tensor per plane', () => {
    const h = flipHorizontal(tensor);
    expect(Array.from(h.data)).toEqual([2, 1, 0, 12, 11, 10, 102, 101, 100, 112, 111, 110]);
    expect(h.data).toBeInstanceOf(Float32Array);
    expect(Array.from(flipVertical(tensor).data)).toEqual([10, 11, 12, 0, 1, 2, 110, 111, 112, 100, 101, 102]);
  });

  it('is an involution and leaves the input untouched', () => {
    const before = Array.from(img.data);
    expect(Array.from(flipHorizontal(flipHorizontal(img)).data)).toEqual(before);
    expect(Array.from(flipVertical(flipVertical(img)).data)).toEqual(before);
    expect(Array.from(img.data)).toEqual(before);
  });

  it('randomFlip fires with probability p', () => {
    const rng = createRng(2);
    expect(randomFlip(img, { rng, p: 0 }).flipped).toBe(false);
    expect(Array.from(randomFlip(img, { rng, p: 1, direction: 'vertical' }).raster.data)).toEqual(Array.from(flipVertical(img).data));
    const n = 4000;
    let fired = 0;
    for (let i = 0; i < n; i++) if (randomFlip(img, { rng, p: 0.3 }).flipped) fired++;
    expect(Math.abs(fired - 0.3 * n)).toBeLessThan(5 * Math.sqrt(n * 0.3 * 0.7));
    expect(() => randomFlip(img, { rng, p: 1.5 })).toThrow(AugmentConfigError);
  });
});
