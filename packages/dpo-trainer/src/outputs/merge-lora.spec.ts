import { buildLlavaForward, createTinyModel, initLoraWeights, type TinyModel } from '@smart/models';
import { decodeSafetensors, serializeModel, type TensorData } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeLora } from './merge-lora';
import { writePeftAdapter } from './peft-adapter';

const lora = { rank: 2, alpha: 8, targetModules: ['q_proj', 'down_proj'] };

describe('LoRA outputs', () => {
  jest.setTimeout(60_000);
  let dir: string;
  let model: TinyModel;
  let adapters: Map<string, TensorData>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dpo-lora-'));
    model = await createTinyModel({ dir, seed: 3 });
    adapters = initLoraWeights(model.weights, lora, 1);
    // Trained-looking adapters: B ≠ 0, so the merge changes the weights.
    for (const [k, t] of adapters) if (k.endsWith('lora_B.weight')) (t.data as Float32Array).forEach((_, i, a) => (a[i] = Math.sin(i + k.length) * 0.05));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('folds (alpha / r)·B·A into W, element for element', () => {
    const merged = mergeLora(model.weights, adapters, lora);
    const name = 'language_model.model.layers.0.self_attn.q_proj';
    const [w, a, b, m] = [model.weights.get(`${name}.weight`)!, adapters.get(`${name}.lora_A.weight`)!, adapters.get(`${name}.lora_B.weight`)!, merged.get(`${name}.weight`)!];
    const [inDim] = [w.shape[1]!];
    const expected = (o: number, i: number) => (w.data[o * inDim + i] as number) + 4 * ((b.data[o * 2] as number) * (a.data[i] as number) + (b.data[o * 2 + 1] as number) * (a.data[inDim + i] as number));
    expect(m.data[3 * inDim + 5]).toBeCloseTo(expected(3, 5), 6);
    expect(merged.get('language_model.model.layers.0.self_attn.k_proj.weight')).toBe(model.weights.get('language_model.model.layers.0.self_attn.k_proj.weight'));
  });

  it('merged weights give the logits of the adapted model', async () => {
    const ids = [5, 9, 12, 40, 7, 3];
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      attention_mask: new ort.Tensor('int64', BigInt64Array.from(ids, () => 1n), [1, ids.length]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from(ids, (_, i) => BigInt(i)), [1, ids.length]),
    };
    const adapted = buildLlavaForward(model.config, model.weights, { images: 'none', lora: { config: lora, adapters } });
    const withAdapters = await ort.InferenceSession.create(serializeModel(adapted.graph).model);
    const adapterFeeds = Object.fromEntries(adapted.trainable.map((v) => [v.name, new ort.Tensor('float32', adapters.get(v.name)!.data as Float32Array, adapters.get(v.name)!.shape)]));
    const a = (await withAdapters.run({ ...feeds, ...adapterFeeds }))['logits']!.data as Float32Array;
    const plain = await ort.InferenceSession.create(serializeModel(buildLlavaForward(model.config, mergeLora(model.weights, adapters, lora), { images: 'none' }).graph).model);
    const m = (await plain.run(feeds))['logits']!.data as Float32Array;
    const base = await ort.InferenceSession.create(serializeModel(buildLlavaForward(model.config, model.weights, { images: 'none' }).graph).model);
    const b = (await base.run(feeds))['logits']!.data as Float32Array;
    const maxDiff = (x: Float32Array, y: Float32Array) => x.reduce((d, v, i) => Math.max(d, Math.abs(v - y[i]!)), 0);
    expect(maxDiff(a, m)).toBeLessThan(1e-4);
    expect(maxDiff(a, b)).toBeGreaterThan(1e-3); // the adapters do change the model
  });

  it('writes a PEFT adapter folder with PEFT tensor names and a language-model-only target regex', async () => {
    const out = join(dir, 'adapter');
    await writePeftAdapter(out, adapters, lora, '/base');
    const config = JSON.parse(readFileSync(join(out, 'adapter_config.json'), 'utf8'));
    expect(config).toMatchObject({ peft_type: 'LORA', r: 2, lora_alpha: 8, base_model_name_or_path: '/base', bias: 'none' });
    const re = new RegExp(`^(?:${config.target_modules})$`);
    expect(re.test('language_model.model.layers.1.mlp.down_proj')).toBe(true);
    expect(re.test('vision_tower.vision_model.encoder.layers.0.self_attn.q_proj')).toBe(false);
    const { tensors, metadata } = decodeSafetensors(readFileSync(join(out, 'adapter_model.safetensors')));
    expect(metadata).toEqual({ format: 'pt' });
    expect([...tensors.keys()]).toContain('base_model.model.language_model.model.layers.0.self_attn.q_proj.lora_A.weight');
    expect(tensors.size).toBe(adapters.size);
  });
});
