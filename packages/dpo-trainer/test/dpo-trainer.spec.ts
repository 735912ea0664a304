import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { decodeSafetensors } from '@smart/onnx-graph';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDpoConfig } from '../src/config/parse-config';
import { trainDpo } from '../src/trainer/train-dpo';
import { tinySetup, type TinySetup } from './tiny-pairs';

const readRows = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, number>);

describe('trainDpo on the tiny model', () => {
  jest.setTimeout(180_000);
  let dir: string;
  let setup: TinySetup;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dpo-train-'));
    setup = await tinySetup(join(dir, 'base'), 4);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts at loss ln 2 with zero rewards, raises the margins, writes TRL-named metrics and the folders', async () => {
    const out = join(dir, 'run');
    const config = parseDpoConfig({ learning_rate: 1e-3, lr_scheduler_type: 'constant', per_device_train_batch_size: 2, gradient_accumulation_steps: 2, max_steps: 6, logging_steps: 1, max_grad_norm: 0 });
    const result = await trainDpo({ config, examples: setup.pairs, encoder: setup.encoder, modelDir: setup.model.checkpointDir, outputDir: out });
    expect(result).toMatchObject({ status: 'completed', step: 6, totalSteps: 6, resumed: false });
    const rows = readRows(join(out, 'train-metrics.jsonl'));
    expect(rows.map((r) => r['step'])).toEqual([1, 2, 3, 4, 5, 6]);
    const first = rows[0]!;
    expect(first['loss']).toBeCloseTo(Math.LN2, 5);
    for (const k of ['rewards/chosen', 'rewards/rejected', 'rewards/margins']) expect(Math.abs(first[k]!)).toBeLessThan(1e-5);
    for (const k of ['rewards/accuracies', 'logps/chosen', 'logps/rejected', 'logits/chosen', 'logits/rejected', 'grad_norm', 'learning_rate', 'epoch']) expect(first[k]).toEqual(expect.any(Number));
    expect(rows[5]!['rewards/margins']).toBeGreaterThan(rows[1]!['rewards/margins']! + 0.05);
    expect(rows[5]!['loss']).toBeLessThan(Math.LN2 - 0.02);
    expect(rows.map((r) => r['epoch'])).toEqual([1, 2, 3, 4, 5, 6]); // 2 micro-batches of 2 pairs, accumulated: one step per epoch
    expect(readdirSync(join(out, 'checkpoint'))).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json']));
    const saved = decodeSafetensors(readFileSync(join(out, 'checkpoint', 'model.safetensors'))).tensors;
    const same = (name: string) => Buffer.from((saved.get(name)!.data as Float32Array).buffer).equals(Buffer.from((setup.model.weights.get(name)!.data as Float32Array).buffer));
    expect(same('language_model.lm_head.weight')).toBe(false); // trained: language model + lm_head
    expect(same('language_model.model.layers.0.mlp.up_proj.weight')).toBe(false);
    expect(same('vision_tower.vision_model.embeddings.patch_embedding.weight')).toBe(true); // frozen by default
    expect(same('multi_modal_projector.linear_1.weight')).toBe(true);
    expect(readdirSync(join(out, 'model', 'onnx'))).toEqual(expect.arrayContaining(['decoder_model_merged.onnx', 'embed_tokens.onnx', 'vision_encoder.onnx']));
    const refs = JSON.parse(readFileSync(join(out, 'reference-logps.json'), 'utf8'));
    expect(Object.keys(refs).sort()).toEqual(['pair-0', 'pair-1', 'pair-2', 'pair-3']);
    expect(refs['pair-0'].chosen).toBeLessThan(refs['pair-0'].rejected); // the longer completion has the lower summed log-prob
    expect(refs['pair-0'].scope).toMatch(/^[0-9a-f]{64}$/); // start weights + row encoding: another loss_span recomputes
  });

  it('LoRA: trains only adapters, writes a PEFT folder, merged checkpoint on request, and the merged inference folder', async () => {
    const out = join(dir, 'lora');
    const config = parseDpoConfig({ learning_rate: 1e-2, per_device_train_batch_size: 4, max_steps: 3, logging_steps: 1, lora: { r: 2, lora_alpha: 4, target_modules: ['q_proj', 'v_proj'] } });
    const result = await trainDpo({ config, examples: setup.pairs, encoder: setup.encoder, modelDir: setup.model.checkpointDir, outputDir: out, mergeLora: true });
    expect(Object.keys(result.folders!).sort()).toEqual(['adapterDir', 'checkpointDir', 'modelDir']);
    const { tensors } = decodeSafetensors(readFileSync(join(out, 'adapter', 'adapter_model.safetensors')));
    const layers = setup.model.config.text.num_hidden_layers;
    expect(tensors.size).toBe(layers * 2 * 2);
    const b = tensors.get('base_model.model.language_model.model.layers.0.self_attn.q_proj.lora_B.weight')!;
    expect(Array.from(b.data as Float32Array).some((x) => x !== 0)).toBe(true); // B starts at 0 and trained
    const merged = decodeSafetensors(readFileSync(join(out, 'checkpoint', 'model.safetensors'))).tensors;
    const name = 'language_model.model.layers.0.self_attn.q_proj.weight';
    expect(Array.from(merged.get(name)!.data as Float32Array)).not.toEqual(Array.from(setup.model.weights.get(name)!.data as Float32Array));
    const k = 'language_model.model.layers.0.self_attn.k_proj.weight';
    expect(Array.from(merged.get(k)!.data as Float32Array)).toEqual(Array.from(setup.model.weights.get(k)!.data as Float32Array));
    const rows = readRows(join(out, 'train-metrics.jsonl'));
    expect(rows[0]!['loss']).toBeCloseTo(Math.LN2, 5);
    expect(rows[2]!['rewards/margins']).toBeGreaterThan(0);
  });

  it('precompute_ref_log_probs false (a reference forward per micro-batch) trains the same run', async () => {
    const base = { learning_rate: 1e-3, per_device_train_batch_size: 2, max_steps: 4, logging_steps: 1, seed: 9 };
    const run = async (name: string, precompute: boolean) => {
      const out = join(dir, name);
      await trainDpo({ config: parseDpoConfig({ ...base, precompute_ref_log_probs: precompute }), examples: setup.pairs, encoder: setup.encoder, modelDir: setup.model.checkpointDir, outputDir: out, inferenceFolder: false });
      return readRows(join(out, 'train-metrics.jsonl'));
    };
    const pre = await run('pre', true);
    const live = await run('live', false);
    expect(live).toHaveLength(4);
    live.forEach((row, i) => {
      // float32 sums over ~170 tokens at a different padding width: equal to float32 rounding (~1e-6 relative).
      for (const k of ['loss', 'rewards/margins', 'logps/chosen', 'grad_norm']) expect(Math.abs(row[k]! - pre[i]![k]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(pre[i]![k]!)));
    });
  });

  it('resumes when the re-run brings the stored reference log-probs on the examples (as the CLI does)', async () => {
    const out = join(dir, 'refs-resume');
    const config = parseDpoConfig({ learning_rate: 1e-3, per_device_train_batch_size: 2, max_steps: 4, save_steps: 100 });
    const ac = new AbortController();
    const common = { config, encoder: setup.encoder, modelDir: setup.model.checkpointDir, outputDir: out, inferenceFolder: false };
    const first = await trainDpo({ ...common, examples: setup.pairs, signal: ac.signal, onProgress: (p) => p.phase === 'train' && p.step === 2 && ac.abort() });
    expect(first).toMatchObject({ status: 'stopped', step: 2 });
    const stored = JSON.parse(readFileSync(join(out, 'reference-logps.json'), 'utf8')) as Record<string, { chosen: number; rejected: number }>;
    const unused = { get: () => Promise.reject(new Error('the examples carry their references')), setMany: () => Promise.reject(new Error('nothing to store')) };
    const second = await trainDpo({ ...common, examples: setup.pairs.map((p) => ({ ...p, reference: stored[p.id]! })), references: unused });
    expect(second).toMatchObject({ status: 'completed', step: 4, resumed: true });
  });
});
