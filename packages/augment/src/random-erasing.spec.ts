import { createRng, ksCritical, ksStatistic } from '@smart/core';
import { AugmentConfigError } from './errors';
import type { ChwTensor, RgbImage } from './image';
import { erase, randomErasing, roundHalfEven, sampleEraseRect } from './random-erasing';

function image(width: number, height: number, fill = 200): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3).fill(fill) };
}

describe('roundHalfEven', () => {
  it.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [2.4999, 2],
    [2.5001, 3],
    [7, 7],
  ])('round(%p) = %p as in Python 3', (x, y) => expect(roundHalfEven(x)).toBe(y));
});

describe('sampleEraseRect', () => {
  const H = 2000;
  const W = 2000;
  const n = 20_000;
  const rng = createRng(17);
  const rects = Array.from({ length: n }, () => sampleEraseRect(H, W, { rng })!);

  it('draws the area fraction from U(0.02, 0.2)', () => {
    const frac = rects.map((r) => (r.height * r.width) / (H * W));
    // Rounding h and w to whole pixels moves a fraction by < 0.3 % here, far below the KS bound.
    expect(ksStatistic(frac, (x) => Math.min(1, Math.max(0, (x - 0.02) / 0.18)))).toBeLessThan(ksCritical(n));
  });

  it('draws the aspect ratio h/w log-uniformly on [0.3, 3.3]', () => {
    const logRatio = rects.map((r) => Math.log(r.height / r.width));
    const lo = Math.log(0.3);
    const hi = Math.log(3.3);
    expect(ksStatistic(logRatio, (x) => Math.min(1, Math.max(0, (x - lo) / (hi - lo))))).toBeLessThan(ksCritical(n));
  });

  it('places the rectangle uniformly inside the image', () => {
    for (const r of rects) {
      expect(r.top + r.height).toBeLessThanOrEqual(H);
      expect(r.left + r.width).toBeLessThanOrEqual(W);
    }
    // top / (H − h) is U(0, 1) up to one pixel.
    const u = rects.map((r) => r.top / (H - r.height));
    expect(ksStatistic(u, (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(ksCritical(n) + 2 / 1000);
  });

  it('returns null when no attempt fits, and rejects bad ranges', () => {
    // area 1.0 of the image can never satisfy h < H and w < W.
    expect(sampleEraseRect(10, 10, { rng: createRng(1), scale: [1, 1], ratio: [1, 1] })).toBeNull();
    expect(() => sampleEraseRect(10, 10, { rng: createRng(1), scale: [0.5, 0.1] })).toThrow(AugmentConfigError);
    expect(() => sampleEraseRect(10, 10, { rng: createRng(1), ratio: [0, 1] })).toThrow(AugmentConfigError);
  });
});

describe('erase', () => {
  it('fills exactly the rectangle with black on an RGB image', () => {
    const out = erase(image(5, 4), { top: 1, left: 2, height: 2, width: 3 });
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 5; x++) {
        const inside = y >= 1 && y < 3 && x >= 2;
        for (let c = 0; c < 3; c++) expect(out.data[(y * 5 + x) * 3 + c]).toBe(inside ? 0 : 200);
      }
    }
  });

  it('scales [0, 1] fill values to bytes on images and writes them raw on tensors', () => {
    const out = erase(image(2, 2), { top: 0, left: 0, height: 1, width: 1 }, [1, 0.5, 0]);
    expect(Array.from(out.data.subarray(0, 6))).toEqual([255, 128, 0, 200, 200, 200]);
    const t: ChwTensor = { channels: 2, height: 2, width: 2, data: new Float32Array(8).fill(9) };
    expect(Array.from(erase(t, { top: 1, left: 1, height: 1, width: 1 }, -1.5).data)).toEqual([9, 9, 9, -1.5, 9, 9, 9, -1.5]);
  });

  it('random fill draws normals from the rng', () => {
    const t: ChwTensor = { channels: 3, height: 10, width: 10, data: new Float32Array(300) };
    const out = erase(t, { top: 0, left: 0, height: 10, width: 10 }, 'random', createRng(1));
    expect(new Set(out.data).size).toBeGreaterThan(290);
    expect(() => erase(t, { top: 0, left: 0, height: 1, width: 1 }, 'random')).toThrow(AugmentConfigError);
    expect(() => erase(t, { top: 5, left: 5, height: 6, width: 1 })).toThrow(AugmentConfigError);
  });
});

describe('randomErasing', () => {
  it('fires with probability p and reports the erased rectangle', () => {
    const rng = createRng(4);
    const img = image(64, 48);
    const n = 2000;
    let fired = 0;
    for (let i = 0; i < n; i++) {
      const { raster, rect } = randomErasing(img, { rng });
      if (!rect) {
        expect(raster).toBe(img);
        continue;
      }
      fired++;
      const zeros = raster.data.filter((v) => v === 0).length;
      expect(zeros).toBe(rect.height * rect.width * 3);
    }
    expect(Math.abs(fired - n / 2)).toBeLessThan(5 * Math.sqrt(n / 4));
  });
});
