import { fillNormal, isNormalRng } from '@smart/core';
import type { ModelPixels, Rng } from '@smart/types';
import { AugmentConfigError } from './errors';
import { noiseCoefficients } from './diffusion-schedule';
import { assertShape, type ChwTensor, type RgbImage } from './image';
import { assertModelPixels } from './model-pixels';

/** Options of the diffusion-noise augmentations. */
export interface DiffusionNoiseOptions {
  /** Forward-diffusion step t ∈ [0, 999] (SMART: 600, VCD: 500). */
  step: number;
  /** Source of ε; a `NormalRng` (e.g. `createRng` from @smart/core) uses its fast sampler, any other Rng Box–Muller. */
  rng: Rng;
}

// ε is drawn in blocks that stay in L1 cache; the block size does not change which value goes where.
const BLOCK = 4096;

/**
 * x_t = √ᾱ_t·x + √(1−ᾱ_t)·ε on a normalized tensor (the model's own mean/std), exactly the VCD `q_x`; no clamp.
 * ε is drawn in data order ([C, H, W]). Writes into `out` when given (may be `tensor.data` itself).
 */
export function addDiffusionNoise(tensor: ChwTensor, options: DiffusionNoiseOptions & { out?: Float32Array }): ChwTensor {
  assertShape(tensor);
  const { signal, noise } = noiseCoefficients(options.step);
  const out = options.out ?? new Float32Array(tensor.data.length);
  if (out.length !== tensor.data.length) {
    throw new AugmentConfigError('out', out.length, `must have ${tensor.data.length} elements`);
  }
  diffusionNoiseKernel(tensor.data, out, signal, noise, options.rng);
  return { ...tensor, data: out };
}

/**
 * The authors' noise (VCD `add_diffusion_noise`: q_x(pixel_values, t) with `torch.randn_like`) on the
 * tensor the model receives, after its processor resized and normalized the image; no clamp. ε is drawn
 * for every value in memory order, as `randn_like` fills it, so each frame a processor duplicated
 * (Qwen2-VL's temporal copies of a still image) gets its own noise. The layout is kept unchanged.
 */
export function addDiffusionNoiseToPixels(pixels: ModelPixels, options: DiffusionNoiseOptions & { out?: Float32Array }): ModelPixels {
  assertModelPixels(pixels);
  const { signal, noise } = noiseCoefficients(options.step);
  const out = options.out ?? new Float32Array(pixels.data.length);
  if (out.length !== pixels.data.length) {
    throw new AugmentConfigError('out', out.length, `must have ${pixels.data.length} elements`);
  }
  diffusionNoiseKernel(pixels.data, out, signal, noise, options.rng);
  return { layout: pixels.layout, data: out };
}

/** out[i] = a·x[i] + b·ε_i with ε_i ~ N(0, 1) from `rng`, in order. */
export function diffusionNoiseKernel(x: Float32Array, out: Float32Array, a: number, b: number, rng: Rng): void {
  if (isNormalRng(rng) && rng.fillScaledNormal) {
    rng.fillScaledNormal(out, 0, x.length, x, a, b);
    return;
  }
  const eps = new Float32Array(Math.min(BLOCK, x.length));
  for (let start = 0; start < x.length; start += BLOCK) {
    const n = Math.min(BLOCK, x.length - start);
    fillNormal(rng, eps, 0, n);
    for (let i = 0; i < n; i++) out[start + i] = a * x[start + i]! + b * eps[i]!;
  }
}

/** Options of the pixel-space form. */
export interface PixelDiffusionNoiseOptions extends DiffusionNoiseOptions {
  /** Per-channel mean of the model's normalization (CLIP and SigLIP differ: take it from the model). */
  mean: readonly number[];
  /** Per-channel std of the model's normalization. */
  std: readonly number[];
}

/**
 * The same noise on an 8-bit image: p' = m_c + a·(p − m_c) + b·s_c·ε in [0, 1] space, clamped and rounded
 * to 8 bits. An approximation of the authors' noise, for backends that take images, not tensors (HTTP):
 * the processor's resize then averages the noise away and the clamp clips it (on white or black pixels),
 * so it is weaker than {@link addDiffusionNoiseToPixels} on the model's input. ε is drawn in [C, H, W] order, so with the same rng state
 * it equals the tensor form applied to normalize(toChwTensor(img)), up to quantization.
 */
export function addDiffusionNoiseToImage(img: RgbImage, options: PixelDiffusionNoiseOptions): RgbImage {
  assertShape(img);
  const { signal, noise } = noiseCoefficients(options.step);
  const { mean, std } = options;
  const plane = img.width * img.height;
  const src = img.data;
  const data = new Uint8Array(src.length);
  const eps = new Float32Array(Math.min(BLOCK, plane));
  const base = new Float32Array(256);
  for (let c = 0; c < 3; c++) {
    const m = mean[c]!;
    // In 0..255 units, plus 0.5 so truncation on store rounds to nearest.
    for (let v = 0; v < 256; v++) base[v] = 255 * (m + signal * (v / 255 - m)) + 0.5;
    const scale = 255 * noise * std[c]!;
    for (let start = 0; start < plane; start += BLOCK) {
      const n = Math.min(BLOCK, plane - start);
      fillNormal(options.rng, eps, 0, n);
      for (let i = 0, o = start * 3 + c; i < n; i++, o += 3) {
        const v = base[src[o]!]! + scale * eps[i]!;
        data[o] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return { width: img.width, height: img.height, data };
}
