import { createRng, meanStd, quantizedNormalMoments, type NormalRng } from '@smart/core';
import type { Rng } from '@smart/types';
import { addDiffusionNoise, addDiffusionNoiseToImage } from './diffusion-noise';
import { noiseCoefficients } from './diffusion-schedule';
import { CLIP, CLIP_MEAN, CLIP_STD } from '../test/clip-normalization';
import { fromChwTensor, normalizeTensor, toChwTensor, type ChwTensor, type RgbImage } from './image';

const H = 336;
const W = 336;
const PLANE = H * W;

function constantTensor(values: number[]): ChwTensor {
  const data = new Float32Array(3 * PLANE);
  values.forEach((v, c) => data.fill(v, c * PLANE, (c + 1) * PLANE));
  return { channels: 3, height: H, width: W, data };
}

function constantImage(rgb: [number, number, number]): RgbImage {
  const data = new Uint8Array(3 * PLANE);
  for (let i = 0; i < data.length; i++) data[i] = rgb[i % 3]!;
  return { width: W, height: H, data };
}

describe('addDiffusionNoise (normalized tensor)', () => {
  it('gives each channel of a constant tensor mean a·x and std b, within 5 standard errors', () => {
    const x = [-1.2, 0, 1.7];
    const out = addDiffusionNoise(constantTensor(x), { step: 600, rng: createRng(3) });
    const { signal: a, noise: b } = noiseCoefficients(600);
    x.forEach((v, c) => {
      const { mean, std } = meanStd(out.data, c * PLANE, PLANE);
      expect(Math.abs(mean - a * v)).toBeLessThan((5 * b) / Math.sqrt(PLANE));
      expect(Math.abs(std - b)).toBeLessThan((5 * b) / Math.sqrt(2 * PLANE));
    });
  });

  it('is deterministic under a seed, and writes in place when asked', () => {
    const t = constantTensor([0.1, 0.2, 0.3]);
    const a = addDiffusionNoise(t, { step: 500, rng: createRng(11) });
    const b = addDiffusionNoise(t, { step: 500, rng: createRng(11) });
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
    const inPlace = addDiffusionNoise(t, { step: 500, rng: createRng(11), out: t.data });
    expect(inPlace.data).toBe(t.data);
    expect(Buffer.from(t.data.buffer).equals(Buffer.from(a.data.buffer))).toBe(true);
  });

  it('equals a·x + b·ε with ε the generator stream in [C, H, W] order, without clamping', () => {
    const t: ChwTensor = { channels: 3, height: 1, width: 2, data: Float32Array.from([5, -5, 0, 1, 2, 3]) };
    const eps = new Float32Array(6);
    createRng(4).fillNormal(eps);
    const out = addDiffusionNoise(t, { step: 800, rng: createRng(4) });
    const { signal, noise } = noiseCoefficients(800);
    t.data.forEach((v, i) => expect(out.data[i]).toBe(Math.fround(signal * v + noise * eps[i]!)));
    expect(out.data[0]).toBeGreaterThan(1);
  });

  it('gives the same bytes through the fused sampler and through blocks of fillNormal', () => {
    const t = constantTensor([0.5, -0.5, 2]);
    const fused = addDiffusionNoise(t, { step: 600, rng: createRng(9) });
    const inner = createRng(9);
    const blocked: NormalRng = { next: () => inner.next(), normal: () => inner.normal(), fillNormal: (o, s, e) => inner.fillNormal(o, s, e) };
    const viaBlocks = addDiffusionNoise(t, { step: 600, rng: blocked });
    expect(Buffer.from(fused.data.buffer).equals(Buffer.from(viaBlocks.data.buffer))).toBe(true);
  });

  it('accepts any Rng (Box–Muller fallback)', () => {
    const inner = createRng(1);
    const plain: Rng = { next: () => inner.next() };
    const out = addDiffusionNoise(constantTensor([0, 0, 0]), { step: 600, rng: plain });
    const { std } = meanStd(out.data);
    expect(Math.abs(std - noiseCoefficients(600).noise)).toBeLessThan(0.01);
  });
});

describe('addDiffusionNoiseToImage (8-bit pixel space)', () => {
  it('gives each channel of a constant image the mean and std of the clamped, quantized law', () => {
    const rgb: [number, number, number] = [30, 128, 240];
    const out = addDiffusionNoiseToImage(constantImage(rgb), { step: 600, rng: createRng(21), ...CLIP });
    const { signal: a, noise: b } = noiseCoefficients(600);
    rgb.forEach((p, c) => {
      const mu = 255 * (CLIP_MEAN[c]! + a * (p / 255 - CLIP_MEAN[c]!));
      const sigma = 255 * b * CLIP_STD[c]!;
      const expected = quantizedNormalMoments(mu, sigma);
      const got = meanStd(out.data, c, PLANE, 3);
      expect(Math.abs(got.mean - expected.mean)).toBeLessThan((5 * expected.std) / Math.sqrt(PLANE));
      expect(Math.abs(got.std - expected.std)).toBeLessThan((5 * expected.std) / Math.sqrt(2 * PLANE));
    });
  });

  it('matches the tensor form on normalize(toChwTensor(img)) with the same seed, to one 8-bit level', () => {
    const img: RgbImage = { width: 17, height: 9, data: new Uint8Array(17 * 9 * 3) };
    for (let i = 0; i < img.data.length; i++) img.data[i] = (i * 37) % 256;
    const pixel = addDiffusionNoiseToImage(img, { step: 600, rng: createRng(8), ...CLIP });
    const noised = addDiffusionNoise(normalizeTensor(toChwTensor(img), CLIP_MEAN, CLIP_STD), { step: 600, rng: createRng(8) });
    const plane = 17 * 9;
    const denorm = noised.data.map((v, i) => v * CLIP_STD[Math.floor(i / plane)]! + CLIP_MEAN[Math.floor(i / plane)]!);
    const viaTensor = fromChwTensor({ ...noised, data: denorm });
    let maxDiff = 0;
    pixel.data.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - viaTensor.data[i]!))));
    expect(maxDiff).toBeLessThanOrEqual(1);
    expect(Buffer.from(pixel.data).equals(Buffer.from(img.data))).toBe(false);
  });

  it('is deterministic under a seed', () => {
    const img = constantImage([10, 20, 30]);
    const a = addDiffusionNoiseToImage(img, { step: 600, rng: createRng(5), ...CLIP });
    const b = addDiffusionNoiseToImage(img, { step: 600, rng: createRng(5), ...CLIP });
    const c = addDiffusionNoiseToImage(img, { step: 600, rng: createRng(6), ...CLIP });
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    expect(Buffer.from(a.data).equals(Buffer.from(c.data))).toBe(false);
  });
});
