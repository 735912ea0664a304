import { createRng, meanStd } from '@smart/core';
import { CLIP, CLIP_MEAN, CLIP_STD } from '../test/clip-normalization';
import { imagesPreprocessor, patchesPreprocessor } from '../test/test-preprocessor';
import { addDiffusionNoiseToPixels } from './diffusion-noise';
import { noiseCoefficients } from './diffusion-schedule';
import type { RgbImage } from './image';
import { pixelFrame } from './model-pixels';
import { negativeImage } from './negative-image';
import { negativeModelInput } from './negative-model-input';

const W = 40;
const H = 30;
const img: RgbImage = { width: W, height: H, data: Uint8Array.from({ length: W * H * 3 }, (_, i) => (i * 13) % 251) };
const white: RgbImage = { width: W, height: H, data: new Uint8Array(W * H * 3).fill(255) };

describe('negativeModelInput', () => {
  it('is flips/erasing → the processor → noise on its tensor, all from one stream', async () => {
    const preprocess = imagesPreprocessor(16, CLIP_MEAN, CLIP_STD);
    for (let seed = 0; seed < 8; seed++) {
      const { pixels, record } = await negativeModelInput(img, { rng: createRng(seed), profile: 'released-code', preprocess });
      const replay = createRng(seed);
      const geometric = negativeImage(img, { rng: replay, profile: 'released-code', noise: 'none' });
      const expected = addDiffusionNoiseToPixels(await preprocess(geometric.image), { step: 600, rng: replay });
      expect(record).toEqual({ ...geometric.record, noiseApplied: true, noiseSpace: 'model-input' });
      expect(Buffer.from(pixels.data.buffer).equals(Buffer.from(expected.data.buffer))).toBe(true);
      const again = await negativeModelInput(img, { rng: createRng(seed), profile: 'released-code', preprocess });
      expect(Buffer.from(again.pixels.data.buffer).equals(Buffer.from(pixels.data.buffer))).toBe(true);
    }
  });

  it('keeps the full strength on a white image: no clamp, so the noise std stays b in normalized units', async () => {
    const { pixels } = await negativeModelInput(white, { rng: createRng(4), preprocess: imagesPreprocessor(64, CLIP_MEAN, CLIP_STD), overrides: { erasing: { p: 0 } } });
    const { signal: a, noise: b } = noiseCoefficients(600);
    const plane = 64 * 64;
    for (let c = 0; c < 3; c++) {
      const x = (1 - CLIP_MEAN[c]!) / CLIP_STD[c]!;
      const { mean, std } = meanStd(pixels.data, c * plane, plane);
      expect(Math.abs(mean - a * x)).toBeLessThan((5 * b) / Math.sqrt(plane));
      expect(Math.abs(std - b)).toBeLessThan((5 * b) / Math.sqrt(2 * plane));
    }
    // The pixel-space approximation clamps: on white ~22% of values clip at 255 and the std drops to ~0.81·b.
    const approx = negativeImage(white, { rng: createRng(4), overrides: { erasing: { p: 0 } }, ...CLIP }).image;
    const { std } = meanStd(Float32Array.from(approx.data, (v) => v / 255 / CLIP_STD[0]!), 0, W * H, 3);
    expect(std).toBeLessThan(0.9 * b);
  });

  it('gives each duplicated Qwen2-VL frame its own noise', async () => {
    const { pixels } = await negativeModelInput(img, { rng: createRng(9), preprocess: patchesPreprocessor(32, CLIP_MEAN, CLIP_STD), overrides: { erasing: { p: 0 }, horizontalFlipP: 0 } });
    const clean = pixelFrame(await patchesPreprocessor(32, CLIP_MEAN, CLIP_STD)(img), 0);
    const { signal: a, noise: b } = noiseCoefficients(600);
    const residual = (f: number) => pixelFrame(pixels, f).data.map((v, i) => (v - a * clean.data[i]!) / b);
    const [r0, r1] = [residual(0), residual(1)];
    let dot = 0;
    r0.forEach((v, i) => (dot += v * r1[i]!));
    const n = r0.length;
    expect(Math.abs(dot / n)).toBeLessThan(5 / Math.sqrt(n)); // uncorrelated
    expect(Math.abs(meanStd(r0).std - 1)).toBeLessThan(5 / Math.sqrt(2 * n));
    expect(Math.abs(meanStd(r1).std - 1)).toBeLessThan(5 / Math.sqrt(2 * n));
  });

  it('hands back the clean tensor when the profile has no noise step', async () => {
    const preprocess = imagesPreprocessor(8, CLIP_MEAN, CLIP_STD);
    const { pixels, record } = await negativeModelInput(img, { rng: createRng(1), preprocess, overrides: { noiseStep: null, horizontalFlipP: 0, erasing: { p: 0 } } });
    expect(record).toMatchObject({ noiseApplied: false, noiseSpace: null });
    expect(Array.from(pixels.data)).toEqual(Array.from((await preprocess(img)).data));
  });
});
