import { AutoProcessor, env, Qwen2VLForConditionalGeneration, RawImage } from '@huggingface/transformers';
import { serializeModel, writeSafetensorsFolder } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { int64Rows } from '../../test/int64-rows';
import { loadQwen2VlCheckpoint } from './checkpoint';
import { buildQwen2VlForward } from './forward';
import { qwen2VlRopeIndex } from './rope-index';
import { createTinyQwen2VlModel, type TinyQwen2VlModel } from './tiny-model';

env.allowRemoteModels = false;
env.useFSCache = false;

/** Greedy decoding with our full-sequence graph (no cache, positions recomputed by the rope index each step). */
async function greedyFullForward(model: TinyQwen2VlModel, promptIds: number[], pixels: Float32Array, gridThw: number[][], steps: number): Promise<number[]> {
  const session = await ort.InferenceSession.create(serializeModel(buildQwen2VlForward(model.config, model.weights).graph).model);
  const ids = [...promptIds];
  const V = model.config.text.vocab_size;
  for (let s = 0; s < steps; s++) {
    const rope = qwen2VlRopeIndex(model.config, [ids], gridThw);
    const out = await session.run({
      input_ids: int64Rows([ids]),
      attention_mask: int64Rows([ids.map(() => 1)]),
      position_ids: new ort.Tensor('int64', rope.positionIds, rope.shape),
      pixel_values: new ort.Tensor('float32', pixels, [pixels.length / model.config.vision.patch_dim, model.config.vision.patch_dim]),
      image_grid_thw: int64Rows(gridThw),
    });
    const logits = (out['logits']!.data as Float32Array).subarray((ids.length - 1) * V, ids.length * V);
    let best = 0;
    for (let v = 1; v < V; v++) if (logits[v]! > logits[best]!) best = v;
    ids.push(best);
    if (best === model.eosTokenId) break;
  }
  await session.release();
  return ids.slice(promptIds.length);
}

describe('createTinyQwen2VlModel', () => {
  jest.setTimeout(120_000);
  let dir: string;
  let model: TinyQwen2VlModel;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smart-tiny-qwen2vl-'));
    model = await createTinyQwen2VlModel({ dir, seed: 7 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes an HF checkpoint in the published layout that loads back bit for bit', async () => {
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json', 'chat_template.json']) {
      expect(existsSync(join(model.checkpointDir, f))).toBe(true);
    }
    const loaded = await loadQwen2VlCheckpoint(model.checkpointDir);
    expect(loaded.unused).toEqual([]);
    expect([...loaded.weights.keys()].sort()).toEqual([...model.weights.keys()].sort());
    for (const name of ['visual.patch_embed.proj.weight', 'visual.merger.mlp.2.bias', 'model.layers.1.self_attn.k_proj.bias', 'lm_head.weight']) {
      expect(Buffer.from((loaded.weights.get(name)!.data as Float32Array).buffer).equals(Buffer.from((model.weights.get(name)!.data as Float32Array).buffer))).toBe(true);
    }
    const pre = JSON.parse(readFileSync(join(model.modelDir, 'preprocessor_config.json'), 'utf8'));
    expect(pre).toMatchObject({ image_processor_type: 'Qwen2VLImageProcessor', min_pixels: 64, max_pixels: 1024, do_resize: true, do_normalize: true, merge_size: 2 });
  });

  it('loads the transformers ≥ 4.52 layout (model.language_model.*, model.visual.*) from sharded safetensors under the published names', async () => {
    const modern = join(dir, 'modern');
    const renamed = new Map([...model.weights].map(([k, t]) => [k.startsWith('visual.') ? `model.${k}` : k.startsWith('model.') ? `model.language_model.${k.slice(6)}` : k, t]));
    await writeSafetensorsFolder(modern, renamed, { maxShardBytes: 200_000 });
    writeFileSync(join(modern, 'config.json'), JSON.stringify(model.json));
    expect(existsSync(join(modern, 'model.safetensors.index.json'))).toBe(true);
    const loaded = await loadQwen2VlCheckpoint(modern);
    expect([...loaded.weights.keys()].sort()).toEqual([...model.weights.keys()].sort());
  });

  it('is loaded by transformers.js 4.3.1 (qwen2_vl) from the local folder and generates what our full forward predicts', async () => {
    const processor = await AutoProcessor.from_pretrained(model.modelDir);
    const lm = await Qwen2VLForConditionalGeneration.from_pretrained(model.modelDir, { dtype: 'fp32', device: 'cpu' });
    const text = processor.apply_chat_template([{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: 'How many squares?' }] }], {
      add_generation_prompt: true,
    }) as string;
    // 24×16 pixels: already on the 8-pixel grid inside [64, 1024] pixels, so 6×4 patches → 6 image tokens.
    const image = new RawImage(new Uint8ClampedArray(24 * 16 * 3).map((_, i) => (i * 37) % 256), 24, 16, 3);
    const inputs = await processor(text, image);
    expect(inputs.pixel_values.dims).toEqual([24, model.config.vision.patch_dim]);
    const gridThw = [Array.from(inputs.image_grid_thw.data as BigInt64Array, Number)];
    expect(gridThw).toEqual([[1, 4, 6]]);
    const promptIds = Array.from(inputs.input_ids.data as BigInt64Array, Number);
    expect(promptIds.filter((t) => t === model.imageTokenId)).toHaveLength(6);
    const out = await lm.generate({ ...inputs, max_new_tokens: 8, do_sample: false });
    const generated = Array.from((out as { data: BigInt64Array }).data, Number).slice(promptIds.length);
    await lm.dispose();
    const ours = await greedyFullForward(model, promptIds, inputs.pixel_values.data as Float32Array, gridThw, generated.length);
    expect(generated.length).toBeGreaterThan(2);
    expect(generated).toEqual(ours);
  });
});
