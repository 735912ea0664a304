import { encodeSafetensors, readSafetensors, type TensorData } from '@smart/onnx-graph';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPythonOutput, torchAvailable } from '../../../../tools/jest/python-oracle';
import { tinyTestConfig } from '../../test/tiny';
import { DEFAULT_MAX_SHARD_BYTES } from '../weights/checkpoint-folder';
import { loadLlavaCheckpoint, saveLlavaCheckpoint } from './checkpoint';
import { randomLlavaWeights } from './random-weights';

const oracle = join(__dirname, '..', '..', 'test', 'oracle', 'cast_reference.py');

describe('LLaVA checkpoints in float16 / bfloat16', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'smart-ckpt-dtype-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const { config } = tinyTestConfig();
  const weights = randomLlavaWeights(config, { seed: 5 });
  // Values where narrowing is delicate: float16 overflow, subnormals and ties; bfloat16 near its maximum.
  const edge = [65504, 65520, 1e5, 6e-8, 1e-8, 3.0e-8, -0, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 3.0e38, 3.4e38, -1.00390625, 1.00390625];
  const first = [...weights.keys()].find((n) => weights.get(n)!.data.length > edge.length)!;
  (weights.get(first)!.data as Float32Array).set(edge);

  it('the default shard size is HF’s 5 GB, so a small model is one model.safetensors', async () => {
    expect(DEFAULT_MAX_SHARD_BYTES).toBe(5e9);
    const files = await saveLlavaCheckpoint(dir, config, weights);
    expect(files.filter((f) => f.endsWith('.safetensors'))).toEqual(['model.safetensors']);
  });

  it.each(['float16', 'bfloat16'] as const)('%s: every float tensor is written narrowed, config says so, and it loads back widened', async (dtype) => {
    await saveLlavaCheckpoint(dir, config, weights, { dtype });
    const raw = await readSafetensors(join(dir, 'model.safetensors'));
    expect(new Set([...raw.tensors.values()].map((t) => t.dtype))).toEqual(new Set([dtype]));
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).torch_dtype).toBe(dtype);
    const loaded = await loadLlavaCheckpoint(dir);
    const w = loaded.weights.get(first)!.data as Float32Array;
    if (dtype === 'float16') expect([...w.subarray(0, 6)]).toEqual([65504, Infinity, Infinity, 5.960464477539063e-8, 0, 5.960464477539063e-8]);
    else expect(w[10]).toBe(Infinity); // 3.4e38 rounds past bfloat16's maximum
    const a = weights.get(first)!.data as Float32Array;
    let worst = 0;
    for (let i = edge.length; i < a.length; i++) worst = Math.max(worst, Math.abs(w[i]! - a[i]!) / Math.max(Math.abs(a[i]!), 1e-3));
    expect(worst).toBeLessThan(dtype === 'float16' ? 2 ** -10 : 2 ** -7);
  });

  (torchAvailable() ? it.each(['float16', 'bfloat16'] as const) : it.skip.each(['float16', 'bfloat16'] as const))(
    '%s bits equal PyTorch’s .to(dtype) of the float32 weights, tensor by tensor',
    async (dtype) => {
      const source = join(dir, 'float32.safetensors');
      writeFileSync(source, encodeSafetensors(new Map<string, TensorData>(weights)));
      const out = join(dir, 'out');
      await saveLlavaCheckpoint(out, config, weights, { dtype });
      expect(readdirSync(out)).toContain('model.safetensors');
      const r = runPythonOutput({ script: oracle, args: [source, join(out, 'model.safetensors'), dtype], timeoutMs: 120_000 });
      expect(r.stderr).toBe('');
      const report = JSON.parse(r.stdout) as { tensors: number; elements: number; mismatched: string[] };
      expect(report.tensors).toBe(weights.size);
      expect(report.mismatched).toEqual([]);
    },
  );
});
