import { writeSafetensors } from '@smart/onnx-graph';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { itWithTorch, runOracle } from '../../test/python-oracle';
import { pairRows, preferenceBatch, tinyEngineOptions, tinyModel, tokenBatch } from '../../test/tiny-batches';
import { createEngine } from './onnx-engine';
import type { Objective, OptimizerOptions } from './types';

const REFERENCE_DIR = join(__dirname, '..', '..', '..', 'models', 'test', 'oracle');

interface OracleResult {
  steps: { micro_batches: { loss: number; margins: number }[]; grad_norm: number }[];
}

const CASES: [string, Objective, OptimizerOptions][] = [
  ['sigmoid, label smoothing, weight decay, clipping', { kind: 'dpo', lossType: 'sigmoid', beta: 0.1, labelSmoothing: 0.1 }, { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.05, maxGradNorm: 0.05 }],
  ['ipo + RPO term, no clipping', { kind: 'dpo', lossType: 'ipo', beta: 0.5, labelSmoothing: 0, rpoAlpha: 0.5 }, { beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0 }],
];

describe('one DPO optimizer step against a torch reimplementation of TRL (float64)', () => {
  jest.setTimeout(600_000);
  const m = tinyModel(2);

  itWithTorch().each(CASES)('%s: two steps of two accumulated micro-batches; weights within 1e-5', async (_name, objective, optimizer) => {
    const work = mkdtempSync(join(tmpdir(), 'smart-dpo-oracle-'));
    const engine = await createEngine(tinyEngineOptions(m, { dtype: 'float64', images: 'features', objective, optimizer }));
    try {
      writeFileSync(join(work, 'config.json'), JSON.stringify(m.json));
      await writeSafetensors(join(work, 'model.safetensors'), m.weights);
      const names = [...engine.trainableTensors().keys()];
      const start = engine.trainableTensors();
      const lrs = [1e-3, 5e-4];
      const ours: { losses: number[]; margins: number[]; gradNorm: number }[] = [];
      const steps = [];
      for (const [s, lr] of lrs.entries()) {
        const micro = [];
        const losses: number[] = [];
        const margins: number[] = [];
        for (let k = 0; k < 2; k++) {
          const batch = tokenBatch(m, pairRows(m, 2, 4 * s + 2 * k), 10 * s + k, 'features');
          const file = `features-${s}-${k}.bin`;
          writeFileSync(join(work, file), Float64Array.from(batch.pixelValues!));
          const big = (a: BigInt64Array) => Array.from({ length: batch.rows }, (_, r) => Array.from(a.subarray(r * batch.seqLen, (r + 1) * batch.seqLen), Number));
          micro.push({ input_ids: big(batch.inputIds), attention_mask: big(batch.attentionMask), completion_mask: big(batch.completionMask), features: file, weight: 0.5 });
          const ref = await engine.sequenceLogProbs(batch, { reference: true });
          const metrics = await engine.accumulate(preferenceBatch(batch, ref.logps), 0.5);
          losses.push(metrics.loss);
          margins.push(metrics['rewards/margins']!);
        }
        const { gradNorm } = await engine.applyUpdate(lr);
        ours.push({ losses, margins, gradNorm });
        steps.push({ lr, micro_batches: micro });
      }
      const o = objective as Extract<Objective, { kind: 'dpo' }>;
      const spec = {
        trainable: names,
        objective: { loss_type: o.lossType, beta: o.beta, label_smoothing: o.labelSmoothing, rpo_alpha: o.rpoAlpha ?? null },
        optimizer,
        max_grad_norm: optimizer.maxGradNorm ?? 1e308, // no clipping
        steps,
      };
      writeFileSync(join(work, 'spec.json'), JSON.stringify(spec));
      const want = runOracle<OracleResult>('dpo_step.py', [REFERENCE_DIR, work]);
      const finalBytes = readFileSync(join(work, 'final.bin'));
      const final = new Float64Array(finalBytes.buffer, finalBytes.byteOffset, finalBytes.byteLength / 8);

      want.steps.forEach((w, s) => {
        expect(Math.abs(ours[s]!.gradNorm - w.grad_norm)).toBeLessThan(1e-6 * Math.max(1, w.grad_norm));
        w.micro_batches.forEach((mb, k) => {
          expect(Math.abs(ours[s]!.losses[k]! - mb.loss)).toBeLessThan(1e-6);
          expect(Math.abs(ours[s]!.margins[k]! - mb.margins)).toBeLessThan(1e-6);
        });
      });
      if (optimizer.maxGradNorm) expect(want.steps[0]!.grad_norm).toBeGreaterThan(optimizer.maxGradNorm); // clipping was active
      expect(want.steps[1]!.micro_batches[0]!.margins).not.toBe(0); // the second step saw a moved policy
      let offset = 0;
      let worst = 0;
      let moved = 0;
      const after = engine.trainableTensors();
      for (const name of names) {
        const a = after.get(name)!.data as Float64Array;
        const s0 = start.get(name)!.data as Float64Array;
        for (let i = 0; i < a.length; i++) {
          worst = Math.max(worst, Math.abs(a[i]! - final[offset + i]!));
          moved = Math.max(moved, Math.abs(a[i]! - s0[i]!));
        }
        offset += a.length;
      }
      expect(offset).toBe(final.length);
      expect(moved).toBeGreaterThan(1e-4); // the weights really changed (AdamW moves each by up to ~lr)
      expect(worst).toBeLessThan(1e-5);
    } finally {
      await engine.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
