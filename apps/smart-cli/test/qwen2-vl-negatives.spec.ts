import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeImage, negativeModelInput, type RgbImage } from '@smart/augment';
import { createRng } from '@smart/core';
import { createImagePreprocessor, TransformersJsGenerator } from '@smart/mllm';
import { createTinyQwen2VlModel } from '@smart/models';
import { openStore, type PreferenceStore } from '@smart/preference-store';
import type { GenerationRequest, GenerationResult, Generator, OptionLetter, Sample } from '@smart/types';
import { Interrupt } from '../src/progress/interrupt';
import { generateRationales } from '../src/stages/generate-rationales';

jest.setTimeout(180_000);

/** The local generator, recording each request it is handed. */
class Recording implements Generator {
  readonly modelId: string;
  readonly requests: GenerationRequest[] = [];
  constructor(private readonly inner: Generator) {
    this.modelId = inner.modelId;
  }
  generate(requests: GenerationRequest[]): Promise<GenerationResult[]> {
    this.requests.push(...requests);
    return this.inner.generate(requests);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

// Sizes the processor keeps apart (dynamic resolution): 6×4, 4×8 and 2×2 patches after its resize.
const sizes: [number, number][] = [
  [24, 16],
  [16, 32],
  [8, 8],
];
const image = (i: number): RgbImage => {
  const [width, height] = sizes[i]!;
  return { width, height, data: Uint8Array.from({ length: width * height * 3 }, (_, k) => (k * 37 + i * 11) % 256) };
};
const letters: OptionLetter[] = ['A', 'B', 'C', 'D'];
const sampleOf = (i: number): Sample => ({
  id: `q${i}`,
  image: { path: `img/${i}.png` },
  question: `Which square is red in image ${i}?`,
  choices: letters.map((letter, k) => ({ letter, text: `square ${k + 1}` })),
  answer: letters[i % 4]!,
  source: 'synthetic',
});

describe('the generate stage on a tiny Qwen2-VL folder (local backend)', () => {
  let dir = '';
  let store: PreferenceStore | undefined;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'smart-qwen2vl-generate-'))));
  afterAll(() => {
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("generates positives from the images and negatives from the model's own patches plus per-frame noise, rebuildable from the stored seed", async () => {
    const { modelDir } = await createTinyQwen2VlModel({ dir: join(dir, 'tiny'), seed: 4 });
    store = openStore(join(dir, 'run', 'store.sqlite'));
    const items = await Promise.all(sizes.map(async (_, i) => ({ sample: sampleOf(i), sourceName: 'synthetic', imageBytes: await encodeImage(image(i), { format: 'png' }) })));
    store.putSamples(items);
    store.assignSamples(1, items.map((it) => it.sample.id));
    const generator = new Recording(await TransformersJsGenerator.load({ modelPath: modelDir, batchSize: 4, threads: 1 }));
    const io = { log: () => undefined, progress: { write: () => undefined }, interrupt: new Interrupt() };
    try {
      const outcome = await generateRationales({ store, generator, iteration: 1, seed: 5, sampling: { temperature: 0.7, topP: 0.9, topK: 0, maxNewTokens: 6 }, augmentProfile: 'paper', batchSize: 6, modelFolder: modelDir, io });
      expect(outcome).toMatchObject({ generated: 6, failed: 0 });
    } finally {
      await generator.close();
    }

    const preprocess = await createImagePreprocessor(modelDir);
    const grids: number[][] = [];
    for (const r of generator.requests.filter((q) => q.id.endsWith(':negative'))) {
      const sampleId = r.id.split(':')[0]!;
      const stored = store.getGeneration(sampleId, 1, 'negative')!;
      expect(stored).toMatchObject({ finishReason: expect.stringMatching(/^(stop|length)$/), augmentation: { profile: 'paper', noiseSpace: 'model-input', noiseStep: 600 } });
      if (r.image?.kind !== 'tensor' || r.image.gridThw === undefined) throw new Error(`${r.id}: expected a patch tensor, got ${r.image?.kind}`);
      grids.push(r.image.gridThw);
      // The same seed through the same processor and noise gives the same patches, bit for bit.
      const rebuilt = await negativeModelInput(image(Number(sampleId.slice(1))), { rng: createRng(stored.augmentation!.seed), profile: 'paper', preprocess });
      expect(Buffer.from(r.image.data.buffer, r.image.data.byteOffset, r.image.data.byteLength).equals(Buffer.from(rebuilt.pixels.data.buffer, rebuilt.pixels.data.byteOffset, rebuilt.pixels.data.byteLength))).toBe(true);
      expect(r.image.shape[0]).toBe(r.image.gridThw[0] * r.image.gridThw[1] * r.image.gridThw[2]);
      // Columns run (channel, frame, py, px): the clean frames of a still image are copies, so any difference is per-frame noise.
      const p2 = 4 * 4;
      const noised = r.image.data;
      const frame = (f: number) => Array.from(noised.subarray(f * p2, (f + 1) * p2));
      expect(r.image.shape[1]).toBe(3 * 2 * p2);
      expect(frame(0)).not.toEqual(frame(1));
    }
    expect(grids.map((g) => g.join('x')).sort()).toEqual(['1x2x2', '1x4x6', '1x8x4']);
    for (const id of ['q0', 'q1', 'q2']) expect(store.getGeneration(id, 1, 'positive')!.finishReason).toMatch(/^(stop|length)$/);
  });
});
