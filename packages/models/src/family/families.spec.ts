import { serializeModel } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { int64Rows } from '../../test/int64-rows';
import { tinyTestConfig } from '../../test/tiny';
import { ConfigError, UnsupportedModelTypeError } from '../errors';
import { llavaFamily } from '../llava/family';
import { qwen2VlFamily } from '../qwen2-vl/family';
import { createTinyModel } from '../llava/tiny-model';
import { createTinyQwen2VlModel, tinyQwen2VlConfig } from '../qwen2-vl/tiny-model';
import { randomWeights } from '../weights/random-weights';
import { familyOf, MODEL_TYPES, modelFamily, parseModelConfig, readModelConfig } from './families';

describe('model families selected by model_type', () => {
  const { json } = tinyTestConfig();

  it('maps llava to the LLaVA family and names the supported types for any other', () => {
    expect(MODEL_TYPES).toEqual(['llava', 'qwen2_vl']);
    expect(modelFamily('llava')).toBe(llavaFamily);
    expect(modelFamily('qwen2_vl')).toBe(qwen2VlFamily);
    expect(() => modelFamily('idefics3', 'x/config.json')).toThrow(UnsupportedModelTypeError);
    expect(() => parseModelConfig({ ...json, model_type: 'idefics3' }, 'x/config.json')).toThrow(/x\/config.json: model_type "idefics3" is not supported \(supported: llava, qwen2_vl\)/);
    expect(() => parseModelConfig({ text_config: {} })).toThrow(ConfigError);
  });

  it.each([
    ['llava', json, (ids: number[]) => int64Rows([ids.map((_, i) => i)])],
    // Text-only M-RoPE positions: the same 1-D positions on all three axes.
    ['qwen2_vl', tinyQwen2VlConfig().json, (ids: number[]) => new ort.Tensor('int64', BigInt64Array.from([0, 1, 2].flatMap(() => ids.map((_, i) => BigInt(i)))), [3, 1, ids.length])],
  ] as const)('%s: reads a folder and builds a log-prob graph through the seam that runs', async (modelType, configJson, positions) => {
    const dir = mkdtempSync(join(tmpdir(), 'smart-family-'));
    try {
      writeFileSync(join(dir, 'config.json'), JSON.stringify(configJson));
      const config = readModelConfig(dir);
      const family = familyOf(config);
      expect(family.modelType).toBe(modelType);
      expect(config.model_type).toBe(modelType);
      const weights = randomWeights(family.tensorSpecs(config), { seed: 1, std: 0.1 });
      const lp = family.buildLogProbGraph(config, weights, { images: 'none' });
      const session = await ort.InferenceSession.create(serializeModel(lp.graph).model);
      const ids = [40, 41, 42, 43, 44, 45];
      const out = await session.run({
        input_ids: int64Rows([ids]),
        attention_mask: int64Rows([ids.map(() => 1)]),
        position_ids: positions(ids),
        completion_mask: int64Rows([[0, 0, 0, 1, 1, 1]]),
      });
      expect(Array.from(out['token_counts']!.data as Float32Array)).toEqual([3]);
      // Three tokens of a random model over a ~260-token vocabulary: about 3·ln 260 ≈ 16.7 nats.
      const logp = (out['logps']!.data as Float32Array)[0]!;
      expect(logp).toBeLessThan(-10);
      expect(logp).toBeGreaterThan(-25);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['llava', async (dir: string) => (await createTinyModel({ dir, seed: 2 })).checkpointDir, [1, 3, 32, 32]],
    ['qwen2_vl', async (dir: string) => (await createTinyQwen2VlModel({ dir, seed: 2 })).checkpointDir, [16, 96]],
  ] as const)("%s: a trainer's path through the seam — load, positions, log-prob graph with the default trainable parts, save, reload", async (modelType, create, pixelShape) => {
    const dir = mkdtempSync(join(tmpdir(), 'smart-family-ckpt-'));
    try {
      const checkpointDir = await create(dir);
      const family = familyOf(readModelConfig(checkpointDir));
      expect(family.modelType).toBe(modelType);
      const ckpt = await family.loadCheckpoint(checkpointDir);
      const config = ckpt.config;
      const trainable = family.trainableParts(config);
      const lp = family.buildLogProbGraph(config, ckpt.weights, { trainable });
      expect(lp.weights.trainable.length).toBeGreaterThan(0);
      expect(lp.weights.trainable.every((v) => family.tensorSpecs(config).find((t) => t.name === v.name)!.part === 'text')).toBe(true);
      // One image per row: LLaVA's 16 `<image>` tokens, or Qwen2-VL's 16×16 image (4×4 patches → 4 tokens).
      const image =
        config.model_type === 'llava'
          ? Array<number>(16).fill(config.image_token_index)
          : [config.vision_start_token_id, ...Array<number>(4).fill(config.image_token_id), config.vision_end_token_id];
      const ids = [[40, 41, ...image, 42, 43, 44, 45]];
      expect(ids[0]!.filter((t) => t === family.imageTokenId(config))).toHaveLength(modelType === 'llava' ? 16 : 4);
      const mask = [ids[0]!.map(() => 1)];
      const positions = family.positionIds(config, { inputIds: ids, attentionMask: mask, gridThw: [[1, 4, 4]] });
      expect(positions.shape).toEqual(modelType === 'llava' ? [1, ids[0]!.length] : [3, 1, ids[0]!.length]);
      const pixels = new Float32Array(pixelShape.reduce((a: number, b: number) => a * b, 1)).map((_, i) => Math.sin(i));
      const session = await ort.InferenceSession.create(serializeModel(lp.graph).model);
      const out = await session.run({
        input_ids: int64Rows(ids),
        attention_mask: int64Rows(mask),
        position_ids: new ort.Tensor('int64', positions.data, positions.shape),
        pixel_values: new ort.Tensor('float32', pixels, [...pixelShape]),
        ...(modelType === 'qwen2_vl' ? { image_grid_thw: int64Rows([[1, 4, 4]]) } : {}),
        completion_mask: int64Rows([ids[0]!.map((_, i) => (i >= ids[0]!.length - 3 ? 1 : 0))]),
        ...Object.fromEntries(lp.weights.trainable.map((v) => [v.name, new ort.Tensor('float32', ckpt.weights.get(v.name)!.data as Float32Array, v.shape as number[])])),
      });
      expect((out['logps']!.data as Float32Array)[0]).toBeLessThan(-1);
      await family.saveCheckpoint(join(dir, 'saved'), config, ckpt.weights, { files: ckpt.files });
      const again = await family.loadCheckpoint(join(dir, 'saved'));
      expect([...again.weights.keys()]).toEqual([...ckpt.weights.keys()]);
      expect(again.files.tokenizer).toEqual(ckpt.files.tokenizer);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
