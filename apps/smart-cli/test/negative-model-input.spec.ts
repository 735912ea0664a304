import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alphaBars, encodeImage, negativeImage, noiseCoefficients, type AugmentProfile, type RgbImage } from '@smart/augment';
import { createRng } from '@smart/core';
import { createImagePreprocessor } from '@smart/mllm';
import { createTinyModel } from '@smart/models';
import { openStore, type PreferenceStore } from '@smart/preference-store';
import type { GenerationRequest, GenerationResult, Generator, OptionLetter, Sample } from '@smart/types';
import { Interrupt } from '../src/progress/interrupt';
import { generateRationales } from '../src/stages/generate-rationales';
import { describeWithTorch, runPython } from '../../../tools/jest/python-oracle';

jest.setTimeout(180_000);


/** Records what the generate stage hands the generator (the local backend feeds a tensor image to its vision encoder unchanged). */
class RecordingGenerator implements Generator {
  readonly modelId = 'recording';
  readonly requests: GenerationRequest[] = [];
  async generate(requests: GenerationRequest[]): Promise<GenerationResult[]> {
    this.requests.push(...requests);
    return requests.map((r) => ({ id: r.id, text: 'Step 1, so (A).', finishReason: 'stop', promptTokens: 1, completionTokens: 1, latencyMs: 0 }));
  }
  async close(): Promise<void> {
    // nothing to release
  }
}

// White, grey and black backgrounds (where pixel-space noise clipped most) and a busy image, at odd sizes the processor resizes.
function sampleImage(i: number): RgbImage {
  const [w, h] = [40 + (i % 5) * 7, 30 + (i % 3) * 11];
  const fill = [255, 128, 0, -1][i % 4]!;
  const data = Uint8Array.from({ length: w * h * 3 }, (_, k) => (fill >= 0 ? fill : (k * 37 + i * 11) % 256));
  return { width: w, height: h, data };
}

const letters: OptionLetter[] = ['A', 'B', 'C', 'D'];
const sampleOf = (i: number): Sample => ({
  id: `n${String(i).padStart(3, '0')}`,
  image: { path: `img/${i}.png` },
  question: `Which square is red in image ${i}?`,
  choices: letters.map((letter, k) => ({ letter, text: `square ${k + 1}` })),
  answer: letters[i % 4]!,
  source: 'synthetic',
});

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

