import { createEngine } from './onnx-engine';
import { BatchShapeError, EngineStateError, EngineUsageError } from '../errors';
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

  it('completion-only and full lm_head give the same DPO step (float64)', async () => {
    const run = async (completionOnlyLmHead: boolean) => {
      const engine = await createEngine(tinyEngineOptions(m, { dtype: 'float64', images: 'features', completionOnlyLmHead }));
      try {
        const batch = tokenBatch(m, pairRows(m, 2), 3, 'features');
        const ref = await engine.sequenceLogProbs(batch, { reference: true });
        await engine.accumulate(preferenceBatch(batch, ref.logps), 1);
        await engine.applyUpdate(1e-3);
        const metrics = await engine.accumulate(preferenceBatch(batch, ref.logps), 1);
        return { metrics, head: engine.trainableTensors().get('language_model.lm_head.weight')!.data as Float64Array };
      } finally {
        await engine.close();
      }
    };
    const [a, b] = [await run(true), await run(false)];
    expect(Math.abs(a.metrics.loss - b.metrics.loss)).toBeLessThan(1e-12);
    expect(Math.abs(a.metrics['logits/chosen']! - b.metrics['logits/chosen']!)).toBeLessThan(1e-12);
    expect(a.metrics['rewards/margins']).toBeGreaterThan(0);
    expect(Math.max(...a.head.map((x, i) => Math.abs(x - b.head[i]!)))).toBeLessThan(1e-12);
  });

  it('getState/setState: a fresh engine given the state continues exactly as the original', async () => {
    const o = tinyEngineOptions(m, { dtype: 'float64', images: 'features', optimizer: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01, maxGradNorm: 1 } });
    const batch = tokenBatch(m, pairRows(m, 2), 4, 'features');
    const a = await createEngine(o);
    const b = await createEngine(o);
    try {
      const ref = (await a.sequenceLogProbs(batch, { reference: true })).logps;
      for (let s = 0; s < 2; s++) {
        await a.accumulate(preferenceBatch(batch, ref), 1);
        await a.applyUpdate(1e-3);
      }
      const state = a.getState();
      expect(state.step).toBe(2);
      b.setState(state);
      for (const e of [a, b]) {
        await e.accumulate(preferenceBatch(batch, ref), 1);
        await e.applyUpdate(1e-3); // AdamW's step t = 3 in both: bias corrections depend on it
      }
      const [ta, tb] = [a.trainableTensors(), b.trainableTensors()];
      for (const [name, t] of ta) expect(Array.from(tb.get(name)!.data as Float64Array)).toEqual(Array.from(t.data as Float64Array));
      const bad = a.getState();
      const first = [...bad.tensors.keys()][0]!;
      bad.tensors.set(first, { ...bad.tensors.get(first)!, m: new Float64Array(3) });
      expect(() => b.setState(bad)).toThrow(EngineStateError);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
