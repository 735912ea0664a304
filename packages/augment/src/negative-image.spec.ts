import { createRng } from '@smart/core';
import { addDiffusionNoiseToImage } from './diffusion-noise';
import { erase } from './random-erasing';
import { flipHorizontal, flipVertical } from './flip';
import type { RgbImage } from './image';
import { CLIP } from '../test/clip-normalization';
import { negativeImage } from './negative-image';

const W = 40;
const H = 30;
const img: RgbImage = { width: W, height: H, data: Uint8Array.from({ length: W * H * 3 }, (_, i) => (i * 13) % 251) };

describe('negativeImage', () => {
  it('gives the same bytes for the same seed, other bytes for another seed', () => {
    const a = negativeImage(img, { rng: createRng(1), profile: 'released-code', ...CLIP });
    const b = negativeImage(img, { rng: createRng(1), profile: 'released-code', ...CLIP });
    const c = negativeImage(img, { rng: createRng(2), profile: 'released-code', ...CLIP });
    expect(Buffer.from(a.image.data).equals(Buffer.from(b.image.data))).toBe(true);
    expect(a.record).toEqual(b.record);
    expect(Buffer.from(a.image.data).equals(Buffer.from(c.image.data))).toBe(false);
  });

  it('is the documented composition of its steps', () => {
    for (let seed = 0; seed < 20; seed++) {
      const { image, record } = negativeImage(img, { rng: createRng(seed), profile: 'released-code', ...CLIP });
      let expected = img;
      if (record.horizontalFlip) expected = flipHorizontal(expected);
      if (record.verticalFlip) expected = flipVertical(expected);
      if (record.erase) expected = erase(expected, record.erase);
      // Replay the stream: 2 flip draws, 1 erase draw, 4 per erase attempt that fit; then ε.
      const replay = createRng(seed);
      replay.next();
      replay.next();
      replay.next();
      if (record.erase) for (let k = 0; k < 4; k++) replay.next();
      expected = addDiffusionNoiseToImage(expected, { step: 600, rng: replay, ...CLIP });
      expect(Buffer.from(image.data).equals(Buffer.from(expected.data))).toBe(true);
    }
  });

  it('flips vertically only in the released-code profile', () => {
    let paperV = 0;
    let codeV = 0;
    let paperH = 0;
    let codeH = 0;
    let both = 0;
    for (let seed = 0; seed < 200; seed++) {
      const p = negativeImage(img, { rng: createRng(seed), noise: 'none' }).record;
      paperV += Number(p.verticalFlip);
      paperH += Number(p.horizontalFlip);
      const c = negativeImage(img, { rng: createRng(seed), profile: 'released-code', noise: 'none' }).record;
      codeV += Number(c.verticalFlip);
      codeH += Number(c.horizontalFlip);
      both += Number(c.horizontalFlip && c.verticalFlip);
    }
    // 200 draws at p = 0.5: 100 ± 5σ (σ ≈ 7); both at p = 0.25: 50 ± 5σ (σ ≈ 6).
    expect(paperV).toBe(0);
    for (const count of [paperH, codeH, codeV]) {
      expect(count).toBeGreaterThan(65);
      expect(count).toBeLessThan(135);
    }
    expect(both).toBeGreaterThan(20);
    expect(both).toBeLessThan(80);
  });

  it("leaves noise to the caller with noise: 'none', and returns a fresh image when nothing fired", () => {
    const noNoise = negativeImage(img, { rng: createRng(3), noise: 'none', overrides: { horizontalFlipP: 0, erasing: { p: 0 } } });
    expect(noNoise.record).toMatchObject({ horizontalFlip: false, erase: null, noiseStep: 600, noiseApplied: false, noiseSpace: null });
    expect(noNoise.image.data).not.toBe(img.data);
    expect(Buffer.from(noNoise.image.data).equals(Buffer.from(img.data))).toBe(true);
  });

  it('crops when configured', () => {
    const { image, record } = negativeImage(img, { rng: createRng(3), overrides: { cropFraction: 0.5, noiseStep: null }, ...CLIP });
    expect([image.width, image.height]).toEqual([20, 15]);
    expect(record.crop).toMatchObject({ height: 15, width: 20 });
  });
});
