import { DEFAULT_LORA_TARGETS, initLoraWeights } from '@smart/models';
import { pairRows, preferenceBatch, tinyEngineOptions, tinyModel, tokenBatch } from '../../test/tiny-batches';
import { createEngine } from './onnx-engine';

describe('LoRA engine', () => {
  jest.setTimeout(120_000);
  const m = tinyModel(7);
  const lora = { rank: 4, alpha: 8, targetModules: DEFAULT_LORA_TARGETS };

  it('trains only the adapters; the reference pass runs with adapters off (the base model)', async () => {
    const engine = await createEngine(tinyEngineOptions(m, { lora: { config: lora, adapters: initLoraWeights(m.weights, lora, 3) } }));
    const base = await createEngine(tinyEngineOptions(m));
    try {
      const names = [...engine.trainableTensors().keys()];
      expect(names.length).toBeGreaterThan(0);
      expect(names.every((n) => n.includes('.lora_A.') || n.includes('.lora_B.'))).toBe(true);
      const batch = tokenBatch(m, pairRows(m, 2));
      const baseLp = (await base.sequenceLogProbs(batch)).logps;
      for (let s = 0; s < 3; s++) {
        const ref = await engine.sequenceLogProbs(batch, { reference: true });
        expect(Array.from(ref.logps)).toEqual(Array.from(baseLp));
        await engine.accumulate(preferenceBatch(batch, ref.logps), 1);
        await engine.applyUpdate(5e-3);
      }
      const policy = (await engine.sequenceLogProbs(batch)).logps;
      const moved = Math.max(...Array.from(policy, (x, i) => Math.abs(x - baseLp[i]!)));
      expect(moved).toBeGreaterThan(1e-3); // adapters on: the policy left the base
      const ref = await engine.sequenceLogProbs(batch, { reference: true });
      expect(Array.from(ref.logps)).toEqual(Array.from(baseLp)); // adapters off: still exactly the base
    } finally {
      await engine.close();
      await base.close();
    }
  });
});
