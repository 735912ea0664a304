import { readRegularTextSync } from '@smart/core';
import type { LoraConfig } from '@smart/models';
import { readSafetensors, type TensorData } from '@smart/onnx-graph';
import { join } from 'node:path';
import { z } from 'zod';
import { PeftAdapterError } from '../errors';
import { toFloat32 } from './merge-lora';

/** The fields of PEFT's LoraConfig that decide what the adapter computes; others (task_type, revision, ...) are kept out. */
const adapterConfigSchema = z.looseObject({
  peft_type: z.literal('LORA'),
  r: z.number().int().positive(),
  lora_alpha: z.number().positive(),
  base_model_name_or_path: z.string().nullable().optional(),
  bias: z.enum(['none', 'all', 'lora_only']).default('none'),
  fan_in_fan_out: z.boolean().default(false),
  use_rslora: z.boolean().default(false),
  use_dora: z.boolean().default(false),
  modules_to_save: z.array(z.string()).nullable().optional(),
  rank_pattern: z.record(z.string(), z.unknown()).default({}),
  alpha_pattern: z.record(z.string(), z.unknown()).default({}),
});

/** A PEFT LoRA adapter as this trainer uses it: adapter tensors under model names, and the LoraConfig they imply. */
export interface PeftAdapter {
  lora: LoraConfig;
  /** `<module>.lora_A.weight` [r, in] and `<module>.lora_B.weight` [out, r], float32. */
  adapters: Map<string, TensorData>;
  baseModel: string;
}

/**
 * Reads a PEFT adapter folder (`adapter_config.json` + `adapter_model.safetensors`, as PEFT's `save_pretrained`
 * writes and `writePeftAdapter` writes). Target modules come from the tensors present; rsLoRA's α/√r scaling
 * is expressed as the equivalent α; DoRA, per-module rank/alpha patterns, trained biases, modules_to_save and
 * fan_in_fan_out weights are refused with PeftAdapterError rather than loaded wrong.
 */
export async function readPeftAdapter(dir: string): Promise<PeftAdapter> {
  const configFile = join(dir, 'adapter_config.json');
  let json: unknown;
  try {
    json = JSON.parse(readRegularTextSync(configFile, { maxBytes: 1 << 20 }));
  } catch (e) {
    throw new PeftAdapterError(configFile, `cannot read: ${(e as Error).message}`);
  }
  const parsed = adapterConfigSchema.safeParse(json);
  if (!parsed.success) throw new PeftAdapterError(configFile, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  const c = parsed.data;
  const refuse = (what: string) => {
    throw new PeftAdapterError(configFile, `${what} is not supported`);
  };
  if (c.use_dora) refuse('use_dora (DoRA)');
  if (Object.keys(c.rank_pattern).length > 0 || Object.keys(c.alpha_pattern).length > 0) refuse('rank_pattern / alpha_pattern');
  if (c.bias !== 'none') refuse(`bias "${c.bias}"`);
  if (c.modules_to_save && c.modules_to_save.length > 0) refuse('modules_to_save');
  if (c.fan_in_fan_out) refuse('fan_in_fan_out');

  const weightsFile = join(dir, 'adapter_model.safetensors');
  let tensors: Map<string, TensorData>;
  try {
    tensors = (await readSafetensors(weightsFile)).tensors;
  } catch (e) {
    throw new PeftAdapterError(weightsFile, `cannot read: ${(e as Error).message}`);
  }
  const adapters = new Map<string, TensorData>();
  for (const [name, t] of toFloat32(tensors)) {
    // PEFT saves `base_model.model.<module>.lora_{A,B}.weight`; an adapter-named key (`.lora_A.default.weight`) is accepted too.
    const m = /^base_model\.model\.(.+)\.(lora_[AB])(?:\.[^.]+)?\.weight$/.exec(name);
    if (!m) throw new PeftAdapterError(weightsFile, `tensor '${name}' is not a PEFT LoRA weight (base_model.model.<module>.lora_A/B.weight)`);
    adapters.set(`${m[1]}.${m[2]}.weight`, t);
  }
  const modules = new Set([...adapters.keys()].map((k) => k.replace(/\.lora_[AB]\.weight$/, '')));
  if (modules.size === 0) throw new PeftAdapterError(weightsFile, 'holds no LoRA weights');
  for (const module of modules) {
    const a = adapters.get(`${module}.lora_A.weight`);
    const b = adapters.get(`${module}.lora_B.weight`);
    if (!a || !b) throw new PeftAdapterError(weightsFile, `module '${module}' lacks lora_${a ? 'B' : 'A'}`);
    if (a.shape.length !== 2 || b.shape.length !== 2 || a.shape[0] !== c.r || b.shape[1] !== c.r) {
      throw new PeftAdapterError(weightsFile, `module '${module}': lora_A [${a.shape}] / lora_B [${b.shape}] do not have rank r = ${c.r}`);
    }
  }
  const targetModules = [...new Set([...modules].map((m) => m.slice(m.lastIndexOf('.') + 1)))].sort();
  // Our scale is α/r; rsLoRA's is α/√r, the same as α·√r over r.
  const alpha = c.use_rslora ? c.lora_alpha * Math.sqrt(c.r) : c.lora_alpha;
  return { lora: { rank: c.r, alpha, targetModules }, adapters, baseModel: c.base_model_name_or_path ?? '' };
}
