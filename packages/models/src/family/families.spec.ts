import { serializeModel } from '@smart/onnx-graph';
import * as ort from 'onnxruntime-node';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { int64Rows } from '../../test/int64-rows';
import { tinyTestConfig } from '../../test/tiny';
import { ConfigError, UnsupportedModelTypeError } from '../errors';
import { llavaFamily } from '../llava/family';
import { randomLlavaWeights } from '../llava/random-weights';
import { familyOf, MODEL_TYPES, modelFamily, parseModelConfig, readModelConfig } from './families';

describe('model families selected by model_type', () => {
  const { json } = tinyTestConfig();

  it('maps llava to the LLaVA family and names the supported types for any other', () => {
    expect(MODEL_TYPES).toEqual(['llava']);
    expect(modelFamily('llava')).toBe(llavaFamily);
    expect(() => modelFamily('qwen2_vl', 'x/config.json')).toThrow(UnsupportedModelTypeError);
    expect(() => parseModelConfig({ ...json, model_type: 'qwen2_vl' }, 'x/config.json')).toThrow(/x\/config.json: model_type "qwen2_vl" is not supported \(supported: llava\)/);
    expect(() => parseModelConfig({ text_config: {} })).toThrow(ConfigError);
  });

  it('reads a folder and builds a log-prob graph through the seam that runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smart-family-'));
    try {
      writeFileSync(join(dir, 'config.json'), JSON.stringify(json));
      const config = readModelConfig(dir);
      const family = familyOf(config);
      expect(family.modelType).toBe('llava');
      const weights = randomLlavaWeights(config, { seed: 1, std: 0.1 });
      expect(family.tensorSpecs(config).map((s) => s.name)).toEqual([...weights.keys()]);
      const lp = family.buildLogProbGraph(config, weights, { images: 'none' });
      const session = await ort.InferenceSession.create(serializeModel(lp.graph).model);
      const ids = [40, 41, 42, 43, 44, 45];
      const out = await session.run({
        input_ids: int64Rows([ids]),
        attention_mask: int64Rows([ids.map(() => 1)]),
        position_ids: int64Rows([ids.map((_, i) => i)]),
        completion_mask: int64Rows([[0, 0, 0, 1, 1, 1]]),
      });
      expect(Array.from(out['token_counts']!.data as Float32Array)).toEqual([3]);
      // Three tokens of a random model over a 260-token vocabulary: about 3·ln 260 ≈ 16.7 nats.
      const logp = (out['logps']!.data as Float32Array)[0]!;
      expect(logp).toBeLessThan(-10);
      expect(logp).toBeGreaterThan(-25);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
