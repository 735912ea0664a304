import { readSafetensors } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pairRows, preferenceBatch, tinyEngineOptions, tinyModel, tokenBatch } from '../../test/tiny-batches';
import { ARTIFACT_FILES, type ArtifactManifest } from './artifacts';
import { createEngine } from './onnx-engine';

describe('training artifacts on disk', () => {
  jest.setTimeout(120_000);
  const m = tinyModel(6);

  it('one step run from the files with plain InferenceSessions equals the engine step', async () => {
    const root = mkdtempSync(join(tmpdir(), 'smart-artifacts-'));
    const dir = join(root, 'iter-1', 'artifacts'); // created by the engine
    const optimizer = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01, maxGradNorm: 1 };
    const engine = await createEngine(tinyEngineOptions(m, { artifactsDir: dir, optimizer }));
    try {
      const manifest = JSON.parse(readFileSync(join(dir, ARTIFACT_FILES.manifest), 'utf8')) as ArtifactManifest;
      // Frozen weights (the vision tower) live in standard external-data files beside the graphs.
      expect(existsSync(join(dir, `${ARTIFACT_FILES.training}.data`))).toBe(true);
      expect(existsSync(join(dir, `${ARTIFACT_FILES.eval}.data`))).toBe(true);
      const trainingInputs = manifest.graphs.training.inputs.map((i) => i.name);
      expect(trainingInputs).toEqual(expect.arrayContaining(['input_ids', 'attention_mask', 'position_ids', 'completion_mask', 'pixel_values', 'ref_logps', 'loss_weight', ...manifest.trainable]));
      expect(manifest.graphs.optimizer.outputs.map((o) => o.name)).toContain('grad_norm');

      // Outside the engine: the checkpoint and three plain sessions (default options).
      const ckpt = (await readSafetensors(join(dir, ARTIFACT_FILES.checkpoint))).tensors;
      expect((await readSafetensors(join(dir, ARTIFACT_FILES.checkpoint))).metadata['step']).toBe('0');
      const open = (f: string) => ort.InferenceSession.create(join(dir, f));
      const [evalS, trainS, optS] = [await open(ARTIFACT_FILES.eval), await open(ARTIFACT_FILES.training), await open(ARTIFACT_FILES.optimizer)];
      const batch = tokenBatch(m, pairRows(m, 2));
      const shape = [batch.rows, batch.seqLen];
      const tokens: Record<string, ort.Tensor> = {
        input_ids: new ort.Tensor('int64', batch.inputIds, shape),
        attention_mask: new ort.Tensor('int64', batch.attentionMask, shape),
        position_ids: new ort.Tensor('int64', BigInt64Array.from({ length: batch.rows * batch.seqLen }, (_, i) => BigInt(i % batch.seqLen)), shape),
        completion_mask: new ort.Tensor('int64', batch.completionMask, shape),
        pixel_values: new ort.Tensor('float32', batch.pixelValues as Float32Array, batch.pixelShape!),
      };
      const params: Record<string, ort.Tensor> = {};
      for (const name of manifest.trainable) {
        const t = ckpt.get(name)!;
        params[name] = new ort.Tensor('float32', t.data as Float32Array, t.shape);
      }
      const ref = (await evalS.run({ ...tokens, ...params }))['logps']!;
      const out = await trainS.run({ ...tokens, ...params, ref_logps: ref, loss_weight: new ort.Tensor('float32', Float32Array.of(1), []) });
      const optFeeds: Record<string, ort.Tensor> = { lr: new ort.Tensor('float32', Float32Array.of(1e-3), []), step: new ort.Tensor('float32', Float32Array.of(1), []) };
      for (const name of manifest.trainable) {
        const t = ckpt.get(name)!;
        optFeeds[name] = params[name]!;
        optFeeds[`${name}.grad`] = out[`${name}.grad`]!;
        optFeeds[`${name}.m`] = new ort.Tensor('float32', ckpt.get(`${name}.m`)!.data as Float32Array, t.shape);
        optFeeds[`${name}.v`] = new ort.Tensor('float32', ckpt.get(`${name}.v`)!.data as Float32Array, t.shape);
      }
      const updated = await optS.run(optFeeds);
      for (const s of [evalS, trainS, optS]) await s.release();

      // The engine's own step on the same batch.
      const engineRef = await engine.sequenceLogProbs(batch, { reference: true });
      expect(Array.from(engineRef.logps)).toEqual(Array.from(ref.data as Float32Array, Number));
      const metrics = await engine.accumulate(preferenceBatch(batch, engineRef.logps), 1);
      const { gradNorm } = await engine.applyUpdate(1e-3);
      expect(metrics.loss).toBeCloseTo(Number(out['loss']!.data[0]), 6);
      expect(gradNorm).toBeCloseTo(Number(updated['grad_norm']!.data[0]), 5);
      const after = engine.trainableTensors();
      let worst = 0;
      let moved = 0;
      for (const name of manifest.trainable) {
        const ours = after.get(name)!.data as Float32Array;
        const theirs = updated[`${name}.new`]!.data as Float32Array;
        const start = ckpt.get(name)!.data as Float32Array;
        for (let i = 0; i < ours.length; i++) {
          worst = Math.max(worst, Math.abs(ours[i]! - theirs[i]!));
          moved = Math.max(moved, Math.abs(ours[i]! - start[i]!));
        }
      }
      expect(moved).toBeGreaterThan(5e-4);
      expect(worst).toBeLessThan(1e-7);
      // The checkpoint the engine rewrites carries the new step and tensors.
      const written = await readSafetensors(await engine.writeCheckpoint());
      expect(written.metadata['step']).toBe('1');
      expect(Array.from(written.tensors.get(manifest.trainable[0]!)!.data as Float32Array)).toEqual(Array.from(after.get(manifest.trainable[0]!)!.data as Float32Array));
    } finally {
      await engine.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
