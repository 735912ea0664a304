import { encodeSafetensors, Graph, grad, reduceSum, serializeModel, type TensorData } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { int64Rows } from '../../test/int64-rows';
import { runQwen2VlReference, torchAvailable } from '../../test/python-oracle';
import { imageRows, patchBatch, testImage } from '../../test/qwen2-vl-batch';
import { DEFAULT_LORA_TARGETS, initLoraWeights } from '../layers/lora';
import { buildQwen2VlInferenceGraphs } from './inference-graphs';
import { randomQwen2VlWeights } from './random-weights';
import { qwen2VlRopeIndex } from './rope-index';
import { buildQwen2VlLogProbs, qwen2VlLogProbs } from './sequence-log-probs';
import { tinyQwen2VlConfig } from './tiny-model';
import { qwen2VlTrainableParts } from './trainable-parts';

const describeOracle = torchAvailable() ? describe : describe.skip;
const S = 26;
const { json, config, padTokenId } = tinyQwen2VlConfig();
const weights = randomQwen2VlWeights(config, { seed: 21, std: 0.1 });
const images = [
  { height: 16, width: 24, data: testImage(16, 24, 5) },
  { height: 32, width: 16, data: testImage(32, 16, 6) },
];

/** Two right-padded rows (TRL collation): row 1 ends 5 tokens early; completions are each row's last real tokens. */
function batch() {
  const { ids, mask } = imageRows(config, [{ pad: 0, before: 3, imageTokens: 6 }, { pad: 0, before: 2, imageTokens: 8 }], S, padTokenId);
  for (let s = S - 5; s < S; s++) [ids[1]![s], mask[1]![s]] = [padTokenId, 0];
  const completion = [ids[0]!.map((_, s) => (s >= S - 9 ? 1 : 0)), ids[1]!.map((_, s) => (s >= S - 12 && s < S - 5 ? 1 : 0))];
  const patches = patchBatch(config, images);
  const rope = qwen2VlRopeIndex(config, ids, patches.gridThw, mask);
  return { ids, mask, completion, patches, rope };
}

function feeds(b: ReturnType<typeof batch>): Record<string, ort.Tensor> {
  return {
    input_ids: int64Rows(b.ids),
    attention_mask: int64Rows(b.mask),
    position_ids: new ort.Tensor('int64', b.rope.positionIds, b.rope.shape),
    pixel_values: new ort.Tensor('float32', b.patches.data, [b.patches.rows, config.vision.patch_dim]),
    image_grid_thw: int64Rows(b.patches.gridThw),
    completion_mask: int64Rows(b.completion),
  };
}

const f32 = (t: TensorData) => new ort.Tensor('float32', t.data as Float32Array, t.shape);

