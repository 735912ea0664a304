import { createRng } from '@smart/core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelPixels } from '@smart/types';
import { addDiffusionNoiseToImage, addDiffusionNoiseToPixels } from '../src/diffusion-noise';
import { alphaBars, noiseCoefficients } from '../src/diffusion-schedule';
import type { RgbImage } from '../src/image';
import { CLIP, CLIP_MEAN, CLIP_STD } from './clip-normalization';
import { qwen2VlPatches } from './qwen2-vl-patches';
import { describeWithTorch, runPython } from '../../../tools/jest/python-oracle';


const python = (code: string, input: string): string => runPython({ code, input });

describeWithTorch()('against the VCD code in PyTorch', () => {
  it('has the same ᾱ at every step (torch computes in float32)', () => {
    const torchBars: number[] = JSON.parse(
      python(
        `import json, torch
b = torch.sigmoid(torch.linspace(-6, 6, 1000)) * (0.5e-2 - 1e-5) + 1e-5
print(json.dumps(torch.cumprod(1 - b, dim=0).tolist()))`,
        '',
      ),
    );
    const ours = alphaBars();
    let maxDiff = 0;
    torchBars.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - ours[i]!))));
    expect(torchBars).toHaveLength(1000);
    expect(maxDiff).toBeLessThan(1e-6);
  });

  it('pixel-space noise equals q_x on normalized pixels, denormalized and quantized, given the same ε', () => {
    const W = 24;
    const H = 16;
    const img: RgbImage = { width: W, height: H, data: Uint8Array.from({ length: W * H * 3 }, (_, i) => (i * 53) % 256) };
    const ours = addDiffusionNoiseToImage(img, { step: 600, rng: createRng(77), ...CLIP });
    const eps = new Float32Array(3 * W * H);
    createRng(77).fillNormal(eps); // the same draws, in [C, H, W] order
    const theirs: number[] = JSON.parse(
      python(
        `import json, sys, torch
d = json.loads(sys.stdin.read())
x = torch.tensor(d['img'], dtype=torch.uint8).reshape(${H}, ${W}, 3).permute(2, 0, 1).float() / 255
mean = torch.tensor(${JSON.stringify(CLIP_MEAN)})[:, None, None]
std = torch.tensor(${JSON.stringify(CLIP_STD)})[:, None, None]
b = torch.sigmoid(torch.linspace(-6, 6, 1000)) * (0.5e-2 - 1e-5) + 1e-5
ap = torch.cumprod(1 - b, dim=0)
noise = torch.tensor(d['eps']).reshape(3, ${H}, ${W})
xt = ap[600].sqrt() * ((x - mean) / std) + (1 - ap[600]).sqrt() * noise
p = (xt * std + mean).clamp(0, 1)
print(json.dumps(torch.round(p * 255).to(torch.uint8).permute(1, 2, 0).reshape(-1).tolist()))`,
        JSON.stringify({ img: Array.from(img.data), eps: Array.from(eps) }),
      ),
    );
    let maxDiff = 0;
    ours.data.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - theirs[i]!))));
    expect(maxDiff).toBeLessThanOrEqual(1);
  });
});

// The authors' add_diffusion_noise (VCD), with the ε of `torch.randn_like` replaced by ours so both sides
// see the same draws. Their schedule is float32 (`torch.linspace`); `dtype` lets the schedule run in
// float64 too (the tensor arithmetic stays float32), which is what ours computes.
const VCD_NOISE = `
def add_diffusion_noise(image_tensor, noise_step, noise, dtype=torch.float32):
    num_steps = 1000
    betas = torch.linspace(-6, 6, num_steps, dtype=dtype)
    betas = torch.sigmoid(betas) * (0.5e-2 - 1e-5) + 1e-5
    alphas_prod = torch.cumprod(1 - betas, dim=0)
    alphas_bar_sqrt = torch.sqrt(alphas_prod)
    one_minus_alphas_bar_sqrt = torch.sqrt(1 - alphas_prod)
    return alphas_bar_sqrt[noise_step] * image_tensor + one_minus_alphas_bar_sqrt[noise_step] * noise
`;

