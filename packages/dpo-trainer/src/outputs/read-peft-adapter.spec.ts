import type { TensorData } from '@smart/onnx-graph';
import { encodeSafetensors } from '@smart/onnx-graph';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PeftAdapterError } from '../errors';
import { writePeftAdapter } from './peft-adapter';
import { readPeftAdapter } from './read-peft-adapter';

const f32 = (shape: number[], seed: number): TensorData => ({
  dtype: 'float32',
  shape,
  data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(seed * 13 + i) / 7),
});

describe('readPeftAdapter', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'smart-peft-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const adapters = new Map<string, TensorData>();
  for (const [l, m, inD, outD] of [
    [0, 'self_attn.q_proj', 8, 8],
    [0, 'mlp.down_proj', 12, 8],
    [1, 'self_attn.q_proj', 8, 8],
  ] as const) {
    adapters.set(`language_model.model.layers.${l}.${m}.lora_A.weight`, f32([2, inD], l * 10 + inD));
    adapters.set(`language_model.model.layers.${l}.${m}.lora_B.weight`, f32([outD, 2], l * 10 + outD + 1));
  }
  const lora = { rank: 2, alpha: 4, targetModules: ['down_proj', 'q_proj'] };

  it('reads back what writePeftAdapter wrote: the same tensors, rank, alpha, targets and base model', async () => {
    await writePeftAdapter(dir, adapters, lora, 'llava-hf/llava-1.5-7b-hf');
    const back = await readPeftAdapter(dir);
    expect(back.lora).toEqual(lora);
    expect(back.baseModel).toBe('llava-hf/llava-1.5-7b-hf');
    expect([...back.adapters.keys()].sort()).toEqual([...adapters.keys()].sort());
    for (const [k, t] of adapters) expect(back.adapters.get(k)).toEqual(t);
  });

  it('accepts PEFT’s own forms: a list of target modules, adapter-named keys, rsLoRA scaling as the equivalent alpha', async () => {
    await writePeftAdapter(dir, adapters, lora, 'base');
    const config = JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8'));
    writeFileSync(join(dir, 'adapter_config.json'), JSON.stringify({ ...config, target_modules: ['q_proj', 'down_proj'], use_rslora: true, task_type: 'CAUSAL_LM', revision: null }));
    const named = new Map([...adapters].map(([k, t]) => [`base_model.model.${k.replace(/\.weight$/, '.default.weight')}`, t]));
    writeFileSync(join(dir, 'adapter_model.safetensors'), encodeSafetensors(named, { format: 'pt' }));
    const back = await readPeftAdapter(dir);
    expect(back.lora.alpha).toBeCloseTo(4 * Math.SQRT2, 12); // α/√r = (α√r)/r
    expect(back.adapters.size).toBe(adapters.size);
  });

  it.each([
    ['DoRA', { use_dora: true }, /use_dora/],
    ['rank patterns', { rank_pattern: { q_proj: 4 } }, /rank_pattern/],
    ['trained biases', { bias: 'all' }, /bias "all"/],
    ['a prompt-tuning file', { peft_type: 'PROMPT_TUNING' }, /peft_type/],
  ])('refuses %s with PeftAdapterError', async (_what, patch, reason) => {
    await writePeftAdapter(dir, adapters, lora, 'base');
    const config = JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8'));
    writeFileSync(join(dir, 'adapter_config.json'), JSON.stringify({ ...config, ...patch }));
    await expect(readPeftAdapter(dir)).rejects.toThrow(PeftAdapterError);
    await expect(readPeftAdapter(dir)).rejects.toThrow(reason);
  });

  it('refuses a module without its lora_B and a rank that disagrees with r', async () => {
    const half = new Map(adapters);
    half.delete('language_model.model.layers.1.self_attn.q_proj.lora_B.weight');
    await writePeftAdapter(dir, half, lora, 'base');
    await expect(readPeftAdapter(dir)).rejects.toThrow(/layers\.1\.self_attn\.q_proj' lacks lora_B/);
    await writePeftAdapter(dir, adapters, { ...lora, rank: 3 }, 'base');
    await expect(readPeftAdapter(dir)).rejects.toThrow(/do not have rank r = 3/);
  });
});
