import { AutoProcessor, env, LlavaForConditionalGeneration, RawImage, Tensor } from '@huggingface/transformers';
import { Graph, grad, reduceSum, serializeModel, type TensorData } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { int64Rows } from '../../test/int64-rows';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTinyModel, type TinyModel } from './tiny-model';
import { DEFAULT_LORA_TARGETS, initLoraWeights } from '../layers/lora';
import { buildSequenceLogProbs, sequenceLogProbs } from './sequence-log-probs';

env.allowRemoteModels = false;
env.useFSCache = false;

describe('sequence log-probs (training graph)', () => {
  jest.setTimeout(120_000);
  let dir: string;
  let model: TinyModel;
  let ids: number[];
  let pixels: Float32Array;
  const completionStart = 5;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smart-lp-'));
    model = await createTinyModel({ dir, seed: 11 });
    const processor = await AutoProcessor.from_pretrained(model.modelDir);
    const text = '<|im_start|>user\n<image>\nCount.<|im_end|>\n<|im_start|>assistant\nStep 1, there are 3. (B)<|im_end|>';
    const inputs = await processor(
      new RawImage(
        new Uint8ClampedArray(32 * 32 * 3).map((_, i) => (i * 13) % 256),
        32,
        32,
        3,
      ),
      text,
    );
    ids = Array.from(inputs.input_ids.data as BigInt64Array, Number);
    pixels = inputs.pixel_values.data as Float32Array;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const feeds = (mask: number[]) => ({
    input_ids: int64Rows([ids]),
    attention_mask: int64Rows([ids.map(() => 1)]),
    position_ids: int64Rows([ids.map((_, i) => i)]),
    pixel_values: new ort.Tensor('float32', pixels, [1, 3, 32, 32]),
    completion_mask: int64Rows([mask]),
  });
  const completionMask = () => ids.map((_, i) => (i >= ids.length - completionStart ? 1 : 0));

  it('equals the log-probs computed from transformers.js forward logits on the same input', async () => {
    const session = await ort.InferenceSession.create(serializeModel(buildSequenceLogProbs(model.config, model.weights).graph).model);
    const out = await session.run(feeds(completionMask()));
    const ours = (out['logps']!.data as Float32Array)[0]!;
    expect((out['token_counts']!.data as Float32Array)[0]).toBe(completionStart);

    const lm = await LlavaForConditionalGeneration.from_pretrained(model.modelDir, { dtype: 'fp32', device: 'cpu' });
    const result = await lm({
      input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      attention_mask: new Tensor('int64', BigInt64Array.from(ids.map(() => 1n)), [1, ids.length]),
      pixel_values: new Tensor('float32', pixels, [1, 3, 32, 32]),
    });
    const logits = result.logits.data as Float32Array;
    const V = model.config.text.vocab_size;
    let expected = 0;
    for (let t = ids.length - completionStart; t < ids.length; t++) {
      const row = logits.subarray((t - 1) * V, t * V);
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
      expected += row[ids[t]!]! - lse;
    }
    await lm.dispose();
    expect(Math.abs(ours - expected)).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected)));
    expect(expected).toBeLessThan(-1); // five tokens of a random model: clearly not ~0
  });

  it('LoRA: fresh adapters reproduce the base model, and their gradient matches finite differences', async () => {
    const lora = {
      config: { rank: 2, alpha: 4, targetModules: DEFAULT_LORA_TARGETS },
      adapters: initLoraWeights(model.weights, { rank: 2, alpha: 4, targetModules: DEFAULT_LORA_TARGETS }, 5),
    };
    const bName = 'language_model.model.layers.1.mlp.down_proj.lora_B.weight';
    const aName = 'language_model.model.layers.0.self_attn.q_proj.lora_A.weight';
    const g = new Graph('lora_grad');
    const s = sequenceLogProbs(g, model.config, model.weights, { lora });
    const total = reduceSum(s.logps, undefined, false);
    g.output(total, 'total');
    const grads = grad(g, total, s.weights.trainable);
    s.weights.trainable.forEach((v, i) => g.output(grads[i]!, `grad.${v.name}`));
    expect(s.weights.trainable.map((v) => v.name)).toContain(aName);
    const session = await ort.InferenceSession.create(serializeModel(g).model);
    const run = async (adapters: Map<string, TensorData>) => {
      const f: Record<string, ort.Tensor> = feeds(completionMask());
      for (const v of s.weights.trainable) {
        const t = adapters.get(v.name)!;
        f[v.name] = new ort.Tensor('float32', t.data as Float32Array, t.shape);
      }
      return session.run(f);
    };
    const base = await ort.InferenceSession.create(serializeModel(buildSequenceLogProbs(model.config, model.weights).graph).model);
    const baseLp = ((await base.run(feeds(completionMask())))['logps']!.data as Float32Array)[0]!;
    const at0 = await run(lora.adapters);
    expect((at0['total']!.data as Float32Array)[0]).toBeCloseTo(baseLp, 5);

    // Non-zero B matrices, so A's gradient is non-zero; then central differences on one A entry (float32: step 1e-2, 2%).
    const adapters = new Map(lora.adapters);
    const b = adapters.get(bName)!;
    adapters.set(bName, { ...b, data: (b.data as Float32Array).map((_, i) => 0.05 * Math.sin(i + 1)) });
    const qB = adapters.get('language_model.model.layers.0.self_attn.q_proj.lora_B.weight')!;
    adapters.set('language_model.model.layers.0.self_attn.q_proj.lora_B.weight', { ...qB, data: (qB.data as Float32Array).map((_, i) => 0.05 * Math.cos(i)) });
    const analytic = ((await run(adapters))[`grad.${aName}`]!.data as Float32Array)[3]!;
    const shifted = (h: number) => {
      const a = adapters.get(aName)!;
      const data = Float32Array.from(a.data as Float32Array);
      data[3]! += h;
      return new Map(adapters).set(aName, { ...a, data });
    };
    const h = 1e-2;
    const plus = ((await run(shifted(h)))['total']!.data as Float32Array)[0]!;
    const minus = ((await run(shifted(-h)))['total']!.data as Float32Array)[0]!;
    const numeric = (plus - minus) / (2 * h);
    expect(Math.abs(analytic)).toBeGreaterThan(1e-4);
    expect(Math.abs(analytic - numeric)).toBeLessThan(0.02 * Math.abs(numeric) + 1e-4);
  });
});
