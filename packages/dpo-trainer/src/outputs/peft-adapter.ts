import { writeFileAtomic, writeJsonAtomic } from '@smart/core';
import type { LoraConfig } from '@smart/models';
import { encodeSafetensors, type TensorData } from '@smart/onnx-graph';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { toFloat32 } from './merge-lora';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * PEFT's adapter_config.json for our adapters. `target_modules` is a regex over module names (PEFT matches a
 * string with re.fullmatch), so only the language model's layers are adapted, as here, not the vision tower's.
 */
export function peftAdapterConfig(lora: LoraConfig, baseModel: string): Record<string, unknown> {
  return {
    peft_type: 'LORA',
    task_type: null,
    base_model_name_or_path: baseModel,
    r: lora.rank,
    lora_alpha: lora.alpha,
    lora_dropout: 0,
    target_modules: `language_model\\..*\\.(${lora.targetModules.map(escape).join('|')})`,
    bias: 'none',
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    use_rslora: false,
    use_dora: false,
    modules_to_save: null,
    layers_to_transform: null,
    layers_pattern: null,
    rank_pattern: {},
    alpha_pattern: {},
  };
}

/**
 * Writes a PEFT adapter folder (adapter_config.json + adapter_model.safetensors) that `PeftModel.from_pretrained`
 * loads onto the base checkpoint: tensor names `base_model.model.<module>.lora_{A,B}.weight`.
 */
export async function writePeftAdapter(dir: string, adapters: ReadonlyMap<string, TensorData>, lora: LoraConfig, baseModel: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const named = new Map<string, TensorData>();
  for (const [name, t] of toFloat32(adapters)) named.set(`base_model.model.${name}`, t);
  await writeFileAtomic(join(dir, 'adapter_model.safetensors'), encodeSafetensors(named, { format: 'pt' }));
  await writeJsonAtomic(join(dir, 'adapter_config.json'), peftAdapterConfig(lora, baseModel));
}
