import { buildSequenceLogProbs, loadLlavaCheckpoint } from '@smart/models';
import { readSafetensorsFolder, serializeModel } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collateSft } from '../src/collate/collate-batch';
import { encodeSftExample } from '../src/collate/encode-examples';
import { parseSftConfig } from '../src/config/parse-config';
import { limitsOf } from '../src/trainer/run-options';
import { runFingerprint } from '../src/trainer/run-fingerprint';
import { trainSft } from '../src/trainer/train-sft';
import { tinySetup, type TinySetup } from './tiny-pairs';

const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('trainSft on the tiny model', () => {
  jest.setTimeout(180_000);
  let dir: string;
  let setup: TinySetup;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sft-train-'));
    setup = await tinySetup(join(dir, 'base'), 4);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('logs the completion token-mean NLL of the start model at step 1, then lowers it', async () => {
    const config = parseSftConfig({ learning_rate: 3e-3, lr_scheduler_type: 'constant', per_device_train_batch_size: 4, max_steps: 5, logging_steps: 1 });
    const out = join(dir, 'run');
    const result = await trainSft({ config, examples: setup.sft, encoder: setup.encoder, modelDir: setup.model.checkpointDir, outputDir: out, inferenceFolder: false });
    expect(result).toMatchObject({ status: 'completed', step: 5 });
    const rows = readFileSync(join(out, 'train-metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);

    // Independent: the models package's log-prob graph on the same collated rows, at the start weights.
    const encoded = await Promise.all(setup.sft.map((e) => encodeSftExample(setup.encoder, e, limitsOf(config, setup.model.imageTokenId))));
    const b = collateSft(encoded, setup.model.padTokenId);
    const session = await ort.InferenceSession.create(serializeModel(buildSequenceLogProbs(setup.model.config, setup.model.weights).graph).model);
    const shape = [b.rows, b.seqLen];
    const lp = await session.run({
      input_ids: new ort.Tensor('int64', b.inputIds, shape),
      attention_mask: new ort.Tensor('int64', b.attentionMask, shape),
      position_ids: new ort.Tensor('int64', BigInt64Array.from({ length: b.rows * b.seqLen }, (_, i) => BigInt(i % b.seqLen)), shape),
      completion_mask: new ort.Tensor('int64', b.completionMask, shape),
      pixel_values: new ort.Tensor('float32', b.pixelValues as Float32Array, b.pixelShape!),
    });
    const sum = (t: ort.Tensor) => Array.from(t.data as Float32Array).reduce((a, x) => a + x, 0);
    const nll = -sum(lp['logps']!) / sum(lp['token_counts']!);
    expect(rows[0]!['loss']).toBeCloseTo(nll, 4);
    expect(rows[4]!['loss']).toBeLessThan(rows[0]!['loss']! * 0.8);
  });

  it('intra_op_threads 1 repeats a run bit for bit, and is not part of what a resume checks', async () => {
    const config = parseSftConfig({ learning_rate: 3e-3, per_device_train_batch_size: 4, max_steps: 4, logging_steps: 1, intra_op_threads: 1 });
    const weightsOf = async (name: string) => {
      const result = await trainSft({ config, examples: setup.sft, encoder: setup.encoder, modelDir: setup.model.checkpointDir, outputDir: join(dir, name), inferenceFolder: false });
      return (await readSafetensorsFolder(result.folders!.checkpointDir!)).tensors;
    };
    const [a, b] = [await weightsOf('t1a'), await weightsOf('t1b')];
    for (const [name, t] of a) expect(bytesOf(b.get(name)!.data).equals(bytesOf(t.data))).toBe(true);
    expect(runFingerprint({ kind: 'sft', config }, setup.model.weights, setup.sft)).toBe(runFingerprint({ kind: 'sft', config: { ...config, intra_op_threads: null } }, setup.model.weights, setup.sft));
    expect(runFingerprint({ kind: 'sft', config }, setup.model.weights, setup.sft)).not.toBe(runFingerprint({ kind: 'sft', config: { ...config, seed: config.seed + 1 } }, setup.model.weights, setup.sft));
  });

  it('checkpointDtype bfloat16: the HF checkpoint holds BF16 tensors only, says so in config.json, and loads back', async () => {
    const config = parseSftConfig({ learning_rate: 3e-3, per_device_train_batch_size: 4, max_steps: 1, logging_steps: 1 });
    const out = join(dir, 'bf16');
    const result = await trainSft({ config, examples: setup.sft, encoder: setup.encoder, modelDir: setup.model.checkpointDir, outputDir: out, inferenceFolder: false, checkpointDtype: 'bfloat16' });
    const ckpt = result.folders!.checkpointDir!;
    const { tensors } = await readSafetensorsFolder(ckpt);
    expect(new Set([...tensors.values()].map((t) => t.dtype))).toEqual(new Set(['bfloat16']));
    expect(JSON.parse(readFileSync(join(ckpt, 'config.json'), 'utf8')).torch_dtype).toBe('bfloat16');
    const loaded = await loadLlavaCheckpoint(ckpt);
    expect(loaded.weights.size).toBe(setup.model.weights.size);
  });
});