describeWithTorch()('model-input noise against the authors\u2019 add_diffusion_noise in PyTorch', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'augment-oracle-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const f32 = (name: string, a: Float32Array) => writeFileSync(join(dir, name), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  const readF32 = (name: string) => {
    const b = readFileSync(join(dir, name));
    return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  };
  const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

  it('equals it on a [1, 3, 336, 336] processor tensor within 1e-6, with noise energy 1 − ᾱ_600 within 1%', () => {
    const n = 3 * 336 * 336;
    // CLIP-normalized pixels of a random image stand in for a processor's output (the range is what
    // matters at 1e-6: the float32 schedule of the reference differs from ours by ~1e-7 relative).
    const rng = createRng('processor-output');
    const x = Float32Array.from({ length: n }, (_, i) => {
      const c = Math.floor(i / (336 * 336));
      return (Math.round(rng.next() * 255) / 255 - CLIP_MEAN[c]!) / CLIP_STD[c]!;
    });
    const pixels: ModelPixels = { data: x, layout: { kind: 'images', batch: 1, channels: 3, height: 336, width: 336 } };
    const ours = addDiffusionNoiseToPixels(pixels, { step: 600, rng: createRng(600) });
    const eps = new Float32Array(n);
    createRng(600).fillNormal(eps);
    f32('x.f32', x);
    f32('eps.f32', eps);
    python(
      `import numpy as np, torch
${VCD_NOISE}
x = torch.from_numpy(np.fromfile('${dir}/x.f32', dtype=np.float32)).reshape(1, 3, 336, 336)
eps = torch.from_numpy(np.fromfile('${dir}/eps.f32', dtype=np.float32)).reshape(1, 3, 336, 336)
add_diffusion_noise(x, 600, eps).numpy().astype(np.float32).tofile('${dir}/theirs.f32')
add_diffusion_noise(x, 600, eps, torch.float64).numpy().astype(np.float32).tofile('${dir}/theirs64.f32')`,
      '',
    );
    // With the schedule in float64 the two agree to float32 rounding of the result.
    expect(maxAbsDiff(ours.data, readF32('theirs64.f32'))).toBeLessThan(1e-6);
    // Their float32 cumprod is off by ~1.5e-7 in √ᾱ and √(1−ᾱ) (ours is float64), so where |x| + |ε| reaches
    // ~7 the gap is 1.07e-6 (2 ulp): below 1e-6 plus what that coefficient error explains.
    const theirs = readF32('theirs.f32');
    const excess = ours.data.reduce((m, v, i) => Math.max(m, Math.abs(v - theirs[i]!) - 1.7e-7 * (Math.abs(x[i]!) + Math.abs(eps[i]!))), 0);
    expect(excess).toBeLessThan(1e-6);
    expect(maxAbsDiff(ours.data, theirs)).toBeLessThan(1.5e-6);

    const { signal: a } = noiseCoefficients(600);
    let energy = 0;
    ours.data.forEach((v, i) => (energy += (v - a * x[i]!) ** 2));
    const expected = 1 - alphaBars()[600]!;
    expect(Math.abs(energy / n / expected - 1)).toBeLessThan(0.01);
  });

  it('equals it on Qwen2-VL patches, each duplicated frame with its own ε, the layout as the processor permutes it', () => {
    const [H, W, P, M, T] = [28, 56, 14, 2, 2];
    const rng = createRng('qwen-image');
    const img = Float32Array.from({ length: 3 * H * W }, () => rng.next() * 2 - 1); // SigLIP-like normalized range
    const patches = qwen2VlPatches({ channels: 3, height: H, width: W, data: img }, { temporalPatchSize: T, patchSize: P, mergeSize: M });
    const ours = addDiffusionNoiseToPixels(patches, { step: 600, rng: createRng(7) });
    const eps = new Float32Array(patches.data.length);
    createRng(7).fillNormal(eps);
    f32('img.f32', img);
    f32('eps.f32', eps);
    python(
      `import numpy as np, torch
${VCD_NOISE}
img = torch.from_numpy(np.fromfile('${dir}/img.f32', dtype=np.float32)).reshape(1, 3, ${H}, ${W})
patches = img.repeat(${T}, 1, 1, 1)  # a still image becomes temporal_patch_size frames
gh, gw = ${H} // ${P}, ${W} // ${P}
flat = patches.view(1, ${T}, 3, gh // ${M}, ${M}, ${P}, gw // ${M}, ${M}, ${P}).permute(0, 3, 6, 4, 7, 2, 1, 5, 8).reshape(gh * gw, 3 * ${T} * ${P} * ${P})
flat.numpy().astype(np.float32).tofile('${dir}/layout.f32')
eps = torch.from_numpy(np.fromfile('${dir}/eps.f32', dtype=np.float32)).reshape(flat.shape)
add_diffusion_noise(flat, 600, eps).numpy().astype(np.float32).tofile('${dir}/theirs.f32')`,
      '',
    );
    expect(maxAbsDiff(patches.data, readF32('layout.f32'))).toBe(0);
    expect(maxAbsDiff(ours.data, readF32('theirs.f32'))).toBeLessThan(1e-6);
  });
});
