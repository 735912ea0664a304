import { encodeSafetensors, narrow16, type TensorData } from '@smart/onnx-graph';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomLlavaWeights } from './random-weights';
import { tinyTestConfig } from '../../test/tiny';
import { MissingTensorError, TensorShapeError } from '../errors';
import { loadLlavaCheckpoint, saveLlavaCheckpoint } from './checkpoint';

const bytes = (t: TensorData) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);

describe('LLaVA checkpoints', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'smart-ckpt-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const { json, config } = tinyTestConfig();
  const weights = randomLlavaWeights(config, { seed: 2 });

  it('writes sharded safetensors with an index and reads them back bit-identical', async () => {
    const files = await saveLlavaCheckpoint(dir, config, weights, { maxShardBytes: 100_000 });
    expect(files).toContain('model.safetensors.index.json');
    expect(readdirSync(dir).filter((f) => f.endsWith('.safetensors')).length).toBeGreaterThan(1);
    const header = readFileSync(join(dir, files[0]!));
    expect(header.subarray(8, 8 + Number(header.readBigUInt64LE(0))).toString()).toContain('"format":"pt"');
    const loaded = await loadLlavaCheckpoint(dir);
    expect(loaded.weights.size).toBe(weights.size);
    for (const [name, t] of weights) expect(bytes(loaded.weights.get(name)!).equals(bytes(t))).toBe(true);
    expect(loaded.config.raw).toEqual(config.raw);
  });

  it('accepts the model.* layout and bf16 weights, and reports unused tensors', async () => {
    const modern = new Map<string, TensorData>();
    for (const [name, t] of weights) {
      const renamed = name
        .replace('language_model.model.', 'model.language_model.')
        .replace('language_model.lm_head.', 'lm_head.')
        .replace(/^vision_tower\./, 'model.vision_tower.')
        .replace(/^multi_modal_projector\./, 'model.multi_modal_projector.');
      modern.set(renamed, { dtype: 'bfloat16', shape: t.shape, data: narrow16(t.data as Float32Array, 'bfloat16') });
    }
    modern.set('model.vision_tower.vision_model.head.probe', { dtype: 'float32', shape: [1], data: new Float32Array([1]) });
    writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(modern));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(json));
    const loaded = await loadLlavaCheckpoint(dir);
    const w = loaded.weights.get('language_model.model.norm.weight')!;
    const orig = weights.get('language_model.model.norm.weight')!.data as Float32Array;
    expect(w.dtype).toBe('float32');
    expect(Math.abs((w.data as Float32Array)[0]! - orig[0]!)).toBeLessThan(orig[0]! * 2 ** -7); // bf16 keeps 8 bits of mantissa
    expect(loaded.unused).toEqual(['vision_tower.vision_model.head.probe']);
  });

  it('names the missing or mis-shaped tensor', async () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify(json));
    const missing = new Map(weights);
    missing.delete('language_model.model.layers.1.mlp.up_proj.weight');
    writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(missing));
    await expect(loadLlavaCheckpoint(dir)).rejects.toThrow(MissingTensorError);
    await expect(loadLlavaCheckpoint(dir)).rejects.toThrow(/'language_model.model.layers.1.mlp.up_proj.weight' is missing/);
    const wrong = new Map(weights).set('multi_modal_projector.linear_2.bias', { dtype: 'float32', shape: [3], data: new Float32Array(3) });
    writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(wrong));
    await expect(loadLlavaCheckpoint(dir)).rejects.toThrow(TensorShapeError);
    await expect(loadLlavaCheckpoint(dir)).rejects.toThrow(/linear_2.bias' has shape \[3\], expected \[64\]/);
  });
});
