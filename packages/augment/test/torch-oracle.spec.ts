import { createRng } from '@smart/core';
import { spawnSync } from 'node:child_process';
import { addDiffusionNoiseToImage } from '../src/diffusion-noise';
import { alphaBars } from '../src/diffusion-schedule';
import type { RgbImage } from '../src/image';
import { CLIP, CLIP_MEAN, CLIP_STD } from './clip-normalization';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch']).status === 0;
if (!hasTorch) console.log(`augment torch oracle: skipped (${PYTHON} cannot import torch; apt-get install python3-torch)`);
const describeOracle = hasTorch ? describe : describe.skip;

function python(code: string, input: string): string {
  const out = spawnSync(PYTHON, ['-c', code], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (out.status !== 0) throw new Error(out.stderr);
  return out.stdout;
}

describeOracle('against the VCD code in PyTorch', () => {
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