describeOracle('Qwen2-VL training graph vs the PyTorch oracle', () => {
  jest.setTimeout(300_000);

  it('summed completion log-probs (vision frozen, language model trainable) equal those of the oracle logits within 1e-4 relative; cached image features give the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smart-qwen2vl-lp-'));
    try {
      const b = batch();
      writeFileSync(join(dir, 'config.json'), JSON.stringify(json));
      writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(weights));
      images.forEach((im, i) => writeFileSync(join(dir, `img${i}.bin`), Buffer.from(im.data.buffer)));
      writeFileSync(
        join(dir, 'inputs.json'),
        JSON.stringify({ input_ids: b.ids, attention_mask: b.mask, images: images.map((im, i) => ({ file: `img${i}.bin`, shape: [3, im.height, im.width] })), dtype: 'float64' }),
      );
      runQwen2VlReference(dir, join(dir, 'inputs.json'), join(dir, 'out'));
      const raw = readFileSync(join(dir, 'out.logits.bin'));
      const logits = new Float64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
      const V = config.text.vocab_size;
      const expected = b.ids.map((row, r) => {
        let sum = 0;
        for (let t = 1; t < S; t++) {
          if (!b.completion[r]![t]) continue;
          const z = logits.subarray((r * S + t - 1) * V, (r * S + t) * V);
          const max = Math.max(...z);
          sum += z[row[t]!]! - max - Math.log(z.reduce((a, x) => a + Math.exp(x - max), 0));
        }
        return sum;
      });

      const trainable = qwen2VlTrainableParts(config);
      const lp = buildQwen2VlLogProbs(config, weights, { trainable });
      expect(lp.weights.trainable.some((v) => v.name.startsWith('visual.'))).toBe(false);
      expect(lp.weights.trainable.map((v) => v.name)).toContain('model.layers.0.self_attn.q_proj.weight');
      const session = await ort.InferenceSession.create(serializeModel(lp.graph).model);
      const trainFeeds = Object.fromEntries(lp.weights.trainable.map((v) => [v.name, f32(weights.get(v.name)!)]));
      const out = await session.run({ ...feeds(b), ...trainFeeds });
      const ours = Array.from(out['logps']!.data as Float32Array);
      expect(Array.from(out['token_counts']!.data as Float32Array)).toEqual([9, 7]);
      ours.forEach((x, r) => expect(Math.abs(x - expected[r]!)).toBeLessThan(1e-4 * Math.abs(expected[r]!)));
      expect(Math.min(...expected.map(Math.abs))).toBeGreaterThan(5); // 7–9 tokens of a random model

      // The frozen tower's output cached once per image (the vision encoder graph) scores the same.
      const vision = await ort.InferenceSession.create(serializeModel(buildQwen2VlInferenceGraphs(config, weights).visionEncoder).model);
      const features = (await vision.run({ pixel_values: feeds(b)['pixel_values']!, grid_thw: feeds(b)['image_grid_thw']! }))['image_features']!;
      const byFeatures = buildQwen2VlLogProbs(config, weights, { trainable, images: 'features' });
      const s2 = await ort.InferenceSession.create(serializeModel(byFeatures.graph).model);
      const { pixel_values: _p, image_grid_thw: _g, ...textFeeds } = feeds(b);
      const out2 = await s2.run({ ...textFeeds, image_features: features, ...trainFeeds });
      Array.from(out2['logps']!.data as Float32Array).forEach((x, r) => expect(Math.abs(x - ours[r]!)).toBeLessThan(1e-5 * Math.abs(ours[r]!)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Qwen2-VL LoRA training graph', () => {
  jest.setTimeout(120_000);

  it('adapts only the language model, starts at the base model, and its gradient matches finite differences (float64)', async () => {
    const b = batch();
    const loraConfig = { rank: 2, alpha: 4, targetModules: DEFAULT_LORA_TARGETS };
    const adapters0 = initLoraWeights(weights, loraConfig, 3);
    expect([...adapters0.keys()].every((n) => n.startsWith('model.layers.'))).toBe(true);
    expect(adapters0.size).toBe(2 * 7 * config.text.num_hidden_layers);
    // float64 end to end: the frozen tower's features (float32 vision encoder, as a trainer caches them) enter as image_features.
    const vision = await ort.InferenceSession.create(serializeModel(buildQwen2VlInferenceGraphs(config, weights).visionEncoder).model);
    const { pixel_values, image_grid_thw, ...textFeeds } = feeds(b);
    const features = (await vision.run({ pixel_values: pixel_values!, grid_thw: image_grid_thw! }))['image_features']!;
    const f64 = (t: TensorData): TensorData => ({ ...t, dtype: 'float64', data: Float64Array.from(t.data as Float32Array) });
    const w64 = new Map([...weights].map(([k, t]) => [k, f64(t)]));
    const inputs = { ...textFeeds, image_features: new ort.Tensor('float64', Float64Array.from(features.data as Float32Array), features.dims) };
    const options = { dtype: 'float64' as const, images: 'features' as const };

    const g = new Graph('qwen2vl_lora');
    const s = qwen2VlLogProbs(g, config, w64, { ...options, lora: { config: loraConfig, adapters: new Map([...adapters0].map(([k, t]) => [k, f64(t)])) } });
    const total = reduceSum(s.logps, undefined, false);
    g.output(total, 'total');
    grad(g, total, s.weights.trainable).forEach((d, i) => g.output(d, `grad.${s.weights.trainable[i]!.name}`));
    const session = await ort.InferenceSession.create(serializeModel(g).model, { graphOptimizationLevel: 'basic' });
    const run = (adapters: Map<string, TensorData>) =>
      session.run({ ...inputs, ...Object.fromEntries(s.weights.trainable.map((v) => [v.name, new ort.Tensor('float64', Float64Array.from(adapters.get(v.name)!.data as Float32Array | Float64Array), adapters.get(v.name)!.shape)])) });

    const base = await ort.InferenceSession.create(serializeModel(buildQwen2VlLogProbs(config, w64, options).graph).model, { graphOptimizationLevel: 'basic' });
    const baseLogps = Array.from((await base.run(inputs))['logps']!.data as Float64Array);
    expect(Math.abs(((await run(adapters0))['total']!.data[0] as number) - (baseLogps[0]! + baseLogps[1]!))).toBeLessThan(1e-9);

    // Non-zero B matrices so A's gradient is non-zero; central differences on entries of two A matrices.
    const adapters = new Map<string, TensorData>(adapters0);
    for (const [name, t] of adapters0) if (name.includes('lora_B')) adapters.set(name, { ...t, data: (t.data as Float32Array).map((_, i) => 0.05 * Math.sin(i + name.length)) });
    const grads = await run(adapters);
    for (const [aName, index] of [
      ['model.layers.0.self_attn.q_proj.lora_A.weight', 3],
      ['model.layers.1.mlp.down_proj.lora_A.weight', 10],
    ] as const) {
      const analytic = (grads[`grad.${aName}`]!.data as Float64Array)[index]!;
      const at = async (h: number) => {
        const a = adapters.get(aName)!;
        const data = Float64Array.from(a.data as Float32Array);
        data[index]! += h;
        return (await run(new Map(adapters).set(aName, { ...a, dtype: 'float64', data })))['total']!.data[0] as number;
      };
      const h = 1e-5;
      const numeric = ((await at(h)) - (await at(-h))) / (2 * h);
      expect(Math.abs(analytic)).toBeGreaterThan(1e-4);
      expect(Math.abs(analytic - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
    }
  });
});
