import { negativeImage, noiseCoefficients, type RgbImage } from '@smart/augment';
import { createRng, meanStd, quantizedNormalMoments } from '@smart/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { familyOf } from '../src/family/families';
import { createTinyModel, type TinyModel } from '../src/llava/tiny-model';
import { CLIP_MEAN, CLIP_STD, readImageNormalization, SIGLIP_MEAN, SIGLIP_STD, type ImageNormalization } from '../src/processor/image-normalization';

const SIDE = 192;
const PLANE = SIDE * SIDE;
const RGB = [30, 128, 240] as const;

/** The law of channel c of a noised constant image under normalization n: p' = m + a(p − m) + b·s·ε, in 8-bit units. */
function expectedChannel(n: Pick<ImageNormalization, 'mean' | 'std'>, c: number): { mean: number; std: number } {
  const { signal: a, noise: b } = noiseCoefficients(600);
  const m = n.mean[c]!;
  return quantizedNormalMoments(255 * (m + a * (RGB[c]! / 255 - m)), 255 * b * n.std[c]!);
}

describe('a SigLIP model’s negative image uses SigLIP’s normalization', () => {
  jest.setTimeout(60_000);
  let dir: string;
  let model: TinyModel;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smart-siglip-neg-'));
    model = await createTinyModel({ dir, seed: 1, visionModelType: 'siglip_vision_model' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('models reads SigLIP’s mean/std and image size from the folder it wrote, equal to the family’s', () => {
    const fromFolder = readImageNormalization(model.modelDir);
    expect(fromFolder).toEqual({ imageSize: 32, mean: [...SIGLIP_MEAN], std: [...SIGLIP_STD] });
    expect(readImageNormalization(model.checkpointDir)).toEqual(fromFolder);
    expect(familyOf(model.config).imageNormalization(model.config)).toEqual(fromFolder);
    expect(fromFolder.mean).not.toEqual([...CLIP_MEAN]);
  });

  it('each channel of the noised constant image has the SigLIP law’s mean and std, not CLIP’s', () => {
    const norm = readImageNormalization(model.modelDir);
    const img: RgbImage = { width: SIDE, height: SIDE, data: new Uint8Array(3 * PLANE) };
    for (let i = 0; i < img.data.length; i++) img.data[i] = RGB[i % 3]!;
    const { image, record } = negativeImage(img, {
      rng: createRng('siglip-negative'),
      overrides: { horizontalFlipP: 0, erasing: { p: 0 } },
      mean: norm.mean,
      std: norm.std,
    });
    expect(record.noiseApplied).toBe(true);
    for (let c = 0; c < 3; c++) {
      const got = meanStd(image.data, c, PLANE, 3);
      const siglip = expectedChannel(norm, c);
      const clip = expectedChannel({ mean: CLIP_MEAN, std: CLIP_STD }, c);
      const seMean = siglip.std / Math.sqrt(PLANE);
      const seStd = siglip.std / Math.sqrt(2 * PLANE);
      expect(Math.abs(got.mean - siglip.mean)).toBeLessThan(5 * seMean);
      expect(Math.abs(got.std - siglip.std)).toBeLessThan(5 * seStd);
      // CLIP's σ is about half of SigLIP's: the observed spread rejects the CLIP-calibrated law by far.
      expect(Math.abs(got.std - clip.std)).toBeGreaterThan(20 * seStd);
    }
  });
});
