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
import { tinyQwen2VlConfig } from '../qwen2-vl/tiny-model';
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
});
