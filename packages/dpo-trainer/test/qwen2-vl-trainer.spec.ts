import { AutoProcessor, env, Qwen2VLForConditionalGeneration, RawImage } from '@huggingface/transformers';
import { buildQwen2VlLogProbs, loadQwen2VlCheckpoint, qwen2VlRopeIndex, qwen2VlTensorSpecs } from '@smart/models';
import { decodeSafetensors, serializeModel } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collatePairs, collateSft } from '../src/collate/collate-batch';
import { encodePair, encodeSftExample } from '../src/collate/encode-examples';
import { parseDpoConfig, parseSftConfig } from '../src/config/parse-config';
import { limitsOf } from '../src/trainer/run-options';
import { trainDpo } from '../src/trainer/train-dpo';
import { trainSft } from '../src/trainer/train-sft';
import { qwen2VlGreedy } from './qwen2-vl-greedy';
import { tinyQwen2VlSetup, type TinyQwen2VlSetup } from './qwen2-vl-setup';

env.allowRemoteModels = false;
env.useFSCache = false;

const readRows = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, number>);
const bytes = (t: { data: unknown }) => Buffer.from((t.data as Float32Array).buffer);

describe('dpo-trainer on a tiny Qwen2-VL (through the models family seam)', () => {
  jest.setTimeout(180_000);
  let dir: string;
  let setup: TinyQwen2VlSetup;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dpo-qwen2vl-'));
    setup = await tinyQwen2VlSetup(join(dir, 'base'), 4);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('collates images of different sizes along the patch axis with one grid row each, [3, rows, S] positions', async () => {
    const limits = limitsOf(parseDpoConfig({}), setup.model.imageTokenId);
    const pairs = await Promise.all(setup.pairs.slice(0, 2).map((p) => encodePair(setup.encoder, p, limits)));
    const b = collatePairs(pairs, null, setup.model.padTokenId);
    // Chosen rows then rejected rows, each with its pair's image: 24×16 (6×4 patches) and 16×16 (4×4).
    expect(b.imageGridThw).toEqual([
      [1, 4, 6],
      [1, 4, 4],
      [1, 4, 6],
      [1, 4, 4],
    ]);
    expect(b.pixelShape).toEqual([24 + 16 + 24 + 16, setup.model.config.vision.patch_dim]);
    expect(b.rows).toBe(4);
  });

  it('DPO: step 0 at loss ln 2 with zero rewards, margins rise; checkpoint and transformers.js folder that loads and generates', async () => {
    const out = join(dir, 'dpo');
    const config = parseDpoConfig({ learning_rate: 1e-3, lr_scheduler_type: 'constant', per_device_train_batch_size: 2, gradient_accumulation_steps: 2, max_steps: 6, logging_steps: 1, max_grad_norm: 0 });
    const result = await trainDpo({ config, examples: setup.pairs, encoder: setup.encoder, modelDir: setup.model.checkpointDir, outputDir: out });
    expect(result).toMatchObject({ status: 'completed', step: 6 });
    const rows = readRows(join(out, 'train-metrics.jsonl'));
    expect(rows[0]!['loss']).toBeCloseTo(Math.LN2, 5);
    for (const k of ['rewards/chosen', 'rewards/rejected', 'rewards/margins']) expect(Math.abs(rows[0]![k]!)).toBeLessThan(1e-5);
    expect(rows[5]!['rewards/margins']).toBeGreaterThan(rows[1]!['rewards/margins']! + 0.05);
    expect(rows[5]!['rewards/margins']).toBeGreaterThan(0);
    expect(rows[5]!['loss']).toBeLessThan(Math.LN2 - 0.02);

    // The HF checkpoint: Qwen2-VL's names, text trained, ViT and merger frozen by default.
    const ckptDir = join(out, 'checkpoint');
    expect(JSON.parse(readFileSync(join(ckptDir, 'config.json'), 'utf8'))).toMatchObject({ model_type: 'qwen2_vl', architectures: ['Qwen2VLForConditionalGeneration'] });
    const trained = await loadQwen2VlCheckpoint(ckptDir);
    expect(trained.unused).toEqual([]);
    const same = (name: string) => bytes(trained.weights.get(name)!).equals(bytes(setup.model.weights.get(name)!));
    expect(same('lm_head.weight')).toBe(false);
    expect(same('model.layers.1.mlp.up_proj.weight')).toBe(false);
    expect(same('visual.patch_embed.proj.weight')).toBe(true);
    expect(same('visual.merger.mlp.0.weight')).toBe(true);
    expect(readdirSync(join(out, 'model', 'onnx'))).toEqual(expect.arrayContaining(['decoder_model_merged.onnx', 'embed_tokens.onnx', 'vision_encoder.onnx']));

    // transformers.js 4.3.1 loads the exported folder and generates what models' full forward of the trained weights predicts.
    const modelDir = join(out, 'model');
    const processor = await AutoProcessor.from_pretrained(modelDir);
    const lm = await Qwen2VLForConditionalGeneration.from_pretrained(modelDir, { dtype: 'fp32', device: 'cpu' });
    const text = processor.apply_chat_template([{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: setup.pairs[0]!.prompt }] }], { add_generation_prompt: true }) as string;
    const image = setup.pairs[0]!.image as { width: number; height: number; data: Uint8Array };
    const inputs = await processor(text, new RawImage(image.data, image.width, image.height, 3));
    const promptIds = Array.from(inputs.input_ids.data as BigInt64Array, Number);
    const generated = Array.from(((await lm.generate({ ...inputs, max_new_tokens: 8, do_sample: false })) as { data: BigInt64Array }).data, Number).slice(promptIds.length);
    await lm.dispose();
    const gridThw = [Array.from(inputs.image_grid_thw.data as BigInt64Array, Number)];
    const ours = await qwen2VlGreedy(trained.config, trained.weights, { ids: promptIds, pixels: inputs.pixel_values.data as Float32Array, gridThw }, generated.length, setup.model.eosTokenId);
    expect(generated.length).toBeGreaterThan(2);
    expect(generated).toEqual(ours);
    const before = await qwen2VlGreedy(setup.model.config, setup.model.weights, { ids: promptIds, pixels: inputs.pixel_values.data as Float32Array, gridThw }, generated.length, setup.model.eosTokenId);
    expect(before).not.toEqual(ours); // the folder holds the trained weights, not the start model's
  });

  it('SFT: step 1 logs the start model’s completion token-mean NLL (models’ log-prob graph on the same rows), then lowers it', async () => {
    const config = parseSftConfig({ learning_rate: 3e-3, lr_scheduler_type: 'constant', per_device_train_batch_size: 4, max_steps: 8, logging_steps: 1 });
    const out = join(dir, 'sft');
    const result = await trainSft({ config, examples: setup.sft, encoder: setup.encoder, modelDir: setup.model.checkpointDir, outputDir: out, inferenceFolder: false });
    expect(result).toMatchObject({ status: 'completed', step: 8 });
    const rows = readRows(join(out, 'train-metrics.jsonl'));

    const encoded = await Promise.all(setup.sft.map((e) => encodeSftExample(setup.encoder, e, limitsOf(config, setup.model.imageTokenId))));
    const b = collateSft(encoded, setup.model.padTokenId);
    const rowsOf = (a: BigInt64Array) => Array.from({ length: b.rows }, (_, r) => Array.from(a.subarray(r * b.seqLen, (r + 1) * b.seqLen), Number));
    const rope = qwen2VlRopeIndex(setup.model.config, rowsOf(b.inputIds), b.imageGridThw!, rowsOf(b.attentionMask));
    const session = await ort.InferenceSession.create(serializeModel(buildQwen2VlLogProbs(setup.model.config, setup.model.weights).graph).model);
    const shape = [b.rows, b.seqLen];
    const lp = await session.run({
      input_ids: new ort.Tensor('int64', b.inputIds, shape),
      attention_mask: new ort.Tensor('int64', b.attentionMask, shape),
      position_ids: new ort.Tensor('int64', rope.positionIds, rope.shape),
      completion_mask: new ort.Tensor('int64', b.completionMask, shape),
      pixel_values: new ort.Tensor('float32', b.pixelValues as Float32Array, b.pixelShape!),
      image_grid_thw: new ort.Tensor('int64', BigInt64Array.from(b.imageGridThw!.flat(), BigInt), [b.imageGridThw!.length, 3]),
    });
    const sum = (t: ort.Tensor) => Array.from(t.data as Float32Array).reduce((a, x) => a + x, 0);
    expect(rows[0]!['loss']).toBeCloseTo(-sum(lp['logps']!) / sum(lp['token_counts']!), 4);
    expect(rows[7]!['loss']).toBeLessThan(rows[0]!['loss']! * 0.8);
  });

  it('LoRA: adapters on model.layers.* only, a PEFT adapter whose target_modules matches exactly the adapted modules', async () => {
    const out = join(dir, 'lora');
    const config = parseDpoConfig({ learning_rate: 1e-2, per_device_train_batch_size: 4, max_steps: 3, logging_steps: 1, lora: { r: 2, lora_alpha: 4, target_modules: ['q_proj', 'v_proj', 'fc1'] } });
    const result = await trainDpo({ config, examples: setup.pairs, encoder: setup.encoder, modelDir: setup.model.checkpointDir, outputDir: out, inferenceFolder: false });
    expect(Object.keys(result.folders!).sort()).toEqual(['adapterDir']);
    const rows = readRows(join(out, 'train-metrics.jsonl'));
    expect(rows[0]!['loss']).toBeCloseTo(Math.LN2, 5);
    expect(rows[2]!['rewards/margins']).toBeGreaterThan(0);

    const { tensors } = decodeSafetensors(readFileSync(join(out, 'adapter', 'adapter_model.safetensors')));
    const modules = new Set([...tensors.keys()].map((k) => k.replace(/^base_model\.model\./, '').replace(/\.lora_[AB]\.weight$/, '')));
    const layers = setup.model.config.text.num_hidden_layers;
    expect([...modules].sort()).toEqual(Array.from({ length: layers }, (_, i) => [`model.layers.${i}.self_attn.q_proj`, `model.layers.${i}.self_attn.v_proj`]).flat().sort());
    expect(Array.from(tensors.get('base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight')!.data as Float32Array).some((x) => x !== 0)).toBe(true);

    const adapterConfig = JSON.parse(readFileSync(join(out, 'adapter', 'adapter_config.json'), 'utf8')) as { target_modules: string };
    expect(adapterConfig.target_modules).toBe('model\\.layers\\..*\\.(q_proj|v_proj|fc1)');
    // PEFT re.fullmatch over every linear module of the model: the adapted ones match, the ViT's fc1 does not.
    const re = new RegExp(`^(?:${adapterConfig.target_modules})$`);
    const linear = qwen2VlTensorSpecs(setup.model.config)
      .filter((s) => s.name.endsWith('.weight') && s.shape.length === 2)
      .map((s) => s.name.slice(0, -'.weight'.length));
    expect(linear.some((m) => m.startsWith('visual.') && m.endsWith('.fc1'))).toBe(true);
    expect(linear.filter((m) => re.test(m)).sort()).toEqual([...modules].sort());
  });
});
