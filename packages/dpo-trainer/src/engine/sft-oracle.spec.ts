import { writeSafetensors } from '@smart/onnx-graph';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { itWithTorch, runOracle } from '../../test/python-oracle';
import { tinyEngineOptions, tinyModel, tokenBatch, type Row } from '../../test/tiny-batches';
import { createEngine } from './onnx-engine';

const REFERENCE_DIR = join(__dirname, '..', '..', '..', 'models', 'test', 'oracle');

describe('SFT loss', () => {
  jest.setTimeout(300_000);
  const m = tinyModel(5);

  itWithTorch()('equals torch cross-entropy over completion labels (ignore_index elsewhere), with its gradient norm (float64)', async () => {
    const work = mkdtempSync(join(tmpdir(), 'smart-sft-oracle-'));
    const engine = await createEngine(tinyEngineOptions(m, { dtype: 'float64', images: 'none', objective: { kind: 'sft' }, optimizer: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 } }));
    try {
      const rows: Row[] = [0, 1, 2].map((k) => ({ prompt: [3 + k, 9, 12, 40 + k], completion: Array.from({ length: 2 + 2 * k }, (_, t) => 80 + ((k + 3 * t) % 30)) }));
      const batch = tokenBatch(m, rows);
      const rowsOf = (a: BigInt64Array) => Array.from({ length: batch.rows }, (_, r) => Array.from(a.subarray(r * batch.seqLen, (r + 1) * batch.seqLen), Number));
      writeFileSync(join(work, 'config.json'), JSON.stringify(m.json));
      await writeSafetensors(join(work, 'model.safetensors'), m.weights);
      const trainable = [...engine.trainableTensors().keys()];
      writeFileSync(join(work, 'batch.json'), JSON.stringify({ trainable, input_ids: rowsOf(batch.inputIds), attention_mask: rowsOf(batch.attentionMask), completion_mask: rowsOf(batch.completionMask) }));
      const want = runOracle<{ loss: number; grad_norm: number }>('sft_loss.py', [REFERENCE_DIR, work]);
      const metrics = await engine.accumulate(batch, 1);
      const { gradNorm } = await engine.applyUpdate(1e-3);
      expect(metrics.tokens).toBe(2 + 4 + 6);
      expect(want.loss).toBeGreaterThan(4); // ≈ ln 260 for a random model
      expect(Math.abs(metrics.loss - want.loss)).toBeLessThan(1e-9);
      expect(Math.abs(gradNorm - want.grad_norm)).toBeLessThan(1e-9 * Math.max(1, want.grad_norm));
    } finally {
      await engine.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
