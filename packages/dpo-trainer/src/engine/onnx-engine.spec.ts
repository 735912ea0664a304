import { createEngine } from './onnx-engine';
import { EngineUsageError, BatchShapeError } from '../errors';
import { pairRows, preferenceBatch, tinyEngineOptions, tinyModel, tokenBatch } from '../../test/tiny-batches';

describe('ONNX training engine', () => {
  jest.setTimeout(120_000);
  const m = tinyModel(1);

  it.each([
    ['float32', 'pixels'],
    ['float64', 'features'],
  ] as const)('step 0 of DPO: policy = reference, so loss = ln 2 and rewards = 0 exactly (%s, %s)', async (dtype, images) => {
    const engine = await createEngine(tinyEngineOptions(m, { dtype, images }));
    try {
      const batch = tokenBatch(m, pairRows(m, 3), 0, images);
      const ref = await engine.sequenceLogProbs(batch, { reference: true });
      const pol = await engine.sequenceLogProbs(batch);
      expect(Array.from(pol.logps)).toEqual(Array.from(ref.logps));
      expect(Math.min(...ref.logps)).toBeLessThan(-5); // real log-probs of a random model, not zeros
      const metrics = await engine.accumulate(preferenceBatch(batch, ref.logps), 1);
      expect(Math.abs(metrics.loss - Math.LN2)).toBeLessThan(dtype === 'float64' ? 1e-15 : 1e-7);
      expect(metrics['rewards/chosen']).toBe(0);
      expect(metrics['rewards/rejected']).toBe(0);
      expect(metrics['rewards/margins']).toBe(0);
      expect(metrics['rewards/accuracies']).toBe(0);
      expect(metrics['logps/chosen']).toBeCloseTo((ref.logps[0]! + ref.logps[1]! + ref.logps[2]!) / 3, 4);
      // At Δ = 0 the sigmoid loss still has slope −β/2, so the first update moves the weights.
      const before = engine.trainableTensors().get('language_model.lm_head.weight')!.data.slice();
      const { gradNorm } = await engine.applyUpdate(1e-3);
      expect(gradNorm).toBeGreaterThan(1e-4);
      const after = engine.trainableTensors().get('language_model.lm_head.weight')!.data;
      expect(after.some((x, i) => x !== before[i])).toBe(true);
      const next = await engine.accumulate(preferenceBatch(batch, ref.logps), 1);
      expect(next['rewards/margins']).toBeGreaterThan(0);
      expect(next.loss).toBeLessThan(Math.LN2);
    } finally {
      await engine.close();
    }
  });

  it('rejects misuse with typed errors', async () => {
    const engine = await createEngine(tinyEngineOptions(m));
    try {
      await expect(engine.applyUpdate(1e-3)).rejects.toBeInstanceOf(EngineUsageError);
      const batch = tokenBatch(m, pairRows(m, 2));
      await expect(engine.accumulate(preferenceBatch(batch, new Float64Array(3)), 1)).rejects.toBeInstanceOf(BatchShapeError);
      await expect(engine.accumulate({ ...batch, pixelValues: undefined }, 1)).rejects.toBeInstanceOf(BatchShapeError);
    } finally {
      await engine.close();
    }
  });
});
