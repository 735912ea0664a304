import type { TensorData } from '@smart/onnx-graph';
import { tinyEngineOptions, tinyModel, pairRows, preferenceBatch, tokenBatch, type Row } from '../../test/tiny-batches';
import { createEngine } from './onnx-engine';
import type { Engine, EngineOptions, TokenBatch } from './types';

/** Runs one optimizer step over `batches` (weights = their share of the pairs/rows) and returns the new weights. */
async function step(options: EngineOptions, batches: TokenBatch[], share: (b: TokenBatch) => number) {
  const engine: Engine = await createEngine(options);
  try {
    for (const b of batches) {
      const withRef = options.objective.kind === 'dpo' ? preferenceBatch(b, (await engine.sequenceLogProbs(b, { reference: true })).logps) : b;
      await engine.accumulate(withRef, share(b));
    }
    const { gradNorm } = await engine.applyUpdate(1e-2);
    return { gradNorm, weights: engine.trainableTensors() };
  } finally {
    await engine.close();
  }
}

function maxDiff(a: Map<string, TensorData>, b: Map<string, TensorData>): number {
  let worst = 0;
  for (const [name, t] of a) {
    const [x, u] = [t.data as Float64Array, b.get(name)!.data as Float64Array];
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - u[i]!));
  }
  return worst;
}

describe('gradient accumulation', () => {
  jest.setTimeout(120_000);
  const m = tinyModel(4);
  const optimizer = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01, maxGradNorm: 0.5 };

  it('DPO: micro-batches of 2 and 1 pairs weighted 2/3 and 1/3 equal one batch of 3 pairs (float64)', async () => {
    const o = tinyEngineOptions(m, { dtype: 'float64', images: 'features', optimizer });
    // Features of a micro-batch are its rows' images in order, so the large batch reuses the same per-pair values.
    const split = [tokenBatch(m, pairRows(m, 2, 0), 0, 'features'), tokenBatch(m, pairRows(m, 1, 2), 0, 'features')];
    const large = tokenBatch(m, pairRows(m, 3, 0), 0, 'features');
    const perImage = m.config.image_seq_length * m.config.text.hidden_size;
    const img = (b: TokenBatch, i: number) => b.pixelValues!.subarray(i * perImage, (i + 1) * perImage);
    // Large-batch rows: chosen 0,1,2 then rejected 0,1,2; take each row's image from its micro-batch.
    const rowsImages = [img(split[0]!, 0), img(split[0]!, 1), img(split[1]!, 0), img(split[0]!, 2), img(split[0]!, 3), img(split[1]!, 1)];
    const pixels = new Float32Array(6 * perImage);
    rowsImages.forEach((x, i) => pixels.set(x, i * perImage));
    const big = { ...large, pixelValues: pixels };
    const a = await step(o, split, (b) => b.rows / 2 / 3);
    const b = await step(o, [big], () => 1);
    expect(Math.abs(a.gradNorm - b.gradNorm)).toBeLessThan(1e-12);
    expect(a.gradNorm).toBeGreaterThan(optimizer.maxGradNorm); // clipping is part of the comparison
    expect(maxDiff(a.weights, b.weights)).toBeLessThan(1e-12);
    // Weighting matters: equal weights 1/2 + 1/2 give a different step.
    const c = await step(o, split, () => 0.5);
    expect(Math.abs(c.gradNorm - b.gradNorm)).toBeGreaterThan(1e-6);
  });

  it('SFT: micro-batches weighted by their share of completion tokens equal one batch (float64)', async () => {
    const o = tinyEngineOptions(m, { dtype: 'float64', images: 'none', objective: { kind: 'sft' }, optimizer });
    const rows: Row[] = [0, 1, 2, 3].map((k) => ({ prompt: [5 + k, 6, 7], completion: Array.from({ length: 2 + k }, (_, t) => 70 + k + t) }));
    const split = [tokenBatch(m, rows.slice(0, 1)), tokenBatch(m, rows.slice(1))];
    const tokens = (b: TokenBatch) => b.completionMask.reduce((s, x) => s + Number(x), 0);
    const total = tokens(split[0]!) + tokens(split[1]!);
    const a = await step(o, split, (b) => tokens(b) / total);
    const b = await step(o, [tokenBatch(m, rows)], () => 1);
    expect(maxDiff(a.weights, b.weights)).toBeLessThan(1e-12);
    expect(Math.abs(a.gradNorm - b.gradNorm)).toBeLessThan(1e-12);
  });
});
