import { bfloat16ToFloat32, encodeSafetensors, float32ToBfloat16, readSafetensors, type TensorData } from '@smart/onnx-graph';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPythonOutput, torchAvailable } from '../../../../tools/jest/python-oracle';
import { loadQwen2VlCheckpoint, saveQwen2VlCheckpoint } from './checkpoint';
import { randomQwen2VlWeights } from './random-weights';
import { tinyQwen2VlConfig } from './tiny-model';

const oracle = join(__dirname, '..', '..', 'test', 'oracle', 'cast_reference.py');
const bytes = (t: TensorData) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);

describe('Qwen2-VL checkpoints in float32 / bfloat16, sharded', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'smart-qwen-ckpt-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const { config } = tinyQwen2VlConfig();
  const weights = randomQwen2VlWeights(config, { seed: 3 });
  const safetensors = () => readdirSync(dir).filter((f) => f.endsWith('.safetensors')).sort();

  it('float32 by default: one model.safetensors (5 GB shards) that reads back bit-identical', async () => {
    const files = await saveQwen2VlCheckpoint(dir, config, weights);
    expect(safetensors()).toEqual(['model.safetensors']);
    expect(files).not.toContain('model.safetensors.index.json');
    const loaded = await loadQwen2VlCheckpoint(dir);
    expect(loaded.weights.size).toBe(weights.size);
    for (const [name, t] of weights) expect(bytes(loaded.weights.get(name)!).equals(bytes(t))).toBe(true);
  });

  it('bfloat16 in small shards: an index names every tensor, each shard holds BF16 only, config says bfloat16, and it reads back as the bf16-rounded fp32 weights', async () => {
    const files = await saveQwen2VlCheckpoint(dir, config, weights, { dtype: 'bfloat16', maxShardBytes: 60_000 });
    expect(files).toContain('model.safetensors.index.json');
    const shards = safetensors();
    expect(shards.length).toBeGreaterThan(2);
    expect(shards[0]).toBe(`model-00001-of-${String(shards.length).padStart(5, '0')}.safetensors`);
    const index = JSON.parse(readFileSync(join(dir, 'model.safetensors.index.json'), 'utf8')) as { weight_map: Record<string, string> };
    expect(Object.keys(index.weight_map).sort()).toEqual([...weights.keys()].sort());
    for (const shard of shards) {
      const { tensors } = await readSafetensors(join(dir, shard));
      expect(new Set([...tensors.values()].map((t) => t.dtype))).toEqual(new Set(['bfloat16']));
    }
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).torch_dtype).toBe('bfloat16');
    const loaded = await loadQwen2VlCheckpoint(dir);
    expect(loaded.weights.size).toBe(weights.size);
    let changed = 0;
    for (const [name, t] of weights) {
      const want = Float32Array.from(t.data as Float32Array, (x) => bfloat16ToFloat32(float32ToBfloat16(x)));
      const got = loaded.weights.get(name)!;
      expect(got.dtype).toBe('float32');
      expect(got.shape).toEqual(t.shape);
      expect(Buffer.from(want.buffer).equals(bytes(got))).toBe(true);
      changed += want.some((x, i) => x !== (t.data as Float32Array)[i]) ? 1 : 0;
    }
    expect(changed).toBeGreaterThan(weights.size / 2); // rounding really happened
  });

  (torchAvailable() ? it : it.skip)('the sharded bfloat16 bits equal PyTorch’s .to(torch.bfloat16) of the float32 weights, tensor by tensor', async () => {
    const source = join(dir, 'float32.safetensors');
    writeFileSync(source, encodeSafetensors(new Map<string, TensorData>(weights)));
    const out = join(dir, 'out');
    await saveQwen2VlCheckpoint(out, config, weights, { dtype: 'bfloat16', maxShardBytes: 60_000 });
    const r = runPythonOutput({ script: oracle, args: [source, join(out, 'model.safetensors.index.json'), 'bfloat16'], timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as { tensors: number; elements: number; mismatched: string[] };
    expect(report.tensors).toBe(weights.size);
    expect(report.mismatched).toEqual([]);
  });
});
