import { writeFileAtomic, writeJsonAtomic } from '@smart/core';
import type { LoraConfig } from '@smart/models';
import { encodeSafetensors, type TensorData } from '@smart/onnx-graph';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { toFloat32 } from './merge-lora';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Where the adapted layers live, as regex alternatives: each adapter's module path up to and including its
 * `layers.` segment (LLaVA `language_model.model.layers.`, Qwen2-VL `model.layers.`), else its parent module.
 */
function layerScopes(adapterNames: Iterable<string>): string[] {
  const scopes = new Set<string>();
  for (const name of adapterNames) {
    const module = name.replace(/\.lora_[AB]\.weight$/, '');
    const at = module.lastIndexOf('layers.');
    scopes.add(at >= 0 ? module.slice(0, at + 'layers.'.length) : module.slice(0, module.lastIndexOf('.') + 1));
  }
  return [...scopes].sort();
}

/**
 * PEFT's adapter_config.json for our adapters. `target_modules` is a regex over module names (PEFT matches a
 * string with re.fullmatch), scoped to where the adapters are (the family's language model), so a vision
 * tower's layers of the same short name (`q_proj`, `fc1`) are never adapted on load.
 */
export function peftAdapterConfig(lora: LoraConfig, baseModel: string, adapterNames: Iterable<string>): Record<string, unknown> {
  const scopes = layerScopes(adapterNames).map(escape);
  const scope = scopes.length === 1 ? scopes[0]! : `(${scopes.join('|')})`;
  return {
    peft_type: 'LORA',
    task_type: null,
    base_model_name_or_path: baseModel,
    r: lora.rank,
    lora_alpha: lora.alpha,
    lora_dropout: 0,
    target_modules: `${scope}.*\\.(${lora.targetModules.map(escape).join('|')})`,
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
  await writeJsonAtomic(join(dir, 'adapter_config.json'), peftAdapterConfig(lora, baseModel, adapters.keys()));
}