describeWithTorch()("the generate stage's local negatives against the authors' add_diffusion_noise after the processor", () => {
  const N = 120;
  let dir = '';
  let modelDir = '';
  const stores: PreferenceStore[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smart-negative-input-'));
    modelDir = (await createTinyModel({ dir: join(dir, 'tiny'), seed: 2 })).modelDir;
  });
  afterAll(() => {
    stores.forEach((s) => s.close());
    rmSync(dir, { recursive: true, force: true });
  });

  /** A store holding the N samples in iteration 1. */
  async function storeWithSamples(name: string): Promise<PreferenceStore> {
    const store = openStore(join(dir, name, 'store.sqlite'));
    stores.push(store);
    const items = await Promise.all(
      Array.from({ length: N }, async (_, i) => ({ sample: sampleOf(i), sourceName: 'synthetic', imageBytes: await encodeImage(sampleImage(i), { format: 'png' }) })),
    );
    store.putSamples(items);
    store.assignSamples(1, items.map((it) => it.sample.id));
    return store;
  }

  /** Per profile: the processed images x, the noise ε drawn from the stored seeds, and the tensors the generator got. */
  const tensors = new Map<AugmentProfile, { x: Float32Array; eps: Float32Array; got: Float32Array }>();
  const cat = (parts: Float32Array[]) => {
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
    return out;
  };

  it.each<AugmentProfile>(['paper', 'released-code'])('%s: the tensor handed to the local generator is the stored seed\'s processed negative plus noise, at full strength', async (profile) => {
    const store = await storeWithSamples(profile);
    const generator = new RecordingGenerator();
    const io = { log: () => undefined, progress: { write: () => undefined }, interrupt: new Interrupt() };
    await generateRationales({ store, generator, iteration: 1, seed: 5, sampling: { temperature: 0.7, topP: 0.9, topK: 0, maxNewTokens: 8 }, augmentProfile: profile, batchSize: 16, modelFolder: modelDir, io });

    const preprocess = await createImagePreprocessor(modelDir);
    const negatives = generator.requests.filter((r) => r.id.endsWith(':negative'));
    expect(negatives).toHaveLength(N);
    const xs: Float32Array[] = [];
    const epss: Float32Array[] = [];
    const ours: Float32Array[] = [];
    for (const r of negatives) {
      const sampleId = r.id.split(':')[0]!;
      expect(r.image?.kind).toBe('tensor');
      const stored = store.getGeneration(sampleId, 1, 'negative')!;
      expect(stored.augmentation).toMatchObject({ profile, noiseSpace: 'model-input', noiseStep: 600 });
      // Rebuild from the stored seed: the same flips/erasing, the model's processor, then ε from the same stream.
      const rng = createRng(stored.augmentation!.seed);
      const geometric = negativeImage(sampleImage(Number(sampleId.slice(1))), { rng, profile, noise: 'none' });
      expect(stored.augmentation!.steps).toEqual({ horizontalFlip: geometric.record.horizontalFlip, verticalFlip: geometric.record.verticalFlip, crop: null, erase: geometric.record.erase });
      const x = (await preprocess(geometric.image)).data;
      const eps = new Float32Array(x.length);
      rng.fillNormal(eps);
      xs.push(x);
      epss.push(eps);
      ours.push((r.image as { data: Float32Array }).data);
    }
    const [x, eps, got] = [cat(xs), cat(epss), cat(ours)];
    tensors.set(profile, { x, eps, got });

    // Full strength on white/grey/black too: mean (x_t − a·x)² is 1 − ᾱ_600 within 1% (pooled over 120 negatives).
    const { signal: a } = noiseCoefficients(600);
    let energy = 0;
    got.forEach((v, i) => (energy += (v - a * x[i]!) ** 2));
    expect(Math.abs(energy / got.length / (1 - alphaBars()[600]!) - 1)).toBeLessThan(0.01);
  });

  it("both profiles: the tensors equal the authors' add_diffusion_noise of the same x and ε within 1e-6 (one torch process)", () => {
    const runs = (['paper', 'released-code'] as const).map((p) => tensors.get(p));
    if (runs.some((r) => r === undefined)) throw new Error('a profile test above failed before producing its tensors');
    const [x, eps, got] = [cat(runs.map((r) => r!.x)), cat(runs.map((r) => r!.eps)), cat(runs.map((r) => r!.got))];
    const write = (name: string, a: Float32Array) => writeFileSync(join(dir, name), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    write('x.f32', x);
    write('eps.f32', eps);
    runPython({
      code: `import numpy as np, torch
${VCD_NOISE}
x = torch.from_numpy(np.fromfile('${dir}/x.f32', dtype=np.float32))
eps = torch.from_numpy(np.fromfile('${dir}/eps.f32', dtype=np.float32))
add_diffusion_noise(x, 600, eps).numpy().astype(np.float32).tofile('${dir}/t32.f32')
add_diffusion_noise(x, 600, eps, torch.float64).numpy().astype(np.float32).tofile('${dir}/t64.f32')`,
    });
    const read = (name: string) => {
      const b = readFileSync(join(dir, name));
      return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    };
    const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    // Schedule in float64 (as ours): equal to float32 rounding. Their exact float32 schedule is off by ~1.5e-7 in a and b.
    expect(maxDiff(got, read('t64.f32'))).toBeLessThan(1e-6);
    expect(maxDiff(got, read('t32.f32'))).toBeLessThan(1.5e-6);
  });
});
